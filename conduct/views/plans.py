"""Yearly inspection plans with their coverage, and the checklist versions."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from procedures.forms import parse_id
from procedures.models import Agency, Role

from .. import access, services
from ..access import ConductAction
from ..forms import DraftForm, ItemForm, PlanForm, PlannedForm
from ..models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    Inspection,
    PlannedInspection,
    Policy,
    Section,
)
from ..scores import plan_coverage
from ..services import ConductError


def _plan_readers(request: HttpRequest) -> None:
    if not (
        request.user.has_role(Role.INSPECTOR)
        or request.user.has_role(Role.LEADER)
        or request.user.has_role(Role.ADMINISTRATOR)
    ):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def plan_list(request: HttpRequest) -> HttpResponse:
    """Plans of the user's scope; an inspector creates one for their own agency."""
    _plan_readers(request)
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if not request.user.has_role(Role.INSPECTOR) or request.user.agency_id is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            percent = data.get("required_percent")
            try:
                plan = services.create_plan(
                    agency=request.user.agency,
                    year=data["year"],
                    by=request.user,
                    title=data["title"],
                    required_coverage=Decimal(percent) / 100 if percent else None,
                )
            except ConductError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Đã lập kế hoạch kiểm tra."))
                return redirect("conduct:plan", pk=plan.pk)
    plans = [
        {"plan": plan, "coverage": plan_coverage(plan)}
        for plan in access.plans_for(request.user).select_related("agency")[:50]
    ]
    return render(
        request,
        "conduct/plans.html",
        {
            "plans": plans,
            "form": form,
            "can_create": request.user.has_role(Role.INSPECTOR),
            "default_percent": (Policy.current().required_coverage * 100).quantize(Decimal("1")),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _plan_readers(request)
    plan = get_object_or_404(access.plans_for(request.user).select_related("agency"), pk=pk)
    can_edit = access.CONDUCT.allows(request.user, plan, ConductAction.RECORD)
    units = services.units_of(plan.agency)
    form = PlannedForm(request.POST or None, unit_ids=units)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_planned(
                    plan=plan,
                    agency=data["agency"],
                    planned_on=data["planned_on"],
                    kind=data["kind"],
                    note=data["note"],
                )
            except ConductError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Đã thêm đơn vị vào kế hoạch."))
                return redirect("conduct:plan", pk=plan.pk)
    entries = list(plan.entries.select_related("agency"))
    done = set(
        Inspection.objects.completed()
        .filter(inspected_on__year=plan.year, agency_id__in=units)
        .values_list("agency_id", flat=True)
    )
    planned_ids = {e.agency_id for e in entries}
    unplanned = Agency.objects.filter(pk__in=units - planned_ids).order_by("name")
    return render(
        request,
        "conduct/plan_detail.html",
        {
            "plan": plan,
            "coverage": plan_coverage(plan),
            "entries": [{"entry": e, "done": e.agency_id in done} for e in entries],
            "unplanned": unplanned,
            "form": form,
            "can_edit": can_edit,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def plan_entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        PlannedInspection.objects.filter(plan__in=access.plans_for(request.user)), pk=pk
    )
    if not access.CONDUCT.allows(request.user, entry.plan, ConductAction.RECORD):
        raise PermissionDenied
    try:
        services.remove_planned(entry=entry)
    except ConductError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã bỏ đơn vị khỏi kế hoạch."))
    return redirect("conduct:plan", pk=entry.plan_id)


# ---------------------------------------------------------------- checklists


def _editor(request: HttpRequest) -> None:
    if not access.CONDUCT.allows(request.user, None, ConductAction.EDIT_CHECKLISTS):
        raise PermissionDenied


@login_required
@require_GET
def checklist_list(request: HttpRequest) -> HttpResponse:
    _editor(request)
    templates = ChecklistTemplate.objects.prefetch_related("versions")
    return render(request, "conduct/checklists.html", {"templates": templates})


@login_required
@require_GET
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _editor(request)
    version = get_object_or_404(ChecklistVersion.objects.select_related("template"), pk=pk)
    return render(
        request,
        "conduct/version_detail.html",
        {
            "version": version,
            "items": version.items.all(),
            "form": ItemForm(),
            "sections": Section.choices,
            "used": version.inspections.count(),
        },
    )


@login_required
@require_POST
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a draft version of checklist ``pk`` (a copy of its latest items)."""
    _editor(request)
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    form = DraftForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        version = services.start_draft_version(template=template, by=request.user, note=note)
    except ConductError as error:
        messages.error(request, str(error))
        return redirect("conduct:checklists")
    messages.success(request, _("Đã tạo bản dự thảo; sửa các tiêu chí rồi công bố."))
    return redirect("conduct:version", pk=version.pk)


@login_required
@require_POST
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _editor(request)
    version = get_object_or_404(ChecklistVersion, pk=pk)
    try:
        services.publish_version(version=version, by=request.user)
    except ConductError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Đã công bố phiên bản %(number)s; các cuộc kiểm tra mới dùng phiên bản này.")
            % {"number": version.number},
        )
    return redirect("conduct:version", pk=version.pk)


@login_required
@require_POST
def item_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an item to draft version ``pk``, or change one (``item`` in the form)."""
    _editor(request)
    version = get_object_or_404(ChecklistVersion, pk=pk)
    form = ItemForm(request.POST)
    item = None
    item_id = parse_id(request.POST.get("item"))
    if item_id:
        item = get_object_or_404(ChecklistItem, pk=item_id, version=version)
    if not form.is_valid():
        errors = [
            f"{form.fields[name].label}: {' '.join(errs)}"
            for name, errs in form.errors.items()
            if name in form.fields
        ]
        messages.error(request, " ".join(errors) or _("Tiêu chí không hợp lệ."))
        return redirect("conduct:version", pk=version.pk)
    try:
        services.save_item(version=version, item=item, **form.cleaned_data)
    except ConductError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã lưu tiêu chí."))
    return redirect("conduct:version", pk=version.pk)


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _editor(request)
    item = get_object_or_404(ChecklistItem, pk=pk)
    try:
        services.delete_item(item=item)
    except ConductError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã xóa tiêu chí."))
    return redirect("conduct:version", pk=item.version_id)
