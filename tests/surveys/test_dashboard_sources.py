"""What the ratings add to the leaders' dashboard (desk.dashboard registries)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from desk import dashboard
from surveys.models import RatingChoice
from surveys.services import record_rating
from tests.factories import at, make_procedure, returned

TZ = timezone.get_default_timezone()


@pytest.fixture
def procedure(commune):
    return make_procedure(agencies=(commune,), time_value=5)


@pytest.mark.django_db
def test_a_dissatisfied_rating_lowers_the_satisfaction_indicator(
    clerk, officer, procedure, commune, province
):
    happy = returned(clerk, officer, procedure)
    unhappy = returned(clerk, officer, procedure)
    with time_machine.travel(at("2026-03-20 09:00"), tick=False):
        record_rating(dossier=happy, choice=RatingChoice.SATISFIED, channel="link")
        record_rating(
            dossier=unhappy, choice=RatingChoice.DISSATISFIED, reason="Phải chờ lâu", channel="link"
        )
        board = dashboard.build(province, dt.date(2026, 3, 1), dt.date(2026, 3, 31))

    assert board.dissatisfied == 1
    score = next(s for s in board.scores if s.indicator.code == "satisfaction")
    assert (score.numerator, score.denominator) == (1, 2)  # both on time, one dissatisfied
    assert dashboard.FEEDBACK_SOURCES and board.feedback == (0, 0)


@pytest.mark.django_db
def test_the_dashboard_loads_the_ratings_and_conduct_panels(client, provincial_leader):
    client.force_login(provincial_leader)
    html = client.get(reverse("desk:dashboard")).content.decode()
    assert f'hx-get="{reverse("surveys:dashboard-panel")}?' in html
    assert f'hx-get="{reverse("conduct:dashboard-panel")}?' in html


@pytest.mark.django_db
def test_the_officer_view_shows_each_officers_ratings(client, clerk, officer, unit_head, procedure):
    dossier = returned(clerk, officer, procedure)
    with time_machine.travel(at("2026-03-20 09:00"), tick=False):
        record_rating(dossier=dossier, choice=RatingChoice.VERY_SATISFIED, channel="kiosk")
        client.force_login(unit_head)
        html = client.get(reverse("desk:dashboard-officers")).content.decode()
    assert "Hài lòng" in html and "Văn hóa công sở" in html
    assert "100,0% (1)" in html  # Vietnamese decimal comma


@pytest.mark.django_db
def test_the_panel_follows_the_dashboards_agency_and_period(
    client, clerk, officer, procedure, commune, other_commune, commune_leader
):
    dossier = returned(clerk, officer, procedure)
    with time_machine.travel(at("2026-03-20 09:00"), tick=False):
        record_rating(dossier=dossier, choice=RatingChoice.SATISFIED, channel="link")
        client.force_login(commune_leader)
        url = reverse("surveys:dashboard-panel")
        march = client.get(url, {"agency": commune.pk, "start": "01/03/2026", "end": "31/03/2026"})
        february = client.get(url, {"start": "01/02/2026", "end": "28/02/2026"})
        elsewhere = client.get(url, {"agency": other_commune.pk, "start": "x"})
    assert "từ 01/03/2026 đến 31/03/2026" in march.content.decode()
    assert march.context["r"].total == 1
    assert february.context["r"].total == 0
    # Another commune is outside the leader's scope: their own commune, this year.
    assert elsewhere.context["r"].total == 1
    assert "từ 01/01/2026 đến 20/03/2026" in elsewhere.content.decode()
