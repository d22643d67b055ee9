"""The leaders' dashboard (docs/domain.md §8): periods, scopes, indicator scores, trends
and the lists behind every number. Reads desk/stats.py's pre-aggregated rows.

Later apps add what they own without desk importing them (conventions: panels are
loaded from their own app): ``PANELS`` lists (url name, title) of htmx panels, and
``DISSATISFIED_SOURCES`` / ``FEEDBACK_SOURCES`` give the satisfaction indicator the
dossiers with a complaint or a "dissatisfied" rating and the feedback handled on
time. Each app appends to them in its AppConfig.ready().
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import OperationalError
from django.db.models import Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.redis import cached, enqueue_after_commit
from procedures import jobs
from procedures.models import Agency, OnlineLevel, Procedure, ProcedureStatus

from . import stats
from .clock import late_for_indicators
from .models import (
    OPEN_STATES,
    AgencyDayStats,
    ApologyStatus,
    Channel,
    Dossier,
    Indicator,
    ProcedureMonthStats,
    SupplementRequest,
    Timeliness,
)

# (url name, title): htmx panels from later apps, loaded with ?agency=&from=&to=.
PANELS: list[tuple[str, Any]] = []
# callable(agency_ids, start, end) -> number of dossiers received or finished in the
# period with a complaint about their handling or a "dissatisfied" rating.
DISSATISFIED_SOURCES: list[Callable[[list[int], dt.date, dt.date], int]] = []
# callable(agency_ids, start, end) -> (feedback handled on time, feedback handled).
FEEDBACK_SOURCES: list[Callable[[list[int], dt.date, dt.date], tuple[int, int]]] = []
# (column title, callable(user_ids, start, end) -> {user_id: value}) for the officer
# view: ratings, conduct scores.
OFFICER_SOURCES: list[tuple[Any, Callable[[list[int], dt.date, dt.date], dict]]] = []

PERIOD_CHOICES = [
    ("12m", _("12 tháng gần nhất")),
    ("month", _("Tháng")),
    ("quarter", _("Quý")),
    ("year", _("Năm")),
    ("custom", _("Tùy chọn")),
]


# ---------------------------------------------------------------- periods


def last_day_of_month(day: dt.date) -> dt.date:
    return day.replace(day=month_calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_bounds(
    kind: str,
    *,
    today: dt.date,
    month: dt.date | None = None,
    quarter: tuple[int, int] | None = None,
    year: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of a period; never past today."""
    if kind == "month" and month is not None:
        first, last = month.replace(day=1), last_day_of_month(month)
    elif kind == "quarter" and quarter is not None:
        number, q_year = quarter
        first = dt.date(q_year, 3 * number - 2, 1)
        last = last_day_of_month(dt.date(q_year, 3 * number, 1))
    elif kind == "year" and year is not None:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    elif kind == "custom" and start is not None and end is not None:
        first, last = start, end
    else:  # the last twelve months: from the day after this day a year ago to today
        first, last = a_year_before(today) + dt.timedelta(days=1), today
    return first, min(last, today)


def a_year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (28 February for a 29 February)."""
    if (day.month, day.day) == (2, 29):
        return day.replace(year=day.year - 1, day=28)
    return day.replace(year=day.year - 1)


def period_choices(today: dt.date) -> list[tuple[str, Any]]:
    """PERIOD_CHOICES, the default's label with the exact dates it covers."""
    first, last = period_bounds("12m", today=today)
    label = _("12 tháng gần nhất (%(start)s – %(end)s)") % {
        "start": f"{first:%d/%m/%Y}",
        "end": f"{last:%d/%m/%Y}",
    }
    return [("12m", label), *PERIOD_CHOICES[1:]]


# The form fields each kind of period reads; the others are neither shown (when
# JavaScript runs: static/js/dashboard.js) nor validated (DashboardFilterForm).
PERIOD_FIELDS = {
    "12m": (),
    "month": ("month",),
    "quarter": ("quarter", "year"),
    "year": ("year",),
    "custom": ("start", "end"),
}


# ---------------------------------------------------------------- scopes


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
    percent = (fraction * 100).quantize(Decimal("0.1"))
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
    overdue = f.flows["finished_late"] + f.stocks["open_overdue"]
    bad = overdue + (dissatisfied or 0)
    satisfied = max(0, f.progress_denominator - bad)
    values: dict[str, tuple[int | None, int | None]] = {
        "catalog_published": (published, total),
        "progress": (f.progress_numerator, f.progress_denominator),
        "online_procedures": (online, total),
        "online_dossiers": (f.flows["received_online"], f.flows["received"]),
        "digitised": (f.flows["received_digitised"], f.flows["received"]),
        # 100% − (% overdue + % complaint or dissatisfied), as a share of the dossiers.
        "satisfaction": (satisfied, f.progress_denominator),
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


# ---------------------------------------------------------------- the page


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


def _trend(ids: list[int], end: dt.date, live: dict | None = None) -> list[dict[str, Any]]:
    """The twelve months up to ``end``: received, finished on time / late, overdue
    at the end of each month (the snapshot; live for the current month)."""
    first = add_months(end.replace(day=1), -11)
    rows = {
        r["month"]: r
        for r in AgencyDayStats.objects.filter(agency_id__in=ids, day__gte=first, day__lte=end)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(
            received=Sum("received"),
            on_time=Sum("finished_early") + Sum("finished_on_time"),
            late=Sum("finished_late"),
        )
    }
    month_ends = [min(last_day_of_month(add_months(first, i)), end) for i in range(12)]
    today = timezone.localdate()
    overdue = {
        r["day"]: r["overdue"] or 0
        for r in AgencyDayStats.objects.filter(agency_id__in=ids, day__in=month_ends)
        .values("day")
        .annotate(overdue=Sum("open_overdue"))
    }
    if month_ends[-1] >= today:
        live = live if live is not None else stats.stock_counts(timezone.now(), ids)
        overdue[month_ends[-1]] = sum(v["open_overdue"] for v in live.values())
    trend = []
    for i, last in enumerate(month_ends):
        month = add_months(first, i)
        row = rows.get(month) or rows.get(dt.datetime.combine(month, dt.time.min)) or {}
        finished = (row.get("on_time") or 0) + (row.get("late") or 0)
        trend.append(
            {
                "month": month,
                "received": row.get("received") or 0,
                "finished": finished,
                "on_time": row.get("on_time") or 0,
                "late": row.get("late") or 0,
                "on_time_rate": stats.rate(row.get("on_time") or 0, finished),
                "overdue": overdue.get(last, 0),
            }
        )
    return trend


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
        trend=_trend(scope.ids, end, live=live),
        procedures=procedures(scope.ids, start, end) if with_procedures else [],
        dissatisfied=dissatisfied,
        feedback=feedback,
    )


# ---------------------------------------------------------------- the lists behind the numbers

FIGURES = {
    "received": _("Hồ sơ tiếp nhận"),
    "online": _("Hồ sơ nộp trực tuyến"),
    "digitised": _("Hồ sơ được số hóa"),
    "finished": _("Hồ sơ đã giải quyết"),
    "finished_early": _("Giải quyết trước hạn"),
    "finished_on_time": _("Giải quyết đúng hạn"),
    "finished_late": _("Giải quyết quá hạn"),
    "within_term": _("Đang giải quyết trong hạn"),
    "overdue": _("Đang quá hạn"),
    "supplement": _("Đang chờ bổ sung"),
    "multi_supplement": _("Yêu cầu bổ sung quá một lần"),
    "apologies_on_time": _("Xin lỗi, gia hạn đúng quy định"),
    "apologies_late": _("Xin lỗi, gia hạn muộn"),
}


def figure_queryset(
    figure: str, ids: list[int], start: dt.date, end: dt.date, *, now: dt.datetime | None = None
):
    """The dossiers behind one number of the dashboard, counted exactly as
    desk/stats.py counts them."""
    tz = timezone.get_default_timezone()
    begin = dt.datetime.combine(start, dt.time.min, tz)
    stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tz)
    qs = Dossier.objects.filter(receiving_agency_id__in=ids)
    received = qs.filter(received_at__gte=begin, received_at__lt=stop)
    late = late_for_indicators()
    finished = qs.filter(
        received_at__isnull=False, finished_at__gte=begin, finished_at__lt=stop
    ).exclude(timeliness="")
    if figure == "received":
        return received
    if figure == "online":
        return received.filter(channel=Channel.ONLINE)
    if figure == "digitised":
        return received.filter(stats._digitised())
    if figure == "multi_supplement":
        return received.filter(supplement_count__gt=1)
    if figure == "finished":
        return finished
    if figure == "finished_late":
        return finished.filter(late)
    if figure == "finished_early":
        return finished.filter(timeliness=Timeliness.EARLY).exclude(late)
    if figure == "finished_on_time":
        return finished.filter(timeliness=Timeliness.ON_TIME).exclude(late)
    if figure in ("apologies_on_time", "apologies_late"):
        return qs.filter(
            apologies__status=ApologyStatus.APPROVED,
            apologies__signed_at__gte=begin,
            apologies__signed_at__lt=stop,
            apologies__is_late=figure == "apologies_late",
        ).distinct()
    if figure in ("within_term", "overdue", "supplement"):
        live = end >= timezone.localdate()
        moment = (now or timezone.now()) if live else stop
        if live:
            open_ = qs.filter(state__in=OPEN_STATES, received_at__isnull=False)
            paused = Q(paused_at__isnull=False)
        else:
            open_ = stats.open_at(moment, ids)
            pending = SupplementRequest.objects.filter(requested_at__lt=moment).filter(
                Q(supplied_at__isnull=True) | Q(supplied_at__gte=moment)
            )
            paused = Q(pk__in=pending.values("dossier_id"))
        if figure == "supplement":
            return open_.filter(paused)
        if figure == "overdue":
            return open_.exclude(paused).filter(due_at__lt=moment)
        return open_.exclude(paused).filter(due_at__gte=moment)
    raise KeyError(figure)


# ---------------------------------------------------------------- exports

EXPORT_HEADER = [
    _("Mã hồ sơ"),
    _("Thủ tục"),
    _("Nơi tiếp nhận"),
    _("Đơn vị đang xử lý"),
    _("Người yêu cầu (che một phần)"),
    _("Hình thức nộp"),
    _("Ngày tiếp nhận"),
    _("Hẹn trả kết quả"),
    _("Ngày có kết quả"),
    _("Trạng thái"),
    _("Kết quả đúng hạn"),
]


def start_export(*, user: Any, figure: str, agency: Agency, start: dt.date, end: dt.date):
    """Record an export job and queue it once the transaction commits."""

    from .models import ExportJob

    title = f"{FIGURES[figure]} – {agency.name} – {start:%d/%m/%Y}–{end:%d/%m/%Y}"
    job = ExportJob.objects.create(
        user=user,
        title=title[:255],
        params={
            "figure": figure,
            "agency": agency.pk,
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
    )

    # Broker down: the job waits (the page says so) for the job sweep.
    enqueue_after_commit("desk.tasks.export_dossier_list", job.pk, what=f"export {job.pk}")
    return job


def write_export(job_id: int, *, chunk: int = 500) -> str:
    """Write the job's list to an XLSX file (streamed, a row at a time) and report
    progress every ``chunk`` rows. Safe to run twice: a finished job is left alone."""
    from .models import ExportJob, ExportStatus

    if not jobs.claim(
        ExportJob, job_id, waiting=ExportStatus.PENDING, running=ExportStatus.RUNNING
    ):
        return "skipped"  # a duplicate message, or the sweep's: another worker has it
    try:
        return _write_claimed_export(job_id, chunk)
    except OperationalError:
        # The task retries (a lost connection, a deadlock): the retry claims it again.
        jobs.release(ExportJob, job_id, waiting=ExportStatus.PENDING, running=ExportStatus.RUNNING)
        raise


def _write_claimed_export(job_id: int, chunk: int) -> str:
    import tempfile

    from django.core.files import File
    from django.utils import formats

    from procedures import xlsx

    from .models import ExportJob, ExportStatus, State

    job = ExportJob.objects.get(pk=job_id)
    params = job.params
    root = Agency.objects.get(pk=params["agency"])
    ids = list(Agency.objects.subtree_ids(root.pk))
    qs = figure_queryset(
        params["figure"],
        ids,
        dt.date.fromisoformat(params["start"]),
        dt.date.fromisoformat(params["end"]),
    )
    total = qs.count()
    ExportJob.objects.filter(pk=job_id).update(total=total, done=0)
    state_labels = {value: str(label) for value, label in State.choices}
    timeliness = {value: str(label) for value, label in Timeliness.choices}
    book = xlsx.Book()
    sheet = book.sheet(str(FIGURES[params["figure"]]))
    sheet.append([job.title])
    sheet.header(EXPORT_HEADER)

    def when(value: dt.datetime | None) -> str:
        return formats.date_format(timezone.localtime(value), "d/m/Y H:i") if value else ""

    rows = qs.select_related("procedure", "receiving_agency", "current_agency").order_by(
        "-received_at", "-pk"
    )
    done = 0
    for dossier in rows.iterator(chunk_size=chunk):
        sheet.append(
            [
                dossier.code,
                dossier.procedure.name,
                dossier.receiving_agency.name,
                dossier.current_agency.name,
                dossier.masked_applicant_name,
                dossier.get_channel_display(),
                when(dossier.received_at),
                when(dossier.due_at),
                when(dossier.finished_at),
                state_labels[dossier.state],
                timeliness.get(dossier.timeliness, ""),
            ]
        )
        done += 1
        if done % chunk == 0:
            jobs.heartbeat(ExportJob, job_id, done=done)
    with tempfile.TemporaryFile() as handle:
        book.save(handle)
        handle.seek(0)
        job.file.save(f"danh-sach-{job.pk}.xlsx", File(handle), save=False)
    ExportJob.objects.filter(pk=job_id).update(
        file=job.file.name, done=done, status=ExportStatus.DONE, finished_at=timezone.now()
    )
    return "done"


def purge_exports(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Delete exported lists older than ``days`` (setting EXPORT_KEEP_DAYS, 7) with
    their files: they hold dossier lists and are not kept longer than needed."""
    from django.conf import settings

    from .models import ExportJob

    days = days if days is not None else int(getattr(settings, "EXPORT_KEEP_DAYS", 7))
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    removed = 0
    for job in ExportJob.objects.filter(created_at__lt=cutoff):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return removed
