"""Inspections: the list, opening one, the tablet entry page and its ticks, the
completion, and the official record (biên bản) as a PDF.

Every inspection request goes through ``access.get_inspection_for_user`` (404 if
the user may not read it); writes also need ``access.CONDUCT``'s RECORD (403). A tick is
a small form posted at once by htmx (``hx-trigger="change"``); without JavaScript
the same form posts and redirects back to the tick.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from procedures.auth import role_required
from procedures.forms import parse_id
from procedures.models import Role

from .. import access, services
from ..access import ConductAction
from ..forms import (
    CommendationForm,
    CompleteForm,
    FillForm,
    OfficersForm,
    PhotoForm,
    StartInspectionForm,
    TickForm,
    YearForm,
)
from ..models import (
    FindingKind,
    Inspection,
    InspectionStatus,
    ItemResult,
    Outcome,
    PlannedInspection,
    Scope,
)
from ..services import ConductError

TEMPLATE = "conduct/inspection_detail.html"
LIST_PAGE_SIZE = 50


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
    """The inspections of the user's scope, newest first, per year."""
    ids = access.scope_ids(request.user)
    if ids is not None and not ids:
        raise PermissionDenied
    year = YearForm(request.GET).year_or_current()
    inspections = (
        access.inspections_for(request.user)
        .filter(inspected_on__year=year)
        .select_related("agency", "lead")
        .order_by("-inspected_on", "-pk")[:500]
    )
    can_record = request.user.has_role(Role.INSPECTOR)
    return render(
        request,
        "conduct/inspection_list.html",
        {
            "inspections": inspections,
            "year": year,
            "years": range(year + 1, year - 5, -1),
            "can_record": can_record,
            "can_plan": can_record or request.user.has_role(Role.LEADER),
            "can_edit_checklists": access.CONDUCT.allows(
                request.user, None, ConductAction.EDIT_CHECKLISTS
            ),
        },
    )


@role_required(Role.INSPECTOR)
@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest) -> HttpResponse:
    """Open an inspection: unit, date, form, team; the system draws the sample."""
    ids = access.record_scope_ids(request.user)
    planned = None
    planned_id = parse_id(request.GET.get("ke-hoach") or request.POST.get("planned"))
    if planned_id:
        planned = PlannedInspection.objects.filter(pk=planned_id).first()
        if planned and not access.CONDUCT.allows(request.user, planned, ConductAction.RECORD):
            planned = None
    initial = {"agency": planned.agency_id, "kind": planned.kind} if planned else None
    form = StartInspectionForm(
        request.POST or None, user=request.user, agency_ids=ids, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.start_inspection(
                agency=data["agency"],
                lead=request.user,
                inspected_on=data["inspected_on"],
                kind=data["kind"],
                co_inspectors=list(data["co_inspectors"]),
                planned=planned if planned and planned.agency_id == data["agency"].pk else None,
            )
        except ConductError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Đã mở biên bản kiểm tra. Hãy chọn cán bộ có mặt rồi đánh giá.")
            )
            return redirect("conduct:inspection", public_id=inspection.public_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "conduct/inspection_new.html", {"form": form, "planned": planned}, status=status
    )


# ---------------------------------------------------------------- the entry page


def _targets(inspection: Inspection) -> list[dict[str, Any]]:
    """The groups of the entry page: each officer present, the premises, each sampled
    dossier; each with its rows (item, result) and how many are answered."""
    items = list(inspection.version.items.all())
    results = {(r.item_id, r.target): r for r in inspection.results.all()}
    groups: list[dict[str, Any]] = []

    def add(key: str, scope: str, **extra: Any) -> None:
        rows = [
            {"item": item, "target": key, "result": results.get((item.pk, key))}
            for item in items
            if item.scope == scope
        ]
        if not rows:
            return
        answered = sum(1 for r in rows if r["result"] and r["result"].outcome)
        not_met = sum(1 for r in rows if r["result"] and r["result"].outcome == Outcome.NOT_MET)
        groups.append(
            {
                "key": key,
                "scope": scope,
                "rows": rows,
                "answered": answered,
                "not_met": not_met,
                "total": len(rows),
                **extra,
            }
        )

    for presence in inspection.present.select_related("officer"):
        add(
            f"o{presence.officer_id}",
            Scope.OFFICER,
            label=str(presence.officer),
            title=presence.officer.title,
        )
    add(services.PREMISES_TARGET, Scope.PREMISES, label=_("Công sở, nơi tiếp dân"), title="")
    for sample in inspection.samples.select_related("dossier", "dossier__procedure"):
        add(
            f"d{sample.pk}",
            Scope.DOSSIER,
            label=sample.dossier.code,
            title=sample.dossier.procedure.name,
            dossier=sample.dossier,
        )
    return groups


def _context(request: HttpRequest, inspection: Inspection) -> dict[str, Any]:
    editable = inspection.is_draft and access.CONDUCT.allows(
        request.user, inspection, ConductAction.RECORD
    )
    groups = _targets(inspection)
    total = sum(g["total"] for g in groups)
    answered = sum(g["answered"] for g in groups)
    officer_ids = list(inspection.present.values_list("officer_id", flat=True))
    context: dict[str, Any] = {
        "inspection": inspection,
        "editable": editable,
        "groups": groups,
        "total": total,
        "answered": answered,
        "missing": total - answered,
        "outcomes": Outcome.choices,
        "tick_url": reverse("conduct:tick", args=[inspection.public_id]),
        "photo_url": reverse("conduct:photo", args=[inspection.public_id]),
        "findings": list(
            inspection.findings.select_related("officer", "item").prefetch_related(
                "follow_ups__owner"
            )
        ),
        "team": [inspection.lead, *inspection.inspectors.all()],
        "FindingKind": FindingKind,
    }
    if editable:
        context["officers_form"] = OfficersForm(
            initial={"officers": officer_ids}, agency=inspection.agency
        )
        context["complete_form"] = CompleteForm(initial={"conclusion": inspection.conclusion})
        context["commend_form"] = CommendationForm(officer_ids=officer_ids)
    return context


@login_required
@require_GET
def inspection_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    inspection = access.get_inspection_for_user(request, public_id)
    return _no_store(render(request, TEMPLATE, _context(request, inspection)))


def _writable(request: HttpRequest, public_id: str) -> Inspection:
    inspection = access.get_inspection_for_user(request, public_id)
    if not access.CONDUCT.allows(request.user, inspection, ConductAction.RECORD):
        raise PermissionDenied
    return inspection


def _refused(
    request: HttpRequest,
    inspection: Inspection,
    form_key: str,
    form,
    message: str,
    *,
    row: tuple[int, str] | None = None,
) -> HttpResponse:
    """A refused action: the inspection page again (400) with the message next to
    the form, and the form as it was sent, so nothing typed is lost. ``row`` (item,
    target) places it at one tick's forms; a row's form whose item or target is not
    on the page (``form_key`` "page") gets it at the top of the page."""
    context = _context(request, inspection)
    if context["editable"] and form is not None:
        context[form_key] = form
    refusal = {"form": form_key, "message": message}
    if row is not None:
        refusal.update(item=row[0], target=row[1])
    context["refusal"] = refusal
    return _no_store(render(request, TEMPLATE, context, status=400))


def _row(form) -> tuple[int, str] | None:
    """The (item, target) a tick's or photo's form names, when both are well formed."""
    if form.has_error("item") or form.has_error("target"):
        return None
    return form.cleaned_data["item"], form.cleaned_data["target"]


def _back(inspection: Inspection, anchor: str = "") -> HttpResponse:
    url = reverse("conduct:inspection", args=[inspection.public_id])
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
@require_POST
def inspection_officers(request: HttpRequest, public_id: str) -> HttpResponse:
    inspection = _writable(request, public_id)
    form = OfficersForm(request.POST, agency=inspection.agency)
    if not form.is_valid():
        message = _("Danh sách cán bộ có mặt không hợp lệ.")
        return _refused(request, inspection, "officers_form", form, message)
    try:
        services.set_officers(inspection=inspection, officers=list(form.cleaned_data["officers"]))
    except ConductError as error:
        return _refused(request, inspection, "officers_form", form, str(error))
    else:
        messages.success(request, _("Đã cập nhật danh sách cán bộ có mặt."))
    return _back(inspection, "officers")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def inspection_tick(request: HttpRequest, public_id: str) -> HttpResponse:
    """Save one tick. htmx (and the offline resend in conduct.js) get the tick's
    partial back: 200 when saved, 400 with the reason when refused."""
    inspection = _writable(request, public_id)
    form = TickForm(request.POST)
    error = None
    result = None
    if not form.is_valid():
        error = _("Dữ liệu đánh giá không hợp lệ.")
    else:
        data = form.cleaned_data
        try:
            result = services.record_tick(
                inspection=inspection,
                item_id=data["item"],
                target=data["target"],
                outcome=data["outcome"],
                note=data["note"],
                stamp=data["stamp"],
                by=request.user,
            )
        except ConductError as refused:
            error = str(refused)
    if not request.htmx:
        if error:
            row = _row(form)
            key = "page" if row is None else "tick"
            return _refused(request, inspection, key, None, error, row=row)
        messages.success(request, _("Đã lưu đánh giá."))
        return _back(inspection, f"tick-{data['target']}-{data['item']}")
    if result is None:
        response = HttpResponse(
            f'<p class="tick-error" role="alert">{escape(error or "")}</p>', status=400
        )
        return _no_store(response)
    row = {"item": result.item, "target": result.target, "result": result}
    return _no_store(render(request, f"{TEMPLATE}#tick_status", {"row": row}))


@login_required
@require_POST
def inspection_photo(request: HttpRequest, public_id: str) -> HttpResponse:
    inspection = _writable(request, public_id)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [e for errs in form.errors.values() for e in errs]
        row = _row(form)
        key = "page" if row is None else "photo"
        message = " ".join(errors) or _("Ảnh không hợp lệ.")
        return _refused(request, inspection, key, None, message, row=row)
    row = (form.cleaned_data["item"], form.cleaned_data["target"])
    try:
        services.attach_photo(
            inspection=inspection,
            item_id=form.cleaned_data["item"],
            target=form.cleaned_data["target"],
            upload=form.cleaned_data["photo"],
            content_type=form.content_type,
            by=request.user,
        )
    except ConductError as error:
        return _refused(request, inspection, "photo", None, str(error), row=row)
    messages.success(request, _("Đã lưu ảnh."))
    return _back(inspection, f"tick-{row[1]}-{row[0]}")


@login_required
@require_GET
def photo_view(request: HttpRequest, public_id: str, pk: int) -> FileResponse:
    """A tick's photo, only to those who may read the inspection; never cached."""
    inspection = access.get_inspection_for_user(request, public_id)
    result = get_object_or_404(ItemResult, pk=pk, inspection=inspection)
    if not result.photo:
        raise Http404
    try:
        handle = result.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=result.photo_type or "image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    return _no_store(response)


@login_required
@require_POST
def inspection_fill(request: HttpRequest, public_id: str) -> HttpResponse:
    inspection = _writable(request, public_id)
    form = FillForm(request.POST)
    target = request.POST.get("target", "")
    if not form.is_valid():
        return _refused(request, inspection, "page", None, _("Đối tượng đánh giá không hợp lệ."))
    try:
        count = services.fill_remaining(inspection=inspection, target=target, by=request.user)
    except ConductError as error:
        return _refused(request, inspection, "fill", None, str(error), row=(0, target))
    messages.success(
        request, _("Đã đánh dấu Đạt cho %(count)s tiêu chí còn trống.") % {"count": count}
    )
    return _back(inspection, f"target-{target}")


@login_required
@require_POST
def inspection_commend(request: HttpRequest, public_id: str) -> HttpResponse:
    inspection = _writable(request, public_id)
    officer_ids = list(inspection.present.values_list("officer_id", flat=True))
    form = CommendationForm(request.POST, officer_ids=officer_ids)
    if not form.is_valid():
        message = _("Cần nhập nội dung biểu dương.")
        return _refused(request, inspection, "commend_form", form, message)
    try:
        services.add_commendation(
            inspection=inspection,
            officer=form.cleaned_data["officer"],
            description=form.cleaned_data["description"],
        )
    except ConductError as error:
        return _refused(request, inspection, "commend_form", form, str(error))
    messages.success(request, _("Đã ghi nhận biểu dương."))
    return _back(inspection, "findings")


@login_required
@require_POST
def inspection_complete(request: HttpRequest, public_id: str) -> HttpResponse:
    inspection = _writable(request, public_id)
    form = CompleteForm(request.POST)
    if not form.is_valid():
        return _refused(request, inspection, "complete_form", form, _("Nhận xét quá dài."))
    try:
        services.complete_inspection(
            inspection=inspection, by=request.user, conclusion=form.cleaned_data["conclusion"]
        )
    except ConductError as error:
        return _refused(request, inspection, "complete_form", form, str(error))
    messages.success(
        request, _("Đã kết thúc kiểm tra và lập biên bản. Các việc cần khắc phục đã được giao.")
    )
    return _back(inspection)


# ---------------------------------------------------------------- the record (biên bản)


@login_required
@require_GET
def inspection_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    """The official record in the Decree 30 layout; only for a completed inspection."""
    from ..record import record_context

    inspection = access.get_inspection_for_user(request, public_id)
    if inspection.status != InspectionStatus.COMPLETED:
        raise Http404
    from desk.pdf import render_pdf

    pdf = render_pdf("conduct/pdf/record.html", record_context(inspection))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"bien-ban-kiem-tra-{inspection.inspected_on:%Y%m%d}-{inspection.number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return _no_store(response)
