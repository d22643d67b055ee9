"""The dossier page (hồ sơ) and the actions taken on it.

Every request goes through ``get_dossier_for_user`` (404 for a dossier the user
may not see). The page offers only ``permissions.allowed_actions``; each action is a
real form posted to ``dossier_action``, which checks the version the user saw, the
permission, the form, then calls the service (which checks both again under a row
lock). With htmx the answer is the re-rendered dossier partial; without, a redirect
back to the page with a message. A refused action answers 400 with the page itself
(the partial with htmx): the reason next to the form, the typed input kept.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from procedures.forms import parse_id
from procedures.models import Agency, User

from .. import services
from ..clock import due_soon_until, is_due_soon
from ..deadlines import WorkingHours
from ..forms import (
    ApologyForm,
    CompleteForm,
    ConfirmPaymentForm,
    CorrectForm,
    DossierActionForm,
    GuideForm,
    HandOverForm,
    PaymentRequestForm,
    ReceiveForm,
    RefuseForm,
    ReturnForm,
    StopForm,
    SupplementRequestForm,
    SupplyForm,
    WithdrawalForm,
)
from ..legal_forms import applicable_forms
from ..models import (
    ApologyLetter,
    ApologyStatus,
    Dossier,
    DossierAttachment,
    DossierEvent,
    State,
    SupplementRequest,
)
from ..permissions import ACTION_LABELS, Action, allowed_actions, refusal
from ..services import DossierError, StaleDossier
from .common import get_dossier_for_user, log_personal_data, personal_data_visible

TEMPLATE = "desk/dossier_detail.html"

ACTION_FORMS: dict[Action, type[DossierActionForm]] = {
    Action.RECEIVE: ReceiveForm,
    Action.GUIDE: GuideForm,
    Action.REFUSE: RefuseForm,
    Action.HAND_OVER: HandOverForm,
    Action.REQUEST_SUPPLEMENT: SupplementRequestForm,
    Action.SUPPLY: SupplyForm,
    Action.REQUEST_PAYMENT: PaymentRequestForm,
    Action.CONFIRM_PAYMENT: ConfirmPaymentForm,
    Action.APOLOGISE: ApologyForm,
    Action.REQUEST_WITHDRAWAL: WithdrawalForm,
    Action.STOP: StopForm,
    Action.COMPLETE: CompleteForm,
    Action.RETURN: ReturnForm,
    Action.CORRECT: CorrectForm,
}

SERVICES = {
    Action.RECEIVE: services.receive_registered,
    Action.GUIDE: services.guide_registered,
    Action.REFUSE: services.refuse_registered,
    Action.HAND_OVER: services.hand_over,
    Action.REQUEST_SUPPLEMENT: services.request_supplement,
    Action.SUPPLY: services.record_supplement,
    Action.REQUEST_PAYMENT: services.request_payment,
    Action.CONFIRM_PAYMENT: services.confirm_payment,
    Action.APOLOGISE: services.approve_apology,
    Action.REQUEST_WITHDRAWAL: services.request_withdrawal,
    Action.STOP: services.stop_dossier,
    Action.COMPLETE: services.complete_dossier,
    Action.RETURN: services.return_result,
    Action.CORRECT: services.correct_returned,
}

SUCCESS_MESSAGES = {
    Action.RECEIVE: gettext_lazy("Đã tiếp nhận hồ sơ. Hãy in giấy tiếp nhận và hẹn trả kết quả."),
    Action.GUIDE: gettext_lazy("Đã lập phiếu hướng dẫn hoàn thiện hồ sơ."),
    Action.REFUSE: gettext_lazy("Đã từ chối tiếp nhận hồ sơ."),
    Action.HAND_OVER: gettext_lazy("Đã chuyển hồ sơ."),
    Action.REQUEST_SUPPLEMENT: gettext_lazy(
        "Đã yêu cầu bổ sung hồ sơ; thời hạn giải quyết tạm dừng."
    ),
    Action.SUPPLY: gettext_lazy("Đã nhận hồ sơ bổ sung; thời hạn giải quyết tiếp tục được tính."),
    Action.REQUEST_PAYMENT: gettext_lazy("Đã thông báo nghĩa vụ tài chính."),
    Action.CONFIRM_PAYMENT: gettext_lazy("Đã xác nhận hoàn thành nghĩa vụ tài chính."),
    Action.APOLOGISE: gettext_lazy("Đã ban hành văn bản xin lỗi và hẹn lại ngày trả kết quả."),
    Action.REQUEST_WITHDRAWAL: gettext_lazy("Đã ghi nhận yêu cầu rút hồ sơ."),
    Action.STOP: gettext_lazy("Đã dừng xử lý hồ sơ."),
    Action.COMPLETE: gettext_lazy("Đã hoàn thành xử lý; kết quả được chuyển về bộ phận một cửa."),
    Action.RETURN: gettext_lazy("Đã trả kết quả cho người yêu cầu."),
    Action.CORRECT: gettext_lazy("Đã điều chỉnh hồ sơ về trạng thái đã xử lý."),
}

# The printed form (desk:pdf) an action produces, offered right after it.
FORM_AFTER_ACTION = {
    Action.RECEIVE: "receipt",
    Action.GUIDE: "supplement",
    Action.REQUEST_SUPPLEMENT: "supplement",
    Action.REFUSE: "refusal",
    Action.APOLOGISE: "apology",
    Action.STOP: "stop",
}
PRINT_LABELS = {
    "receipt": gettext_lazy("In giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "supplement": gettext_lazy("In phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "refusal": gettext_lazy("In phiếu từ chối tiếp nhận, giải quyết hồ sơ"),
    "apology": gettext_lazy("In văn bản xin lỗi và hẹn lại ngày trả kết quả"),
    "stop": gettext_lazy("In thông báo dừng giải quyết hồ sơ"),
    "control-slip": gettext_lazy("In phiếu kiểm soát quá trình giải quyết"),
}


# ---------------------------------------------------------------- reading


def _load(request: HttpRequest, code: str) -> Dossier:
    """The gate, then everything the page shows in a fixed number of queries."""
    return _with_relations(get_dossier_for_user(request, code))


def _with_relations(dossier: Dossier) -> Dossier:
    prefetch_related_objects(
        [dossier],
        "documents",
        "attachments",
        Prefetch(
            "supplements",
            queryset=SupplementRequest.objects.select_related("agency", "requested_by"),
        ),
        Prefetch("apologies", queryset=ApologyLetter.objects.select_related("signed_by")),
        Prefetch(
            "events",
            queryset=DossierEvent.objects.select_related(
                "actor", "from_agency", "to_agency", "from_user", "to_user"
            ),
        ),
    )
    return dossier


def _chosen_target(targets: list[Agency], posted: Any, dossier: Dossier) -> Agency | None:
    """The unit whose officers the hand-over form lists: the one posted, else the
    unit holding the dossier (a hand-over inside the unit is the common case)."""
    by_pk = {agency.pk: agency for agency in targets}
    try:
        return by_pk[int(posted)]
    except (KeyError, TypeError, ValueError):
        return by_pk.get(dossier.current_agency_id)


def _officers_of(agency: Agency | None) -> list[User]:
    if agency is None:
        return []
    return list(
        User.objects.filter(agency=agency, is_active=True)
        .filter(Q(is_officer=True) | Q(is_unit_head=True))
        .order_by("last_name", "first_name", "pk")
    )


def _make_form(
    action: Action, dossier: Dossier, data: Any = None, *, calendar: Any = None
) -> DossierActionForm:
    kwargs: dict[str, Any] = {"dossier": dossier}
    if action == Action.HAND_OVER:
        targets = services.hand_over_targets(dossier)
        chosen = _chosen_target(targets, data.get("to_agency") if data else None, dossier)
        kwargs.update(targets=targets, chosen_agency=chosen, officers=_officers_of(chosen))
    elif action == Action.REQUEST_SUPPLEMENT:
        kwargs["earlier_request"] = any(
            s.agency_id == dossier.current_agency_id for s in dossier.supplements.all()
        )
    form = ACTION_FORMS[action](data, **kwargs)
    if action == Action.APOLOGISE and dossier.due_at is not None:
        limit = services.apology_deadline(dossier, calendar)
        form.apology_limit = limit
        # The clock scan's draft of form 04 (desk/alerts/), for the unit head to
        # complete and sign: shown in the form, which opens by itself.
        form.apology_draft = _apology_draft(dossier)
    return form


def _apology_draft(dossier: Dossier) -> ApologyLetter | None:
    return next((a for a in dossier.apologies.all() if a.status == ApologyStatus.DRAFT), None)


def _context(
    request: HttpRequest,
    dossier: Dossier,
    *,
    bound: DossierActionForm | None = None,
    notice: str = "",
    notice_level: str = "success",
    printable: str = "",
) -> dict[str, Any]:
    user = request.user
    now = timezone.now()
    calendar = services.calendar_for(dossier.received_at, now)
    explanation: list[str] = []
    due_soon = overdue = False
    if dossier.received_at is not None:
        try:
            explanation = services.deadline_for(dossier, now=now, calendar=calendar).explain()
        except (DossierError, ValueError):
            explanation = []
        overdue = dossier.is_overdue(now)
        hours = WorkingHours.for_agency(dossier.receiving_agency)
        due_soon = is_due_soon(dossier, now, due_soon_until(now, hours, calendar))
    actions = []
    for action in allowed_actions(user, dossier):
        if bound is not None and bound.action_name == action.value:
            form = bound
        else:
            form = _make_form(action, dossier, calendar=calendar)
        actions.append(
            {
                "action": action.value,
                "label": ACTION_LABELS[action],
                "form": form,
                "open": form is bound or getattr(form, "apology_draft", None) is not None,
            }
        )
    printable_forms = applicable_forms(dossier)
    return {
        "dossier": dossier,
        "state_label": State(dossier.state).label,
        "show_personal": personal_data_visible(request, dossier),
        "explanation": explanation,
        "overdue": overdue,
        "due_soon": due_soon,
        "moved": bool(
            dossier.original_due_at and dossier.due_at and dossier.original_due_at != dossier.due_at
        ),
        "actions": actions,
        "documents": list(dossier.documents.all()),
        "attachments": list(dossier.attachments.all()),
        "supplements": list(dossier.supplements.all()),
        "apologies": [a for a in dossier.apologies.all() if a.status == ApologyStatus.APPROVED],
        "events": list(dossier.events.all()),
        "printable_forms": [(name, PRINT_LABELS[name]) for name in printable_forms],
        "printable": printable if printable in printable_forms else "",
        "printable_label": PRINT_LABELS.get(printable, ""),
        "notice": notice,
        "notice_level": notice_level,
    }


def _render(
    request: HttpRequest, dossier: Dossier, *, status: int = 200, partial: bool, **extra: Any
) -> HttpResponse:
    if not hasattr(dossier, "_prefetched_objects_cache"):
        _with_relations(dossier)
    template = f"{TEMPLATE}#dossier" if partial else TEMPLATE
    return render(request, template, _context(request, dossier, **extra), status=status)


def _is_partial(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


@login_required
@require_GET
@never_cache
@vary_on_headers("HX-Request")
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Everything about one dossier and the actions this user may take now."""
    dossier = _load(request, code)
    response = _render(
        request, dossier, partial=_is_partial(request), printable=request.GET.get("in", "")
    )
    if personal_data_visible(request, dossier):
        log_personal_data(request, dossier, "view")
    return response


# ---------------------------------------------------------------- acting


@login_required
@require_GET
@never_cache
def hand_over_officers(request: HttpRequest, code: str) -> HttpResponse:
    """The hand-over form's officer list for the unit just picked (htmx): only to
    someone who may hand this dossier over now, only units it may go to."""
    dossier = get_dossier_for_user(request, code)
    if refusal(request.user, dossier, Action.HAND_OVER) is not None:
        raise PermissionDenied
    form = _make_form(Action.HAND_OVER, dossier, request.GET)
    return HttpResponse(str(form["to_user"]))


def _stale_message(dossier: Dossier) -> str:
    return _(
        "Hồ sơ %(code)s vừa được người khác cập nhật. Trang đã được tải lại; "
        "vui lòng kiểm tra và thực hiện lại nếu vẫn cần."
    ) % {"code": dossier.code}


def _detail_url(code: str, printable: str = "") -> str:
    url = reverse("desk:detail", args=[code])
    return f"{url}?{urlencode({'in': printable})}" if printable else url


def _reload_or_leave(request: HttpRequest, code: str) -> Dossier | None:
    """The dossier again, fresh, or None if the user may no longer see it."""
    try:
        return _load(request, code)
    except Http404:
        return None


@require_POST
@login_required
def dossier_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Take one action on a dossier; never a 500 for bad input."""
    # The gate only: the page's relations are loaded when a page is rendered.
    dossier = get_dossier_for_user(request, code)
    try:
        action = Action(action)
    except ValueError:
        raise Http404 from None
    partial = bool(request.htmx)
    form: DossierActionForm | None = None
    try:
        version = parse_id(request.POST.get("version"))  # "²".isdigit() is true
        if version is None:
            raise DossierError(
                _("Thiếu phiên bản hồ sơ trong biểu mẫu; vui lòng tải lại trang rồi thực hiện lại.")
            )
        if version != dossier.version:
            raise StaleDossier(_stale_message(dossier))
        reason = refusal(request.user, dossier, action)
        if reason is not None:
            raise DossierError(str(reason))
        form = _make_form(action, dossier, request.POST)
        if not form.is_valid():
            # Not a redirect: the page comes back with the user's input and the errors.
            return _render(request, dossier, status=400, partial=partial, bound=form)
        result = SERVICES[action](
            dossier=dossier, version=version, user=request.user, **form.service_kwargs()
        )
    except StaleDossier as error:
        if not partial:
            messages.error(request, error.message)
            return redirect(_detail_url(code))
        fresh = _reload_or_leave(request, code)
        if fresh is None:
            return HttpResponseClientRedirect(reverse("desk:queue"))
        return _render(
            request, fresh, status=409, partial=True, notice=error.message, notice_level="error"
        )
    except DossierError as error:
        # Refused: the page again, in the layout (or its partial), with the reason
        # next to the form and what was typed kept; never a redirect that loses it.
        if form is None and action in allowed_actions(request.user, dossier):
            form = _make_form(action, dossier, request.POST)
        if form is not None:
            form.add_error(None, error.message)
        return _render(
            request,
            dossier,
            status=400,
            partial=partial,
            bound=form,
            notice=error.message,
            notice_level="error",
        )

    notice, level = str(SUCCESS_MESSAGES[action]), "success"
    warning = _warning_for(result)
    printable = FORM_AFTER_ACTION.get(action, "")
    if not partial:
        messages.success(request, notice)
        if warning:
            messages.warning(request, warning)
        # A hand-over may take the dossier out of this user's sight.
        if not Dossier.objects.visible_to(request.user).filter(pk=dossier.pk).exists():
            return redirect("desk:queue")
        return redirect(_detail_url(code, printable))
    fresh = _reload_or_leave(request, code)
    if fresh is None:
        messages.success(request, notice)
        return HttpResponseClientRedirect(reverse("desk:queue"))
    if warning:
        notice, level = f"{notice} {warning}", "warning"
    return _render(
        request, fresh, partial=True, notice=notice, notice_level=level, printable=printable
    )


def _warning_for(result: Any) -> str:
    """What the user must know about an allowed but irregular step."""
    if isinstance(result, ApologyLetter) and result.is_late:
        return _(
            "Văn bản xin lỗi được ban hành muộn (sau thời hạn một ngày làm việc trước ngày hẹn "
            "trả) và được ghi nhận là muộn."
        )
    if isinstance(result, SupplementRequest) and result.is_override:
        return _("Đây là yêu cầu bổ sung lần thứ hai: đã ghi nhận là ngoại lệ và tính là trễ hạn.")
    return ""


# ---------------------------------------------------------------- files


@login_required
@require_GET
@never_cache
def attachment_download(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """A scan of the dossier, for staff who may see its personal data; logged."""
    dossier = get_dossier_for_user(request, code)
    if not personal_data_visible(request, dossier):
        raise PermissionDenied(_("Bạn không có quyền xem tệp số hóa của hồ sơ này."))
    attachment = get_object_or_404(DossierAttachment, dossier=dossier, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    log_personal_data(request, dossier, "download", f"attachment {attachment.pk}")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
