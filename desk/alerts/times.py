"""When the alerts' thresholds fall and when their emails may go out, in each
agency's own working hours."""

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from procedures.models import Agency, User

from ..deadlines import DEFAULT_HOURS, WorkCalendar, WorkingHours


def hours_groups() -> dict[WorkingHours, list[int] | None]:
    """Working hours in use and the agencies having them (None: every agency).

    Thresholds such as "one working day before the due time" depend on the hours;
    a province usually has one set, so the scan usually runs one range per threshold.
    """
    groups: dict[WorkingHours, list[int]] = defaultdict(list)
    for pk, a, b, c, d in Agency.objects.values_list(
        "pk", "morning_start", "morning_end", "afternoon_start", "afternoon_end"
    ):
        groups[WorkingHours(a, b, c, d)].append(pk)
    if len(groups) <= 1:
        return {next(iter(groups), WorkingHours()): None}
    return dict(groups)


def openings_between(
    since: dt.datetime, until: dt.datetime, hours: WorkingHours, calendar: WorkCalendar
) -> list[dt.date]:
    """Working days whose opening time falls in (since, until]."""
    days = []
    day = timezone.localtime(since).date()
    last = timezone.localtime(until).date()
    while day <= last:
        if calendar.is_working_day(day) and since < hours.opening(day) <= until:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def previous_working_day(day: dt.date, calendar: WorkCalendar) -> dt.date:
    for _attempt in range(366):
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            return day
    return day


def release_times(
    users: list[User], now: dt.datetime, calendar: WorkCalendar
) -> dict[int, dt.datetime]:
    """When each user's email may go out: now in their own agency's working hours,
    else at its next opening (a commune opening at 07:30 is not emailed at 07:00).
    One query for the hours of all their agencies."""
    hours = {
        pk: WorkingHours(a, b, c, d)
        for pk, a, b, c, d in Agency.objects.filter(
            pk__in={user.agency_id for user in users if user.agency_id}
        ).values_list("pk", "morning_start", "morning_end", "afternoon_start", "afternoon_end")
    }
    times: dict[WorkingHours, dt.datetime] = {}
    result = {}
    for user in users:
        own = hours.get(user.agency_id, DEFAULT_HOURS)
        if own not in times:
            times[own] = release_time(now, own, calendar)
        result[user.pk] = times[own]
    return result


def release_time(now: dt.datetime, hours: WorkingHours, calendar: WorkCalendar) -> dt.datetime:
    """Now if it is working time, else the next opening: alerts go out in working hours."""
    local = timezone.localtime(now)
    day = local.date()
    if calendar.is_working_day(day):
        for start, end in hours.periods(day):
            if start <= local < end:
                return now
        if local < hours.opening(day):
            return hours.opening(day)
    return hours.opening(calendar.next_working_day(day))
