"""The apology (form 04; docs/domain.md §5): drafted when a dossier is about to be
late, signed by the unit head, moving the appointment once. Its latest on-time
moment is the clock's rule (desk/clock.py, ``apology_deadline``)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.redis import enqueue_after_commit
from procedures.models import Role, User
from procedures.workflow import save_versioned

from .. import stats
from ..clock import apology_deadline, calendar_for
from ..models import ApologyLetter, ApologyStatus, Dossier, EventKind, State
from ..permissions import Action
from .common import ActionRefused, acting_on, locked_dossier, record_event, required
from .processing import move_step_deadline

DRAFTABLE_STATES = (State.RECEIVED, State.PROCESSING, State.AWAITING_PAYMENT)


def _refuse_second_extension(dossier: Dossier) -> None:
    if dossier.apologies.filter(status=ApologyStatus.APPROVED).exists():
        raise ActionRefused(_("Hồ sơ đã được gia hạn một lần; không gia hạn lần thứ hai."))


@transaction.atomic
def draft_apology(
    *, dossier: Dossier, user: User | None = None, at: dt.datetime | None = None
) -> ApologyLetter:
    """Prepare form 04 for the unit head (or return the draft that already exists).

    The clock scan drafts without a user; a person drafting must be an officer or the
    head of the unit holding the dossier. Only a dossier whose clock runs (received,
    in processing, awaiting payment) can need an apology.
    """
    dossier = locked_dossier(dossier, None)
    if dossier.state not in DRAFTABLE_STATES:
        raise ActionRefused(
            _("Không thể soạn văn bản xin lỗi khi hồ sơ đang ở trạng thái “%(state)s”.")
            % {"state": State(dossier.state).label}
        )
    if user is not None and not (
        user.agency_id == dossier.current_agency_id
        and (user.has_role(Role.OFFICER) or user.has_role(Role.UNIT_HEAD))
    ):
        raise ActionRefused(
            _("Chỉ cán bộ xử lý hoặc lãnh đạo đơn vị đang giữ hồ sơ được soạn văn bản xin lỗi.")
        )
    existing = dossier.apologies.filter(status=ApologyStatus.DRAFT).first()
    if existing is not None:
        return existing
    _refuse_second_extension(dossier)
    return ApologyLetter.objects.create(
        dossier=dossier,
        agency=dossier.current_agency,
        # A dossier in a drafting state has a term (received, its clock running).
        original_due_at=dossier.due_at,  # type: ignore[misc]
        drafted_by=user,
        drafted_at=at or timezone.now(),
    )


@transaction.atomic
def approve_apology(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    reason: str,
    new_due_at: dt.datetime,
    at: dt.datetime | None = None,
) -> ApologyLetter:
    """The unit head signs the apology: the appointment moves once; the original is kept.

    Issued later than one working day before the due date it is still allowed (the
    citizen must be told) but flagged late.
    """
    dossier = acting_on(dossier, version, user, Action.APOLOGISE)
    reason = required(reason, _("Phải ghi rõ lý do chậm trễ."))
    _refuse_second_extension(dossier)
    at = at or timezone.now()
    if new_due_at is None or dossier.due_at is None or new_due_at <= dossier.due_at:
        raise ActionRefused(_("Ngày hẹn mới phải sau ngày hẹn hiện tại."))
    # An appointment is to the minute (the engine drops seconds: a stray one would make
    # every calendar recompute see a "change").
    new_due_at = new_due_at.replace(second=0, microsecond=0)
    calendar = calendar_for(at, new_due_at)
    if not calendar.is_working_day(timezone.localtime(new_due_at).date()):
        raise ActionRefused(_("Ngày hẹn mới phải là ngày làm việc."))
    letter = dossier.apologies.filter(status=ApologyStatus.DRAFT).first() or ApologyLetter(
        dossier=dossier, agency=dossier.current_agency, original_due_at=dossier.due_at
    )
    letter.reason = reason
    letter.new_due_at = new_due_at
    letter.status = ApologyStatus.APPROVED
    letter.signed_by = user
    letter.signed_at = at
    letter.original_due_at = dossier.due_at
    limit = apology_deadline(dossier, calendar)
    letter.is_late = limit is not None and at > limit
    letter.save()
    if not letter.is_late:  # a late apology does not excuse the step either
        move_step_deadline(dossier, dossier.due_at, new_due_at)
    dossier.due_at = new_due_at
    dossier.extended = True
    save_versioned(dossier, "due_at", "current_step_due_at", "extended")
    stats.apology_signed(dossier, letter)
    letter_id = letter.pk

    # Store form 04 and email the applicant after commit (desk/alerts/). Broker
    # down: the PDF still renders on demand from the page, and the outbox sweep
    # (desk.tasks.deliver_pending) finishes the letter.
    enqueue_after_commit("desk.tasks.finalize_apology", letter_id, what=f"apology {letter_id}")
    record_event(
        dossier,
        EventKind.APOLOGISE,
        user,
        dossier.state,
        at=at,
        note=reason,
        data={
            "original_due_at": letter.original_due_at.isoformat(),
            "new_due_at": new_due_at.isoformat(),
            "late": letter.is_late,
            "apology_id": letter.pk,
        },
    )
    return letter
