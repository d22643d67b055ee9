"""The deadline engine: due dates on the working-day clock of docs/domain.md §6.

Pure functions over a ``WorkingHours`` (an agency's opening hours) and a
``WorkCalendar`` (which dates are worked); nothing here writes to the database.
Every result can explain itself (``Deadline.explain()``), because a due date that
clerks and citizens cannot check is a due date they will not trust.

Conventions (the README's "How due dates are computed" says the same in prose):

* Time is local time in settings.TIME_ZONE (Asia/Ho_Chi_Minh, no daylight saving).
  The receipt time is taken to the minute, as the receipt form prints it.
* Working time is the half-open periods [morning_start, morning_end) and
  [afternoon_start, afternoon_end) of every working day.
* Normalised start: a receipt inside working time starts the clock at once; before
  opening -> opening; from morning_end until afternoon_start (lunch) -> afternoon
  start; at or after closing, or on a non-working day -> the next working day's
  opening.
* Consuming working time: when the amount runs out exactly at the end of a period
  the result is that end (11:30 or 17:00), never the next opening, so a due date
  is never "07:00 the next day".
* N working days = N x the agency's working-day length (8 hours with the default
  hours) consumed from the normalised start: received Monday 10:00 + 1 working day
  = Tuesday 10:00; received at 07:00 + 1 working day = 17:00 the same day.
* N working hours: the same, skipping lunch, nights and non-working days.
* N calendar days: the day N days after the normalised start's date, at closing
  time; if that day is not a working day, the next working day's closing time.
* Immediate: the due moment is the normalised start.
* Pauses (waiting for a supplement): a pause that starts before the running due
  date moves it later by the working time inside the pause (a pause across Tết
  adds only the working hours around it). A pause starting at or after the due
  date adds nothing: the dossier was already late. An open pause is counted as if
  it ended at ``now`` and the result says ``paused=True``. With
  ``restart_after_pause`` the full term starts again from the normalised
  resumption time instead. Either way the due date never moves earlier.
* Extension (apology letter): ``due_at`` becomes the new date and
  ``original_due_at`` keeps the computed one; an extension earlier than the
  computed due date is not applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop

from procedures.models import TimeUnit

SATURDAY = gettext_noop("Thứ Bảy")
SUNDAY = gettext_noop("Chủ nhật")
WEEKDAY_NAMES = (
    gettext_noop("Thứ Hai"),
    gettext_noop("Thứ Ba"),
    gettext_noop("Thứ Tư"),
    gettext_noop("Thứ Năm"),
    gettext_noop("Thứ Sáu"),
    SATURDAY,
    SUNDAY,
)
# Step kinds that warn about the calendar itself (WorkCalendar.coverage_steps).
CALENDAR_WARNINGS = ("calendar_missing", "calendar_unconfirmed")
# A calendar whose every day is off (an administrator's mistake) must not hang a
# request: searching for the next working day gives up after this many days.
MAX_DAYS_OFF_IN_A_ROW = 366


def _seconds_of(value: dt.time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


# ---------------------------------------------------------------- working hours


@dataclass(frozen=True)
class WorkingHours:
    """Opening hours of a desk; one working day is their total length."""

    morning_start: dt.time = dt.time(7, 0)
    morning_end: dt.time = dt.time(11, 30)
    afternoon_start: dt.time = dt.time(13, 30)
    afternoon_end: dt.time = dt.time(17, 0)

    def __post_init__(self) -> None:
        if not (self.morning_start < self.morning_end <= self.afternoon_start < self.afternoon_end):
            raise ValueError("working hours must be ordered: morning start < end <= afternoon")

    @classmethod
    def for_agency(cls, agency: Any) -> WorkingHours:
        """The hours of a ``procedures.models.Agency`` (its admin validates the order)."""
        return cls(
            agency.morning_start, agency.morning_end, agency.afternoon_start, agency.afternoon_end
        )

    @property
    def day_seconds(self) -> int:
        """Length of one working day: 8 hours with the default 07:00–11:30, 13:30–17:00."""
        return (
            _seconds_of(self.morning_end)
            - _seconds_of(self.morning_start)
            + _seconds_of(self.afternoon_end)
            - _seconds_of(self.afternoon_start)
        )

    def periods(self, day: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        """The two working periods of ``day`` as aware local datetimes."""
        tz = timezone.get_default_timezone()
        return (
            (
                dt.datetime.combine(day, self.morning_start, tz),
                dt.datetime.combine(day, self.morning_end, tz),
            ),
            (
                dt.datetime.combine(day, self.afternoon_start, tz),
                dt.datetime.combine(day, self.afternoon_end, tz),
            ),
        )

    def opening(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.morning_start, timezone.get_default_timezone())

    def closing(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.afternoon_end, timezone.get_default_timezone())


DEFAULT_HOURS = WorkingHours()


# ---------------------------------------------------------------- calendar


# (date, kind, name, confirmed) rows for the dates first..last inclusive; kind is
# "day_off" or "working_day" as in desk.models.CalendarDayKind, and confirmed says
# whether an administrator has confirmed the row's year (desk.models.CalendarYear).
CalendarLoader = Callable[[dt.date, dt.date], Iterable[tuple[dt.date, str, str, bool]]]


def _database_rows(first: dt.date, last: dt.date) -> list[tuple[dt.date, str, str, bool]]:
    from django.db.models import Exists, OuterRef  # the engine itself works without the ORM
    from django.db.models.functions import ExtractYear

    from .models import CalendarDay, CalendarYear

    confirmed = CalendarYear.objects.filter(
        year=ExtractYear(OuterRef("date")), confirmed_at__isnull=False
    )
    rows = CalendarDay.objects.between(first, last).annotate(confirmed=Exists(confirmed))
    return list(rows.values_list("date", "kind", "name", "confirmed"))


class WorkCalendar:
    """Which dates are worked.

    Saturdays and Sundays are off unless listed in ``working_days``; other days are
    worked unless listed in ``days_off``. Both map a date to its name (the reason
    shown for a day off, the note shown for a worked weekend day).

    ``WorkCalendar(days_off, working_days)`` is a plain in-memory calendar;
    ``WorkCalendar.from_database()`` reads CalendarDay rows, one query per range of
    whole years, loading a further year only when a computation reaches it.
    """

    def __init__(
        self,
        days_off: Mapping[dt.date, str] | Iterable[dt.date] = (),
        working_days: Mapping[dt.date, str] | Iterable[dt.date] = (),
        *,
        loader: CalendarLoader | None = None,
    ) -> None:
        self._days_off = self._as_names(days_off, gettext_noop("Ngày nghỉ"))
        self._working_days = self._as_names(working_days, gettext_noop("Ngày làm việc bù"))
        self._loader = loader
        self._loaded_years: set[int] = set()
        self.unseeded_years: set[int] = set()
        """Years read from the database that had no row at all (weekends only)."""
        self.unconfirmed_years: set[int] = set()
        """Years read from the database that an administrator has not confirmed yet
        (desk.models.CalendarYear): Tết and the swapped days may still move."""

    @staticmethod
    def _as_names(days: Mapping[dt.date, str] | Iterable[dt.date], default: str) -> dict:
        if isinstance(days, Mapping):
            return dict(days)
        return dict.fromkeys(days, default)

    @classmethod
    def from_database(
        cls, first: dt.date | None = None, last: dt.date | None = None
    ) -> WorkCalendar:
        calendar = cls(loader=_database_rows)
        if first is not None:
            calendar.load_years(range(first.year, (last or first).year + 1))
        return calendar

    def load_years(self, years: Iterable[int]) -> None:
        """Read the rows of the years not read yet, in one query."""
        missing = sorted(set(years) - self._loaded_years)
        if self._loader is None or not missing:
            return
        seen_years: set[int] = set()
        confirmed_years: set[int] = set()
        for day, kind, name, confirmed in self._loader(
            dt.date(missing[0], 1, 1), dt.date(missing[-1], 12, 31)
        ):
            if day.year in self._loaded_years:
                continue
            seen_years.add(day.year)
            if confirmed:
                confirmed_years.add(day.year)
            if kind == "working_day":
                self._working_days[day] = name
            else:
                self._days_off[day] = name
        for year in range(missing[0], missing[-1] + 1):
            if year not in self._loaded_years:
                self._loaded_years.add(year)
                if year not in seen_years:
                    self.unseeded_years.add(year)
                elif year not in confirmed_years:
                    self.unconfirmed_years.add(year)

    def coverage_steps(self, first: dt.date, last: dt.date) -> list[Step]:
        """Warnings for the years from ``first`` to ``last`` whose calendar is not loaded
        or not confirmed: a due date over them may be wrong, or may move."""
        steps = []
        years = range(first.year, last.year + 1)
        self.load_years(years)
        for year in years:
            if year in self.unseeded_years:
                steps.append(
                    Step(
                        "calendar_missing",
                        gettext_noop(
                            "Cảnh báo: lịch ngày nghỉ năm %(year)s chưa được nạp; năm này chỉ "
                            "tính Thứ Bảy, Chủ nhật là ngày nghỉ, nên hạn có thể chưa đúng."
                        ),
                        {"year": year},
                    )
                )
            elif year in self.unconfirmed_years:
                steps.append(
                    Step(
                        "calendar_unconfirmed",
                        gettext_noop(
                            "Lưu ý: lịch nghỉ Tết và ngày làm việc bù năm %(year)s chưa được "
                            "xác nhận theo quyết định của Chính phủ; hạn có thể thay đổi khi "
                            "lịch được xác nhận."
                        ),
                        {"year": year},
                    )
                )
        return steps

    def _ensure(self, day: dt.date) -> None:
        if self._loader is not None and day.year not in self._loaded_years:
            self.load_years([day.year])

    def is_working_day(self, day: dt.date) -> bool:
        return self.reason(day) is None

    def reason(self, day: dt.date) -> str | None:
        """Why ``day`` is not worked ("Thứ Bảy", "Chủ nhật", the holiday's name), or None."""
        self._ensure(day)
        if day in self._days_off:
            return self._days_off[day] or gettext_noop("Ngày nghỉ")
        if day.weekday() >= 5 and day not in self._working_days:
            return SATURDAY if day.weekday() == 5 else SUNDAY
        return None

    def swapped_working_day(self, day: dt.date) -> str | None:
        """The note of a Saturday or Sunday that is worked, or None."""
        self._ensure(day)
        if day.weekday() >= 5 and day in self._working_days and day not in self._days_off:
            return self._working_days[day]
        return None

    def next_working_day(self, day: dt.date, trace: _Trace | None = None) -> dt.date:
        """The first working day strictly after ``day``; skipped days go to ``trace``."""
        for _ in range(MAX_DAYS_OFF_IN_A_ROW):
            day += dt.timedelta(days=1)
            reason = self.reason(day)
            if reason is None:
                return day
            if trace is not None:
                trace.skip(day, reason)
        raise ValueError(f"no working day in the {MAX_DAYS_OFF_IN_A_ROW} days after {day}")


# ---------------------------------------------------------------- explanations


@dataclass(frozen=True)
class WorkingTime:
    """An amount of working time, rendered as "3 giờ 30 phút"."""

    seconds: int

    def __str__(self) -> str:
        hours, rest = divmod(self.seconds, 3600)
        minutes = rest // 60
        if minutes and hours:
            return gettext("%(hours)d giờ %(minutes)d phút") % {"hours": hours, "minutes": minutes}
        if minutes:
            return gettext("%(minutes)d phút") % {"minutes": minutes}
        return gettext("%(hours)d giờ") % {"hours": hours}

    @property
    def hours(self) -> Decimal:
        return Decimal(self.seconds) / 3600


def _format(value: Any) -> str:
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value, timezone.get_default_timezone())
        return f"{local:%H:%M} {gettext(WEEKDAY_NAMES[local.weekday()])} {local:%d/%m/%Y}"
    if isinstance(value, dt.date):
        return f"{gettext(WEEKDAY_NAMES[value.weekday()])} {value:%d/%m/%Y}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, str):
        # Reasons are msgids ("Chủ nhật") or holiday names from the calendar;
        # gettext("") would return the catalog header.
        return gettext(value) if value else ""
    if isinstance(value, Decimal):
        return number_format(value.normalize())  # "1,5" in Vietnamese
    return str(value)


@dataclass(frozen=True)
class Step:
    """One line of a due date's explanation.

    ``text`` is a Vietnamese gettext msgid with %(name)s placeholders filled from
    ``data`` at rendering time, so ``render()`` speaks the active language.
    """

    kind: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        return gettext(self.text) % {key: _format(value) for key, value in self.data.items()}

    def __str__(self) -> str:
        return self.render()


class _Trace:
    """Collects the days a computation skipped or worked exceptionally, once each."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self._seen: set[dt.date] = set()

    def skip(self, day: dt.date, reason: str) -> None:
        if day not in self._seen:
            self._seen.add(day)
            text = (
                gettext_noop("Không tính %(day)s: nghỉ cuối tuần.")
                if reason in (SATURDAY, SUNDAY)
                else gettext_noop("Không tính %(day)s: %(reason)s.")
            )
            self.steps.append(Step("skipped_day", text, {"day": day, "reason": reason}))

    def worked(self, day: dt.date, note: str) -> None:
        if day not in self._seen:
            self._seen.add(day)
            self.steps.append(
                Step(
                    "worked_weekend_day",
                    gettext_noop("Có tính %(day)s: ngày làm việc bù (%(note)s)."),
                    {"day": day, "note": note},
                )
            )

    def flush(self) -> list[Step]:
        steps, self.steps = self.steps, []
        return steps


@dataclass
class Deadline:
    """A computed due date and how it was reached."""

    received_at: dt.datetime
    normalised_start: dt.datetime
    time_value: int | Decimal
    time_unit: str
    due_at: dt.datetime
    original_due_at: dt.datetime
    paused: bool = False
    extended: bool = False
    steps: list[Step] = field(default_factory=list)

    def explain(self) -> list[str]:
        """The explanation in the active language (Vietnamese by default); the
        calendar's warnings, if any, come last."""
        return [step.render() for step in self.steps]

    @property
    def warnings(self) -> list[str]:
        """The calendar's warnings alone (an unloaded or unconfirmed year)."""
        return [step.render() for step in self.steps if step.kind in CALENDAR_WARNINGS]


# ---------------------------------------------------------------- primitives


def _local(value: dt.datetime, *, to_minute: bool = False) -> dt.datetime:
    if timezone.is_naive(value):
        raise ValueError("the deadline engine needs timezone-aware datetimes")
    local = timezone.localtime(value, timezone.get_default_timezone())
    return local.replace(second=0, microsecond=0) if to_minute else local.replace(microsecond=0)


def _normalise(
    moment: dt.datetime, hours: WorkingHours, calendar: WorkCalendar, trace: _Trace | None
) -> tuple[dt.datetime, Step | None]:
    day, clock = moment.date(), moment.time()
    reason = calendar.reason(day)
    if reason is not None:
        if trace is not None:
            trace.skip(day, reason)
        start = hours.opening(calendar.next_working_day(day, trace))
        text = gettext_noop(
            "Tiếp nhận vào ngày nghỉ (%(reason)s): thời hạn bắt đầu tính từ %(start)s."
        )
        return start, Step("normalised", text, {"reason": reason, "start": start})
    if clock < hours.morning_start:
        start = hours.opening(day)
        text = gettext_noop(
            "Tiếp nhận trước giờ làm việc (%(opening)s): thời hạn bắt đầu tính từ %(start)s."
        )
        return start, Step("normalised", text, {"opening": hours.morning_start, "start": start})
    if hours.morning_end <= clock < hours.afternoon_start:
        start = hours.periods(day)[1][0]
        text = gettext_noop(
            "Tiếp nhận trong giờ nghỉ trưa (%(lunch_start)s–%(lunch_end)s): "
            "thời hạn bắt đầu tính từ %(start)s."
        )
        data = {"lunch_start": hours.morning_end, "lunch_end": hours.afternoon_start}
        return start, Step("normalised", text, {**data, "start": start})
    if clock >= hours.afternoon_end:
        start = hours.opening(calendar.next_working_day(day, trace))
        text = gettext_noop(
            "Tiếp nhận sau giờ làm việc (%(closing)s): thời hạn bắt đầu tính từ giờ mở cửa "
            "ngày làm việc tiếp theo, %(start)s."
        )
        return start, Step("normalised", text, {"closing": hours.afternoon_end, "start": start})
    return moment, None


def _add_seconds(
    start: dt.datetime,
    seconds: int,
    hours: WorkingHours,
    calendar: WorkCalendar,
    trace: _Trace | None = None,
) -> dt.datetime:
    """The moment ``seconds`` of working time after ``start`` (normalised first).

    Running out exactly at the end of a period gives that end, not the next opening.
    """
    current, _ = _normalise(start, hours, calendar, trace)
    remaining = seconds
    while True:
        day = current.date()
        note = calendar.swapped_working_day(day)
        if note is not None and trace is not None:
            trace.worked(day, note)
        for period_start, period_end in hours.periods(day):
            if current >= period_end:
                continue
            current = max(current, period_start)
            available = int((period_end - current).total_seconds())
            if remaining <= available:
                return current + dt.timedelta(seconds=remaining)
            remaining -= available
            current = period_end
        current = hours.opening(calendar.next_working_day(day, trace))


def _seconds_between(
    start: dt.datetime, end: dt.datetime, hours: WorkingHours, calendar: WorkCalendar
) -> int:
    """Working seconds inside [start, end)."""
    total = 0
    day = start.date()
    while day <= end.date():
        if calendar.is_working_day(day):
            for period_start, period_end in hours.periods(day):
                overlap = (min(end, period_end) - max(start, period_start)).total_seconds()
                total += max(0, int(overlap))
        day += dt.timedelta(days=1)
    return total


def _to_seconds(amount: Decimal | float | int) -> int:
    seconds = Decimal(str(amount)) * 3600
    if seconds < 0:
        raise ValueError("an amount of working time cannot be negative")
    return int(seconds.to_integral_value())


# ---------------------------------------------------------------- public API


def add_working_time(
    start: dt.datetime,
    amount: Decimal | float | int,
    *,
    hours: WorkingHours,
    calendar: WorkCalendar,
) -> dt.datetime:
    """The moment ``amount`` working hours after ``start``, skipping lunch, nights and days off."""
    return _add_seconds(_local(start), _to_seconds(amount), hours, calendar)


def working_hours_between(
    start: dt.datetime, end: dt.datetime, *, hours: WorkingHours, calendar: WorkCalendar
) -> Decimal:
    """Working hours inside [start, end); 0 if ``end`` is not after ``start``."""
    seconds = _seconds_between(_local(start), _local(end), hours, calendar)
    return Decimal(seconds) / 3600


def _term(
    start: dt.datetime,
    value: int | Decimal,
    unit: str,
    hours: WorkingHours,
    calendar: WorkCalendar,
    trace: _Trace,
) -> tuple[dt.datetime, list[Step]]:
    """Due moment of the whole term counted from a normalised ``start``."""
    if unit == TimeUnit.WORKING_DAYS:
        seconds = int(value) * hours.day_seconds
        intro = Step(
            "term",
            gettext_noop(
                "Thời hạn %(value)s ngày làm việc (mỗi ngày %(day)s làm việc), tính từ %(start)s."
            ),
            {"value": value, "day": WorkingTime(hours.day_seconds), "start": start},
        )
        due = _add_seconds(start, seconds, hours, calendar, trace)
        return due, [intro, *trace.flush()]
    if unit == TimeUnit.WORKING_HOURS:
        seconds = _to_seconds(value)
        intro = Step(
            "term",
            gettext_noop(
                "Thời hạn %(value)s giờ làm việc, tính từ %(start)s "
                "(không tính giờ nghỉ trưa, ban đêm và ngày nghỉ)."
            ),
            {"value": value, "start": start},
        )
        due = _add_seconds(start, seconds, hours, calendar, trace)
        return due, [intro, *trace.flush()]
    if unit == TimeUnit.CALENDAR_DAYS:
        last_day = start.date() + dt.timedelta(days=int(value))
        steps = [
            Step(
                "term",
                gettext_noop(
                    "Thời hạn %(value)s ngày (tính cả ngày nghỉ) kể từ %(start_day)s: "
                    "ngày cuối cùng là %(last_day)s, hạn vào giờ kết thúc làm việc."
                ),
                {"value": value, "start_day": start.date(), "last_day": last_day},
            )
        ]
        reason = calendar.reason(last_day)
        if reason is not None:
            trace.skip(last_day, reason)
            moved = calendar.next_working_day(last_day, trace)
            steps += trace.flush()
            steps.append(
                Step(
                    "moved_to_working_day",
                    gettext_noop(
                        "Hạn không rơi vào ngày nghỉ: chuyển sang ngày làm việc tiếp theo, %(day)s."
                    ),
                    {"day": moved},
                )
            )
            last_day = moved
        return hours.closing(last_day), steps
    if unit == TimeUnit.IMMEDIATE:
        intro = Step("term", gettext_noop("Trả kết quả ngay trong ngày, khi tiếp nhận."), {})
        return start, [intro]
    raise ValueError(f"unknown time unit: {unit!r}")


def _calendar_day_closing(
    moment: dt.datetime, hours: WorkingHours, calendar: WorkCalendar, trace: _Trace | None
) -> dt.datetime:
    """The closing time of the day of ``moment`` (of the next day if ``moment`` is past
    closing), moved to the next working day if that day is off."""
    day = moment.date()
    if moment > hours.closing(day):
        day += dt.timedelta(days=1)
    if not calendar.is_working_day(day):
        day = calendar.next_working_day(day, trace)
    return hours.closing(day)


def _clean_pauses(
    pauses: Iterable[tuple[dt.datetime, dt.datetime | None]], now: dt.datetime
) -> tuple[list[tuple[dt.datetime, dt.datetime, bool]], bool]:
    """Sorted, merged (start, end, open) pauses; an open pause ends at ``now``."""
    items = []
    for paused_at, resumed_at in pauses:
        start = _local(paused_at)
        end = _local(resumed_at) if resumed_at is not None else max(start, now)
        if end < start:
            raise ValueError("a pause cannot end before it starts")
        items.append((start, end, resumed_at is None))
    items.sort()
    merged: list[tuple[dt.datetime, dt.datetime, bool]] = []
    for start, end, is_open in items:
        if merged and start <= merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2] or is_open)
        else:
            merged.append((start, end, is_open))
    return merged, any(is_open for _, _, is_open in items)


def compute_due(
    received_at: dt.datetime,
    time_value: int | Decimal,
    time_unit: str,
    *,
    hours: WorkingHours,
    calendar: WorkCalendar,
    pauses: Iterable[tuple[dt.datetime, dt.datetime | None]] = (),
    extension: dt.datetime | None = None,
    restart_after_pause: bool = False,
    now: dt.datetime | None = None,
) -> Deadline:
    """The due date of a dossier received at ``received_at`` with the given term.

    ``time_unit`` is a ``procedures.models.TimeUnit`` value; ``pauses`` are
    (paused_at, resumed_at or None) pairs; ``now`` (default: the current time) closes
    an open pause; ``extension`` is the new date of an apology letter.
    Raises ValueError on a negative or fractional-day term, an unknown unit, a
    naive datetime or a pause that ends before it starts.
    """
    if time_unit not in TimeUnit.values:
        raise ValueError(f"unknown time unit: {time_unit!r}")
    if Decimal(str(time_value)) < 0:
        raise ValueError("a term cannot be negative")
    if time_unit in (TimeUnit.WORKING_DAYS, TimeUnit.CALENDAR_DAYS) and (
        Decimal(str(time_value)) % 1
    ):
        raise ValueError("a term in days must be a whole number")
    received = _local(received_at, to_minute=True)
    trace = _Trace()
    steps = [Step("received", gettext_noop("Tiếp nhận hồ sơ lúc %(at)s."), {"at": received})]
    start, normalised = _normalise(received, hours, calendar, trace)
    if normalised is not None:
        steps.append(normalised)
    steps += trace.flush()

    due, term_steps = _term(start, time_value, time_unit, hours, calendar, trace)
    steps += term_steps

    pause_list, paused = _clean_pauses(pauses, _local(now or timezone.now()))
    for pause_start, pause_end, is_open in pause_list:
        data = {"start": pause_start, "end": pause_end}
        clipped = max(pause_start, start)
        if pause_end <= clipped:
            text = gettext_noop(
                "Tạm dừng từ %(start)s đến %(end)s, trước khi bắt đầu tính thời hạn: "
                "không ảnh hưởng."
            )
            steps.append(Step("pause_ignored", text, data))
            continue
        if clipped >= due:
            text = gettext_noop(
                "Tạm dừng từ %(start)s, sau hạn %(due)s: không được cộng thêm thời gian."
            )
            steps.append(Step("pause_ignored", text, {**data, "due": due}))
            continue
        if restart_after_pause:
            resumed, _ = _normalise(pause_end, hours, calendar, None)
            new_due, _ = _term(resumed, time_value, time_unit, hours, calendar, _Trace())
            due = max(due, new_due)
            text = (
                gettext_noop(
                    "Đang tạm dừng từ %(start)s (tính như tiếp tục lúc %(end)s): "
                    "tính lại toàn bộ thời hạn từ %(restart)s, hạn mới %(due)s."
                )
                if is_open
                else gettext_noop(
                    "Tạm dừng từ %(start)s đến %(end)s: tính lại toàn bộ thời hạn "
                    "từ %(restart)s, hạn mới %(due)s."
                )
            )
            steps.append(Step("pause", text, {**data, "restart": resumed, "due": due}))
            continue
        if time_unit == TimeUnit.CALENDAR_DAYS:
            # A term in calendar days counts every day, so a pause gives back the
            # calendar time it lasted (counting only its working time would let a day
            # off inside the pause shorten the extension); the due date stays at the
            # closing time of a working day.
            due = _calendar_day_closing(due + (pause_end - clipped), hours, calendar, trace)
            text = (
                gettext_noop(
                    "Đang tạm dừng từ %(start)s (tính đến %(end)s): hạn lùi tương ứng, "
                    "hạn mới %(due)s."
                )
                if is_open
                else gettext_noop(
                    "Tạm dừng từ %(start)s đến %(end)s: hạn lùi tương ứng, hạn mới %(due)s."
                )
            )
            steps.append(Step("pause", text, {**data, "due": due}))
            steps += trace.flush()
            continue
        added = _seconds_between(clipped, pause_end, hours, calendar)
        if added:
            due = _add_seconds(due, added, hours, calendar, trace)
        text = (
            gettext_noop(
                "Đang tạm dừng từ %(start)s (tính đến %(end)s): cộng thêm %(added)s "
                "làm việc, hạn mới %(due)s."
            )
            if is_open
            else gettext_noop(
                "Tạm dừng từ %(start)s đến %(end)s: cộng thêm %(added)s làm việc, hạn mới %(due)s."
            )
        )
        steps.append(Step("pause", text, {**data, "added": WorkingTime(added), "due": due}))
        steps += trace.flush()

    original_due = due
    extended = False
    if extension is not None:
        new_due = _local(extension)
        if new_due >= due:
            extended, due = True, new_due
            text = gettext_noop(
                "Gia hạn theo văn bản xin lỗi: hạn mới %(due)s; hạn ban đầu %(original)s "
                "được giữ lại."
            )
        else:
            text = gettext_noop(
                "Ngày hẹn gia hạn %(due)s sớm hơn hạn đã tính %(original)s: giữ hạn đã tính."
            )
        steps.append(Step("extension", text, {"due": new_due, "original": original_due}))

    steps.append(Step("due", gettext_noop("Hạn trả kết quả: %(due)s."), {"due": due}))
    steps += calendar.coverage_steps(received.date(), max(due, original_due).date())
    return Deadline(
        received_at=received,
        normalised_start=start,
        time_value=time_value,
        time_unit=str(time_unit),
        due_at=due,
        original_due_at=original_due,
        paused=paused,
        extended=extended,
        steps=steps,
    )
