"""The leaders' daily digest: new, due today, overdue and apologies pending in
their subtree, by agency, once per leader per working day."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from procedures.models import Agency, User

from ..deadlines import WorkCalendar, WorkingHours
from ..models import OPEN_STATES, AlertKind, ApologyLetter, ApologyStatus, Dossier
from .delivery import enqueue_emails, make_notification, save_notification
from .notify import record_subject_alert
from .times import previous_working_day


@transaction.atomic
def send_daily_digests(*, now: dt.datetime | None = None) -> int:
    """At the opening of a working day: each leader gets new, due today, overdue and
    apologies pending in their subtree, by agency. Once per leader per day, at the
    opening of the leader's own agency (its working hours, not the defaults): beat
    runs this every few minutes through the morning, and a leader whose agency has
    not opened yet is left for a later run."""
    now = now or timezone.now()
    calendar = WorkCalendar.from_database()
    today = timezone.localtime(now).date()
    if not calendar.is_working_day(today):
        return 0
    previous_day = previous_working_day(today, calendar)
    tz = timezone.get_default_timezone()
    end_of_today = dt.datetime.combine(today, dt.time.max, tz)
    names = dict(Agency.objects.values_list("pk", "name"))
    ids = []
    leaders = User.objects.filter(is_leader=True, is_active=True, agency__isnull=False)
    for leader in leaders.select_related("agency"):
        hours = WorkingHours.for_agency(leader.agency)
        opening = hours.opening(today)
        if now < opening:
            continue
        previous_opening = hours.opening(previous_day)
        alert = record_subject_alert(f"digest:{leader.pk}", AlertKind.DIGEST, opening, now)
        if alert is None:
            continue
        visible = Dossier.objects.visible_to(leader)
        rows = defaultdict(lambda: {"new": 0, "due_today": 0, "overdue": 0, "apologies": 0})
        for agency_id in visible.filter(
            received_at__gte=previous_opening, received_at__lt=opening
        ).values_list("receiving_agency_id", flat=True):
            rows[agency_id]["new"] += 1
        running = visible.filter(state__in=OPEN_STATES, paused_at__isnull=True)
        for agency_id in running.filter(due_at__gte=now, due_at__lte=end_of_today).values_list(
            "current_agency_id", flat=True
        ):
            rows[agency_id]["due_today"] += 1
        for agency_id in running.filter(due_at__lt=now).values_list("current_agency_id", flat=True):
            rows[agency_id]["overdue"] += 1
        for agency_id in ApologyLetter.objects.filter(
            status=ApologyStatus.DRAFT, dossier__in=visible
        ).values_list("agency_id", flat=True):
            rows[agency_id]["apologies"] += 1
        with override(settings.LANGUAGE_CODE):
            title = _("Tổng hợp hồ sơ ngày %(day)s") % {"day": today.strftime("%d/%m/%Y")}
            lines = [
                _(
                    "%(agency)s: mới %(new)d, đến hạn hôm nay %(due_today)d, quá hạn %(overdue)d, "
                    "văn bản xin lỗi chờ ký %(apologies)d"
                )
                % {"agency": names.get(agency_id, ""), **counts}
                for agency_id, counts in sorted(rows.items(), key=lambda r: names.get(r[0], ""))
            ] or [_("Không có hồ sơ mới, đến hạn hoặc quá hạn.")]
        notification = make_notification(
            recipient=leader,
            kind=AlertKind.DIGEST,
            title=title,
            body="\n".join(lines),
            link=f"{reverse('desk:queue')}?view=overdue",
            now=now,
            deliver_after=max(now, opening),
        )
        ids.append(save_notification(notification, alert_ids=[alert.pk]))
    enqueue_emails(ids)
    return len(ids)
