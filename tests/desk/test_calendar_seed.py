"""Seeding the working-day calendar from the ``holidays`` package.

What the installed package (0.109) gives for Vietnam 2026 is asserted here, so an
upgrade that changes it fails loudly instead of moving due dates in silence.
"""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from desk import demo
from desk.calendar_seed import seed_calendar, vietnam_calendar
from desk.models import CalendarDay, CalendarDayKind, CalendarDaySource
from tests.factories import make_user

D = dt.date


def test_package_gives_the_2026_civil_service_tet_weekdays() -> None:
    days_off, _ = vietnam_calendar([2026])

    # Official schedule: Saturday 14/02 to Sunday 22/02/2026; the weekdays off are 16–20/02.
    tet = {day for day, name in days_off.items() if "Tết Nguyên Đán" in name}
    assert tet == {D(2026, 2, day) for day in range(16, 21)}
    assert days_off[D(2026, 2, 17)] == "Tết Nguyên Đán"


def test_package_gives_the_other_2026_holidays_and_compensatory_days() -> None:
    days_off, working_days = vietnam_calendar([2026])

    assert set(days_off) == {
        D(2026, 1, 1),
        *(D(2026, 2, day) for day in range(16, 21)),
        D(2026, 4, 26),  # Hùng Kings, a Sunday...
        D(2026, 4, 27),  # ...compensated on Monday
        D(2026, 4, 30),
        D(2026, 5, 1),
        D(2026, 8, 31),  # bridging Monday, worked back on Saturday 22/08
        D(2026, 9, 1),
        D(2026, 9, 2),
    }
    assert days_off[D(2026, 4, 27)] == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert working_days == {D(2026, 8, 22): "Làm việc bù cho ngày nghỉ 31/08/2026"}


def test_culture_day_is_left_out_unless_asked_for() -> None:
    days_off, _ = vietnam_calendar([2026, 2027])
    assert D(2026, 11, 24) not in days_off

    days_off, _ = vietnam_calendar([2026], include_culture_day=True)
    assert days_off[D(2026, 11, 24)] == "Ngày Văn hóa Việt Nam"


def test_swapped_working_day_in_the_previous_year_is_found() -> None:
    # 2015: Friday 02/01 off, worked back on Saturday 27/12/2014.
    _, working_days = vietnam_calendar([2014])

    assert D(2014, 12, 27) in working_days


@pytest.mark.django_db
def test_seed_creates_rows_once() -> None:
    created = seed_calendar([2026])

    assert created == CalendarDay.objects.count() == 14
    row = CalendarDay.objects.get(date=D(2026, 8, 22))
    assert (row.kind, row.source) == (CalendarDayKind.WORKING_DAY, CalendarDaySource.HOLIDAYS)
    assert seed_calendar([2026]) == 0
    assert CalendarDay.objects.count() == 14


@pytest.mark.django_db
def test_seed_keeps_administrator_edits() -> None:
    CalendarDay.objects.create(
        date=D(2026, 2, 16),
        kind=CalendarDayKind.WORKING_DAY,
        name="Làm việc theo lịch của Bộ Nội vụ",
        source=CalendarDaySource.ADMIN,
    )

    seed_calendar([2026])

    row = CalendarDay.objects.get(date=D(2026, 2, 16))
    assert (row.kind, row.name, row.source) == (
        CalendarDayKind.WORKING_DAY,
        "Làm việc theo lịch của Bộ Nội vụ",
        CalendarDaySource.ADMIN,
    )


@pytest.mark.django_db
def test_seed_calendar_command_defaults_to_this_year_and_the_next_two(time_machine) -> None:
    time_machine.move_to(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC))
    out = io.StringIO()

    call_command("seed_calendar", stdout=out)

    years = {day.year for day in CalendarDay.objects.values_list("date", flat=True)}
    assert years == {2026, 2027, 2028}
    assert "2026, 2027, 2028" in out.getvalue()


@pytest.mark.django_db
def test_seed_calendar_command_takes_years_and_refuses_nonsense() -> None:
    call_command("seed_calendar", "--years", "2027", stdout=io.StringIO())
    assert {day.year for day in CalendarDay.objects.values_list("date", flat=True)} == {2027}

    with pytest.raises(CommandError, match="1995"):
        call_command("seed_calendar", "--years", "20270", stdout=io.StringIO())


@pytest.mark.django_db
def test_demo_loads_last_year_to_two_years_ahead(time_machine) -> None:
    time_machine.move_to(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC))
    out = io.StringIO()

    demo.load(out)
    demo.load(out)

    years = {day.year for day in CalendarDay.objects.values_list("date", flat=True)}
    assert years == {2025, 2026, 2027, 2028}
    assert "0 days added" in out.getvalue()


@pytest.mark.django_db
def test_admin_edit_becomes_the_administrators_and_survives_a_reseed(client) -> None:
    seed_calendar([2026])
    admin_user = make_user(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    row = CalendarDay.objects.get(date=D(2026, 8, 31))

    response = client.post(
        reverse("admin:desk_calendarday_change", args=[row.pk]),
        {
            "date": "2026-08-31",
            "kind": CalendarDayKind.WORKING_DAY,
            "name": "Làm việc bình thường theo thông báo của Bộ Nội vụ",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert seed_calendar([2026]) == 0

    row.refresh_from_db()
    assert (row.kind, row.source) == (CalendarDayKind.WORKING_DAY, CalendarDaySource.ADMIN)
    listing = client.get(
        reverse("admin:desk_calendarday_changelist"), {"year": "2026", "kind": "working_day"}
    )
    assert listing.status_code == 200
    assert "Làm việc bình thường theo thông báo" in listing.content.decode()
