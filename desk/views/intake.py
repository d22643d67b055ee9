"""The clerk's intake screen (tiếp nhận hồ sơ): pick a procedure, tick the documents
received, enter the applicant, see the due date, save, print the receipt.

Works without JavaScript: the procedure search is a GET form that reloads the page
and the deadline preview is a submit button. With htmx the search list, the chosen
procedure's form and the preview are swapped in place.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from procedures.auth import role_required
from procedures.models import Agency, Procedure, ProcedureVariant, Role
from procedures.text import tokens

from .. import services
from ..deadlines import Deadline
from ..forms import IntakeForm, ProcedureSearchForm
from ..models import Dossier
from ..services import ActionRefused

OPTIONS_LIMIT = 10
TEMPLATE = "desk/intake.html"


def _desk_of(request: HttpRequest) -> Agency:
    """The clerk's own agency: the receiving agency of every dossier taken here."""
    agency = request.user.agency
    if agency is None:
        raise PermissionDenied(_("Tài khoản chưa được gán cơ quan; không thể tiếp nhận hồ sơ."))
    return agency


def _matching_procedures(q: str, agency: Agency) -> list[Procedure]:
    """Up to ten public procedures matching ``q`` (no diacritics needed); those the
    clerk's own agency implements first, then the best match."""
    if not tokens(q):
        return []
    implemented_here = Exists(
        Procedure.agencies.through.objects.filter(procedure_id=OuterRef("pk"), agency_id=agency.pk)
    )
    return list(
        Procedure.objects.public()
        .search(q)
        .annotate(local=implemented_here)
        .select_related("field")
        .order_by("-local", "-rank", "name")[:OPTIONS_LIMIT]
    )


def _chosen_procedure(code: str) -> Procedure | None:
    code = (code or "").strip()
    if not code:
        return None
    return (
        Procedure.objects.public()
        .select_related("field")
        .prefetch_related("variants", "documents")
        .filter(code=code)
        .first()
    )


def _variant_of(procedure: Procedure, value: str | None) -> ProcedureVariant | None:
    """The posted variant if it belongs to ``procedure``, else its default one."""
    for variant in procedure.variants.all():
        if str(variant.pk) == (value or "").strip():
            return variant
    return procedure.default_variant()


def _preview(
    procedure: Procedure, variant: ProcedureVariant | None, agency: Agency
) -> tuple[Deadline | None, str]:
    try:
        deadline = services.preview_deadline(
            procedure=procedure, variant=variant, agency=agency, received_at=timezone.now()
        )
    except ActionRefused as error:
        return None, error.message
    except ValueError:  # a catalog term the engine cannot use (e.g. fractional days)
        return None, _("Thời hạn giải quyết của thủ tục không hợp lệ; không thể tính hạn.")
    return deadline, ""


def _preview_context(
    procedure: Procedure, variant: ProcedureVariant | None, agency: Agency
) -> dict:
    deadline, error = _preview(procedure, variant, agency)
    return {
        "preview": deadline,
        "preview_lines": deadline.explain() if deadline else [],
        "preview_error": error,
        "preview_variant": variant or procedure.default_variant(),
    }


def _render(
    request: HttpRequest, context: dict, *, status: int = 200, partial: str = ""
) -> HttpResponse:
    base = {
        "procedure": None,
        "form": None,
        "search_form": ProcedureSearchForm(),
        "q": "",
        "options": [],
        "show_errors": True,
        "notice": "",
    }
    template = f"{TEMPLATE}#{partial}" if partial else TEMPLATE
    return render(request, template, {**base, **context}, status=status)


def _add_model_errors(form: IntakeForm, error: ValidationError) -> None:
    """Put a model ValidationError next to the form fields of the same name."""
    if not hasattr(error, "message_dict"):
        form.add_error(None, error)
        return
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


def _receive(request: HttpRequest, procedure: Procedure, form: IntakeForm) -> Dossier:
    data = form.cleaned_data
    return services.receive_dossier(
        agency=_desk_of(request),
        procedure=procedure,
        variant=data.get("variant"),
        applicant=form.applicant(),
        documents=form.documents(),
        received_by=request.user,
        channel=data["channel"],
        summary=data.get("summary") or "",
        sets_count=data["sets_count"],
        delivery=data["delivery"],
        scans=data.get("scans") or [],
    )


@role_required(Role.CLERK)
@require_http_methods(["GET", "POST"])
@never_cache
@vary_on_headers("HX-Request")
def intake(request: HttpRequest) -> HttpResponse:
    """GET: search (``?q=``) or the form for ``?procedure=<code>``. POST: preview or save."""
    agency = _desk_of(request)
    if request.method == "POST":
        return _intake_post(request, agency)
    search_form = ProcedureSearchForm(request.GET)
    q = search_form.cleaned_data["q"].strip() if search_form.is_valid() else ""
    code = request.GET.get("procedure", "")
    procedure = _chosen_procedure(code)
    context: dict = {"search_form": search_form, "q": q}
    if code and procedure is None:
        context["notice"] = _(
            "Không tìm thấy thủ tục có mã “%(code)s” trong danh mục đang áp dụng."
        ) % {"code": code[:20]}
    if procedure is not None:
        form = IntakeForm(procedure=procedure)
        variant = _variant_of(procedure, request.GET.get("variant"))
        if variant is not None:
            form.initial["variant"] = variant.pk
        context.update(procedure=procedure, form=form)
        context.update(_preview_context(procedure, variant, agency))
    else:
        context["options"] = _matching_procedures(q, agency)
    partial = request.htmx and not request.htmx.history_restore_request
    return _render(request, context, partial="main" if partial else "")


def _intake_post(request: HttpRequest, agency: Agency) -> HttpResponse:
    procedure = _chosen_procedure(request.POST.get("procedure", ""))
    if procedure is None:
        messages.error(request, _("Không tìm thấy thủ tục đã chọn; vui lòng chọn lại thủ tục."))
        return redirect("desk:intake")
    form = IntakeForm(request.POST, request.FILES, procedure=procedure)
    context: dict = {"procedure": procedure, "form": form, "files_dropped": bool(request.FILES)}
    variant = _variant_of(procedure, request.POST.get("variant"))
    if "preview" in request.POST:
        # Show the due date only; errors wait until the clerk saves.
        context.update(_preview_context(procedure, variant, agency), show_errors=False)
        return _render(request, context)
    if form.is_valid():
        try:
            dossier = _receive(request, procedure, form)
        except ActionRefused as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            _add_model_errors(form, error)
        else:
            due = formats.date_format(timezone.localtime(dossier.due_at), "DATETIME_FORMAT")
            messages.success(
                request,
                _("Đã tiếp nhận hồ sơ %(code)s. Hẹn trả kết quả: %(due)s.")
                % {"code": dossier.code, "due": due},
            )
            url = reverse("desk:detail", args=[dossier.code])
            return redirect(f"{url}?{urlencode({'in': 'receipt'})}")
    context.update(_preview_context(procedure, variant, agency))
    return _render(request, context, status=400)


@role_required(Role.CLERK)
@require_GET
def procedure_options(request: HttpRequest) -> HttpResponse:
    """The list of procedures matching what the clerk typed (htmx, as they type)."""
    agency = _desk_of(request)
    q = (request.GET.get("q") or "").strip()[:200]
    if not request.htmx:
        url = reverse("desk:intake")
        return redirect(f"{url}?{urlencode({'q': q})}" if q else url)
    return _render(request, {"q": q, "options": _matching_procedures(q, agency)}, partial="options")


@role_required(Role.CLERK)
@require_GET
def deadline_preview(request: HttpRequest) -> HttpResponse:
    """The due date an intake received now would get, with its explanation."""
    agency = _desk_of(request)
    code = request.GET.get("procedure", "")
    procedure = _chosen_procedure(code)
    if not request.htmx:
        params = {"procedure": code, "variant": request.GET.get("variant", "")}
        return redirect(f"{reverse('desk:intake')}?{urlencode(params)}")
    if procedure is None:
        return _render(
            request,
            {"preview": None, "preview_error": _("Chưa chọn thủ tục; chưa thể tính hạn.")},
            partial="preview",
        )
    variant = _variant_of(procedure, request.GET.get("variant"))
    return _render(
        request,
        {"procedure": procedure, **_preview_context(procedure, variant, agency)},
        partial="preview",
    )
