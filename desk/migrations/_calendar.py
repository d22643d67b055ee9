"""The calendar's years (CalendarYear), and a calendar that is never missing: a fresh
``migrate`` loads this year's and the next two years' days off and swapped working
days (desk/calendar_seed.py: the ``holidays`` package, a starting point an
administrator confirms), so due dates never silently count Tết as working days.
An existing database keeps its rows; its years that already have rows are recorded
as loaded (unconfirmed), and missing years are added.

The years depend on the day the migration runs; the nightly ``extend_calendar``
task keeps three years ahead from then on. The test suite empties the calendar
after creating its database (tests/conftest.py), so each test states its own.
"""

import datetime as dt

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def load_calendar(apps, schema_editor):
    from django.utils import timezone

    from desk.calendar_seed import YEARS_AHEAD, vietnam_calendar

    CalendarDay = apps.get_model("desk", "CalendarDay")
    CalendarYear = apps.get_model("desk", "CalendarYear")
    have = {day.year for day in CalendarDay.objects.values_list("date", flat=True)}
    this_year = timezone.localdate().year
    wanted = range(this_year, this_year + YEARS_AHEAD + 1)
    missing = [year for year in wanted if year not in have]
    days_off, working_days = vietnam_calendar(missing)
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    rows = [
        CalendarDay(date=day, kind=kind, name=name, source="holidays")
        for kind, days in (("day_off", days_off), ("working_day", working_days))
        for day, name in sorted(days.items())
        if day not in existing
    ]
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
    now = dt.datetime.now(dt.UTC)
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=year, loaded_at=now) for year in sorted(have | set(wanted))],
        ignore_conflicts=True,
    )
