"""The dashboard's twelve-month trend and the bars that draw it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .. import stats
from ..models import AgencyDayStats
from .periods import add_months, last_day_of_month


def monthly_trend(ids: list[int], end: dt.date, live: dict | None = None) -> list[dict[str, Any]]:
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


def chart(trend: list[dict[str, Any]]) -> dict[str, Any]:
    """Bars for the monthly trend, drawn as inline SVG by the template: finished on
    time (solid) and late (hatched) stacked, every bar labelled with its numbers, so
    it reads without colour; the table below holds the same figures."""
    height, bar, gap = 160, 34, 14
    peak = max([t["finished"] for t in trend] + [1])
    bars = []
    for i, t in enumerate(trend):
        on_time = round(height * t["on_time"] / peak)
        late = round(height * t["late"] / peak)
        x = 40 + i * (bar + gap)
        bars.append(
            {
                "x": x,
                "label_x": x + bar // 2,
                "on_time_y": 20 + height - on_time,
                "on_time_h": on_time,
                "late_y": 20 + height - on_time - late,
                "late_h": late,
                "value_y": 14 + height - on_time - late,
                "month": t["month"],
                "finished": t["finished"],
                "late": t["late"],
            }
        )
    return {"width": 40 + len(trend) * (bar + gap), "height": height + 60, "bar": bar, "bars": bars}
