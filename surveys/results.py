"""Satisfaction figures per agency, officer and period (docs/domain.md §8 and §9).

- Satisfaction % = (very satisfied + satisfied) / ratings.
- The indicator of Decision 766: 100% − (% dossiers overdue + % dossiers with a
  complaint or a "dissatisfied" rating), over the dossiers finished in the period or
  open at its end, written once in ``desk.dashboard.satisfaction`` so that this page
  and the leaders' dashboard show the same figure (tests/test_satisfaction_indicator.py);
  a behaviour complaint counts unless refused, forwarded or proved untrue.
- Per officer: the ratings of the dossiers they handled, and complaints about them.
Every figure is a handful of grouped queries, whatever the number of ratings.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone

from desk import stats
from desk.clock import late_for_indicators
from desk.dashboard import figure_queryset, satisfaction
from procedures.models import User

from .models import (
    Feedback,
    Rating,
    RatingChoice,
    SurveyKind,
    SurveyResponse,
)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in local time."""
    tz = timezone.get_default_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tz),
    )


@dataclass
class OfficerRow:
    officer: User
    ratings: int = 0
    satisfied: int = 0
    dissatisfied: int = 0
    complaints: int = 0

    @property
    def satisfaction(self) -> Decimal | None:
        return percent(self.satisfied, self.ratings)


@dataclass
class Results:
    start: dt.date
    end: dt.date
    total: int = 0
    distribution: dict[str, int] = field(default_factory=dict)
    satisfaction: Decimal | None = None
    reasons: list[Rating] = field(default_factory=list)
    trend: list[dict] = field(default_factory=list)
    officers: list[OfficerRow] = field(default_factory=list)
    finished: int = 0
    late: int = 0  # among the finished
    open: int = 0  # at the period's end
    open_overdue: int = 0
    complained: int = 0
    indicator: Decimal | None = None
    sipas: dict[str, Decimal] = field(default_factory=dict)
    sipas_count: int = 0
    nine_average: Decimal | None = None
    nine_grades: dict[str, int] = field(default_factory=dict)

    @property
    def bars(self) -> list[dict]:
        return [
            {
                "choice": choice,
                "label": RatingChoice(choice).label,
                "count": self.distribution.get(choice, 0),
                "percent": percent(self.distribution.get(choice, 0), self.total),
            }
            for choice in RatingChoice.values
        ]


def compute(
    *,
    agency_ids: set[int] | None,
    start: dt.date,
    end: dt.date,
    officer: User | None = None,
    reasons_limit: int = 50,
) -> Results:
    """The figures for ``agency_ids`` (None: every agency) over [start, end]."""
    since, until = period_bounds(start, end)
    result = Results(start=start, end=end)
    ratings = Rating.objects.filter(created_at__gte=since, created_at__lt=until)
    if agency_ids is not None:
        ratings = ratings.filter(agency_id__in=agency_ids)
    if officer is not None:
        ratings = ratings.filter(officers=officer)
    result.distribution = ratings.distribution()
    result.total = sum(result.distribution.values())
    result.satisfaction = percent(
        result.distribution[RatingChoice.VERY_SATISFIED]
        + result.distribution[RatingChoice.SATISFIED],
        result.total,
    )
    result.reasons = list(
        ratings.filter(choice=RatingChoice.DISSATISFIED)
        .select_related("dossier", "dossier__procedure")
        .order_by("-created_at")[:reasons_limit]
    )
    months: dict[dt.date, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(RatingChoice.values, 0)
    )
    for month, choice, n in (
        ratings.annotate(month=TruncMonth("created_at", tzinfo=timezone.get_default_timezone()))
        .values_list("month", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        months[month.date() if isinstance(month, dt.datetime) else month][choice] = n
    for month in sorted(months):
        counts = months[month]
        total = sum(counts.values())
        result.trend.append(
            {
                "month": month,
                "total": total,
                "counts": counts,
                "satisfaction": percent(
                    counts[RatingChoice.VERY_SATISFIED] + counts[RatingChoice.SATISFIED], total
                ),
            }
        )
    result.officers = _officer_rows(ratings, agency_ids, since, until, officer)
    _indicator(result, agency_ids, start, end, officer)
    _surveys(result, agency_ids, since, until)
    return result


def _complaints(agency_ids, since, until):
    complaints = Feedback.objects.upheld_behaviour().filter(
        received_at__gte=since, received_at__lt=until
    )
    if agency_ids is not None:
        complaints = complaints.filter(agency_id__in=agency_ids)
    return complaints


def _officer_rows(ratings, agency_ids, since, until, officer) -> list[OfficerRow]:
    rows: dict[int, OfficerRow] = {}
    per_officer = (
        ratings.filter(officers__isnull=False)
        .values_list("officers", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for officer_id, choice, n in per_officer:
        counts[officer_id][choice] = n
    complaints = dict(
        _complaints(agency_ids, since, until)
        .filter(officer__isnull=False)
        .values_list("officer")
        .annotate(n=Count("pk"))
        .order_by()
    )
    ids = set(counts) | set(complaints)
    if officer is not None:
        ids &= {officer.pk}
    users = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    for pk in ids:
        if pk not in users:
            continue
        c = counts.get(pk, {})
        rows[pk] = OfficerRow(
            officer=users[pk],
            ratings=sum(c.values()),
            satisfied=c.get(RatingChoice.VERY_SATISFIED, 0) + c.get(RatingChoice.SATISFIED, 0),
            dissatisfied=c.get(RatingChoice.DISSATISFIED, 0),
            complaints=complaints.get(pk, 0),
        )
    return sorted(rows.values(), key=lambda r: (-r.ratings, r.officer.last_name, r.officer.pk))


def _indicator(result: Results, agency_ids, start, end, officer) -> None:
    """docs/domain.md §8, satisfaction, as the dashboard computes it
    (``desk.dashboard.satisfaction``): over the dossiers the dashboard counts for the
    period (``figure_queryset``: finished in it, or open at its end), the overdue
    ones (finished late, or open past their due date) and those with a complaint or
    a "dissatisfied" rating."""
    ids = None if agency_ids is None else list(agency_ids)

    def counted(figure: str):
        dossiers = figure_queryset(figure, ids, start, end)
        if officer is None:
            return dossiers
        return dossiers.filter(
            Q(received_by=officer) | Q(events__actor=officer) | Q(events__to_user=officer)
        ).distinct()

    finished = counted("finished").aggregate(
        total=Count("pk", distinct=True),
        # Late as the dashboard counts it (desk/clock.py): more than one supplement
        # request is late too.
        late=Count("pk", filter=late_for_indicators(), distinct=True),
        complained=Count(
            "pk",
            filter=Q(rating__choice=RatingChoice.DISSATISFIED)
            | Q(
                pk__in=Feedback.objects.upheld_behaviour()
                .filter(dossier__isnull=False)
                .values("dossier_id")
            ),
            distinct=True,
        ),
    )
    result.finished = finished["total"]
    result.late = finished["late"]
    result.complained = finished["complained"]
    result.open_overdue = counted("overdue").count()
    result.open = result.open_overdue + sum(
        counted(figure).count() for figure in ("within_term", "supplement")
    )
    numerator, denominator = satisfaction(
        dossiers=result.finished + result.open,
        overdue=result.late + result.open_overdue,
        dissatisfied=result.complained,
    )
    result.indicator = stats.rate(numerator, denominator)


def _surveys(result: Results, agency_ids, since, until) -> None:
    responses = SurveyResponse.objects.filter(created_at__gte=since, created_at__lt=until)
    if agency_ids is not None:
        responses = responses.filter(agency_id__in=agency_ids)
    sipas = list(
        responses.filter(template__kind=SurveyKind.SIPAS).prefetch_related("template__questions")
    )
    result.sipas_count = len(sipas)
    sums: dict[str, list[Decimal]] = defaultdict(list)
    for response in sipas:
        for factor, mean in response.factor_means().items():
            sums[factor].append(mean)
    result.sipas = {
        factor: (sum(values) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        for factor, values in sums.items()
    }
    nine = responses.filter(template__kind=SurveyKind.NINE_CRITERIA)
    totals = list(nine.values_list("total", "grade"))
    if totals:
        result.nine_average = (Decimal(sum(t for t, _ in totals)) / len(totals)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        grades: dict[str, int] = defaultdict(int)
        for _total, grade in totals:
            grades[grade] += 1
        result.nine_grades = dict(grades)


# ---------------------------------------------------------------- the leaders' dashboard
# Registered in SurveysConfig.ready() (desk.dashboard's registries): desk reads
# these without importing surveys.


def dissatisfied_dossiers(agency_ids: list[int], start: dt.date, end: dt.date) -> int:
    """Dossiers received by ``agency_ids`` and finished in the period with a
    "dissatisfied" rating or an upheld complaint about their handling.

    Read from the ratings and the complaints (small tables) towards the dossiers,
    never by scanning a province's finished dossiers."""
    since, until = period_bounds(start, end)
    finished = {
        "dossier__receiving_agency_id__in": agency_ids,
        "dossier__finished_at__gte": since,
        "dossier__finished_at__lt": until,
    }
    rated = Rating.objects.filter(choice=RatingChoice.DISSATISFIED, **finished).values_list(
        "dossier_id", flat=True
    )
    complained = (
        Feedback.objects.upheld_behaviour()
        .filter(dossier__isnull=False, **finished)
        .values_list("dossier_id", flat=True)
    )
    return len(set(rated) | set(complained))


def feedback_on_time(agency_ids: list[int], start: dt.date, end: dt.date) -> tuple[int, int]:
    """(feedback handled in the period with every step on time, feedback handled)."""
    since, until = period_bounds(start, end)
    handled = Feedback.objects.filter(
        agency_id__in=agency_ids, handled_at__gte=since, handled_at__lt=until
    ).aggregate(total=Count("pk"), on_time=Count("pk", filter=Q(late=False)))
    return handled["on_time"], handled["total"]


def officer_satisfaction(user_ids: list[int], start: dt.date, end: dt.date) -> dict[int, str]:
    """Each officer's satisfaction % over the ratings of the dossiers they handled."""
    since, until = period_bounds(start, end)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for officer_id, choice, n in (
        Rating.objects.filter(officers__in=user_ids, created_at__gte=since, created_at__lt=until)
        .values_list("officers", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[officer_id][1] += n
        if choice != RatingChoice.DISSATISFIED:
            counts[officer_id][0] += n
    return {
        pk: f"{formats.localize(percent(satisfied, total))}% ({total})"
        for pk, (satisfied, total) in counts.items()
    }
