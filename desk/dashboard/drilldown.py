"""The lists behind the dashboard's numbers: each figure's label, its number in a
set of figures, and the dossiers it counts (the drill-downs and their exports)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import stats
from ..clock import late_for_indicators
from ..models import OPEN_STATES, ApologyStatus, Channel, Dossier, SupplementRequest, Timeliness

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
    figure: str,
    ids: list[int] | None,
    start: dt.date,
    end: dt.date,
    *,
    now: dt.datetime | None = None,
):
    """The dossiers behind one number of the dashboard, counted exactly as
    desk/stats.py counts them; ``ids`` None: every agency's."""
    tz = timezone.get_default_timezone()
    begin = dt.datetime.combine(start, dt.time.min, tz)
    stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tz)
    qs = (
        Dossier.objects.all()
        if ids is None
        else Dossier.objects.filter(receiving_agency_id__in=ids)
    )
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


def figure_rows(f: stats.Figures) -> list[tuple[str, Any, int]]:
    """(figure key, label, number): each number links to its list."""
    values = {
        "received": f.flows["received"],
        "online": f.flows["received_online"],
        "digitised": f.flows["received_digitised"],
        "finished": f.finished,
        "finished_early": f.flows["finished_early"],
        "finished_on_time": f.flows["finished_on_time"],
        "finished_late": f.flows["finished_late"],
        "within_term": f.stocks["open_within_term"],
        "overdue": f.stocks["open_overdue"],
        "supplement": f.stocks["open_supplement"],
        "multi_supplement": f.flows["multi_supplement"],
        "apologies_on_time": f.flows["apologies_on_time"],
        "apologies_late": f.flows["apologies_late"],
    }
    return [(key, label, values[key]) for key, label in FIGURES.items()]
