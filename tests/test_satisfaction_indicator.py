"""One satisfaction indicator of Decision 766 (docs/domain.md §8; written once in
desk.dashboard.satisfaction): the leaders' dashboard and the satisfaction page show
the same figure for the same dossiers, open overdue dossiers included. The
satisfaction page used to divide by the finished dossiers alone, leaving out the
dossiers still open, overdue or not."""

import re

import pytest
import time_machine
from django.urls import reverse

from desk import stats
from surveys.models import RatingChoice
from surveys.services import record_rating
from tests.factories import at, make_procedure, received, returned

PERIOD = {"start": "01/03/2026", "end": "31/03/2026"}


def dashboard_figure(html: str) -> str:
    row = re.search(r'<tr data-indicator="satisfaction">(.*?)</tr>', html, re.S).group(1)
    return re.findall(r'<td class="number">\s*([^<]*?)\s*</td>', row)[1]


def satisfaction_page_figure(html: str) -> str:
    return re.search(r"<dd data-indicator>([^<]*)</dd>", html).group(1).strip()


@pytest.mark.django_db
def test_the_dashboard_and_the_satisfaction_page_show_the_same_indicator(
    client, clerk, officer, commune, commune_leader
):
    procedure = make_procedure(agencies=(commune,), time_value=5)
    happy = returned(clerk, officer, procedure)
    unhappy = returned(clerk, officer, procedure)
    received(clerk, procedure, "2026-03-02 09:00")  # due 9 March: open and overdue
    received(clerk, procedure, "2026-03-19 09:00")  # open within its term
    received(clerk, procedure, "2026-03-19 10:00")
    with time_machine.travel(at("2026-03-20 09:00"), tick=False):
        record_rating(dossier=happy, choice=RatingChoice.SATISFIED, channel="link")
        record_rating(
            dossier=unhappy, choice=RatingChoice.DISSATISFIED, reason="Phải chờ lâu", channel="link"
        )
        stats.rebuild()
        client.force_login(commune_leader)
        board = client.get(
            reverse("desk:dashboard"), {"agency": commune.pk, "period": "custom", **PERIOD}
        )
        page = client.get(reverse("surveys:results"), {"agency": commune.pk, **PERIOD})

    # Five dossiers (two finished, three open), one overdue, one dissatisfied: 3 / 5.
    assert dashboard_figure(board.content.decode()) == "60,0%"
    assert satisfaction_page_figure(page.content.decode()) == "60,0%"
    score = next(s for s in board.context["board"].scores if s.indicator.code == "satisfaction")
    assert page.context["r"].indicator == score.rate
