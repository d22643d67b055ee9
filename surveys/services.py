"""Writes of the citizens' side: ratings, survey answers, feedback (PAKN) and its steps.

Each write is one transaction that locks the row two people could change at once
(the dossier for a rating, the feedback for its steps), validates, writes and
records what happened. Refusals raise ``SurveyError`` with a message for the user.
"""

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import override

from desk.clock import working_days_after
from desk.deadlines import WorkingHours, add_working_time, working_hours_between
from desk.models import Dossier, DossierEvent, EventKind, ScanMark, State
from desk.services import calendar_for, next_number
from procedures.models import Agency, Role, User
from procedures.workflow import Refused, Stale, locked, save_versioned

from .models import (
    OPEN_FEEDBACK_STATES,
    Feedback,
    FeedbackChannel,
    FeedbackClassification,
    FeedbackEvent,
    FeedbackState,
    Kiosk,
    Rating,
    RatingChoice,
    RatingInvitation,
    SurveyKind,
    SurveyResponse,
    SurveyTemplate,
)

log = logging.getLogger(__name__)


class SurveyError(Refused):
    """A refused write on a rating or a feedback (procedures/workflow.py)."""


class StaleFeedback(SurveyError, Stale):
    pass


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# ---------------------------------------------------------------- ratings


def rating_deadline(dossier: Dossier) -> dt.datetime | None:
    """Until when the rating link works: ``RATING_LINK_DAYS`` after the return."""
    if dossier.returned_at is None:
        return None
    return dossier.returned_at + dt.timedelta(days=_setting("RATING_LINK_DAYS", 30))


def rating_link_closes(returned_at: dt.datetime) -> dt.datetime:
    """When the rating link of a dossier returned at ``returned_at`` stops working
    (the lookup page's test, without a model instance)."""
    return returned_at + dt.timedelta(days=_setting("RATING_LINK_DAYS", 30))


def rating_refusal(dossier: Dossier, *, now: dt.datetime | None = None) -> str | None:
    """Why this dossier cannot be rated now, or None."""
    now = now or timezone.now()
    if dossier.state != State.RETURNED or dossier.returned_at is None:
        return _("Hồ sơ chưa được trả kết quả nên chưa thể đánh giá.")
    deadline = rating_deadline(dossier)
    if deadline is not None and now > deadline:
        return _(
            "Đường dẫn đánh giá đã hết hạn: chỉ đánh giá được trong %(days)s ngày kể từ ngày "
            "trả kết quả."
        ) % {"days": _setting("RATING_LINK_DAYS", 30)}
    return None


# Timeline steps whose people "handled" the dossier (docs/domain.md §9).
HANDLING_EVENTS = (
    EventKind.RECEIVE,
    EventKind.HAND_OVER,
    EventKind.REQUEST_SUPPLEMENT,
    EventKind.SUPPLY,
    EventKind.COMPLETE,
    EventKind.RETURN,
)


def handling_officer_ids(dossier: Dossier) -> set[int]:
    """The receiving clerk, everyone a step was handed to, and whoever acted on it."""
    return handling_officers([dossier])[dossier.pk]


def handling_officers(dossiers) -> dict[int, set[int]]:
    """``handling_officer_ids`` of many dossiers in one query: dossier id -> user ids."""
    found: dict[int, set[int]] = {d.pk: {d.received_by_id} - {None} for d in dossiers}
    for dossier_id, actor, to_user in DossierEvent.objects.filter(
        dossier_id__in=list(found), kind__in=HANDLING_EVENTS
    ).values_list("dossier_id", "actor_id", "to_user_id"):
        found[dossier_id].update(pk for pk in (actor, to_user) if pk)
    return found


@transaction.atomic
def record_rating(
    *,
    dossier: Dossier,
    choice: str,
    reason: str = "",
    channel: str,
    kiosk: Kiosk | None = None,
    now: dt.datetime | None = None,
) -> Rating:
    """One rating per dossier. The dossier row is locked so two taps (kiosk and
    phone at once) cannot both pass the "not rated yet" check; the unique
    constraint stands behind it."""
    now = now or timezone.now()
    locked = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    refusal = rating_refusal(locked, now=now)
    if refusal:
        raise SurveyError(refusal)
    if choice not in RatingChoice.values:
        raise SurveyError(_("Xin chọn một mức độ hài lòng."))
    reason = (reason or "").strip()
    if len(reason) > 2000:
        raise SurveyError(_("Lý do dài quá 2.000 ký tự."))
    if choice == RatingChoice.DISSATISFIED and not reason:
        raise SurveyError(_("Xin cho biết lý do Ông/Bà không hài lòng."))
    if Rating.objects.filter(dossier=locked).exists():
        raise SurveyError(
            _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần. Xin cảm ơn!")
        )
    rating = Rating(
        dossier=locked,
        agency_id=locked.receiving_agency_id,
        choice=choice,
        reason=reason,
        channel=channel,
        kiosk=kiosk,
        created_at=now,
    )
    rating.full_clean(exclude=["dossier"])
    rating.save()
    rating.officers.set(handling_officer_ids(locked))
    return rating


def kiosk_dossier(kiosk: Kiosk, *, now: dt.datetime | None = None) -> Dossier | None:
    """The dossier just returned at this kiosk's counter and not yet rated: returned
    at its desk within ``KIOSK_WINDOW_MINUTES``, by the clerk serving there if one
    has claimed the counter."""
    now = now or timezone.now()
    since = now - dt.timedelta(minutes=_setting("KIOSK_WINDOW_MINUTES", 30))
    dossiers = Dossier.objects.filter(
        receiving_agency_id=kiosk.agency_id,
        state=State.RETURNED,
        returned_at__gte=since,
        returned_at__lte=now,
        rating__isnull=True,
    )
    if kiosk.clerk_id:
        returned_by_clerk = DossierEvent.objects.filter(
            kind=EventKind.RETURN, actor_id=kiosk.clerk_id, at__gte=since
        ).values("dossier_id")
        dossiers = dossiers.filter(pk__in=returned_by_clerk)
    return dossiers.select_related("procedure").order_by("-returned_at", "-pk").first()


@transaction.atomic
def claim_kiosk(*, kiosk: Kiosk, clerk: User) -> Kiosk:
    """The clerk now serving at this counter: the kiosk shows her returns."""
    locked = Kiosk.objects.select_for_update().get(pk=kiosk.pk)
    if not clerk.is_clerk or clerk.agency_id != locked.agency_id:
        raise SurveyError(_("Chỉ cán bộ tiếp nhận của bộ phận này mới nhận quầy được."))
    Kiosk.objects.filter(clerk=clerk).exclude(pk=locked.pk).update(clerk=None)
    locked.clerk = clerk
    locked.save(update_fields=["clerk"])
    return locked


def rating_url(dossier: Dossier) -> str:
    """The rating address mailed after the return (the receipt prints the same)."""
    query = urlencode({"ma": dossier.code, "khoa": dossier.lookup_key})
    return f"{settings.SITE_URL}{reverse('surveys:rate')}?{query}"


def invite_to_rate(*, dossier_id: int, now: dt.datetime | None = None) -> str:
    """Email the rating link to the applicant after the return, at most once.

    Returns "sent", "no-email", "not-claimed" (sent already, or another worker is
    sending) or "gone" (no such dossier: the task is queued after the return commits,
    so the row will not appear later; retrying would only keep the worker busy). A
    failed send releases the claim and raises, so the task retries.
    """
    now = now or timezone.now()
    dossier = (
        Dossier.objects.select_related("procedure", "receiving_agency")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        return "gone"
    if not dossier.applicant_email or dossier.state != State.RETURNED:
        return "no-email"
    invitation, _created = RatingInvitation.objects.get_or_create(
        dossier=dossier, defaults={"email": dossier.applicant_email, "created_at": now}
    )
    claimed = (
        RatingInvitation.objects.filter(pk=invitation.pk, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - dt.timedelta(minutes=10)))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "not-claimed"
    with override(settings.LANGUAGE_CODE):
        subject = _("Mời đánh giá mức độ hài lòng về hồ sơ %(code)s") % {"code": dossier.code}
        body = _(
            "Kính gửi Ông/Bà %(name)s,\n\n%(desk)s đã trả kết quả hồ sơ %(code)s (%(procedure)s).\n"
            "Mời Ông/Bà dành một phút đánh giá mức độ hài lòng (trong %(days)s ngày):\n%(link)s\n\n"
            "Xin cảm ơn."
        ) % {
            "name": dossier.masked_applicant_name,
            "desk": dossier.receiving_agency.desk_name or dossier.receiving_agency.name,
            "code": dossier.code,
            "procedure": dossier.procedure.name,
            "days": _setting("RATING_LINK_DAYS", 30),
            "link": rating_url(dossier),
        }
    message = EmailMessage(
        subject=f"[Một Cửa] {subject}",
        body=body,
        to=[invitation.email],
        headers={"Message-ID": f"<rating-{dossier.pk}@motcua>"},
    )
    try:
        message.send()
    except Exception as exc:
        RatingInvitation.objects.filter(pk=invitation.pk).update(
            claimed_at=None, error=str(exc)[:2000]
        )
        raise
    RatingInvitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now(), error="")
    return "sent"


# ---------------------------------------------------------------- survey templates


@transaction.atomic
def submit_survey(
    *,
    template: SurveyTemplate,
    dossier: Dossier,
    answers: dict[int, int],
    user: User | None = None,
    now: dt.datetime | None = None,
) -> SurveyResponse:
    """A filled questionnaire (citizen) or nine-criterion evaluation (staff), once per
    dossier and template. Every question must be answered within the scale."""
    Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    if template.kind == SurveyKind.QUICK:
        raise SurveyError(_("Phiếu đánh giá nhanh dùng trang đánh giá."))
    if SurveyResponse.objects.filter(template=template, dossier=dossier).exists():
        raise SurveyError(_("Hồ sơ này đã có phiếu trả lời theo mẫu này."))
    allowed = range(0, 3) if template.kind == SurveyKind.NINE_CRITERIA else range(1, 6)
    clean: dict[str, int] = {}
    for question in template.questions.all():
        score = answers.get(question.pk)
        if score is None or score not in allowed:
            raise SurveyError(
                _("Xin trả lời đủ mọi câu hỏi (câu “%(question)s” chưa có câu trả lời hợp lệ).")
                % {"question": question.text}
            )
        clean[str(question.pk)] = score
    if not clean:
        raise SurveyError(_("Mẫu phiếu chưa có câu hỏi."))
    total = sum(clean.values())
    response = SurveyResponse.objects.create(
        template=template,
        dossier=dossier,
        agency_id=dossier.receiving_agency_id,
        answers=clean,
        total=total,
        grade=template.grade(total) if template.kind == SurveyKind.NINE_CRITERIA else "",
        created_by=user if user is not None and user.is_authenticated else None,
        created_at=now or timezone.now(),
    )
    return response


# ---------------------------------------------------------------- feedback (PAKN)

# Working days the law allows for each step (docs/domain.md §8 and §11).
FEEDBACK_DAYS = {"refuse": 2, "supplement": 5, "forward": 5, "handle": 15, "publish": 2}


@dataclass(frozen=True)
class Sender:
    name: str
    address: str
    phone: str
    email: str = ""


def new_feedback_code(at: dt.datetime) -> str:
    day = timezone.localtime(at).strftime("%y%m%d")
    return f"PA-{day}-{next_number(f'feedback:{day}'):04d}"


def _feedback_event(
    feedback: Feedback,
    kind: str,
    actor: User | None,
    from_state: str,
    *,
    at: dt.datetime,
    due_at: dt.datetime | None = None,
    note: str = "",
) -> FeedbackEvent:
    on_time = None if due_at is None else at <= due_at
    if on_time is False and not feedback.late:
        feedback.late = True
        Feedback.objects.filter(pk=feedback.pk).update(late=True)
    return FeedbackEvent.objects.create(
        feedback=feedback,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_state=from_state,
        to_state=feedback.state,
        at=at,
        due_at=due_at,
        on_time=on_time,
        note=note,
    )


def _find_dossier(code: str) -> Dossier | None:
    code = (code or "").strip().upper()
    return Dossier.objects.filter(code=code).first() if code else None


@transaction.atomic
def submit_feedback(
    *,
    agency: Agency,
    topic: str,
    title: str,
    content: str,
    sender: Sender,
    dossier_code: str = "",
    channel: str = FeedbackChannel.ONLINE,
    recorded_by: User | None = None,
    now: dt.datetime | None = None,
) -> Feedback:
    """Record new feedback (awaiting intake). The intake decision is due in 2 working
    days, the answer in 15 (docs/domain.md §11)."""
    now = now or timezone.now()
    feedback = Feedback(
        code=new_feedback_code(now),
        agency=agency,
        channel=channel,
        topic=topic,
        title=title.strip(),
        content=content.strip(),
        sender_name=sender.name.strip(),
        sender_address=sender.address.strip(),
        sender_phone=sender.phone.strip(),
        sender_email=sender.email.strip(),
        dossier_code=(dossier_code or "").strip().upper(),
        dossier=_find_dossier(dossier_code),
        received_at=now,
        due_at=working_days_after(now, FEEDBACK_DAYS["refuse"], agency),
        handling_due_at=working_days_after(now, FEEDBACK_DAYS["handle"], agency),
        recorded_by=recorded_by,
    )
    try:
        feedback.full_clean()
    except ValidationError as error:
        raise SurveyError(" ".join(error.messages)) from error
    feedback.save()
    _feedback_event(feedback, "submit", recorded_by, "", at=now, note=channel)
    return feedback


@dataclass(frozen=True)
class FeedbackRule:
    """Which states an action on a feedback starts from, who may take it (a role held
    in an agency that sees the feedback's), and what a user without it is told."""

    states: tuple[str, ...]
    roles: tuple[Role, ...]
    no_role: Any


HANDLERS = (Role.CLERK, Role.OFFICER, Role.UNIT_HEAD, Role.LEADER)
NOT_A_HANDLER = _lazy("Ông/Bà không có quyền xử lý phản ánh, kiến nghị.")

# Who may do what to a feedback, in which state: one table, read by the services
# (which refuse) and by the staff page (which offers only what is allowed).
FEEDBACK_RULES: dict[str, FeedbackRule] = {
    "accept": FeedbackRule((FeedbackState.PENDING,), HANDLERS, NOT_A_HANDLER),
    "refuse": FeedbackRule((FeedbackState.PENDING,), HANDLERS, NOT_A_HANDLER),
    "forward": FeedbackRule(
        (FeedbackState.PENDING, FeedbackState.HANDLING), HANDLERS, NOT_A_HANDLER
    ),
    "request_supplement": FeedbackRule((FeedbackState.HANDLING,), HANDLERS, NOT_A_HANDLER),
    "supply": FeedbackRule((FeedbackState.SUPPLEMENT,), HANDLERS, NOT_A_HANDLER),
    "handle": FeedbackRule((FeedbackState.HANDLING,), HANDLERS, NOT_A_HANDLER),
    "publish": FeedbackRule(
        (FeedbackState.HANDLED,),
        (Role.UNIT_HEAD, Role.LEADER),
        _lazy("Chỉ lãnh đạo mới được công khai kết quả xử lý."),
    ),
}
# Which states each action starts from (the staff page's list of actions).
FEEDBACK_ACTIONS: dict[str, tuple[str, ...]] = {
    action: rule.states for action, rule in FEEDBACK_RULES.items()
}


def feedback_refusal(user: User, feedback: Feedback, action: str) -> str | None:
    """Why ``user`` may not take ``action`` on ``feedback`` now, or None."""
    if not user.can_see_agency(feedback.agency_id):
        return _("Phản ánh này không thuộc cơ quan của Ông/Bà.")
    rule = FEEDBACK_RULES[action]
    if not any(user.has_role(role) for role in rule.roles):
        return str(rule.no_role)
    if feedback.state not in rule.states:
        return _("Không thể thực hiện thao tác này khi phản ánh ở trạng thái “%(state)s”.") % {
            "state": FeedbackState(feedback.state).label
        }
    return None


def _locked_feedback(feedback: Feedback, version: int | None) -> Feedback:
    return locked(
        Feedback.objects.all(),
        feedback.pk,
        version,
        lambda fresh: StaleFeedback(
            _("Phản ánh %(code)s vừa được người khác cập nhật; trang đã được tải lại.")
            % {"code": fresh.code}
        ),
    )


def _check(user: User | None, feedback: Feedback, action: str) -> None:
    if user is None:  # the citizen's own supplement
        if feedback.state not in FEEDBACK_ACTIONS[action]:
            raise SurveyError(_("Phản ánh không ở trạng thái chờ bổ sung thông tin."))
        return
    reason = feedback_refusal(user, feedback, action)
    if reason:
        raise SurveyError(reason)


def _save_feedback(feedback: Feedback, *fields: str) -> None:
    save_versioned(feedback, *fields)


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise SurveyError(message)
    return text


def _step_due(feedback: Feedback, step: str) -> dt.datetime:
    return working_days_after(feedback.received_at, FEEDBACK_DAYS[step], feedback.agency)


@transaction.atomic
def accept_feedback(
    *,
    feedback: Feedback,
    user: User,
    classification: str,
    officer: User | None = None,
    dossier_code: str = "",
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Feedback:
    """Accept and classify (-> in handling): the agency's own competence, or the
    behaviour of one of its officers (linked to the dossier and the officer)."""
    now = now or timezone.now()
    feedback = _locked_feedback(feedback, version)
    _check(user, feedback, "accept")
    if classification not in (FeedbackClassification.OWN, FeedbackClassification.BEHAVIOUR):
        raise SurveyError(_("Xin chọn cách phân loại phản ánh."))
    if classification == FeedbackClassification.BEHAVIOUR:
        if officer is None:
            raise SurveyError(_("Phản ánh về hành vi phải ghi rõ cán bộ bị phản ánh."))
        if not user.can_see_agency(officer.agency_id or 0):
            raise SurveyError(_("Cán bộ bị phản ánh không thuộc phạm vi của Ông/Bà."))
    if dossier_code:
        dossier = _find_dossier(dossier_code)
        if dossier is None:
            raise SurveyError(_("Không có hồ sơ mang mã %(code)s.") % {"code": dossier_code})
        feedback.dossier, feedback.dossier_code = dossier, dossier.code
    due = feedback.due_at
    from_state = feedback.state
    feedback.state = FeedbackState.HANDLING
    feedback.classification = classification
    feedback.officer = officer if classification == FeedbackClassification.BEHAVIOUR else None
    feedback.due_at = feedback.handling_due_at
    _save_feedback(
        feedback, "state", "classification", "officer", "dossier", "dossier_code", "due_at"
    )
    _feedback_event(feedback, "accept", user, from_state, at=now, due_at=due)
    return feedback


def _close(feedback: Feedback, now: dt.datetime) -> None:
    feedback.due_at = None
    feedback.paused_at = None
    feedback.closed_at = now


@transaction.atomic
def refuse_feedback(
    *,
    feedback: Feedback,
    user: User,
    reason: str,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Feedback:
    """Not accepted (missing content, name, address or phone; not in Vietnamese; not
    about regulations): within 2 working days, with the reason."""
    now = now or timezone.now()
    feedback = _locked_feedback(feedback, version)
    _check(user, feedback, "refuse")
    reason = _required(reason, _("Phải ghi rõ lý do không tiếp nhận."))
    from_state = feedback.state
    feedback.state = FeedbackState.REFUSED
    feedback.classification = FeedbackClassification.REJECTED
    feedback.refusal_reason = reason
    _close(feedback, now)
    _save_feedback(
        feedback, "state", "classification", "refusal_reason", "due_at", "paused_at", "closed_at"
    )
    _feedback_event(
        feedback,
        "refuse",
        user,
        from_state,
        at=now,
        due_at=_step_due(feedback, "refuse"),
        note=reason,
    )
    return feedback


@transaction.atomic
def forward_feedback(
    *,
    feedback: Feedback,
    user: User,
    to_agency: Agency | None = None,
    to_name: str = "",
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Feedback:
    """Outside our competence: forward within 5 working days. Forwarded to an agency
    in the system, a copy awaits intake there, followed with the same key."""
    now = now or timezone.now()
    feedback = _locked_feedback(feedback, version)
    _check(user, feedback, "forward")
    to_name = (to_name or "").strip()
    if to_agency is None and not to_name:
        raise SurveyError(_("Phải chọn hoặc ghi rõ cơ quan có thẩm quyền."))
    if to_agency is not None and to_agency.pk == feedback.agency_id:
        raise SurveyError(_("Không thể chuyển phản ánh cho chính cơ quan đang xử lý."))
    from_state = feedback.state
    feedback.state = FeedbackState.FORWARDED
    feedback.classification = FeedbackClassification.OUTSIDE
    feedback.forwarded_to = to_agency
    feedback.forwarded_to_name = to_name if to_agency is None else to_agency.name
    _close(feedback, now)
    _save_feedback(
        feedback,
        "state",
        "classification",
        "forwarded_to",
        "forwarded_to_name",
        "due_at",
        "paused_at",
        "closed_at",
    )
    _feedback_event(
        feedback,
        "forward",
        user,
        from_state,
        at=now,
        due_at=_step_due(feedback, "forward"),
        note=feedback.forwarded_to_name,
    )
    if to_agency is not None:
        copy = Feedback.objects.create(
            code=new_feedback_code(now),
            lookup_key=feedback.lookup_key,
            agency=to_agency,
            channel=feedback.channel,
            topic=feedback.topic,
            title=feedback.title,
            content=feedback.content,
            sender_name=feedback.sender_name,
            sender_address=feedback.sender_address,
            sender_phone=feedback.sender_phone,
            sender_email=feedback.sender_email,
            dossier=feedback.dossier,
            dossier_code=feedback.dossier_code,
            received_at=now,
            due_at=working_days_after(now, FEEDBACK_DAYS["refuse"], to_agency),
            handling_due_at=working_days_after(now, FEEDBACK_DAYS["handle"], to_agency),
            forwarded_from=feedback,
            recorded_by=user,
        )
        _feedback_event(copy, "submit", user, "", at=now, note=feedback.code)
    return feedback


@transaction.atomic
def request_feedback_supplement(
    *,
    feedback: Feedback,
    user: User,
    request_text: str,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Feedback:
    """Ask the sender for more information (within 5 working days of receipt);
    the handling clock stops until they answer."""
    now = now or timezone.now()
    feedback = _locked_feedback(feedback, version)
    _check(user, feedback, "request_supplement")
    request_text = _required(request_text, _("Phải ghi rõ thông tin cần bổ sung."))
    from_state = feedback.state
    feedback.state = FeedbackState.SUPPLEMENT
    feedback.supplement_request = request_text
    feedback.paused_at = now
    feedback.due_at = None
    _save_feedback(feedback, "state", "supplement_request", "paused_at", "due_at")
    _feedback_event(
        feedback,
        "request_supplement",
        user,
        from_state,
        at=now,
        due_at=_step_due(feedback, "supplement"),
        note=request_text,
    )
    return feedback


@transaction.atomic
def supply_feedback(
    *,
    feedback: Feedback,
    reply: str,
    user: User | None = None,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Feedback:
    """The sender's answer (on the follow page, or recorded by staff): handling
    resumes and its deadline moves by the working time spent waiting."""
    now = now or timezone.now()
    feedback = _locked_feedback(feedback, version)
    _check(user, feedback, "supply")
    reply = _required(reply, _("Xin nhập thông tin bổ sung."))
    if len(reply) > 5000:
        raise SurveyError(_("Thông tin bổ sung dài quá 5.000 ký tự."))
    hours = WorkingHours.for_agency(feedback.agency)
    calendar = calendar_for(feedback.paused_at, now)
    waited = working_hours_between(feedback.paused_at, now, hours=hours, calendar=calendar)
    if waited > 0 and feedback.handling_due_at is not None:
        feedback.handling_due_at = add_working_time(
            feedback.handling_due_at, Decimal(waited), hours=hours, calendar=calendar
        )
    from_state = feedback.state
    feedback.state = FeedbackState.HANDLING
    feedback.supplement_reply = reply
    feedback.paused_at = None
    feedback.due_at = feedback.handling_due_at
    _save_feedback(feedback, "state", "supplement_reply", "paused_at", "due_at", "handling_due_at")
    _feedback_event(feedback, "supply", user, from_state, at=now, note=reply)
    return feedback


@transaction.atomic
def handle_feedback(
    *,
    feedback: Feedback,
    user: User,
    answer: str,
    unfounded: bool = False,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Feedback:
    """The answer (within 15 working days, pauses excluded); publication is then due
    within 2 working days. ``unfounded``: a behaviour complaint proved untrue no
    longer counts against the officer (docs/domain.md §9)."""
    now = now or timezone.now()
    feedback = _locked_feedback(feedback, version)
    _check(user, feedback, "handle")
    answer = _required(answer, _("Phải nhập kết quả xử lý."))
    due = feedback.handling_due_at
    from_state = feedback.state
    feedback.state = FeedbackState.HANDLED
    feedback.answer = answer
    feedback.unfounded = bool(unfounded)
    feedback.handled_at = now
    feedback.due_at = working_days_after(now, FEEDBACK_DAYS["publish"], feedback.agency)
    _save_feedback(feedback, "state", "answer", "unfounded", "handled_at", "due_at")
    _feedback_event(feedback, "handle", user, from_state, at=now, due_at=due)
    return feedback


@transaction.atomic
def publish_feedback(
    *,
    feedback: Feedback,
    user: User,
    public_question: str,
    public_answer: str,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Feedback:
    """Publish the result (within 2 working days of handling) on the public page, in
    words a leader has checked to contain no personal data."""
    now = now or timezone.now()
    feedback = _locked_feedback(feedback, version)
    _check(user, feedback, "publish")
    public_question = _required(public_question, _("Phải nhập nội dung công khai."))
    public_answer = _required(public_answer, _("Phải nhập kết quả công khai."))
    for value in (feedback.sender_name, feedback.sender_phone, feedback.sender_address):
        if (
            value
            and len(value) >= 4
            and value.lower() in f"{public_question} {public_answer}".lower()
        ):
            raise SurveyError(
                _("Nội dung công khai còn chứa thông tin cá nhân của người phản ánh; xin bỏ đi.")
            )
    due = feedback.due_at
    from_state = feedback.state
    feedback.state = FeedbackState.PUBLISHED
    feedback.public_question = public_question
    feedback.public_answer = public_answer
    feedback.published_at = now
    _close(feedback, now)
    _save_feedback(
        feedback,
        "state",
        "public_question",
        "public_answer",
        "published_at",
        "due_at",
        "paused_at",
        "closed_at",
    )
    _feedback_event(feedback, "publish", user, from_state, at=now, due_at=due)
    return feedback


# ---------------------------------------------------------------- overdue feedback

FEEDBACK_SCAN = "feedback"
MAX_CATCH_UP = dt.timedelta(days=3)


def feedback_recipients(feedback: Feedback) -> list[User]:
    """The agency's unit heads and leaders; its clerks if it has neither."""
    staff = User.objects.filter(agency_id=feedback.agency_id, is_active=True)
    heads = list(staff.filter(Q(is_unit_head=True) | Q(is_leader=True)))
    return heads or list(staff.filter(is_clerk=True))


def scan_feedback_deadlines(*, now: dt.datetime | None = None) -> int:
    """Alert for every feedback whose running deadline passed since the last scan.

    The window (last scan, now] is kept in a locked ``ScanMark`` row, so the scan
    costs what crossed, not what is open; each alert is recorded once per feedback
    and deadline by desk.alerts.notify_once, so a rerun never repeats one.
    Returns how many feedback items were notified.
    """
    from desk.alerts import notify_once
    from desk.models import AlertKind

    now = now or timezone.now()
    with transaction.atomic():
        mark, _created = ScanMark.objects.select_for_update().get_or_create(
            name=FEEDBACK_SCAN, defaults={"scanned_until": now - MAX_CATCH_UP}
        )
        since = max(mark.scanned_until, now - MAX_CATCH_UP)
        crossed = list(
            Feedback.objects.filter(
                state__in=OPEN_FEEDBACK_STATES, due_at__gt=since, due_at__lte=now
            ).select_related("agency")
        )
        mark.scanned_until = now
        mark.save(update_fields=["scanned_until"])
        notified = 0
        for feedback in crossed:
            with override(settings.LANGUAGE_CODE):
                title = _("Phản ánh, kiến nghị %(code)s quá hạn (%(state)s)") % {
                    "code": feedback.code,
                    "state": FeedbackState(feedback.state).label,
                }
                body = _("“%(title)s”: hạn %(due)s đã qua.") % {
                    "title": feedback.title,
                    "due": timezone.localtime(feedback.due_at).strftime("%H:%M %d/%m/%Y"),
                }
            ids = notify_once(
                subject=f"surveys.feedback:{feedback.pk}",
                kind=AlertKind.FEEDBACK_OVERDUE,
                deadline_at=feedback.due_at,
                recipients=feedback_recipients(feedback),
                title=title,
                body=body,
                link=f"/phan-anh/quan-ly/{feedback.pk}/",
                now=now,
            )
            notified += 1 if ids else 0
    return notified
