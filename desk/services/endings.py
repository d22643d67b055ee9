"""How a dossier ends or comes back: the applicant's withdrawal (-> 7), processing
stopped (-> 8, form 05), the result returned (9 -> 10), and an administrator's
correction of a return (10 -> 9)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.models import User
from procedures.workflow import save_versioned

from .. import stats
from ..clock import judge
from ..hooks import ON_RESULT_RETURNED
from ..models import Delivery, Dossier, EventKind, State
from ..permissions import Action
from .common import ActionRefused, acting_on, record_event, required
from .processing import close_open_step, due_for_judging


@transaction.atomic
def request_withdrawal(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    channel_note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """The applicant asks to withdraw before any result exists (-> 7)."""
    dossier = acting_on(dossier, version, user, Action.REQUEST_WITHDRAWAL)
    if dossier.result_number:
        raise ActionRefused(_("Hồ sơ đã có kết quả; không thể rút."))
    from_state = dossier.state
    dossier.state = State.WITHDRAWAL_REQUESTED
    save_versioned(dossier, "state")
    record_event(
        dossier,
        EventKind.REQUEST_WITHDRAWAL,
        user,
        from_state,
        at=at or timezone.now(),
        note=channel_note.strip(),
    )
    return dossier


@transaction.atomic
def stop_dossier(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    reason: str,
    at: dt.datetime | None = None,
) -> Dossier:
    """Stop processing (5/7 -> 8, form 05): after a withdrawal, or when the applicant
    never supplied what was asked."""
    dossier = acting_on(dossier, version, user, Action.STOP)
    reason = required(reason, _("Phải ghi rõ lý do dừng xử lý."))
    now = at or timezone.now()
    from_state = dossier.state
    close_open_step(dossier, now)
    # An online registration withdrawn before the desk received it never had a term:
    # it is not judged (and not counted in on-time rates).
    dossier.timeliness = (
        judge(now, due_for_judging(dossier, now)) if dossier.received_at is not None else ""
    )
    dossier.state = State.STOPPED
    dossier.paused_at = None
    dossier.finished_at = now
    save_versioned(dossier, "state", "paused_at", "finished_at", "timeliness")
    record_event(
        dossier,
        EventKind.STOP,
        user,
        from_state,
        at=now,
        note=reason,
        data={"state_at_stop": from_state},
    )
    stats.finished(dossier)
    return dossier


@transaction.atomic
def return_result(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    identity_checked: bool,
    delivery: str,
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """Hand the result over (9 -> 10) after checking identity and power of attorney."""
    dossier = acting_on(dossier, version, user, Action.RETURN)
    if not identity_checked:
        raise ActionRefused(
            _(
                "Phải kiểm tra giấy tờ tùy thân (và giấy ủy quyền nếu nhận thay) trước khi trả kết quả."
            )
        )
    if delivery not in Delivery.values:
        raise ActionRefused(_("Hình thức trả kết quả không hợp lệ."))
    at = at or timezone.now()
    dossier.state = State.RETURNED
    dossier.returned_at = at
    dossier.delivery = delivery
    save_versioned(dossier, "state", "returned_at", "delivery")
    record_event(
        dossier,
        EventKind.RETURN,
        user,
        State.PROCESSED,
        at=at,
        note=note.strip(),
        data={"delivery": delivery},
    )
    # Apps that build on the desk (surveys: the rating invitation) hear of it after commit.
    dossier_id = dossier.pk
    transaction.on_commit(lambda: ON_RESULT_RETURNED.call(dossier_id))
    return dossier


@transaction.atomic
def correct_returned(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    reason: str,
    at: dt.datetime | None = None,
) -> Dossier:
    """An administrator moves a returned dossier back to processed (10 -> 9), audited."""
    dossier = acting_on(dossier, version, user, Action.CORRECT)
    reason = required(reason, _("Phải ghi rõ lý do điều chỉnh."))
    dossier.state = State.PROCESSED
    dossier.returned_at = None
    save_versioned(dossier, "state", "returned_at")
    record_event(
        dossier, EventKind.CORRECT, user, State.RETURNED, at=at or timezone.now(), note=reason
    )
    return dossier
