"""One meaning of "late" (desk/clock.py): the dashboard's figures and the
satisfaction indicator count the same dossiers late, a second supplement request
included (Decision 766; docs/domain.md §8). The satisfaction page used to
count only dossiers finished after their due date."""

import datetime as dt

import pytest
from django.utils import timezone

from desk import stats
from desk.models import Dossier, State, Timeliness
from surveys import results
from tests.factories import make_dossier, make_procedure


def finish(dossier, *, timeliness, supplements):
    """A dossier returned on ``finished`` with ``supplements`` requests behind it."""
    finished = dossier.received_at + dt.timedelta(days=1)
    Dossier.objects.filter(pk=dossier.pk).update(
        state=State.RETURNED,
        finished_at=finished,
        returned_at=finished,
        timeliness=timeliness,
        supplement_count=supplements,
    )


@pytest.mark.django_db
def test_the_dashboard_and_the_satisfaction_page_count_the_same_late_dossiers(clerk):
    procedure = make_procedure(agencies=(clerk.agency,))
    received = timezone.now() - dt.timedelta(days=10)
    twice = make_dossier(clerk=clerk, procedure=procedure, received_at=received)
    late = make_dossier(clerk=clerk, procedure=procedure, received_at=received)
    on_time = make_dossier(clerk=clerk, procedure=procedure, received_at=received)
    finish(twice, timeliness=Timeliness.ON_TIME, supplements=2)
    finish(late, timeliness=Timeliness.LATE, supplements=0)
    finish(on_time, timeliness=Timeliness.EARLY, supplements=1)
    stats.rebuild()

    start, end = timezone.localdate() - dt.timedelta(days=30), timezone.localdate()
    dashboard = stats.figures([clerk.agency_id], start, end)
    satisfaction = results.compute(agency_ids={clerk.agency_id}, start=start, end=end)

    assert dashboard.flows["finished_late"] == 2
    assert satisfaction.finished == 3
    assert satisfaction.late == dashboard.flows["finished_late"]
