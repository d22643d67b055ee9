"""The dashboard's officer view (for unit heads): each officer of a unit, the steps
they handled in the period (early, on time, late), the dossiers they hold now and
those overdue, and the columns later apps add (ratings, conduct scores)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from procedures.models import Agency, User

from .. import stats
from ..models import OPEN_STATES, Dossier, DossierEvent, Timeliness
from .sources import OFFICER_SOURCES


def officer_rows(
    agency: Agency, start: dt.date, end: dt.date
) -> tuple[list[dict[str, Any]], list[str]]:
    """(a row per active officer or unit head of ``agency``, the added columns'
    titles). A handful of grouped queries, whatever the number of officers."""
    tz = timezone.get_default_timezone()
    begin = dt.datetime.combine(start, dt.time.min, tz)
    stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tz)
    officers = list(
        User.objects.filter(agency=agency, is_active=True)
        .filter(Q(is_officer=True) | Q(is_unit_head=True))
        .order_by("last_name", "first_name", "pk")
    )
    ids = [u.pk for u in officers]
    steps = {
        row["to_user"]: row
        for row in DossierEvent.objects.filter(
            kind="hand_over",
            to_user__in=ids,
            step_finished_at__gte=begin,
            step_finished_at__lt=stop,
        )
        .values("to_user")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=~Q(step_timeliness=Timeliness.LATE)),
            late=Count("pk", filter=Q(step_timeliness=Timeliness.LATE)),
        )
    }
    now = timezone.now()
    held = {
        row["current_holder"]: row
        for row in Dossier.objects.filter(current_holder__in=ids, state__in=OPEN_STATES)
        .values("current_holder")
        .annotate(
            held=Count("pk"),
            overdue=Count("pk", filter=Q(paused_at__isnull=True, due_at__lt=now)),
        )
    }
    extra_columns: list[str] = []
    extra: dict[int, dict[str, Any]] = {}
    for title, source in OFFICER_SOURCES:
        extra_columns.append(str(title))
        for user_id, value in source(ids, start, end).items():
            extra.setdefault(user_id, {})[str(title)] = value
    rows = []
    for officer in officers:
        s = steps.get(officer.pk, {})
        h = held.get(officer.pk, {})
        rows.append(
            {
                "officer": officer,
                "steps": s.get("total", 0),
                "late": s.get("late", 0),
                "on_time_rate": stats.rate(s.get("on_time", 0), s.get("total", 0)),
                "held": h.get("held", 0),
                "overdue": h.get("overdue", 0),
                "extra": [extra.get(officer.pk, {}).get(c, "—") for c in extra_columns],
            }
        )
    return rows, extra_columns
