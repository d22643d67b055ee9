"""One "due soon" (desk/clock.py): the dossier page's badge, the queue's "Sắp đến
hạn" tab and its row flag, and the alert scan's threshold are the same rule, one
working day of the agency ahead. The page used to count a day from a normalised
start with ``<=``, the queue one day's seconds with ``<``, the alerts a fixed 8
hours whatever the agency's day."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from desk import alerts
from desk.clock import due_soon_until, working_days_after
from desk.deadlines import WorkCalendar, WorkingHours, add_working_time
from desk.models import AlertKind, Dossier
from tests.desk.test_queues import tab
from tests.factories import make_dossier, make_procedure

TZ = dt.timezone(dt.timedelta(hours=7))
# A Tuesday at 09:00, no holiday near.
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=TZ)


@pytest.fixture
def frozen(db):
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize(("working_hours_ahead", "soon"), [(0.5, True), (7.9, True), (8.1, False)])
def test_the_dossier_page_and_the_queue_agree(frozen, client, clerk, working_hours_ahead, soon):
    dossier = make_dossier(clerk=clerk, procedure=make_procedure(agencies=(clerk.agency,)))
    hours = WorkingHours.for_agency(clerk.agency)
    due = add_working_time(NOW, working_hours_ahead, hours=hours, calendar=WorkCalendar())
    Dossier.objects.filter(pk=dossier.pk).update(due_at=due)
    client.force_login(clerk)

    page = client.get(reverse("desk:detail", args=[dossier.code]))

    assert page.context["due_soon"] is soon
    assert (dossier.code in tab(client, "due_soon")) is soon


def test_the_alert_threshold_is_the_agencys_working_day(frozen, clerk):
    """An agency whose day is 7 hours: due soon starts 7 working hours ahead, for the
    alert scan as for the pages (it was 8 hours everywhere)."""
    agency = clerk.agency
    agency.morning_start, agency.morning_end = dt.time(8, 0), dt.time(11, 30)
    agency.afternoon_start, agency.afternoon_end = dt.time(13, 30), dt.time(17, 0)
    agency.save()
    hours = WorkingHours.for_agency(agency)
    assert hours.day_seconds == 7 * 3600
    until = due_soon_until(NOW, hours, WorkCalendar())
    assert until == add_working_time(NOW, 7, hours=hours, calendar=WorkCalendar())

    dossier = make_dossier(clerk=clerk, procedure=make_procedure(agencies=(agency,)))
    Dossier.objects.filter(pk=dossier.pk).update(
        due_at=add_working_time(NOW, 7.5, hours=hours, calendar=WorkCalendar())
    )
    # The scan of the minute in which 7 working hours before the due time passes.
    crossing = add_working_time(NOW, 0.5, hours=hours, calendar=WorkCalendar())
    found = alerts._crossings(crossing - dt.timedelta(minutes=1), crossing, WorkCalendar())
    assert (dossier.pk, AlertKind.DUE_SOON) in {(pk, kind) for pk, kind, _ in found}


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # Inside working hours: two full working days later, same time.
        (dt.datetime(2026, 3, 10, 9, 0, tzinfo=TZ), dt.datetime(2026, 3, 12, 9, 0, tzinfo=TZ)),
        # After closing: counted from Wednesday's opening, due at Thursday's closing.
        (dt.datetime(2026, 3, 10, 19, 0, tzinfo=TZ), dt.datetime(2026, 3, 12, 17, 0, tzinfo=TZ)),
        # On a Saturday: from Monday's opening, due at Tuesday's closing.
        (dt.datetime(2026, 3, 14, 10, 0, tzinfo=TZ), dt.datetime(2026, 3, 17, 17, 0, tzinfo=TZ)),
    ],
)
def test_working_days_after_is_one_rule_for_feedback_and_follow_ups(db, commune, start, expected):
    """Feedback steps (surveys) and inspection follow-ups (conduct) both count N
    working days with desk/clock.working_days_after; they used two functions that
    differed for a start outside working hours."""
    from conduct import services as conduct_services
    from surveys.services import feedback as survey_services

    assert survey_services.working_days_after is working_days_after
    assert conduct_services.working_days_after is working_days_after
    assert working_days_after(start, 2, commune) == expected
