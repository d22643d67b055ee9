"""Seed the working-day calendar (CalendarDay) from the ``holidays`` package.

What the package (0.109) gives for Vietnam, in Vietnamese names: the Labour Code
Art. 112 holidays, their compensatory days when they fall on a weekend ("(nghỉ
bù)"), the Tết days moved off weekends the way the civil-service schedule usually
moves them ("29 Tết", "Mùng năm Tết Nguyên Đán"), and the bridging days the
Government announced in past years, named "Ngày nghỉ (thay cho ngày dd/mm/yyyy)":
the date in brackets is a Saturday worked in exchange, which becomes a
``working_day`` row here.

The package is a starting point, not the law: each year the Ministry of Home
Affairs announces the civil-service Tết and National Day schedule, and an
administrator corrects the rows in the admin. Seeding never touches an existing
date, so those corrections survive a re-seed.

Not seeded by default: 24 November, Vietnamese Culture Day (Ngày Văn hóa Việt Nam).
The package lists it from 2026, but docs/domain.md §6 treats it as unconfirmed; an
administrator adds it in the admin (or seeds with ``include_culture_day=True``).
"""

import datetime as dt
import re
from collections.abc import Iterable

import holidays
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from .models import CalendarDay, CalendarDayKind, CalendarDaySource, CalendarYear

# How many years the calendar always holds: this one and the next two (docs/domain.md §6).
YEARS_AHEAD = 2
# From how far ahead the admin and the leaders' dashboard warn about a year whose
# calendar is not loaded or not confirmed.
WARN_DAYS_AHEAD = 60

CULTURE_DAY_NAME = "Ngày Văn hóa Việt Nam"
# "Ngày nghỉ (thay cho ngày 22/08/2026)": the package's label for a bridging day
# off worked back on the given date. Parsed from the Vietnamese name because the
# package exposes no list of swapped working days for Vietnam.
_SWAPPED_FROM = re.compile(r"thay cho ngày (\d{2})/(\d{2})/(\d{4})")


def vietnam_calendar(
    years: Iterable[int], *, include_culture_day: bool = False
) -> tuple[dict[dt.date, str], dict[dt.date, str]]:
    """Days off and swapped working days for ``years`` according to the package.

    Returns ``(days_off, working_days)``, each mapping a date to its Vietnamese name.
    """
    years = sorted(set(years))
    if not years:
        return {}, {}
    # One year more on each side: a day off in January can be worked back in the
    # previous December (2015: 2 Jan off, 27 Dec 2014 worked).
    source = holidays.country_holidays(
        "VN", years=range(years[0] - 1, years[-1] + 2), language="vi"
    )
    days_off: dict[dt.date, str] = {}
    working_days: dict[dt.date, str] = {}
    for day in sorted(source):
        names = [
            name
            for name in source.get_list(day)
            if include_culture_day or not name.startswith(CULTURE_DAY_NAME)
        ]
        if not names:
            continue
        if day.year in years:
            days_off[day] = "; ".join(names)
        for name in names:
            match = _SWAPPED_FROM.search(name)
            if match:
                worked = dt.date(int(match[3]), int(match[2]), int(match[1]))
                if worked.year in years:
                    working_days[worked] = f"Làm việc bù cho ngày nghỉ {day:%d/%m/%Y}"
    return days_off, working_days


@transaction.atomic
def seed_calendar(years: Iterable[int], *, include_culture_day: bool = False) -> int:
    """Create the missing CalendarDay rows of ``years``; returns how many were created.

    Idempotent: a date that already has a row (seeded earlier or entered by an
    administrator) is left as it is.
    """
    return len(seed_calendar_dates(years, include_culture_day=include_culture_day))


def seed_calendar_dates(
    years: Iterable[int], *, include_culture_day: bool = False
) -> list[dt.date]:
    """Like ``seed_calendar``, returning the dates it added (for a recompute)."""
    days_off, working_days = vietnam_calendar(years, include_culture_day=include_culture_day)
    wanted = [(day, CalendarDayKind.DAY_OFF, name) for day, name in days_off.items()]
    wanted += [(day, CalendarDayKind.WORKING_DAY, name) for day, name in working_days.items()]
    if not wanted:
        return []
    existing = set(
        CalendarDay.objects.filter(date__in=[day for day, _, _ in wanted]).values_list(
            "date", flat=True
        )
    )
    rows = []
    for day, kind, name in sorted(wanted):
        if day in existing:
            continue
        rows.append(CalendarDay(date=day, kind=kind, name=name, source=CalendarDaySource.HOLIDAYS))
    # ignore_conflicts: a concurrent seed or admin edit of the same date wins quietly.
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
    # The years are loaded now (not confirmed: that is an administrator's decision).
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=year) for year in sorted(set(years))], ignore_conflicts=True
    )
    return [row.date for row in rows]


def years_to_hold(today: dt.date | None = None) -> list[int]:
    """This year and the next YEARS_AHEAD, the years the calendar must always hold."""
    year = (today or timezone.localdate()).year
    return list(range(year, year + YEARS_AHEAD + 1))


def ensure_years(today: dt.date | None = None) -> list[dt.date]:
    """Load the years of ``years_to_hold`` that are not loaded yet (the yearly beat task
    and the migration); returns the dates added. Loaded years are left alone, so an
    administrator's corrections and confirmations stay."""
    wanted = years_to_hold(today)
    loaded = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    missing = [year for year in wanted if year not in loaded]
    if not missing:
        return []
    with transaction.atomic():
        return seed_calendar_dates(missing)


def calendar_notices(today: dt.date | None = None) -> list[tuple[int, bool]]:
    """(year, loaded) of the years starting within WARN_DAYS_AHEAD days (this year
    included) whose calendar is not loaded or not confirmed: what the admin and the
    leaders' dashboard warn about."""
    today = today or timezone.localdate()
    last = (today + dt.timedelta(days=WARN_DAYS_AHEAD)).year
    years = range(today.year, last + 1)
    status = dict(CalendarYear.objects.filter(year__in=years).values_list("year", "confirmed_at"))
    return [(year, year in status) for year in years if year not in status or status[year] is None]


def calendar_notice_texts(today: dt.date | None = None) -> list[str]:
    """``calendar_notices`` as sentences for the admin and the leaders' dashboard."""
    texts = []
    for year, loaded in calendar_notices(today):
        if loaded:
            texts.append(
                gettext(
                    "Lịch nghỉ Tết và ngày làm việc bù năm %(year)d chưa được xác nhận: hạn xử "
                    "lý tính qua năm này có thể thay đổi. Đối chiếu với quyết định của Chính "
                    "phủ, sửa lịch nếu cần rồi xác nhận năm trong Quản trị > Các năm của lịch "
                    "làm việc."
                )
                % {"year": year}
            )
        else:
            texts.append(
                gettext(
                    "Lịch ngày nghỉ năm %(year)d chưa được nạp: hạn xử lý tính qua năm này "
                    "chỉ bỏ qua Thứ Bảy, Chủ nhật. Chạy manage.py seed_calendar --years "
                    "%(year)d."
                )
                % {"year": year}
            )
    return texts
