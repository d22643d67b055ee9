"""Feedback (phản ánh, kiến nghị): the public form, following it with its code and
key, the published answers; and the staff's list, hotline entry and steps."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from desk.models.dossier import lookup_key_matches
from procedures.auth import role_required
from procedures.models import Agency, Role, User

from .. import services
from ..forms import (
    AcceptForm,
    FeedbackFollowForm,
    FeedbackForm,
    ForwardForm,
    HandleForm,
    PublishForm,
    ReasonForm,
    StaffFeedbackForm,
    SupplementRequestForm,
    SupplyForm,
)
from ..lookup import find_dossier, normalise
from ..models import Feedback, FeedbackChannel, FeedbackState
from ..throttle import feedback_throttle, lookup_throttle
from .lookup import throttled

# A feedback form is a few kilobytes; anything far larger is not a person typing.
MAX_BODY_BYTES = 32 * 1024
STAFF_ROLES = (Role.CLERK, Role.OFFICER, Role.UNIT_HEAD, Role.LEADER)


@require_GET
def published(request: HttpRequest) -> HttpResponse:
    """Published answers, newest first: the staff's public wording only."""
    items = (
        Feedback.objects.published()
        .select_related("agency")
        .only("code", "title", "public_question", "public_answer", "published_at", "agency__name")
        .order_by("-published_at", "-pk")
    )
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    return render(request, "surveys/feedback_published.html", {"page": page})


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """The public form. Spam controls without third parties: a per-client throttle,
    a honeypot field and size limits."""
    if request.method == "GET":
        return render(
            request, "surveys/feedback_form.html", {"form": FeedbackForm(initial=_initial(request))}
        )
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES:
        context = {"form": FeedbackForm(), "too_large": True}
        return render(request, "surveys/feedback_form.html", context, status=413)
    form = FeedbackForm(request.POST)
    if form.is_spam():
        # Look like success to the robot; store nothing.
        return render(request, "surveys/feedback_sent.html", {"spam": True})
    if not feedback_throttle.allow(request):
        return throttled(
            request, "surveys/feedback_form.html", {"form": form}, throttle=feedback_throttle
        )
    if not form.is_valid():
        return render(request, "surveys/feedback_form.html", {"form": form}, status=400)
    feedback = _create(form, FeedbackChannel.ONLINE, None)
    if feedback is None:
        return render(request, "surveys/feedback_form.html", {"form": form}, status=400)
    return render(request, "surveys/feedback_sent.html", {"feedback": feedback})


def _initial(request: HttpRequest) -> dict:
    """Opened from a dossier's lookup page (?ma=<code>&khoa=<key>): the dossier and
    the agency that received it, not the first ward of the list. Only with the right
    key, as the lookup itself, so the form tells nobody which agency holds a code;
    a bare ?ho_so=<code> (an older link) fills the code alone."""
    dossier = find_dossier(request.GET.get("ma", ""), request.GET.get("khoa", ""))
    if dossier is not None:
        return {"dossier_code": dossier.code, "agency": dossier.receiving_agency_id}
    return {"dossier_code": request.GET.get("ho_so", "")[:40]}


def _create(form, channel: str, user: User | None) -> Feedback | None:
    data = form.cleaned_data
    try:
        return services.submit_feedback(
            agency=data["agency"],
            topic=data["topic"],
            title=data["title"],
            content=data["content"],
            sender=services.Sender(
                name=data["sender_name"],
                address=data["sender_address"],
                phone=data["sender_phone"],
                email=data.get("sender_email", ""),
            ),
            dossier_code=data.get("dossier_code", ""),
            channel=channel,
            recorded_by=user,
        )
    except services.SurveyError as error:
        form.add_error(None, error.message)
        return None


def _find(code: str, key: str) -> Feedback | None:
    code, key = normalise(code, key)
    feedback = (
        Feedback.objects.select_related("agency", "forwarded_to").filter(code=code).first()
        if code and key
        else None
    )
    return feedback if lookup_key_matches(feedback and feedback.lookup_key, key) else None


@require_http_methods(["GET", "POST"])
@never_cache
def follow(request: HttpRequest) -> HttpResponse:
    """The sender follows their feedback with its code and key, and answers a
    request for more information here."""
    form = FeedbackFollowForm(request.GET)
    form.is_valid()
    code, key = form.cleaned_data.get("ma", ""), form.cleaned_data.get("khoa", "")
    context: dict = {"form": form, "searched": bool(code or key)}
    if not context["searched"]:
        return render(request, "surveys/feedback_follow.html", context)
    if not lookup_throttle.allow(request):
        return throttled(request, "surveys/feedback_follow.html", context)
    feedback = _find(code, key)
    if feedback is None:
        lookup_throttle.failed(request)
        return render(
            request, "surveys/feedback_follow.html", {**context, "not_found": True}, status=404
        )
    supply = SupplyForm(request.POST or None, initial={"version": feedback.version})
    if request.method == "POST":
        if supply.is_valid():
            try:
                services.supply_feedback(
                    feedback=feedback,
                    reply=supply.cleaned_data["reply"],
                    version=supply.cleaned_data["version"],
                )
            except services.SurveyError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Đã gửi thông tin bổ sung. Xin cảm ơn."))
            return redirect(request.get_full_path())
        context["status"] = 400
    copy = getattr(feedback, "forwarded_copy", None) if feedback.forwarded_to_id else None
    context.update(
        {
            "feedback": feedback,
            "supply": supply,
            "events": feedback.events.exclude(kind="submit").order_by("at", "pk"),
            "copy": copy,
        }
    )
    return render(
        request, "surveys/feedback_follow.html", context, status=context.pop("status", 200)
    )


# ---------------------------------------------------------------- staff


def _staff_feedback(request: HttpRequest, pk: int) -> Feedback:
    feedback = get_object_or_404(
        Feedback.objects.visible_to(request.user).select_related(
            "agency", "officer", "dossier", "forwarded_to"
        ),
        pk=pk,
    )
    return feedback


@role_required(*STAFF_ROLES)
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    items = Feedback.objects.visible_to(request.user).select_related("agency")
    state = request.GET.get("state", "")
    if state in FeedbackState.values:
        items = items.filter(state=state)
    elif state == "overdue":
        items = items.overdue()
    page = Paginator(items.order_by("-received_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/feedback_staff_list.html",
        {"page": page, "state": state, "states": FeedbackState.choices},
    )


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest) -> HttpResponse:
    """A hotline call or a letter, recorded by staff for their agencies."""
    ids = request.user.visible_agency_ids()
    agencies = Agency.objects.all() if ids is None else Agency.objects.filter(pk__in=ids)
    form = StaffFeedbackForm(request.POST or None, agencies=agencies.order_by("level", "name"))
    if request.method == "POST" and form.is_valid():
        feedback = _create(form, form.cleaned_data["channel"], request.user)
        if feedback is not None:
            messages.success(
                request,
                _("Đã ghi nhận phản ánh %(code)s. Mã tra cứu báo cho người phản ánh: %(key)s")
                % {"code": feedback.code, "key": feedback.lookup_key},
            )
            return redirect("surveys:feedback-detail", pk=feedback.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/feedback_staff_new.html", {"form": form}, status=status)


def _sender(user: User, feedback: Feedback) -> str:
    from ..lookup import mask_name

    if user.agency_id == feedback.agency_id:
        parts = [feedback.sender_name, feedback.sender_address, feedback.sender_phone]
        return "; ".join(filter(None, [*parts, feedback.sender_email]))
    phone = feedback.sender_phone
    return f"{mask_name(feedback.sender_name)}; ***; {phone[:3]}****{phone[-3:]}"


def _forms(request: HttpRequest, feedback: Feedback, data=None, action: str = "") -> dict:
    ids = request.user.visible_agency_ids()
    officers = User.objects.filter(is_active=True, agency__isnull=False)
    if ids is not None:
        officers = officers.filter(agency_id__in=ids)
    bound = {action: data} if data is not None else {}
    return {
        "accept": AcceptForm(
            bound.get("accept"),
            officers=officers.order_by("last_name", "first_name"),
            initial={"dossier_code": feedback.dossier_code},
        ),
        "refuse": ReasonForm(bound.get("refuse")),
        "forward": ForwardForm(
            bound.get("forward"),
            agencies=Agency.objects.filter(is_active=True)
            .exclude(pk=feedback.agency_id)
            .order_by("level", "name"),
        ),
        "request_supplement": SupplementRequestForm(bound.get("request_supplement")),
        "supply": SupplyForm(bound.get("supply"), initial={"version": feedback.version}),
        "handle": HandleForm(bound.get("handle")),
        "publish": PublishForm(
            bound.get("publish"),
            initial={"public_question": feedback.title, "public_answer": feedback.answer},
        ),
    }


def _run(action: str, feedback: Feedback, user: User, data: dict, version: int | None):
    common = {"feedback": feedback, "user": user, "version": version}
    if action == "accept":
        return services.accept_feedback(
            **common,
            classification=data["classification"],
            officer=data.get("officer"),
            dossier_code=data.get("dossier_code", ""),
        )
    if action == "refuse":
        return services.refuse_feedback(**common, reason=data["reason"])
    if action == "forward":
        return services.forward_feedback(
            **common, to_agency=data.get("to_agency"), to_name=data.get("to_name", "")
        )
    if action == "request_supplement":
        return services.request_feedback_supplement(**common, request_text=data["request_text"])
    if action == "supply":
        return services.supply_feedback(**common, reply=data["reply"])
    if action == "handle":
        return services.handle_feedback(
            **common, answer=data["answer"], unfounded=data.get("unfounded", False)
        )
    return services.publish_feedback(
        **common, public_question=data["public_question"], public_answer=data["public_answer"]
    )


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = _staff_feedback(request, pk)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in services.FEEDBACK_ACTIONS:
            raise PermissionDenied
        forms = _forms(request, feedback, request.POST, action)
        form = forms[action]
        version = request.POST.get("version", "")
        if form.is_valid():
            try:
                _run(
                    action,
                    feedback,
                    request.user,
                    form.cleaned_data,
                    int(version) if version.isdigit() else None,
                )
            except services.SurveyError as error:
                # Refused (a stale version, a step not allowed now): the page again
                # with the reason next to the form and what was typed kept.
                form.add_error(None, error.message)
                feedback.refresh_from_db()
            else:
                messages.success(
                    request, _("Đã cập nhật phản ánh %(code)s.") % {"code": feedback.code}
                )
                return redirect("surveys:feedback-detail", pk=feedback.pk)
        status = 400
    else:
        forms = _forms(request, feedback)
    actions = [
        name
        for name in services.FEEDBACK_ACTIONS
        if services.feedback_refusal(request.user, feedback, name) is None
    ]
    return render(
        request,
        "surveys/feedback_staff_detail.html",
        {
            "feedback": feedback,
            "forms": forms,
            "actions": actions,
            "events": feedback.events.select_related("actor").order_by("at", "pk"),
            "overdue": feedback.is_overdue(),
            # Personal data in full only to staff of the agency handling it (Decree 13/2023).
            "sender": _sender(request.user, feedback),
        },
        status=status,
    )
