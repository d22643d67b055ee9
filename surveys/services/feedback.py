"""Feedback (phản ánh, kiến nghị, PAKN): its intake, its steps and their deadlines,
who may take each step, and the scan that alerts on overdue ones.

Each step is one transaction that locks the feedback, validates, writes and records
the step as a ``FeedbackEvent``.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import override

from desk.clock import working_days_after
from desk.deadlines import WorkingHours, add_working_time, working_hours_between
from desk.models import Dossier, ScanMark
from desk.services import calendar_for, next_number
from procedures.models import Agency, Role, User
from procedures.permissions import ANYWHERE, Place, Rule, Table
from procedures.workflow import locked, save_versioned

from ..models import (
    OPEN_FEEDBACK_STATES,
    Feedback,
    FeedbackChannel,
    FeedbackClassification,
    FeedbackEvent,
    FeedbackState,
)
from .base import StaleFeedback, SurveyError

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


class FeedbackAction(StrEnum):
    ACCEPT = "accept"
    REFUSE = "refuse"
    FORWARD = "forward"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLY = "supply"
    HANDLE = "handle"
    PUBLISH = "publish"


# Who may handle a feedback: a role held in any agency (the feedback's agency must
# be one the user sees: the table's scope, checked first).
HANDLERS = tuple(
    (role, ANYWHERE) for role in (Role.CLERK, Role.OFFICER, Role.UNIT_HEAD, Role.LEADER)
)
LEADERS = tuple((role, ANYWHERE) for role in (Role.UNIT_HEAD, Role.LEADER))

# Who may do what to a feedback, in which state: one table, read by the services
# (which refuse) and by the staff page (which offers only what is allowed).
FEEDBACK_RULES: Table[FeedbackAction] = Table(
    {
        FeedbackAction.ACCEPT: Rule((FeedbackState.PENDING,), HANDLERS),
        FeedbackAction.REFUSE: Rule((FeedbackState.PENDING,), HANDLERS),
        FeedbackAction.FORWARD: Rule((FeedbackState.PENDING, FeedbackState.HANDLING), HANDLERS),
        FeedbackAction.REQUEST_SUPPLEMENT: Rule((FeedbackState.HANDLING,), HANDLERS),
        FeedbackAction.SUPPLY: Rule((FeedbackState.SUPPLEMENT,), HANDLERS),
        FeedbackAction.HANDLE: Rule((FeedbackState.HANDLING,), HANDLERS),
        FeedbackAction.PUBLISH: Rule(
            (FeedbackState.HANDLED,),
            LEADERS,
            refused=_lazy("Chỉ lãnh đạo mới được công khai kết quả xử lý."),
        ),
    },
    state_label=lambda state: FeedbackState(state).label,
    scope=Place("the feedback's agency", lambda user, fb: user.can_see_agency(fb.agency_id)),
    out_of_scope=_lazy("Phản ánh này không thuộc cơ quan của Ông/Bà."),
    refused=_lazy("Ông/Bà không có quyền xử lý phản ánh, kiến nghị."),
    wrong_state=_lazy("Không thể thực hiện thao tác này khi phản ánh ở trạng thái “%(state)s”."),
    who_first=True,
)
# Which states each action starts from (the staff page's list of actions).
FEEDBACK_ACTIONS: dict[str, tuple[str, ...]] = {
    action: rule.states for action, rule in FEEDBACK_RULES.items()
}
feedback_refusal = FEEDBACK_RULES.refusal  # (user, feedback, action) -> the reason, or None


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


def _take_step(
    feedback: Feedback,
    kind: str,
    actor: User | None,
    to_state: str,
    *,
    at: dt.datetime,
    step_due: dt.datetime | None = None,
    note: str = "",
    **changes: Any,
) -> Feedback:
    """The end of every step, once its checks have passed: ``feedback`` moves to
    ``to_state`` with ``changes`` (field name -> value), saved against the version
    read, and the step is recorded, on time if taken by ``step_due``."""
    from_state = feedback.state
    feedback.state = to_state
    for name, value in changes.items():
        setattr(feedback, name, value)
    _save_feedback(feedback, "state", *changes)
    _feedback_event(feedback, kind, actor, from_state, at=at, due_at=step_due, note=note)
    return feedback


def _closed(now: dt.datetime) -> dict[str, Any]:
    """The changes that close a feedback: no running deadline, no pause."""
    return {"due_at": None, "paused_at": None, "closed_at": now}


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
    return _take_step(
        feedback,
        "accept",
        user,
        FeedbackState.HANDLING,
        at=now,
        step_due=feedback.due_at,
        classification=classification,
        officer=officer if classification == FeedbackClassification.BEHAVIOUR else None,
        dossier=feedback.dossier,
        dossier_code=feedback.dossier_code,
        due_at=feedback.handling_due_at,
    )


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
    return _take_step(
        feedback,
        "refuse",
        user,
        FeedbackState.REFUSED,
        at=now,
        step_due=_step_due(feedback, "refuse"),
        note=reason,
        **_closed(now),
        classification=FeedbackClassification.REJECTED,
        refusal_reason=reason,
    )


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
    forwarded_to_name = to_name if to_agency is None else to_agency.name
    _take_step(
        feedback,
        "forward",
        user,
        FeedbackState.FORWARDED,
        at=now,
        step_due=_step_due(feedback, "forward"),
        note=forwarded_to_name,
        **_closed(now),
        classification=FeedbackClassification.OUTSIDE,
        forwarded_to=to_agency,
        forwarded_to_name=forwarded_to_name,
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
    return _take_step(
        feedback,
        "request_supplement",
        user,
        FeedbackState.SUPPLEMENT,
        at=now,
        step_due=_step_due(feedback, "supplement"),
        note=request_text,
        supplement_request=request_text,
        paused_at=now,
        due_at=None,
    )


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
    handling_due_at = feedback.handling_due_at
    if waited > 0 and handling_due_at is not None:
        handling_due_at = add_working_time(
            handling_due_at, Decimal(waited), hours=hours, calendar=calendar
        )
    return _take_step(
        feedback,
        "supply",
        user,
        FeedbackState.HANDLING,
        at=now,
        note=reply,
        supplement_reply=reply,
        paused_at=None,
        due_at=handling_due_at,
        handling_due_at=handling_due_at,
    )


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
    return _take_step(
        feedback,
        "handle",
        user,
        FeedbackState.HANDLED,
        at=now,
        step_due=feedback.handling_due_at,
        answer=answer,
        unfounded=bool(unfounded),
        handled_at=now,
        due_at=working_days_after(now, FEEDBACK_DAYS["publish"], feedback.agency),
    )


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
    return _take_step(
        feedback,
        "publish",
        user,
        FeedbackState.PUBLISHED,
        at=now,
        step_due=feedback.due_at,
        **_closed(now),
        public_question=public_question,
        public_answer=public_answer,
        published_at=now,
    )


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

    from ..alert_kinds import AlertKind

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
