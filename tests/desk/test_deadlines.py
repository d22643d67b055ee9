"""Worked examples of the deadline engine against the 2026 civil-service calendar.

Each row is a case a clerk could check with a paper calendar; the comment on the
row is the reasoning. tests/desk/calendars.py says where the 2026 days come from.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from desk.deadlines import (
    DEFAULT_HOURS,
    WorkCalendar,
    WorkingHours,
    add_working_time,
    compute_due,
    working_hours_between,
)
from desk.models import CalendarDay, CalendarDayKind
from procedures.models import TimeUnit
from tests.desk.calendars import official_2026
from tests.factories import make_agency

TZ = timezone.get_default_timezone()
WD, WH, CD, NOW = (
    TimeUnit.WORKING_DAYS,
    TimeUnit.WORKING_HOURS,
    TimeUnit.CALENDAR_DAYS,
    TimeUnit.IMMEDIATE,
)


def at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


def due(received: str, value, unit, **kwargs):
    kwargs.setdefault("hours", DEFAULT_HOURS)
    kwargs.setdefault("calendar", official_2026())
    return compute_due(at(received), value, unit, **kwargs)


# received (local), term, unit, expected due
WORKED_EXAMPLES = [
    # Monday 10:00 + 1 working day: the same time the next working day.
    ("2026-03-09 10:00", 1, WD, "2026-03-10 10:00"),
    # Received at opening: 8 hours end at 17:00 the same day, not 07:00 Tuesday.
    ("2026-03-09 07:00", 1, WD, "2026-03-09 17:00"),
    # Received at 13:30: 3.5 h Monday afternoon + 4.5 h Tuesday morning.
    ("2026-03-09 13:30", 1, WD, "2026-03-10 11:30"),
    # Friday + 1 working day skips the weekend.
    ("2026-03-13 10:00", 1, WD, "2026-03-16 10:00"),
    # Tết 2026 (14–22/02 off): Friday 13/02 + 5 working days lands on 27/02.
    ("2026-02-13 10:00", 5, WD, "2026-02-27 10:00"),
    # Filed online during Tết: the clock starts Monday 23/02 at 07:00.
    ("2026-02-18 09:00", 1, WD, "2026-02-23 17:00"),
    # 30/04–01/05 (Thursday–Friday) and the weekend: Wednesday 14:00 + 2 days.
    ("2026-04-29 14:00", 2, WD, "2026-05-05 14:00"),
    # Hùng Kings on Sunday 26/04 is compensated on Monday 27/04.
    ("2026-04-24 10:00", 1, WD, "2026-04-28 10:00"),
    # National Day 29/08–02/09 (Sat–Wed): Friday 28/08 + 2 days = Friday 04/09.
    ("2026-08-28 10:00", 2, WD, "2026-09-04 10:00"),
    # Saturday 22/08/2026 is worked in exchange for Monday 31/08.
    ("2026-08-21 10:00", 1, WD, "2026-08-22 10:00"),
    # Lunch receipt (12:00 -> 13:30), 8 working hours.
    ("2026-03-09 12:00", 8, WH, "2026-03-10 11:30"),
    # After hours (17:30 -> Tuesday 07:00).
    ("2026-03-09 17:30", 1, WD, "2026-03-10 17:00"),
    # Exactly at closing counts as after hours.
    ("2026-03-09 17:00", 4, WH, "2026-03-10 11:00"),
    # Before opening (06:15 -> 07:00).
    ("2026-03-09 06:15", 4, WH, "2026-03-09 11:00"),
    # Received on Sunday: the clock starts Monday 07:00.
    ("2026-03-08 09:00", 1, WD, "2026-03-09 17:00"),
    # Hours across lunch: 10:00–11:30 then 13:30–15:00.
    ("2026-03-09 10:00", 3, WH, "2026-03-09 15:00"),
    # Hours across the night and lunch: 1 h Monday, 4.5 h Tuesday morning, 0.5 h after lunch.
    ("2026-03-09 16:00", 6, WH, "2026-03-10 14:00"),
    # Hours across Tết: 2 h Friday 13/02, then 6 h from Monday 23/02.
    ("2026-02-13 15:00", 8, WH, "2026-02-23 15:00"),
    # Calendar days: Monday + 15 days, at closing.
    ("2026-03-09 10:00", 15, CD, "2026-03-24 17:00"),
    # Calendar days ending on a Sunday move to Monday.
    ("2026-03-09 10:00", 6, CD, "2026-03-16 17:00"),
    # Calendar days ending on 30/04 move past 01/05 and the weekend.
    ("2026-04-20 10:00", 10, CD, "2026-05-04 17:00"),
    # Calendar days count from the normalised start (Saturday -> Monday 04/05).
    ("2026-05-02 10:00", 15, CD, "2026-05-19 17:00"),
    # Immediate: the result is due at the receipt moment...
    ("2026-03-09 10:25", 0, NOW, "2026-03-09 10:25"),
    # ...or at the next opening when received outside working time.
    ("2026-03-07 10:00", 0, NOW, "2026-03-09 07:00"),
]


@pytest.mark.parametrize(("received", "value", "unit", "expected"), WORKED_EXAMPLES)
def test_worked_example(received, value, unit, expected) -> None:
    deadline = due(received, value, unit)

    assert deadline.due_at == at(expected)
    assert deadline.original_due_at == at(expected)
    last_line, expected_at = deadline.explain()[-1], at(expected)
    assert last_line.startswith(f"Hạn trả kết quả: {expected_at:%H:%M} ")
    assert last_line.endswith(f" {expected_at:%d/%m/%Y}.")


def test_due_is_expressed_in_local_time_whatever_the_input_zone() -> None:
    received = at("2026-03-09 10:00").astimezone(dt.UTC)

    deadline = compute_due(received, 1, WD, hours=DEFAULT_HOURS, calendar=official_2026())

    assert deadline.due_at == at("2026-03-10 10:00")
    assert deadline.due_at.utcoffset() == dt.timedelta(hours=7)


def test_seconds_of_the_receipt_are_dropped_like_on_the_printed_receipt() -> None:
    received = at("2026-03-09 10:00").replace(second=59, microsecond=5)

    deadline = compute_due(received, 1, WD, hours=DEFAULT_HOURS, calendar=official_2026())

    assert deadline.received_at == at("2026-03-09 10:00")
    assert deadline.due_at == at("2026-03-10 10:00")


def test_tet_explanation_names_every_skipped_day() -> None:
    lines = due("2026-02-13 10:00", 5, WD).explain()

    assert lines[0] == "Tiếp nhận hồ sơ lúc 10:00 Thứ Sáu 13/02/2026."
    assert "Thời hạn 5 ngày làm việc (mỗi ngày 8 giờ làm việc)" in lines[1]
    skipped = [line for line in lines if line.startswith("Không tính")]
    assert len(skipped) == 9
    assert "Không tính Thứ Ba 17/02/2026: Tết Nguyên đán." in skipped
    assert lines[-1] == "Hạn trả kết quả: 10:00 Thứ Sáu 27/02/2026."


def test_weekend_days_are_explained_as_weekend() -> None:
    lines = due("2026-03-13 10:00", 1, WD).explain()

    assert "Không tính Thứ Bảy 14/03/2026: nghỉ cuối tuần." in lines
    assert "Không tính Chủ nhật 15/03/2026: nghỉ cuối tuần." in lines


def test_swapped_working_saturday_is_explained() -> None:
    lines = due("2026-08-21 10:00", 1, WD).explain()

    assert any(line.startswith("Có tính Thứ Bảy 22/08/2026: ngày làm việc bù") for line in lines), (
        lines
    )


def test_after_hours_receipt_explains_the_normalised_start() -> None:
    deadline = due("2026-03-09 17:30", 1, WD)

    assert deadline.normalised_start == at("2026-03-10 07:00")
    assert "Tiếp nhận sau giờ làm việc (17:00)" in deadline.explain()[1]
    assert deadline.steps[1].kind == "normalised"


def test_calendar_days_explain_the_move_off_a_non_working_day() -> None:
    lines = due("2026-03-09 10:00", 6, CD).explain()

    assert "Không tính Chủ nhật 15/03/2026: nghỉ cuối tuần." in lines
    assert any("chuyển sang ngày làm việc tiếp theo, Thứ Hai 16/03/2026" in x for x in lines)


@pytest.mark.parametrize(
    ("received", "expected_start", "reason_part"),
    [
        ("2026-03-09 12:00", "2026-03-09 13:30", "giờ nghỉ trưa"),
        ("2026-03-09 11:30", "2026-03-09 13:30", "giờ nghỉ trưa"),
        ("2026-03-09 17:30", "2026-03-10 07:00", "sau giờ làm việc"),
        ("2026-03-09 05:00", "2026-03-09 07:00", "trước giờ làm việc"),
        ("2026-03-08 09:00", "2026-03-09 07:00", "ngày nghỉ (Chủ nhật)"),
        ("2026-02-17 09:00", "2026-02-23 07:00", "ngày nghỉ (Tết Nguyên đán)"),
    ],
)
def test_normalise_start(received, expected_start, reason_part) -> None:
    deadline = due(received, 1, WD)
    moved = [step.render() for step in deadline.steps if step.kind == "normalised"]

    assert deadline.normalised_start == at(expected_start)
    assert len(moved) == 1 and reason_part in moved[0]


def test_receipt_inside_working_time_is_not_moved() -> None:
    deadline = due("2026-03-09 13:30", 1, WD)

    assert deadline.normalised_start == at("2026-03-09 13:30")
    assert [step for step in deadline.steps if step.kind == "normalised"] == []


# ---------------------------------------------------------------- pauses


def test_pause_across_tet_adds_only_the_working_hours_inside_it() -> None:
    # Base due: Monday 09/02 08:00 + 5 days = Monday 23/02 08:00 (Tết skipped).
    # Paused Thursday 12/02 09:00 to Tuesday 24/02 09:00: 6 h + 8 h + 8 h + 2 h = 24 h,
    # not the twelve calendar days in between.
    deadline = due(
        "2026-02-09 08:00", 5, WD, pauses=[(at("2026-02-12 09:00"), at("2026-02-24 09:00"))]
    )

    assert deadline.due_at == at("2026-02-26 08:00")
    assert deadline.paused is False
    pause_lines = [step.render() for step in deadline.steps if step.kind == "pause"]
    assert pause_lines == [
        "Tạm dừng từ 09:00 Thứ Năm 12/02/2026 đến 09:00 Thứ Ba 24/02/2026: cộng thêm 24 giờ "
        "làm việc, hạn mới 08:00 Thứ Năm 26/02/2026."
    ]


def test_a_pause_in_a_calendar_day_term_gives_back_the_calendar_days_it_lasted() -> None:
    # Ten days from Monday 09/03: Thursday 19/03 17:00. Paused Tuesday 10/03 09:00 to
    # Monday 16/03 09:00 (six calendar days, a weekend inside): Wednesday 25/03 17:00.
    # Counting only the pause's working time would have let the weekend shorten it.
    deadline = due(
        "2026-03-09 10:00", 10, CD, pauses=[(at("2026-03-10 09:00"), at("2026-03-16 09:00"))]
    )

    assert timezone.localtime(deadline.due_at) == at("2026-03-25 17:00")
    assert any("hạn lùi tương ứng" in line for line in deadline.explain())


def test_pause_after_the_due_date_adds_nothing() -> None:
    deadline = due(
        "2026-03-09 10:00", 1, WD, pauses=[(at("2026-03-10 14:00"), at("2026-03-11 09:00"))]
    )

    assert deadline.due_at == at("2026-03-10 10:00")
    assert [step.kind for step in deadline.steps].count("pause_ignored") == 1


def test_open_pause_counts_until_now_and_is_flagged() -> None:
    # Due Wednesday 10:00; paused Tuesday 10:00, still open at 15:00: 1.5 h + 1.5 h.
    deadline = due(
        "2026-03-09 10:00",
        2,
        WD,
        pauses=[(at("2026-03-10 10:00"), None)],
        now=at("2026-03-10 15:00"),
    )

    assert deadline.paused is True
    assert deadline.due_at == at("2026-03-11 15:00")
    assert any(line.startswith("Đang tạm dừng") for line in deadline.explain())


def test_overlapping_pauses_are_counted_once() -> None:
    deadline = due(
        "2026-03-09 10:00",
        2,
        WD,
        pauses=[
            (at("2026-03-10 10:00"), at("2026-03-10 11:00")),
            (at("2026-03-10 10:30"), at("2026-03-10 11:30")),
        ],
    )

    assert deadline.due_at == at("2026-03-11 11:30")


def test_restart_after_pause_gives_the_full_term_from_the_resumption() -> None:
    deadline = due(
        "2026-03-09 10:00",
        2,
        WD,
        pauses=[(at("2026-03-10 09:00"), at("2026-03-12 14:00"))],
        restart_after_pause=True,
    )

    assert deadline.due_at == at("2026-03-16 14:00")
    assert "tính lại toàn bộ thời hạn từ 14:00 Thứ Năm 12/03/2026" in deadline.explain()[-2]


def test_pause_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="pause"):
        due("2026-03-09 10:00", 2, WD, pauses=[(at("2026-03-10 10:00"), at("2026-03-10 09:00"))])


# ---------------------------------------------------------------- extension


def test_extension_keeps_the_original_due_date() -> None:
    deadline = due("2026-03-09 10:00", 2, WD, extension=at("2026-03-18 16:00"))

    assert deadline.due_at == at("2026-03-18 16:00")
    assert deadline.original_due_at == at("2026-03-11 10:00")
    assert deadline.extended is True
    assert any(
        "hạn ban đầu 10:00 Thứ Tư 11/03/2026 được giữ lại" in line for line in deadline.explain()
    )


def test_extension_earlier_than_the_computed_due_is_not_applied() -> None:
    deadline = due("2026-03-09 10:00", 2, WD, extension=at("2026-03-10 16:00"))

    assert deadline.due_at == at("2026-03-11 10:00")
    assert deadline.extended is False


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("value", "unit"),
    [(-1, WD), (1, "weeks"), (Decimal("1.5"), WD), (Decimal("2.5"), CD)],
)
def test_bad_terms_are_refused(value, unit) -> None:
    with pytest.raises(ValueError):
        due("2026-03-09 10:00", value, unit)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        compute_due(
            dt.datetime(2026, 3, 9, 10), 1, WD, hours=DEFAULT_HOURS, calendar=official_2026()
        )


def test_fractional_working_hours_are_allowed() -> None:
    assert due("2026-03-09 10:00", Decimal("1.5"), WH).due_at == at("2026-03-09 11:30")


# ---------------------------------------------------------------- helpers


def test_add_working_time_and_working_hours_between_agree() -> None:
    calendar = official_2026()
    end = add_working_time(at("2026-02-13 10:00"), 8, hours=DEFAULT_HOURS, calendar=calendar)

    assert end == at("2026-02-23 10:00")
    hours = working_hours_between(
        at("2026-02-13 10:00"), end, hours=DEFAULT_HOURS, calendar=calendar
    )
    assert hours == 8


def test_working_hours_between_ignores_lunch_nights_and_reversed_ranges() -> None:
    calendar = official_2026()

    assert (
        working_hours_between(
            at("2026-03-13 10:00"), at("2026-03-16 10:00"), hours=DEFAULT_HOURS, calendar=calendar
        )
        == 8
    )
    assert (
        working_hours_between(
            at("2026-03-09 11:00"), at("2026-03-09 14:00"), hours=DEFAULT_HOURS, calendar=calendar
        )
        == 1
    )
    assert (
        working_hours_between(
            at("2026-03-09 14:00"), at("2026-03-09 11:00"), hours=DEFAULT_HOURS, calendar=calendar
        )
        == 0
    )


# ---------------------------------------------------------------- agencies and the database


@pytest.mark.django_db
def test_agency_hours_set_the_day_length() -> None:
    # 08:00–12:00 and 13:00–16:00: a working day of 7 hours, so + 1 day keeps the time.
    agency = make_agency(
        morning_start=dt.time(8),
        morning_end=dt.time(12),
        afternoon_start=dt.time(13),
        afternoon_end=dt.time(16),
    )
    hours = WorkingHours.for_agency(agency)

    assert hours.day_seconds == 7 * 3600
    deadline = compute_due(at("2026-03-09 10:00"), 1, WD, hours=hours, calendar=official_2026())
    assert deadline.due_at == at("2026-03-10 10:00")
    assert "(mỗi ngày 7 giờ làm việc)" in deadline.explain()[1]
    assert compute_due(
        at("2026-03-09 16:30"), 2, WH, hours=hours, calendar=official_2026()
    ).due_at == at("2026-03-10 10:00")


def test_badly_ordered_hours_are_refused() -> None:
    with pytest.raises(ValueError):
        WorkingHours(dt.time(7), dt.time(14), dt.time(13), dt.time(17))


@pytest.mark.django_db
def test_database_calendar_uses_administrator_rows(django_assert_max_num_queries) -> None:
    # An administrator's bridge: Friday 02/01/2026 off, worked back on Saturday 10/01.
    CalendarDay.objects.create(
        date=dt.date(2026, 1, 2), kind=CalendarDayKind.DAY_OFF, name="Nghỉ bù Tết Dương lịch"
    )
    CalendarDay.objects.create(
        date=dt.date(2026, 1, 10),
        kind=CalendarDayKind.WORKING_DAY,
        name="Làm bù cho ngày 02/01",
    )
    with django_assert_max_num_queries(1):
        calendar = WorkCalendar.from_database(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        after_new_year = compute_due(
            at("2026-01-01 09:00"), 1, WD, hours=DEFAULT_HOURS, calendar=calendar
        )
        before_swap = compute_due(
            at("2026-01-09 10:00"), 1, WD, hours=DEFAULT_HOURS, calendar=calendar
        )

    assert calendar.reason(dt.date(2026, 1, 2)) == "Nghỉ bù Tết Dương lịch"
    # 01/01 has no row in this test database, so it counts as a working Thursday:
    # 6 h on Thursday, then 2 h on Monday 05/01 after the bridge and the weekend.
    assert after_new_year.due_at == at("2026-01-05 09:00")
    assert "Không tính Thứ Sáu 02/01/2026: Nghỉ bù Tết Dương lịch." in after_new_year.explain()
    assert before_swap.due_at == at("2026-01-10 10:00")
    assert calendar.unseeded_years == set()


@pytest.mark.django_db
def test_database_calendar_loads_a_further_year_only_when_reached(
    django_assert_num_queries,
) -> None:
    CalendarDay.objects.create(
        date=dt.date(2027, 1, 1), kind=CalendarDayKind.DAY_OFF, name="Tết Dương lịch"
    )
    calendar = WorkCalendar.from_database(dt.date(2026, 12, 1))

    with django_assert_num_queries(1):
        deadline = compute_due(
            at("2026-12-31 10:00"), 1, WD, hours=DEFAULT_HOURS, calendar=calendar
        )

    assert deadline.due_at == at("2027-01-04 10:00")
    assert "Không tính Thứ Sáu 01/01/2027: Tết Dương lịch." in deadline.explain()
    # 2026 has no row at all in this test database: weekends only, and it says so.
    assert calendar.unseeded_years == {2026}


@pytest.mark.django_db
def test_a_working_day_row_on_a_weekday_cancels_a_day_off() -> None:
    # How an administrator undoes a seeded day off without it coming back at the next seed.
    CalendarDay.objects.create(
        date=dt.date(2026, 2, 16), kind=CalendarDayKind.WORKING_DAY, name="Làm việc bình thường"
    )
    calendar = WorkCalendar.from_database(dt.date(2026, 1, 1))

    assert calendar.is_working_day(dt.date(2026, 2, 16))
    assert not calendar.is_working_day(dt.date(2026, 2, 14))
