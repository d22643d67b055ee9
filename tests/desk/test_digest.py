"""The leaders' daily digest (desk.alerts.send_daily_digests): at the opening of
the leader's own agency, once a day, with what is new, due today and overdue in
the leader's subtree. It used the default hours (07:00) for every agency."""

import datetime as dt

import pytest
import time_machine

from desk.alerts import send_daily_digests
from desk.models import AlertKind, Dossier, Notification
from tests.factories import make_dossier, make_procedure, make_user

TZ = dt.timezone(dt.timedelta(hours=7))
# Tuesday 10 March 2026; Monday the 9th is the previous working day.
TUESDAY = dt.date(2026, 3, 10)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(TUESDAY, dt.time(hour, minute), TZ)


@pytest.fixture
def leader(commune):
    commune.morning_start = dt.time(7, 30)
    commune.save()
    return make_user(agency=commune, username="lanhdao", roles=("leader",), email="ld@example.vn")


@pytest.mark.django_db
def test_the_digest_waits_for_the_agencys_opening_and_comes_once(leader, clerk):
    procedure = make_procedure(agencies=(clerk.agency,))
    with time_machine.travel(dt.datetime(2026, 3, 9, 9, 0, tzinfo=TZ), tick=False):
        dossier = make_dossier(clerk=clerk, procedure=procedure)  # Monday, after opening
    Dossier.objects.filter(pk=dossier.pk).update(due_at=at(16))

    with time_machine.travel(at(7, 0), tick=False):
        assert send_daily_digests() == 0  # 07:00: this ward opens at 07:30
    with time_machine.travel(at(7, 30), tick=False):
        assert send_daily_digests() == 1
    with time_machine.travel(at(7, 35), tick=False):
        assert send_daily_digests() == 0  # once a day

    digest = Notification.objects.get(recipient=leader, kind=AlertKind.DIGEST)
    assert "10/03/2026" in digest.title
    # Received on Monday after its opening, before Tuesday's: new; due at 16:00.
    assert "mới 1, đến hạn hôm nay 1, quá hạn 0" in digest.body


@pytest.mark.django_db
def test_no_digest_on_a_day_off(leader):
    with time_machine.travel(dt.datetime(2026, 3, 14, 8, 0, tzinfo=TZ), tick=False):  # Saturday
        assert send_daily_digests() == 0
