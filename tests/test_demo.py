"""`manage.py seed_demo`, as `make demo` runs it: every app's demo data loads on
PostgreSQL, shows what the README promises, and a second run adds nothing."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from desk.models import Dossier, DossierEvent, State
from procedures.models import Procedure, ProcedureStep
from tests.conftest import rolled_back


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()


@pytest.mark.django_db
def test_the_demo_has_dossiers_in_every_state(demo):
    states = set(Dossier.objects.values_list("state", flat=True))
    assert states == set(State.values)
    assert "Demo data ready." in demo


@pytest.mark.django_db
def test_the_demo_has_dossiers_due_soon_and_overdue(demo):
    now = timezone.now()
    running = Dossier.objects.open().filter(paused_at__isnull=True, due_at__isnull=False)
    assert running.filter(due_at__lt=now).exists()
    assert running.filter(due_at__gte=now, due_at__lte=now + dt.timedelta(days=4)).exists()


@pytest.mark.django_db
def test_the_demo_splits_multi_day_procedures_into_internal_steps(demo):
    assert Procedure.objects.filter(internal_steps__isnull=False).distinct().count() > 5
    assert ProcedureStep.objects.filter(name="Lãnh đạo xem xét, ký duyệt").exists()
    # Some hand-overs are judged against a step deadline before the due date.
    assert DossierEvent.objects.filter(
        kind="hand_over", step_due_at__lt=F("dossier__due_at")
    ).exists()


@pytest.mark.django_db
def test_a_second_run_adds_nothing(demo):
    before = (Dossier.objects.count(), DossierEvent.objects.count(), ProcedureStep.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    after = (Dossier.objects.count(), DossierEvent.objects.count(), ProcedureStep.objects.count())
    assert after == before


@pytest.mark.django_db
def test_the_demo_has_two_years_of_activity_for_the_dashboards_trends(demo):
    from desk import dashboard
    from procedures.models import Agency

    province = Agency.objects.get(parent__isnull=True)
    start, end = dashboard.period_bounds("12m", today=timezone.localdate())
    board = dashboard.build(province, start, end)
    assert all(month["received"] > 20 for month in board.trend)
    assert board.figures.stocks["open_overdue"] > 0
    first = Dossier.objects.order_by("received_at").first().received_at
    assert (timezone.now() - first).days > 700


@pytest.mark.django_db
def test_the_demo_asks_each_dossier_only_for_documents_of_its_own_procedure(demo):
    from desk.demo import FALLBACK_DOCUMENT
    from desk.models import SupplementRequest

    def own(dossier) -> set[str]:
        return {d.name[:1000] for d in dossier.procedure.documents.all()} or {FALLBACK_DOCUMENT}

    dossiers = Dossier.objects.prefetch_related("documents", "procedure__documents")
    checked = 0
    for dossier in dossiers.filter(documents__isnull=False).distinct():
        assert {d.name for d in dossier.documents.all()} <= own(dossier), dossier.code
        checked += 1
    assert checked > 100
    requests = SupplementRequest.objects.select_related("dossier__procedure")
    assert requests.count() > 5
    for request in requests:
        names = {item["name"] for item in request.items}
        assert names <= own(request.dossier), (request.dossier.procedure.name, request.items)
    guided = Dossier.objects.exclude(intake_guidance="")
    assert guided.exists()
    for dossier in guided:
        for line in dossier.intake_guidance.splitlines():  # "name: reason"
            assert any(line.startswith(f"{name}: ") for name in own(dossier)), line
