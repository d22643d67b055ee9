"""The dossier's clock: the rules about a dossier's time written once.

- **Late for the indicators** (Decision 766, docs/domain.md §8, progress and
  satisfaction): finished after its due date, or more than one supplement
  request, whatever its finish. The dashboard (desk/stats.py, desk/dashboard/)
  and the satisfaction indicator (surveys/results.py) both read it here, so the two
  pages report the same late dossiers (tests/test_late_for_indicators.py).
- **Due soon**: running (open, not paused), not yet due, and due within one
  working day of its agency from now (``DUE_SOON_WORKING_DAYS``). The dossier
  page's badge, the queues' "Sắp đến hạn" tab and the "due soon" alert all use
  ``due_soon_until``; the queryset form is ``Dossier.objects.due_before``.
- **N working days after** a moment, for the steps the law counts in working days
  outside a dossier's own term (feedback steps, inspection follow-ups): the term
  rule of ``compute_due`` (a start outside working hours counts from the next
  opening), on the agency's hours and the database calendar.
- **Early, on time or late** (docs/domain.md §5): ``judge``, for a dossier's
  ending and for each step of its control slip.
- **The desk's step**: handed over the same working day, or the next morning when
  received after ``HAND_OVER_CUTOFF`` (``desk_step_due``).
- **The apology's latest on-time moment**: one working day before the due date
  (``apology_deadline``).

A dossier's own due date and its steps' (``deadline_for``, ``step_due``) are
computed by desk/services/common.py and desk/services/processing.py with this
module's calendar: they refuse a procedure without a time limit with the
services' ``ActionRefused``.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from procedures.models import Agency, TimeUnit

from .deadlines import WorkCalendar, WorkingHours, add_working_time, compute_due
from .models import Dossier, Timeliness

# docs/domain.md §5: the desk hands a dossier over the same day, or the next morning
# if it was received after this time.
HAND_OVER_CUTOFF = dt.time(15, 0)

# How far ahead "due soon" looks, in working days of the dossier's agency.
DUE_SOON_WORKING_DAYS = 1


def due_soon_until(now: dt.datetime, hours: WorkingHours, calendar: WorkCalendar) -> dt.datetime:
    """A dossier due before this moment (and not before ``now``) is due soon."""
    working_hours = DUE_SOON_WORKING_DAYS * hours.day_seconds / 3600
    return add_working_time(now, working_hours, hours=hours, calendar=calendar)


def is_due_soon(dossier: Dossier, now: dt.datetime, until: dt.datetime) -> bool:
    """``Dossier.objects.due_before(until, now)`` for one dossier in hand."""
    due = dossier.due_at
    return due is not None and dossier.is_open and not dossier.is_paused and now <= due < until


def late_for_indicators() -> Q:
    """The dossiers late for the indicators, as a filter."""
    return Q(timeliness=Timeliness.LATE) | Q(supplement_count__gt=1)


def is_late_for_indicators(dossier: Dossier) -> bool:
    """The same rule for one dossier in hand."""
    return dossier.timeliness == Timeliness.LATE or dossier.supplement_count > 1


def calendar_for(*moments: dt.datetime | None) -> WorkCalendar:
    """A database calendar preloaded for the years around ``moments``."""
    years = [timezone.localtime(m).year for m in moments if m is not None] or [
        timezone.localtime().year
    ]
    calendar = WorkCalendar.from_database()
    calendar.load_years(range(min(years), max(years) + 2))
    return calendar


def working_days_after(start: dt.datetime, days: int, agency: Agency) -> dt.datetime:
    """``days`` working days after ``start`` on the agency's hours and the calendar."""
    return compute_due(
        start,
        days,
        TimeUnit.WORKING_DAYS,
        hours=WorkingHours.for_agency(agency),
        calendar=calendar_for(start),
    ).due_at


def judge(finished_at: dt.datetime, due_at: dt.datetime | None) -> str:
    """Early, on time or late. "Early" means finished on a day before the due day."""
    if due_at is None:
        return Timeliness.ON_TIME
    if finished_at > due_at:
        return Timeliness.LATE
    if timezone.localtime(finished_at).date() < timezone.localtime(due_at).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def desk_step_due(agency: Agency, received_at: dt.datetime, calendar: WorkCalendar) -> dt.datetime:
    """When the desk must have handed the dossier over: closing time the same working
    day, or the end of the next working morning if received after 15:00."""
    hours = WorkingHours.for_agency(agency)
    local = timezone.localtime(received_at)
    day = local.date()
    if not calendar.is_working_day(day):
        day = calendar.next_working_day(day)
        return hours.closing(day)
    if local.time() >= HAND_OVER_CUTOFF:
        day = calendar.next_working_day(day)
        tz = timezone.get_default_timezone()
        return dt.datetime.combine(day, hours.morning_end, tz)
    return hours.closing(day)


def apology_deadline(dossier: Dossier, calendar: WorkCalendar | None = None) -> dt.datetime | None:
    """The latest moment an apology is on time: one working day before the due date."""
    if dossier.due_at is None:
        return None
    calendar = calendar or calendar_for(dossier.due_at)
    hours = WorkingHours.for_agency(dossier.current_agency)
    local = timezone.localtime(dossier.due_at)
    day = local.date()
    for _attempt in range(366):
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            break
    return min(
        dt.datetime.combine(day, local.time(), timezone.get_default_timezone()),
        hours.closing(day),
    )
