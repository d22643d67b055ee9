"""The leaders' dashboard figures (docs/domain.md §8): kept current as dossiers move,
rebuilt from the dossiers on demand, and read for a scope and a period.

Writes: the desk services call ``received``, ``finished``, ``apology_signed`` and
``second_supplement`` inside their transactions; each is one
``INSERT ... ON CONFLICT DO UPDATE`` adding to an AgencyDayStats row (and a
ProcedureMonthStats row), so the figures are as current as the dossiers.

Stocks (open within term, overdue, awaiting supplement) change with the clock, not
only with actions: they are computed live from the open dossiers for a period that
ends today, and read from the end-of-day snapshot (``snapshot_stocks``, run by beat
after midnight) for a period that ended before.

Which agency: the receiving agency (the desk that received the dossier and answers
for it); a scope is an agency and its subtree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from .clock import is_late_for_indicators, late_for_indicators
from .models import (
    OPEN_STATES,
    AgencyDayStats,
    ApologyLetter,
    ApologyStatus,
    Channel,
    Dossier,
    DossierDocument,
    ProcedureMonthStats,
    SupplementRequest,
    Timeliness,
)

FLOW_FIELDS = (
    "received",
    "received_online",
    "received_digitised",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "processing_seconds",
    "apologies_on_time",
    "apologies_late",
    "multi_supplement",
)
STOCK_FIELDS = ("open_within_term", "open_overdue", "open_supplement")


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def midnight_after(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time.min, timezone.get_default_timezone()
    )


# ---------------------------------------------------------------- writes


def _add(agency_id: int, day: dt.date, **amounts: int) -> None:
    """Add ``amounts`` to the (agency, day) row, creating it if needed (one statement,
    so two intakes at once both count)."""
    table = AgencyDayStats._meta.db_table
    values = {name: amounts.get(name, 0) for name in FLOW_FIELDS}
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in amounts)
    sql = (
        f"INSERT INTO {table} (agency_id, day, {', '.join(values)}, updated_at) "
        f"VALUES (%s, %s, {', '.join(['%s'] * len(values))}, %s) "
        "ON CONFLICT (agency_id, day) DO "
        + (f"UPDATE SET {updates}, updated_at = excluded.updated_at" if amounts else "NOTHING")
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [agency_id, day, *values.values(), timezone.now()])


def _add_procedure(
    agency_id: int, procedure_id: int, month: dt.date, finished: int, seconds: int
) -> None:
    table = ProcedureMonthStats._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, procedure_id, month, finished, "
            "processing_seconds, updated_at) VALUES (%s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (agency_id, procedure_id, month) DO UPDATE SET "
            f"finished = {table}.finished + excluded.finished, "
            f"processing_seconds = {table}.processing_seconds + excluded.processing_seconds, "
            "updated_at = excluded.updated_at",
            [agency_id, procedure_id, month, finished, seconds, timezone.now()],
        )


def received(dossier: Dossier, *, digitised: bool) -> None:
    """A dossier was received (state 2): counted on its receipt day."""
    _add(
        dossier.receiving_agency_id,
        local_day(dossier.received_at),
        received=1,
        received_online=int(dossier.channel == Channel.ONLINE),
        received_digitised=int(digitised),
    )


def finished(dossier: Dossier) -> None:
    """Processing ended (processed, or stopped after receipt) with a timeliness."""
    if not dossier.timeliness or dossier.received_at is None:
        return  # never received: no term, not counted
    seconds = max(0, int((dossier.finished_at - dossier.received_at).total_seconds()))
    kind = (
        "finished_late"
        if is_late_for_indicators(dossier)
        else ("finished_early" if dossier.timeliness == Timeliness.EARLY else "finished_on_time")
    )
    day = local_day(dossier.finished_at)
    _add(dossier.receiving_agency_id, day, **{kind: 1, "processing_seconds": seconds})
    _add_procedure(
        dossier.receiving_agency_id, dossier.procedure_id, day.replace(day=1), 1, seconds
    )


def apology_signed(dossier: Dossier, letter: ApologyLetter) -> None:
    kind = "apologies_late" if letter.is_late else "apologies_on_time"
    _add(dossier.receiving_agency_id, local_day(letter.signed_at), **{kind: 1})


def second_supplement(dossier: Dossier) -> None:
    """The dossier got its second supplement request: counted on its receipt day."""
    if dossier.received_at is not None:
        _add(dossier.receiving_agency_id, local_day(dossier.received_at), multi_supplement=1)


# ---------------------------------------------------------------- stocks


def open_at(moment: dt.datetime, agency_ids: Iterable[int] | None = None) -> Any:
    """Dossiers received before ``moment`` and not finished by then."""
    qs = Dossier.objects.filter(received_at__lt=moment).filter(
        Q(finished_at__isnull=True) | Q(finished_at__gte=moment)
    )
    if agency_ids is not None:
        qs = qs.filter(receiving_agency_id__in=list(agency_ids))
    return qs


def stock_counts(moment: dt.datetime, agency_ids: Iterable[int] | None = None) -> dict:
    """{agency_id: {open_within_term, open_overdue, open_supplement}} at ``moment``.

    Now: the open dossiers as they stand (paused = awaiting supplement). At a past
    moment: the dossiers open then, paused if a supplement request was pending then.
    """
    if moment >= timezone.now() - dt.timedelta(seconds=5):
        qs = Dossier.objects.filter(state__in=OPEN_STATES, received_at__isnull=False)
        if agency_ids is not None:
            qs = qs.filter(receiving_agency_id__in=list(agency_ids))
        paused = Q(paused_at__isnull=False)
    else:
        qs = open_at(moment, agency_ids)
        paused = Q(
            Exists(
                SupplementRequest.objects.filter(
                    dossier=OuterRef("pk"), requested_at__lt=moment
                ).filter(Q(supplied_at__isnull=True) | Q(supplied_at__gte=moment))
            )
        )
    rows = qs.values("receiving_agency_id").annotate(
        open_supplement=Count("pk", filter=paused),
        open_overdue=Count("pk", filter=~paused & Q(due_at__lt=moment)),
        open_within_term=Count("pk", filter=~paused & Q(due_at__gte=moment)),
    )
    return {row.pop("receiving_agency_id"): row for row in rows}


@transaction.atomic
def snapshot_stocks(day: dt.date) -> int:
    """Write what was open at the end of ``day`` into that day's rows (all agencies)."""
    moment = midnight_after(day)
    counts = stock_counts(moment)
    AgencyDayStats.objects.filter(day=day).exclude(agency_id__in=counts).update(
        open_within_term=0, open_overdue=0, open_supplement=0
    )
    for agency_id, values in counts.items():
        _add(agency_id, day)  # make sure the row exists
        AgencyDayStats.objects.filter(agency_id=agency_id, day=day).update(**values)
    return len(counts)


# ---------------------------------------------------------------- rebuild


def _digitised() -> Q:
    any_document = DossierDocument.objects.filter(dossier=OuterRef("pk"))
    return Q(Exists(any_document)) & ~Q(Exists(any_document.filter(digitised=False)))


def rebuild(*, stocks_from: dt.date | None = None) -> dict[str, int]:
    """Recompute every row from the dossiers (after a bulk load, or to check).

    Flows come from GROUP BY queries; past end-of-day stocks from one pass over
    the received dossiers (``stocks_from`` limits it), where a dossier paused for a
    supplement counts as awaiting supplement and otherwise within term or overdue
    by its current due date (the exact rule of ``stock_counts`` for days that the
    daily snapshot records).
    """
    tz = timezone.get_default_timezone()
    rows: dict[tuple[int, dt.date], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(FLOW_FIELDS, 0)
    )
    received_qs = (
        Dossier.objects.filter(received_at__isnull=False)
        .annotate(day=TruncDate("received_at", tzinfo=tz))
        .values("receiving_agency_id", "day")
        .annotate(
            n=Count("pk"),
            online=Count("pk", filter=Q(channel=Channel.ONLINE)),
            digitised=Count("pk", filter=_digitised()),
            multi=Count("pk", filter=Q(supplement_count__gt=1)),
        )
    )
    for r in received_qs.iterator():
        row = rows[r["receiving_agency_id"], r["day"]]
        row.update(
            received=r["n"],
            received_online=r["online"],
            received_digitised=r["digitised"],
            multi_supplement=r["multi"],
        )
    late = late_for_indicators()
    finished_qs = (
        Dossier.objects.filter(received_at__isnull=False, finished_at__isnull=False)
        .exclude(timeliness="")
        .annotate(day=TruncDate("finished_at", tzinfo=tz))
        .values("receiving_agency_id", "day")
        .annotate(
            early=Count("pk", filter=Q(timeliness=Timeliness.EARLY) & ~late),
            on_time=Count("pk", filter=Q(timeliness=Timeliness.ON_TIME) & ~late),
            late=Count("pk", filter=late),
            seconds=Sum(F("finished_at") - F("received_at")),
        )
    )
    for r in finished_qs.iterator():
        row = rows[r["receiving_agency_id"], r["day"]]
        row.update(
            finished_early=r["early"],
            finished_on_time=r["on_time"],
            finished_late=r["late"],
            processing_seconds=int(r["seconds"].total_seconds()) if r["seconds"] else 0,
        )
    apologies = (
        ApologyLetter.objects.filter(status=ApologyStatus.APPROVED, signed_at__isnull=False)
        .annotate(day=TruncDate("signed_at", tzinfo=tz))
        .values("dossier__receiving_agency_id", "day")
        .annotate(
            on_time=Count("pk", filter=Q(is_late=False)), late=Count("pk", filter=Q(is_late=True))
        )
    )
    for r in apologies.iterator():
        row = rows[r["dossier__receiving_agency_id"], r["day"]]
        row.update(apologies_on_time=r["on_time"], apologies_late=r["late"])

    stocks = _stock_history(stocks_from)
    with transaction.atomic():
        AgencyDayStats.objects.all().delete()
        ProcedureMonthStats.objects.all().delete()
        keys = set(rows) | set(stocks)
        AgencyDayStats.objects.bulk_create(
            (
                AgencyDayStats(
                    agency_id=agency_id,
                    day=day,
                    **rows.get((agency_id, day), dict.fromkeys(FLOW_FIELDS, 0)),
                    **stocks.get((agency_id, day), {}),
                )
                for agency_id, day in keys
            ),
            batch_size=5000,
        )
        months = (
            Dossier.objects.filter(received_at__isnull=False, finished_at__isnull=False)
            .exclude(timeliness="")
            .annotate(day=TruncDate("finished_at", tzinfo=tz))
            .values("receiving_agency_id", "procedure_id", "day")
            .annotate(n=Count("pk"), seconds=Sum(F("finished_at") - F("received_at")))
        )
        per_month: dict[tuple[int, int, dt.date], list[int]] = defaultdict(lambda: [0, 0])
        for r in months.iterator():
            key = (r["receiving_agency_id"], r["procedure_id"], r["day"].replace(day=1))
            per_month[key][0] += r["n"]
            per_month[key][1] += int(r["seconds"].total_seconds()) if r["seconds"] else 0
        ProcedureMonthStats.objects.bulk_create(
            (
                ProcedureMonthStats(
                    agency_id=a, procedure_id=p, month=m, finished=n, processing_seconds=s
                )
                for (a, p, m), (n, s) in per_month.items()
            ),
            batch_size=5000,
        )
    return {"days": len(keys), "procedure_months": len(per_month)}


def _stock_history(first: dt.date | None) -> dict[tuple[int, dt.date], dict[str, int]]:
    """End-of-day stocks for every past day from ``first`` (default: the first
    receipt) to yesterday, by difference arrays over day numbers."""
    today = timezone.localdate()
    diffs: dict[int, dict[str, dict[int, int]]] = defaultdict(
        lambda: {name: defaultdict(int) for name in STOCK_FIELDS}
    )

    def span(agency_id: int, name: str, start: dt.date, end: dt.date | None) -> None:
        end = min(end or today, today)
        if start < end:
            diffs[agency_id][name][start.toordinal()] += 1
            diffs[agency_id][name][end.toordinal()] -= 1

    dossiers = Dossier.objects.filter(received_at__isnull=False).values_list(
        "receiving_agency_id", "received_at", "finished_at", "due_at"
    )
    for agency_id, received_at, finished_at, due_at in dossiers.iterator(chunk_size=20000):
        start = local_day(received_at)
        end = local_day(finished_at) if finished_at else None
        due = local_day(due_at) if due_at else None
        if due is None:
            span(agency_id, "open_within_term", start, end)
            continue
        span(agency_id, "open_within_term", start, min(due, end) if end else due)
        span(agency_id, "open_overdue", max(start, due), end)
    pauses = SupplementRequest.objects.filter(dossier__received_at__isnull=False).values_list(
        "dossier__receiving_agency_id", "requested_at", "supplied_at", "dossier__finished_at"
    )
    for agency_id, requested_at, supplied_at, finished_at in pauses.iterator(chunk_size=20000):
        start = local_day(requested_at)
        # A pause ends when the supplement arrives, or when the dossier is stopped
        # without it.
        ended = supplied_at or finished_at
        end = local_day(ended) if ended else None
        span(agency_id, "open_supplement", start, end)
        # While paused the dossier is neither within term nor overdue.
        end = min(end or today, today)
        if start < end:
            diffs[agency_id]["open_within_term"][start.toordinal()] -= 1
            diffs[agency_id]["open_within_term"][end.toordinal()] += 1
    result: dict[tuple[int, dt.date], dict[str, int]] = {}
    for agency_id, by_name in diffs.items():
        ordinals = sorted({o for d in by_name.values() for o in d})
        if not ordinals:
            continue
        begin = max(ordinals[0], first.toordinal()) if first else ordinals[0]
        running = {name: 0 for name in STOCK_FIELDS}
        for name in STOCK_FIELDS:  # what was open before ``begin``
            running[name] = sum(v for o, v in by_name[name].items() if o < begin)
        for ordinal in range(begin, today.toordinal()):
            for name in STOCK_FIELDS:
                running[name] += by_name[name].get(ordinal, 0)
            if any(running.values()):
                result[agency_id, dt.date.fromordinal(ordinal)] = dict(running)
    return result


# ---------------------------------------------------------------- reads


@dataclass
class Figures:
    """Everything the dashboard shows for one scope and period."""

    start: dt.date
    end: dt.date
    flows: dict[str, int]
    stocks: dict[str, int]
    stocks_at: dt.datetime
    updated_at: dt.datetime | None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def finished(self) -> int:
        f = self.flows
        return f["finished_early"] + f["finished_on_time"] + f["finished_late"]

    @property
    def open_total(self) -> int:
        return sum(self.stocks.values())

    @property
    def progress_numerator(self) -> int:
        """Finished on time (or early) plus still open within term; a dossier awaiting
        a supplement counts at its request date, i.e. within term."""
        f, s = self.flows, self.stocks
        return (
            f["finished_early"]
            + f["finished_on_time"]
            + s["open_within_term"]
            + s["open_supplement"]
        )

    @property
    def progress_denominator(self) -> int:
        return self.finished + self.open_total

    @property
    def average_days(self) -> Decimal | None:
        if not self.finished:
            return None
        return Decimal(self.flows["processing_seconds"]) / self.finished / 86400


def rate(numerator: int, denominator: int) -> Decimal | None:
    """A percentage with one decimal, or None without a denominator."""
    if not denominator:
        return None
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"))


def figures(agency_ids: Iterable[int], start: dt.date, end: dt.date) -> Figures:
    """The dashboard's figures for the receiving agencies ``agency_ids`` and the
    days ``start``..``end`` (inclusive). Two queries (plus the live stocks when the
    period runs to today)."""
    ids = list(agency_ids)
    rows = AgencyDayStats.objects.filter(agency_id__in=ids, day__gte=start, day__lte=end)
    totals = rows.aggregate(**{name: Sum(name) for name in FLOW_FIELDS}, updated=Max("updated_at"))
    updated = totals.pop("updated")
    flows = {name: totals[name] or 0 for name in FLOW_FIELDS}
    today = timezone.localdate()
    if end >= today:
        moment = timezone.now()
        per_agency = stock_counts(moment, ids)
        stocks = {
            name: sum(values[name] for values in per_agency.values()) for name in STOCK_FIELDS
        }
    else:
        moment = midnight_after(end)
        stocks_row = AgencyDayStats.objects.filter(agency_id__in=ids, day=end).aggregate(
            **{name: Sum(name) for name in STOCK_FIELDS}
        )
        stocks = {name: stocks_row[name] or 0 for name in STOCK_FIELDS}
    return Figures(start, end, flows, stocks, moment, updated)
