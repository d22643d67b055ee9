"""Processing: hand-overs between units (the control slip's rows), each step's
deadline and its judging, the due date moving with the open step, and the result
signed (4 -> 9)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.models import Agency, Role, TimeUnit, User
from procedures.workflow import save_versioned

from .. import stats
from ..clock import calendar_for, judge
from ..deadlines import Deadline, WorkCalendar, WorkingHours, compute_due
from ..models import ApologyStatus, Dossier, DossierEvent, EventKind, State
from ..permissions import Action
from .common import (
    ActionRefused,
    acting_on,
    deadline_for,
    record_event,
    required,
    supplement_pauses,
    term_variant,
)

# ---------------------------------------------------------------- step deadlines


def step_due(
    dossier: Dossier,
    index: int,
    *,
    calendar: WorkCalendar | None = None,
    now: dt.datetime | None = None,
) -> dt.datetime | None:
    """The deadline of the dossier's ``index``-th processing step (0: the first
    hand-over), from the procedure's internal steps (procedures.ProcedureStep).

    Receipt plus the working hours of steps 0..index, moved by the supplement pauses
    that ended, capped at the dossier's due date; the last step, a hand-over beyond
    the listed steps, or a term not in working days or hours runs to the due date.
    """
    due = dossier.due_at
    steps = list(dossier.procedure.internal_steps.all())
    if index >= len(steps) - 1 or dossier.received_at is None:
        return due
    variant = term_variant(dossier.procedure, dossier.variant)
    if variant.time_unit not in (TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS):
        return due
    hours = WorkingHours.for_agency(dossier.receiving_agency)
    per_unit = (
        Decimal(hours.day_seconds) / 3600 if variant.time_unit == TimeUnit.WORKING_DAYS else 1
    )
    term = Decimal(variant.time_value) * per_unit
    planned = sum(step.working_hours for step in steps)
    elapsed = sum(step.working_hours for step in steps[: index + 1])
    if planned > term:  # a shorter case shares its term in the same proportions
        elapsed = elapsed * term / planned
    deadline = compute_due(
        dossier.received_at,
        elapsed,
        TimeUnit.WORKING_HOURS,
        hours=hours,
        calendar=calendar or calendar_for(dossier.received_at, now),
        pauses=supplement_pauses(dossier, count_open_pause=False),
        restart_after_pause=dossier.procedure.restart_term_after_supplement,
        now=now,
    )
    return min(deadline.due_at, due) if due is not None else deadline.due_at


def move_step_deadline(
    dossier: Dossier, before: dt.datetime | None, after: dt.datetime | None
) -> None:
    """When the due date moves (supplement, on-time apology, calendar change), the step
    that runs to it moves too: hand_over gives a unit's step the dossier's due date, and
    the control slip judges the step against its row's ``step_due_at``. The caller saves
    ``current_step_due_at``."""
    if before is None or before == after:
        return
    if dossier.current_step_due_at == before:
        dossier.current_step_due_at = after
    dossier.events.filter(
        kind=EventKind.HAND_OVER, step_finished_at__isnull=True, step_due_at=before
    ).update(step_due_at=after)


def _open_step(dossier: Dossier) -> DossierEvent | None:
    """The step running now: the latest hand-over not yet finished."""
    return (
        dossier.events.filter(kind=EventKind.HAND_OVER, step_finished_at__isnull=True)
        .order_by("-at", "-pk")
        .first()
    )


def _refresh_step_deadline(
    dossier: Dossier, before: dt.datetime | None, calendar: WorkCalendar | None = None
) -> None:
    """After a pause ended or the calendar changed: the open step's deadline follows.
    A step of its own (an internal step) is recomputed; a step running to the due
    date moves with it. The caller saves ``current_step_due_at``."""
    step = _open_step(dossier)
    index = step.data.get("step") if step is not None else None
    if step is None or index is None or step.step_due_at == before:
        move_step_deadline(dossier, before, dossier.due_at)
        return
    new_step_due = step_due(dossier, index, calendar=calendar)
    if new_step_due != step.step_due_at:
        step.step_due_at = new_step_due
        step.save(update_fields=["step_due_at"])
    dossier.current_step_due_at = new_step_due


def apply_deadline(
    dossier: Dossier, deadline: Deadline, calendar: WorkCalendar | None = None
) -> dict[str, Any]:
    """The due date moves to ``deadline`` (a supplement arrived, the calendar
    changed): the original follows unless an apology extended it, and so does the
    open step. The caller saves ``due_at``, ``original_due_at`` and
    ``current_step_due_at``. Returns what the timeline event records of the move."""
    before = dossier.due_at
    dossier.due_at = deadline.due_at
    if not dossier.extended:
        dossier.original_due_at = deadline.original_due_at
    _refresh_step_deadline(dossier, before, calendar)
    return {
        "due_before": before.isoformat() if before else None,
        "due_after": deadline.due_at.isoformat(),
        "explanation": deadline.explain(),
    }


def _finish_step(step: DossierEvent, at: dt.datetime) -> None:
    step.step_finished_at = at
    step.step_timeliness = judge(at, step.step_due_at)
    step.save(update_fields=["step_finished_at", "step_timeliness"])


def close_open_step(dossier: Dossier, at: dt.datetime) -> None:
    """Judge the step that ends now (the latest hand-over not yet finished)."""
    step = _open_step(dossier)
    if step is not None:
        _finish_step(step, at)


def _close_open_step_or_desk(dossier: Dossier, at: dt.datetime) -> None:
    """End the current step: the desk's receipt step or the latest hand-over."""
    receipt = dossier.events.filter(kind=EventKind.RECEIVE, step_finished_at__isnull=True).first()
    if receipt is not None:
        _finish_step(receipt, at)
    close_open_step(dossier, at)


def due_for_judging(dossier: Dossier, at: dt.datetime) -> dt.datetime | None:
    """The date an ending at ``at`` is judged against (docs/domain.md §5, on-time test).

    The moved date counts only if the apology was issued on time; a dossier stopped
    while waiting for a supplement had its clock stopped, so the wait so far is added.
    """
    late_apology = dossier.apologies.filter(status=ApologyStatus.APPROVED, is_late=True).first()
    if dossier.paused_at is not None:
        deadline = deadline_for(dossier, now=at)
        return deadline.original_due_at if late_apology else deadline.due_at
    if late_apology is not None:
        return late_apology.original_due_at
    return dossier.due_at


# ---------------------------------------------------------------- hand-overs and the result


def hand_over_targets(dossier: Dossier) -> list[Agency]:
    """Units a dossier may be handed to: the desk's and the holder's subtrees and the
    agencies that implement the procedure."""
    ids = Agency.objects.subtree_ids(dossier.receiving_agency_id) | Agency.objects.subtree_ids(
        dossier.current_agency_id
    )
    ids |= set(dossier.procedure.agencies.values_list("pk", flat=True))
    return list(Agency.objects.filter(pk__in=ids, is_active=True).order_by("name"))


@transaction.atomic
def hand_over(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    to_agency: Agency,
    to_user: User | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """Pass the dossier to the next unit or officer (2 -> 4, 4 -> 4): a control-slip row."""
    dossier = acting_on(dossier, version, user, Action.HAND_OVER)
    if to_agency.pk not in {a.pk for a in hand_over_targets(dossier)}:
        raise ActionRefused(_("Không thể chuyển hồ sơ đến đơn vị này."))
    if to_user is not None and (
        to_user.agency_id != to_agency.pk
        or not (to_user.has_role(Role.OFFICER) or to_user.has_role(Role.UNIT_HEAD))
    ):
        raise ActionRefused(_("Người nhận phải là cán bộ xử lý hoặc lãnh đạo của đơn vị nhận."))
    at = at or timezone.now()
    from_state = dossier.state
    _close_open_step_or_desk(dossier, at)
    from_agency, from_user = dossier.current_agency, dossier.current_holder
    dossier.state = State.PROCESSING
    dossier.current_agency = to_agency
    dossier.current_holder = to_user
    # The n-th hand-over starts the procedure's n-th internal step (if it has steps).
    index = dossier.events.filter(kind=EventKind.HAND_OVER).count()
    dossier.current_step_due_at = step_due(dossier, index, now=at)
    save_versioned(dossier, "state", "current_agency", "current_holder", "current_step_due_at")
    record_event(
        dossier,
        EventKind.HAND_OVER,
        user,
        from_state,
        at=at,
        from_agency=from_agency,
        to_agency=to_agency,
        from_user=from_user,
        to_user=to_user,
        step_due_at=dossier.current_step_due_at,
        note=note.strip(),
        data={"step": index},
    )
    return dossier


@transaction.atomic
def complete_dossier(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    result_number: str,
    result_signer: str,
    result_summary: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """The result is signed (4 -> 9); early completion is visible in the timeline."""
    dossier = acting_on(dossier, version, user, Action.COMPLETE)
    result_number = required(result_number, _("Phải nhập số, ký hiệu của kết quả."))
    result_signer = required(result_signer, _("Phải nhập người ký kết quả."))
    at = at or timezone.now()
    close_open_step(dossier, at)
    dossier.state = State.PROCESSED
    dossier.result_number = result_number
    dossier.result_signer = result_signer
    dossier.result_summary = result_summary.strip()
    dossier.finished_at = at
    dossier.timeliness = judge(at, due_for_judging(dossier, at))
    dossier.current_agency = dossier.receiving_agency  # the result goes back to the desk
    dossier.current_holder = None
    save_versioned(
        dossier,
        "state",
        "result_number",
        "result_signer",
        "result_summary",
        "finished_at",
        "timeliness",
        "current_agency",
        "current_holder",
    )
    record_event(
        dossier,
        EventKind.COMPLETE,
        user,
        State.PROCESSING,
        at=at,
        to_agency=dossier.receiving_agency,
        data={"timeliness": dossier.timeliness},
    )
    stats.finished(dossier)
    return dossier
