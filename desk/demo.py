"""Demo data of the desk: the working-day calendar from last year to two years ahead.

Called by ``manage.py seed_demo``; creates the missing dates and leaves the rest.
"""

from typing import TextIO

from django.utils import timezone

from .calendar_seed import seed_calendar
from .models import CalendarDay


def load(stdout: TextIO) -> None:
    year = timezone.localdate().year
    created = seed_calendar(range(year - 1, year + 3))
    stdout.write(
        f"Working-day calendar {year - 1}–{year + 2}: {created} days added, "
        f"{CalendarDay.objects.count()} in total"
    )
