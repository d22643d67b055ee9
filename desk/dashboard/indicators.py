"""Decision 766's indicators on the dashboard (docs/domain.md §8): a scope's
figures, each indicator's score, the ranking of the units and the page's data.
Reads desk/stats.py's pre-aggregated rows; what later apps know (complaints,
ratings, feedback) comes through desk/dashboard/sources.py.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.redis import cached
from procedures.models import Agency, OnlineLevel, Procedure, ProcedureStatus

from .. import stats
from ..models import AgencyDayStats, Indicator, ProcedureMonthStats
from .sources import DISSATISFIED_SOURCES, FEEDBACK_SOURCES
from .trend import monthly_trend

# ---------------------------------------------------------------- scopes


@dataclass
@dataclass
class Scope:
    """An agency and its subtree, and the units directly under it (for ranking)."""

    root: Agency
    ids: list[int]
    units: list[tuple[Agency, set[int]]]

    @classmethod
    def of(cls, root: Agency) -> Scope:
        agencies = list(Agency.objects.filter(pk__in=Agency.objects.subtree_ids(root.pk)))
        children: dict[int | None, list[Agency]] = defaultdict(list)
        for agency in agencies:
            children[agency.parent_id].append(agency)

        def below(agency: Agency) -> set[int]:
            ids = {agency.pk}
            for child in children.get(agency.pk, []):
                ids |= below(child)
            return ids

        units = [(child, below(child)) for child in sorted(children[root.pk], key=str)]
        if not units:
            units = [(root, {root.pk})]
        return cls(root=root, ids=[a.pk for a in agencies], units=units)


# ---------------------------------------------------------------- scores


@dataclass
@dataclass
class Score:
    indicator: Indicator
    numerator: int | None
    denominator: int | None
    rate: Decimal | None  # percent
    points: Decimal | None  # None: not applicable
    note: str = ""


def score(indicator: Indicator, numerator: int | None, denominator: int | None) -> Score:
    """docs/domain.md §8: P if rate ≥ θ, else rate × P / θ; without θ, rate × P; no
    denominator, not applicable."""
    if not denominator or numerator is None:
        return Score(indicator, numerator, denominator, None, None)
    fraction = Decimal(numerator) / Decimal(denominator)
    percent = stats.rate(numerator, denominator)
    maximum = indicator.max_points
    if indicator.threshold:
        theta = indicator.threshold / 100
        points = maximum if fraction >= theta else fraction * maximum / theta
    else:
        points = fraction * maximum
    return Score(indicator, numerator, denominator, percent, points.quantize(Decimal("0.01")))


def _catalog(ids: list[int]) -> dict[int, tuple[frozenset, frozenset, frozenset]]:
    """Per agency of the scope: (procedures it handles, those published and in force
    with their documents listed, those fully online). One query; the catalog changes
    rarely, so the result is cached for five minutes."""
    key = f"dashboard:catalog:{min(ids, default=0)}:{len(ids)}:{hash(tuple(sorted(ids)))}"
    return cached(key, lambda: _read_catalog(ids), 300)


def _read_catalog(ids: list[int]) -> dict[int, tuple[frozenset, frozenset, frozenset]]:
    handled: dict[int, set] = defaultdict(set)
    published: dict[int, set] = defaultdict(set)
    online: dict[int, set] = defaultdict(set)
    with_documents = set(
        Procedure.objects.filter(agencies__in=ids, documents__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
    )
    links = Procedure.agencies.through.objects.filter(agency_id__in=ids).values_list(
        "agency_id", "procedure_id", "procedure__status", "procedure__online_level"
    )
    for agency_id, procedure_id, status, level in links:
        handled[agency_id].add(procedure_id)
        if status != ProcedureStatus.ABOLISHED:
            if procedure_id in with_documents:
                published[agency_id].add(procedure_id)
            if level == OnlineLevel.FULL:
                online[agency_id].add(procedure_id)
    return {
        pk: (frozenset(handled[pk]), frozenset(published[pk]), frozenset(online[pk])) for pk in ids
    }


def _catalog_counts(catalog: dict, ids: Iterable[int]) -> tuple[int, int, int]:
    """(procedures the agencies handle, published and in force, fully online)."""
    sets = [catalog[pk] for pk in ids if pk in catalog]
    return tuple(len(frozenset().union(*(s[i] for s in sets))) for i in range(3))


def satisfaction(*, dossiers: int, overdue: int, dissatisfied: int) -> tuple[int, int]:
    """Decision 766's satisfaction indicator as (numerator, denominator), for the
    dashboard and the satisfaction page (surveys/results.py) alike.

    docs/domain.md §8: "100% − (% dossiers overdue + % dossiers with a complaint or a
    'dissatisfied' rating)". The dossiers are those the progress indicator counts,
    received or processed in the period: finished in it, or open at its end; the
    overdue ones are those finished late (desk/clock.py ``late_for_indicators``) and
    those still open past their due date, which a rate over the finished dossiers
    alone would leave out ("never a rate that ignores open overdue dossiers")."""
    return max(0, dossiers - overdue - dissatisfied), dossiers


def scores_for(
    figures: stats.Figures,
    indicators: list[Indicator],
    *,
    ids: list[int],
    catalog: tuple[int, int, int],
    dissatisfied: int | None,
    feedback: tuple[int, int] | None,
) -> list[Score]:
    f = figures
    total, published, online = catalog
    values: dict[str, tuple[int | None, int | None]] = {
        "catalog_published": (published, total),
        "progress": (f.progress_numerator, f.progress_denominator),
        "online_procedures": (online, total),
        "online_dossiers": (f.flows["received_online"], f.flows["received"]),
        "digitised": (f.flows["received_digitised"], f.flows["received"]),
        "satisfaction": satisfaction(
            dossiers=f.progress_denominator,
            overdue=f.flows["finished_late"] + f.stocks["open_overdue"],
            dissatisfied=dissatisfied or 0,
        ),
        "feedback_on_time": feedback if feedback is not None else (None, None),
    }
    notes = {
        "portal_sync": _("Chưa kết nối Cổng Dịch vụ công quốc gia: không tính."),
        "online_payment": _("Chưa có dữ liệu thanh toán trực tuyến: không tính."),
        "data_reuse": _("Chưa có dữ liệu tái sử dụng: không tính."),
    }
    result = []
    for indicator in indicators:
        numerator, denominator = values.get(indicator.code, (None, None))
        item = score(indicator, numerator, denominator)
        item.note = str(notes.get(indicator.code, ""))
        result.append(item)
    return result


def total_points(scores: list[Score]) -> tuple[Decimal, Decimal]:
    """(points, the maximum of the applicable indicators)."""
    applicable = [s for s in scores if s.points is not None]
    return (
        sum((s.points for s in applicable), Decimal(0)).quantize(Decimal("0.01")),
        sum((s.indicator.max_points for s in applicable), Decimal(0)),
    )


@dataclass
@dataclass
class Dashboard:
    scope: Scope
    start: dt.date
    end: dt.date
    figures: stats.Figures
    scores: list[Score]
    points: tuple[Decimal, Decimal]
    ranking: list[dict[str, Any]]
    trend: list[dict[str, Any]]
    procedures: list[dict[str, Any]]
    dissatisfied: int | None
    feedback: tuple[int, int] | None

    @property
    def updated_at(self) -> dt.datetime | None:
        return self.figures.updated_at

    @property
    def rates(self) -> dict[str, Decimal | None]:
        """The page's shares beside the figures: progress, online, digitised."""
        f = self.figures
        return {
            "progress": stats.rate(f.progress_numerator, f.progress_denominator),
            "online": stats.rate(f.flows["received_online"], f.flows["received"]),
            "digitised": stats.rate(f.flows["received_digitised"], f.flows["received"]),
        }


def _by_agency(
    ids: list[int], start: dt.date, end: dt.date, *, live: dict | None = None
) -> dict[int, stats.Figures]:
    """Figures per receiving agency (one grouped query, plus the stocks)."""
    rows = (
        AgencyDayStats.objects.filter(agency_id__in=ids, day__gte=start, day__lte=end)
        .values("agency_id")
        .annotate(**{name: Sum(name) for name in stats.FLOW_FIELDS})
    )
    flows = {r.pop("agency_id"): {k: v or 0 for k, v in r.items()} for r in rows}
    today = timezone.localdate()
    if end >= today:
        moment = timezone.now()
        stocks = live if live is not None else stats.stock_counts(moment, ids)
    else:
        moment = stats.midnight_after(end)
        stocks = {
            r.pop("agency_id"): {k: v or 0 for k, v in r.items()}
            for r in AgencyDayStats.objects.filter(agency_id__in=ids, day=end).values(
                "agency_id", *stats.STOCK_FIELDS
            )
        }
    empty_flows = dict.fromkeys(stats.FLOW_FIELDS, 0)
    empty_stocks = dict.fromkeys(stats.STOCK_FIELDS, 0)
    return {
        pk: stats.Figures(
            start,
            end,
            flows.get(pk, empty_flows),
            {**empty_stocks, **stocks.get(pk, {})},
            moment,
            None,
        )
        for pk in ids
    }


def _sum(figures: list[stats.Figures], start: dt.date, end: dt.date) -> stats.Figures:
    flows = {name: sum(f.flows[name] for f in figures) for name in stats.FLOW_FIELDS}
    stocks = {name: sum(f.stocks[name] for f in figures) for name in stats.STOCK_FIELDS}
    moment = figures[0].stocks_at if figures else timezone.now()
    return stats.Figures(start, end, flows, stocks, moment, None)


def procedures(ids: list[int], start: dt.date, end: dt.date, limit: int = 10) -> list[dict]:
    """The procedures with most dossiers finished in the period and their average
    processing time (calendar days). Its own panel on the page (desk:dashboard-
    procedures): it reads the per-procedure rows, tens of thousands for a province,
    grouped by procedure id alone; the ten names are read after."""
    top = list(
        ProcedureMonthStats.objects.filter(
            agency_id__in=ids, month__gte=start.replace(day=1), month__lte=end
        )
        .values("procedure_id")
        .annotate(finished=Sum("finished"), seconds=Sum("processing_seconds"))
        .order_by("-finished", "procedure_id")[:limit]
    )
    names = dict(
        (pk, (code, name))
        for pk, code, name in Procedure.objects.filter(
            pk__in=[r["procedure_id"] for r in top]
        ).values_list("pk", "code", "name")
    )
    return [
        {
            "code": names[r["procedure_id"]][0],
            "name": names[r["procedure_id"]][1],
            "finished": r["finished"],
            "average_days": (Decimal(r["seconds"]) / r["finished"] / 86400).quantize(Decimal("0.1"))
            if r["finished"]
            else None,
        }
        for r in top
    ]


def ranking_order(row: dict[str, Any]) -> tuple:
    """Ranked units first: the higher score, then more dossiers received in the
    period, then the name; then the units with nothing to judge, by name (README,
    the leaders' dashboard)."""
    unranked = row["score100"] is None
    return (
        unranked,
        -(row["score100"] or 0),
        -row["figures"].flows["received"],
        str(row["agency"]),
    )


def build(
    root: Agency, start: dt.date, end: dt.date, *, with_procedures: bool = False
) -> Dashboard:
    scope = Scope.of(root)
    live = stats.stock_counts(timezone.now(), scope.ids) if end >= timezone.localdate() else None
    per_agency = _by_agency(scope.ids, start, end, live=live)
    figures = _sum(list(per_agency.values()), start, end)
    figures.updated_at = AgencyDayStats.objects.filter(agency_id__in=scope.ids).aggregate(
        last=Max("updated_at")
    )["last"]
    indicators = list(Indicator.objects.all())
    dissatisfied = (
        sum(source(scope.ids, start, end) for source in DISSATISFIED_SOURCES)
        if DISSATISFIED_SOURCES
        else None
    )
    feedback = None
    if FEEDBACK_SOURCES:
        pairs = [source(scope.ids, start, end) for source in FEEDBACK_SOURCES]
        feedback = (sum(p[0] for p in pairs), sum(p[1] for p in pairs))
    catalog = _catalog(scope.ids)
    scores = scores_for(
        figures,
        indicators,
        ids=scope.ids,
        catalog=_catalog_counts(catalog, scope.ids),
        dissatisfied=dissatisfied,
        feedback=feedback,
    )
    ranking = []
    for unit, unit_ids in scope.units:
        unit_figures = _sum([per_agency[pk] for pk in unit_ids if pk in per_agency], start, end)
        unit_scores = scores_for(
            unit_figures,
            indicators,
            ids=list(unit_ids),
            catalog=_catalog_counts(catalog, unit_ids),
            dissatisfied=None,
            feedback=None,
        )
        points, maximum = total_points(unit_scores)
        # A unit with no dossier received, finished or open in the period has nothing
        # to judge: "không áp dụng", listed after the ranked units, never above them
        # (its catalog indicators alone would give it full marks).
        judged = bool(unit_figures.flows["received"] or unit_figures.progress_denominator)
        ranking.append(
            {
                "agency": unit,
                "figures": unit_figures,
                "points": points,
                "maximum": maximum,
                "score100": (points * 100 / maximum).quantize(Decimal("0.1"))
                if maximum and judged
                else None,
                "progress": stats.rate(
                    unit_figures.progress_numerator, unit_figures.progress_denominator
                ),
                "rank": None,
            }
        )
    ranking.sort(key=ranking_order)
    ranked = [row for row in ranking if row["score100"] is not None]
    for number, row in enumerate(ranked, start=1):
        row["rank"] = number
    return Dashboard(
        scope=scope,
        start=start,
        end=end,
        figures=figures,
        scores=scores,
        points=total_points(scores),
        ranking=ranking,
        trend=monthly_trend(scope.ids, end, live=live),
        procedures=procedures(scope.ids, start, end) if with_procedures else [],
        dissatisfied=dissatisfied,
        feedback=feedback,
    )
