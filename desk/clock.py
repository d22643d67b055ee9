"""The dossier's clock: the rules about a dossier's time written once.

- **Late for the indicators** (Decision 766, docs/domain.md §8, progress and
  satisfaction): finished after its due date, or more than one supplement
  request, whatever its finish. The dashboard (desk/stats.py, desk/dashboard.py)
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
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from procedures.models import Agency, TimeUnit

from .deadlines import WorkCalendar, WorkingHours, add_working_time, compute_due
from .models import Dossier, Timeliness

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
