"""The dashboard's periods (a month, a quarter, a year, the last twelve months, or
chosen dates) and the form fields each kind reads."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

PERIOD_CHOICES = [
    ("12m", _("12 tháng gần nhất")),
    ("month", _("Tháng")),
    ("quarter", _("Quý")),
    ("year", _("Năm")),
    ("custom", _("Tùy chọn")),
]


def last_day_of_month(day: dt.date) -> dt.date:
    return day.replace(day=month_calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_bounds(
    kind: str,
    *,
    today: dt.date,
    month: dt.date | None = None,
    quarter: tuple[int, int] | None = None,
    year: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of a period; never past today."""
    if kind == "month" and month is not None:
        first, last = month.replace(day=1), last_day_of_month(month)
    elif kind == "quarter" and quarter is not None:
        number, q_year = quarter
        first = dt.date(q_year, 3 * number - 2, 1)
        last = last_day_of_month(dt.date(q_year, 3 * number, 1))
    elif kind == "year" and year is not None:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    elif kind == "custom" and start is not None and end is not None:
        first, last = start, end
    else:  # the last twelve months: from the day after this day a year ago to today
        first, last = a_year_before(today) + dt.timedelta(days=1), today
    return first, min(last, today)


def a_year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (28 February for a 29 February)."""
    if (day.month, day.day) == (2, 29):
        return day.replace(year=day.year - 1, day=28)
    return day.replace(year=day.year - 1)


def period_choices(today: dt.date) -> list[tuple[str, Any]]:
    """PERIOD_CHOICES, the default's label with the exact dates it covers."""
    first, last = period_bounds("12m", today=today)
    label = _("12 tháng gần nhất (%(start)s – %(end)s)") % {
        "start": f"{first:%d/%m/%Y}",
        "end": f"{last:%d/%m/%Y}",
    }
    return [("12m", label), *PERIOD_CHOICES[1:]]


# The form fields each kind of period reads; the others are neither shown (when
# JavaScript runs: static/js/dashboard.js) nor validated (DashboardFilterForm).
PERIOD_FIELDS = {
    "12m": (),
    "month": ("month",),
    "quarter": ("quarter", "year"),
    "year": ("year",),
    "custom": ("start", "end"),
}
