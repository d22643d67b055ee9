"""Properties of the deadline engine over random receipts, terms and pauses.

The calendar is the ``holidays`` package's Vietnamese calendar for 2026–2028 held
in memory (no database), so hypothesis can try many cases quickly.
"""

import datetime as dt

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.calendar_seed import vietnam_calendar
from desk.deadlines import (
    DEFAULT_HOURS,
    WorkCalendar,
    add_working_time,
    compute_due,
    working_hours_between,
)
from procedures.models import TimeUnit

TZ = timezone.get_default_timezone()
DAYS_OFF, WORKING_DAYS = vietnam_calendar(range(2026, 2029))
CALENDAR = WorkCalendar(DAYS_OFF, WORKING_DAYS)
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

moments = st.datetimes(
    min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 31, 23, 59)
).map(lambda value: value.replace(second=0, microsecond=0, tzinfo=TZ))
terms = st.integers(min_value=1, max_value=30)
units = st.sampled_from(
    [
        TimeUnit.WORKING_DAYS,
        TimeUnit.WORKING_HOURS,
        TimeUnit.CALENDAR_DAYS,
        TimeUnit.IMMEDIATE,
    ]
)
# A pause as (offset from the receipt, length), both in minutes, up to ~6 weeks.
pause_specs = st.lists(
    st.tuples(st.integers(0, 60 * 24 * 40), st.integers(0, 60 * 24 * 20)), max_size=3
)


def pauses_from(received: dt.datetime, specs) -> list[tuple[dt.datetime, dt.datetime]]:
    return [
        (
            received + dt.timedelta(minutes=offset),
            received + dt.timedelta(minutes=offset + length),
        )
        for offset, length in specs
    ]


def in_working_time(moment: dt.datetime, calendar: WorkCalendar) -> bool:
    """On a working day, within the morning or afternoon (ends included)."""
    local = timezone.localtime(moment, TZ)
    clock = local.time()
    hours = DEFAULT_HOURS
    return calendar.is_working_day(local.date()) and (
        hours.morning_start <= clock <= hours.morning_end
        or hours.afternoon_start <= clock <= hours.afternoon_end
    )


@PROPERTY_SETTINGS
@given(received=moments, value=terms, unit=units, specs=pause_specs, restart=st.booleans())
def test_due_date_is_always_inside_working_time(received, value, unit, specs, restart) -> None:
    deadline = compute_due(
        received,
        value,
        unit,
        hours=DEFAULT_HOURS,
        calendar=CALENDAR,
        pauses=pauses_from(received, specs),
        restart_after_pause=restart,
    )

    assert in_working_time(deadline.due_at, CALENDAR), deadline.explain()
    assert deadline.due_at >= deadline.normalised_start >= deadline.received_at


@PROPERTY_SETTINGS
@given(received=moments, value=terms, unit=units, specs=pause_specs, restart=st.booleans())
def test_a_pause_never_shortens_a_deadline(received, value, unit, specs, restart) -> None:
    without = compute_due(received, value, unit, hours=DEFAULT_HOURS, calendar=CALENDAR)
    with_pauses = compute_due(
        received,
        value,
        unit,
        hours=DEFAULT_HOURS,
        calendar=CALENDAR,
        pauses=pauses_from(received, specs),
        restart_after_pause=restart,
    )

    assert with_pauses.due_at >= without.due_at


@PROPERTY_SETTINGS
@given(
    received=moments,
    value=terms,
    unit=units,
    specs=pause_specs,
    extra_day_off=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2028, 6, 30)),
)
def test_adding_a_holiday_never_makes_a_due_date_earlier(
    received, value, unit, specs, extra_day_off
) -> None:
    more_days_off = WorkCalendar({**DAYS_OFF, extra_day_off: "Ngày nghỉ thêm"}, WORKING_DAYS)
    pauses = pauses_from(received, specs)

    before = compute_due(
        received, value, unit, hours=DEFAULT_HOURS, calendar=CALENDAR, pauses=pauses
    )
    after = compute_due(
        received, value, unit, hours=DEFAULT_HOURS, calendar=more_days_off, pauses=pauses
    )

    assert after.due_at >= before.due_at


@PROPERTY_SETTINGS
@given(received=moments, value=terms, unit=units, specs=pause_specs)
def test_a_longer_term_never_gives_an_earlier_due_date(received, value, unit, specs) -> None:
    pauses = pauses_from(received, specs)

    shorter = compute_due(
        received, value, unit, hours=DEFAULT_HOURS, calendar=CALENDAR, pauses=pauses
    )
    longer = compute_due(
        received, value + 1, unit, hours=DEFAULT_HOURS, calendar=CALENDAR, pauses=pauses
    )

    assert longer.due_at >= shorter.due_at


@PROPERTY_SETTINGS
@given(received=moments, value=terms)
def test_n_working_days_consume_exactly_n_times_eight_working_hours(received, value) -> None:
    deadline = compute_due(
        received, value, TimeUnit.WORKING_DAYS, hours=DEFAULT_HOURS, calendar=CALENDAR
    )

    worked = working_hours_between(
        deadline.normalised_start, deadline.due_at, hours=DEFAULT_HOURS, calendar=CALENDAR
    )
    assert worked == 8 * value


@PROPERTY_SETTINGS
@given(start=moments, minutes=st.integers(min_value=0, max_value=60 * 200))
def test_add_working_time_and_working_hours_between_are_inverse(start, minutes) -> None:
    end = add_working_time(start, minutes / 60, hours=DEFAULT_HOURS, calendar=CALENDAR)

    worked = working_hours_between(start, end, hours=DEFAULT_HOURS, calendar=CALENDAR)
    # Hours are Decimal(seconds) / 3600: exact to far below a second, not to the last digit.
    assert round(worked * 60, 9) == minutes


def test_a_day_off_inside_a_pause_does_not_shorten_a_calendar_day_term() -> None:
    # Found by the property above: 20 calendar days, paused for most of them, with a
    # new day off inside the pause; the due date came out a working minute earlier.
    received = dt.datetime(2026, 12, 30, 0, 48, tzinfo=TZ)
    pauses = pauses_from(received, [(0, 27733)])
    more_days_off = WorkCalendar({**DAYS_OFF, dt.date(2027, 1, 18): "Ngày nghỉ thêm"}, WORKING_DAYS)

    before = compute_due(
        received, 20, TimeUnit.CALENDAR_DAYS, hours=DEFAULT_HOURS, calendar=CALENDAR, pauses=pauses
    )
    after = compute_due(
        received,
        20,
        TimeUnit.CALENDAR_DAYS,
        hours=DEFAULT_HOURS,
        calendar=more_days_off,
        pauses=pauses,
    )

    assert after.due_at >= before.due_at
