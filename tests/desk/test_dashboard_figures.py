"""The dashboard's figures against the raw data, on a generated province.

The demo's generator (desk/demo.py, every dossier through the real services)
builds ~200 dossiers in every state over the two months before NOW: paused,
extended (on time and late), withdrawn and stopped, refused, returned early, on
time and late, some spanning a period's boundary. Every figure the dashboard shows
is then computed here directly from the dossiers, in Python, and compared.
"""

import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone

from desk import dashboard, stats
from desk.models import (
    OPEN_STATES,
    AgencyDayStats,
    ApologyLetter,
    ApologyStatus,
    Dossier,
    Timeliness,
)
from procedures.models import Agency
from tests.conftest import rolled_back

TZ = timezone.get_default_timezone()
NOW = dt.datetime(2026, 4, 15, 10, 30, tzinfo=TZ)


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker), time_machine.travel(NOW, tick=False):
        from desk import demo as desk_demo
        from procedures import demo as procedures_demo

        out = io.StringIO()
        procedures_demo.load(out)
        desk_demo.seed_calendar(range(2025, 2028))
        desk_demo.load_dossiers(out)
        # End-of-day stocks of the past days, as the nightly snapshot would have
        # written them day after day.
        for offset in range(1, 70):
            stats.snapshot_stocks(NOW.date() - dt.timedelta(days=offset))
        yield Agency.objects.get(parent__isnull=True)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def day(moment):
    return timezone.localtime(moment, TZ).date()


def expected(ids, start, end):
    """Every figure, straight from the dossiers."""
    stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, TZ)
    live = end >= NOW.date()
    moment = NOW if live else stop
    out = dict.fromkeys(stats.FLOW_FIELDS + stats.STOCK_FIELDS, 0)
    for d in Dossier.objects.filter(receiving_agency_id__in=ids).prefetch_related(
        "documents", "supplements"
    ):
        if d.received_at and start <= day(d.received_at) <= end:
            out["received"] += 1
            out["received_online"] += d.channel == "online"
            docs = list(d.documents.all())
            out["received_digitised"] += bool(docs) and all(x.digitised for x in docs)
            out["multi_supplement"] += d.supplement_count > 1
        if d.received_at and d.finished_at and d.timeliness and start <= day(d.finished_at) <= end:
            if d.timeliness == Timeliness.LATE or d.supplement_count > 1:
                out["finished_late"] += 1
            elif d.timeliness == Timeliness.EARLY:
                out["finished_early"] += 1
            else:
                out["finished_on_time"] += 1
            out["processing_seconds"] += int((d.finished_at - d.received_at).total_seconds())
        if live:
            is_open = d.state in OPEN_STATES and d.received_at is not None
            paused = d.paused_at is not None
        else:
            is_open = (
                d.received_at is not None
                and d.received_at < moment
                and (d.finished_at is None or d.finished_at >= moment)
            )
            paused = any(
                s.requested_at < moment and (s.supplied_at is None or s.supplied_at >= moment)
                for s in d.supplements.all()
            )
        if is_open:
            if paused:
                out["open_supplement"] += 1
            elif d.due_at < moment:
                out["open_overdue"] += 1
            else:
                out["open_within_term"] += 1
    for letter in ApologyLetter.objects.filter(
        dossier__receiving_agency_id__in=ids, status=ApologyStatus.APPROVED
    ):
        if start <= day(letter.signed_at) <= end:
            out["apologies_late" if letter.is_late else "apologies_on_time"] += 1
    return out


def shown(figures: stats.Figures) -> dict:
    return {**figures.flows, **figures.stocks}


PERIODS = {
    "last 30 days, to today (live stocks)": (NOW.date() - dt.timedelta(days=30), NOW.date()),
    "March, a past month (snapshot stocks)": (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
    "a week spanning the boundary of two months": (dt.date(2026, 3, 28), dt.date(2026, 4, 3)),
    "twelve months": dashboard.period_bounds("12m", today=NOW.date()),
}


@pytest.mark.django_db
@pytest.mark.parametrize("period", PERIODS)
def test_every_figure_equals_the_raw_data(province, period):
    start, end = PERIODS[period]
    ids = list(Agency.objects.subtree_ids(province.pk))

    figures = stats.figures(ids, start, end)

    want = expected(ids, start, end)
    assert shown(figures) == want
    # The data set exercises what the counting rules are about.
    assert want["received"] and want["finished_on_time"] and want["finished_late"]


@pytest.mark.django_db
def test_the_generated_province_has_the_awkward_cases(province):
    ids = list(Agency.objects.subtree_ids(province.pk))
    start, end = PERIODS["twelve months"]
    want = expected(ids, start, end)
    assert want["open_supplement"] and want["open_overdue"] and want["multi_supplement"]
    assert want["apologies_on_time"] and want["apologies_late"]
    assert Dossier.objects.filter(state=8).exists()  # withdrawn and stopped
    assert Dossier.objects.filter(extended=True).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("period", PERIODS)
def test_each_commune_and_the_ranking_add_up(province, period):
    start, end = PERIODS[period]
    board = dashboard.build(province, start, end)

    for row in board.ranking:
        assert shown(row["figures"]) == expected(
            list(Agency.objects.subtree_ids(row["agency"].pk)), start, end
        )
    total = {k: sum(shown(r["figures"])[k] for r in board.ranking) for k in shown(board.figures)}
    own = expected([province.pk], start, end)  # dossiers received by the province itself
    assert {k: total[k] + own[k] for k in total} == shown(board.figures)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "period", ["last 30 days, to today (live stocks)", "March, a past month (snapshot stocks)"]
)
def test_every_drill_down_list_matches_its_number(province, period):
    start, end = PERIODS[period]
    ids = list(Agency.objects.subtree_ids(province.pk))
    figures = stats.figures(ids, start, end)
    numbers = {
        **shown(figures),
        "online": figures.flows["received_online"],
        "digitised": figures.flows["received_digitised"],
        "finished": figures.finished,
        "within_term": figures.stocks["open_within_term"],
        "overdue": figures.stocks["open_overdue"],
        "supplement": figures.stocks["open_supplement"],
    }
    for figure in dashboard.FIGURES:
        assert dashboard.figure_queryset(figure, ids, start, end).count() == numbers[figure], figure


@pytest.mark.django_db
def test_rebuilding_from_the_dossiers_gives_the_rows_the_services_kept(province):
    def flows():
        return {
            (r["agency_id"], r["day"]): tuple(r[f] for f in stats.FLOW_FIELDS)
            for r in AgencyDayStats.objects.values("agency_id", "day", *stats.FLOW_FIELDS)
            if any(r[f] for f in stats.FLOW_FIELDS)
        }

    def stocks(first):
        return {
            (r["agency_id"], r["day"]): tuple(r[f] or 0 for f in stats.STOCK_FIELDS)
            for r in AgencyDayStats.objects.filter(day__gte=first, day__lt=NOW.date()).values(
                "agency_id", "day", *stats.STOCK_FIELDS
            )
            if any(r[f] for f in stats.STOCK_FIELDS)
        }

    first = NOW.date() - dt.timedelta(days=69)
    kept_flows, kept_stocks = flows(), stocks(first)

    stats.rebuild(stocks_from=first)

    assert flows() == kept_flows
    # The rebuilt history classifies by day (a dossier due at 10:00 counts overdue
    # from that day's end), as the snapshots do.
    assert stocks(first) == kept_stocks


@pytest.mark.django_db
def test_the_trend_adds_up_to_the_twelve_months_figures(province):
    start, end = PERIODS["twelve months"]
    board = dashboard.build(province, start, end)

    assert sum(t["received"] for t in board.trend) == board.figures.flows["received"]
    assert sum(t["finished"] for t in board.trend) == board.figures.finished
    assert sum(t["late"] for t in board.trend) == board.figures.flows["finished_late"]
    assert board.trend[-1]["overdue"] == board.figures.stocks["open_overdue"]
