"""Reads: scores, an officer's year, plan coverage and the leaders' panel.

Scores (docs/domain.md §10): the share of items met among the items assessed
(met / (met + not met)); "not applicable" counts for neither. Per officer: the
ticks about that officer. Per agency: every tick of its inspections (officers,
premises and sampled dossiers). Only completed inspections count; their counts
are frozen in ``ScoreTally`` rows, so a province's five years are sums over tens
of thousands of rows, not millions of ticks.
"""

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils import formats, timezone

from procedures.models import Agency, User

from .models import (
    Finding,
    FindingKind,
    FollowUp,
    Inspection,
    InspectionPlan,
    InspectionStatus,
    ScoreTally,
)


def share(met: int, not_met: int) -> Decimal | None:
    """Percentage met, one decimal, half up; None when nothing was assessed."""
    assessed = met + not_met
    if not assessed:
        return None
    return (Decimal(met) * 100 / assessed).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Row:
    pk: int
    name: str
    agency_name: str = ""
    inspections: int = 0
    met: int = 0
    not_met: int = 0
    not_applicable: int = 0
    violations: int = 0
    repeats: int = 0
    commendations: int = 0

    @property
    def share(self) -> Decimal | None:
        return share(self.met, self.not_met)


def _tallies(agency_ids: set[int] | None, start: dt.date, end: dt.date):
    qs = ScoreTally.objects.filter(inspected_on__gte=start, inspected_on__lte=end)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    return qs


def _findings(agency_ids: set[int] | None, start: dt.date, end: dt.date):
    qs = Finding.objects.filter(inspected_on__gte=start, inspected_on__lte=end)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    return qs


def agency_scores(agency_ids: set[int] | None, start: dt.date, end: dt.date) -> list[Row]:
    """One row per agency inspected in [start, end], worst share first."""
    rows: dict[int, Row] = {}
    for agency_id, met, not_met, na, inspections in (
        _tallies(agency_ids, start, end)
        .values("agency_id")
        .annotate(
            met=Sum("met"),
            not_met=Sum("not_met"),
            na=Sum("not_applicable"),
            inspections=Count("inspection_id", distinct=True),
        )
        .values_list("agency_id", "met", "not_met", "na", "inspections")
    ):
        rows[agency_id] = Row(agency_id, "", "", inspections, met, not_met, na)
    for agency_id, kind, n in (
        _findings(agency_ids, start, end)
        .values("agency_id", "kind")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "kind", "n")
    ):
        if agency_id in rows:
            if kind == FindingKind.VIOLATION:
                rows[agency_id].violations = n
            else:
                rows[agency_id].commendations = n
    names = dict(Agency.objects.filter(pk__in=rows).values_list("pk", "name"))
    for row in rows.values():
        row.name = names.get(row.pk, "")
    return sorted(rows.values(), key=lambda r: (r.share is None, r.share or 0, r.name))


def officer_scores(agency_ids: set[int] | None, start: dt.date, end: dt.date) -> list[Row]:
    """One row per officer inspected in [start, end] at an agency of ``agency_ids``."""
    rows: dict[int, Row] = {}
    for officer_id, met, not_met, na, inspections in (
        _tallies(agency_ids, start, end)
        .filter(officer_id__isnull=False)
        .values("officer_id")
        .annotate(
            met=Sum("met"),
            not_met=Sum("not_met"),
            na=Sum("not_applicable"),
            inspections=Count("inspection_id"),
        )
        .values_list("officer_id", "met", "not_met", "na", "inspections")
    ):
        rows[officer_id] = Row(officer_id, "", "", inspections, met, not_met, na)
    for officer_id, violations, repeats, commendations in (
        _findings(agency_ids, start, end)
        .filter(officer_id__isnull=False)
        .values("officer_id")
        .annotate(
            violations=Count("pk", filter=Q(kind=FindingKind.VIOLATION)),
            repeats=Count("pk", filter=Q(kind=FindingKind.VIOLATION, is_repeat=True)),
            commendations=Count("pk", filter=Q(kind=FindingKind.COMMENDATION)),
        )
        .values_list("officer_id", "violations", "repeats", "commendations")
    ):
        row = rows.get(officer_id)
        if row is not None:
            row.violations, row.repeats, row.commendations = violations, repeats, commendations
    agency_names = dict(Agency.objects.values_list("pk", "name"))
    for pk, first, last, agency_id in User.objects.filter(pk__in=rows).values_list(
        "pk", "first_name", "last_name", "agency_id"
    ):
        rows[pk].name = f"{last} {first}".strip()
        rows[pk].agency_name = agency_names.get(agency_id, "")
    return sorted(rows.values(), key=lambda r: (r.agency_name, r.name, r.pk))


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@dataclass
class OfficerYear:
    """An officer's conduct in one year, for the year-end rating (đánh giá cuối năm)."""

    officer: User
    year: int
    inspections: list[dict] = field(default_factory=list)
    met: int = 0
    not_met: int = 0
    not_applicable: int = 0
    violations: list[Finding] = field(default_factory=list)
    commendations: list[Finding] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)

    @property
    def share(self) -> Decimal | None:
        return share(self.met, self.not_met)

    @property
    def repeats(self) -> int:
        return sum(1 for f in self.violations if f.is_repeat)


def officer_year(officer: User, year: int) -> OfficerYear:
    start, end = year_bounds(year)
    summary = OfficerYear(officer=officer, year=year)
    for tally in (
        ScoreTally.objects.filter(officer=officer, inspected_on__gte=start, inspected_on__lte=end)
        .select_related("inspection", "agency")
        .order_by("inspected_on", "pk")
    ):
        summary.met += tally.met
        summary.not_met += tally.not_met
        summary.not_applicable += tally.not_applicable
        summary.inspections.append(
            {
                "inspection": tally.inspection,
                "agency": tally.agency,
                "on": tally.inspected_on,
                "met": tally.met,
                "not_met": tally.not_met,
                "share": share(tally.met, tally.not_met),
            }
        )
    findings = list(
        Finding.objects.filter(officer=officer, inspected_on__gte=start, inspected_on__lte=end)
        .select_related("item", "inspection")
        .order_by("inspected_on", "pk")
    )
    summary.violations = [f for f in findings if f.kind == FindingKind.VIOLATION]
    summary.commendations = [f for f in findings if f.kind == FindingKind.COMMENDATION]
    summary.follow_ups = list(
        FollowUp.objects.filter(finding__in=summary.violations)
        .select_related("owner", "finding")
        .order_by("due_at", "pk")
    )
    return summary


# ---------------------------------------------------------------- coverage


@dataclass
class Coverage:
    """A plan's coverage of its units (docs/domain.md §10: at least 30 % a year)."""

    units: int
    required_share: Decimal
    planned: int
    done: int

    @property
    def required(self) -> int:
        """Units to inspect: the share of the units, rounded up."""
        return math.ceil(Decimal(self.units) * Decimal(self.required_share))

    @property
    def planned_share(self) -> Decimal | None:
        return share(self.planned, self.units - self.planned) if self.units else None

    @property
    def done_share(self) -> Decimal | None:
        return share(self.done, self.units - self.done) if self.units else None

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.planned)

    @property
    def short(self) -> bool:
        return self.shortfall > 0

    @property
    def required_percent(self) -> Decimal:
        return (Decimal(self.required_share) * 100).quantize(Decimal("1"))


def plan_coverage(plan: InspectionPlan) -> Coverage:
    from .services import units_of

    units = units_of(plan.agency)
    planned = set(plan.entries.values_list("agency_id", flat=True)) & units
    done = set(
        Inspection.objects.filter(
            status=InspectionStatus.COMPLETED,
            inspected_on__year=plan.year,
            agency_id__in=units,
        ).values_list("agency_id", flat=True)
    )
    return Coverage(
        units=len(units),
        required_share=plan.required_coverage,
        planned=len(planned),
        done=len(done),
    )


# ---------------------------------------------------------------- the leaders' panel


@dataclass
class Panel:
    year: int
    inspections: int
    met: int
    not_met: int
    violations: int
    repeats: int
    commendations: int
    open_follow_ups: int
    overdue_follow_ups: int
    coverage: Coverage | None
    worst: list[Row]

    @property
    def share(self) -> Decimal | None:
        return share(self.met, self.not_met)


def panel(user: User, agency_ids: set[int] | None, year: int, now=None) -> Panel:
    now = now or timezone.now()
    start, end = year_bounds(year)
    totals = _tallies(agency_ids, start, end).aggregate(
        met=Sum("met"), not_met=Sum("not_met"), inspections=Count("inspection_id", distinct=True)
    )
    findings = _findings(agency_ids, start, end).aggregate(
        violations=Count("pk", filter=Q(kind=FindingKind.VIOLATION)),
        repeats=Count("pk", filter=Q(kind=FindingKind.VIOLATION, is_repeat=True)),
        commendations=Count("pk", filter=Q(kind=FindingKind.COMMENDATION)),
    )
    follow_ups = FollowUp.objects.filter(done_at__isnull=True)
    if agency_ids is not None:
        follow_ups = follow_ups.filter(agency_id__in=agency_ids)
    counts = follow_ups.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    plan = (
        InspectionPlan.objects.filter(agency_id=user.agency_id, year=year).first()
        if user.agency_id
        else None
    )
    rows = [r for r in agency_scores(agency_ids, start, end) if r.share is not None]
    return Panel(
        year=year,
        inspections=totals["inspections"] or 0,
        met=totals["met"] or 0,
        not_met=totals["not_met"] or 0,
        violations=findings["violations"],
        repeats=findings["repeats"],
        commendations=findings["commendations"],
        open_follow_ups=counts["open"],
        overdue_follow_ups=counts["overdue"],
        coverage=plan_coverage(plan) if plan else None,
        worst=rows[:3],
    )


def officer_conduct(user_ids: list[int], start: dt.date, end: dt.date) -> dict[int, str]:
    """For the leaders' dashboard's officer view (registered in ConductConfig.ready):
    each officer's share of conduct items met in the period."""
    result = {}
    for officer_id, met, not_met in (
        _tallies(None, start, end)
        .filter(officer_id__in=user_ids)
        .values("officer_id")
        .annotate(met=Sum("met"), not_met=Sum("not_met"))
        .values_list("officer_id", "met", "not_met")
    ):
        value = share(met, not_met)
        if value is not None:
            result[officer_id] = f"{formats.localize(value)}%"
    return result
