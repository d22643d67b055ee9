"""The clock scan: the dossiers that crossed a threshold since the last scan, one
alert each, recorded once, and one notification per person and kind.

How "never misses, never repeats" is kept:
- The scan covers the window (last scanned moment, now] kept in a ``ScanMark`` row
  that it locks, so two scans never overlap and a scan after downtime catches up.
  Each threshold is a range on an indexed deadline column (``due_at`` and
  ``current_step_due_at``, each with a partial index on open dossiers), and what
  crosses is written in a fixed number of statements, so a scan costs what crosses,
  not what is open (bench/bench_scan.py: 7 ms at a million open dossiers).
- Alerts are unique (desk/alerts/notify.py): only those this scan created notify.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from procedures.models import User

from ..clock import due_soon_until
from ..deadlines import WorkCalendar, add_working_time
from ..models import (
    OPEN_STATES,
    Alert,
    AlertKind,
    ApologyLetter,
    ApologyStatus,
    Dossier,
    Notification,
    ScanMark,
    State,
)
from .delivery import enqueue_emails, make_notification
from .notify import record_alerts
from .recipients import recipients, staff_index
from .times import hours_groups, openings_between, previous_working_day, release_times

CLOCK_SCAN = "clock"
# A scan after a long outage looks back at most this far (older crossings are
# already overdue and reach leaders through the daily digest).
MAX_CATCH_UP = dt.timedelta(days=3)
# How many dossiers a notification lists by code before saying "and N more".
LIST_LIMIT = 20


def _setting(name: str, default):
    return getattr(settings, name, default)


@dataclass
class ScanResult:
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    alerts: int = 0
    notifications: int = 0
    drafts: int = 0
    notification_ids: list[int] = field(default_factory=list)


def _crossings(
    since: dt.datetime, until: dt.datetime, calendar: WorkCalendar
) -> list[tuple[int, str, dt.datetime]]:
    """(dossier id, kind, deadline) for every threshold crossed in (since, until]."""
    running = Dossier.objects.filter(state__in=OPEN_STATES, paused_at__isnull=True)
    found: list[tuple[int, str, dt.datetime]] = []
    for hours, agency_ids in hours_groups().items():
        qs = running if agency_ids is None else running.filter(receiving_agency_id__in=agency_ids)
        # Overdue: the due time itself passed.
        for pk, due in qs.filter(due_at__gt=since, due_at__lte=until).values_list("pk", "due_at"):
            found.append((pk, AlertKind.OVERDUE, due))
        # Due soon (desk/clock.py): one working day before the due time passed.
        soon_from = due_soon_until(since, hours, calendar)
        soon_to = due_soon_until(until, hours, calendar)
        for pk, due in qs.filter(due_at__gt=soon_from, due_at__lte=soon_to).values_list(
            "pk", "due_at"
        ):
            found.append((pk, AlertKind.DUE_SOON, due))
        # Step deadlines of the current holder (when a step ends before the dossier does).
        for pk, step_due in (
            qs.filter(current_step_due_at__gt=soon_from, current_step_due_at__lte=soon_to)
            .exclude(current_step_due_at=F("due_at"))
            .values_list("pk", "current_step_due_at")
        ):
            found.append((pk, AlertKind.STEP_DUE_SOON, step_due))
        tz = timezone.get_default_timezone()
        for day in openings_between(since, until, hours, calendar):
            # At the opening of the due day: "due today".
            start = dt.datetime.combine(day, dt.time.min, tz)
            for pk, due in qs.filter(
                due_at__gte=start, due_at__lt=start + dt.timedelta(days=1)
            ).values_list("pk", "due_at"):
                found.append((pk, AlertKind.DUE_TODAY, due))
            # At the opening of the next working day after the due time: the leader.
            previous = hours.opening(previous_working_day(day, calendar))
            for pk, due in qs.filter(
                due_at__gte=previous, due_at__lt=hours.opening(day)
            ).values_list("pk", "due_at"):
                found.append((pk, AlertKind.OVERDUE_ESCALATED, due))
    return found


def _draft_candidates(since: dt.datetime, until: dt.datetime, calendar: WorkCalendar) -> list[int]:
    """Dossiers whose apology should be drafted now: ``ALERT_APOLOGY_DRAFT_HOURS``
    working hours (default 16, two working days) before the due time crossed in
    (since, until]. The apology is on time only if signed at least one working day
    before the due time (services.apology_deadline), so a draft made at the due-soon
    threshold (8 hours) would already be late; this leaves the unit head a working day.
    """
    lead = _setting("ALERT_APOLOGY_DRAFT_HOURS", 16)
    running = Dossier.objects.filter(
        state__in=(State.PROCESSING, State.RECEIVED, State.AWAITING_PAYMENT),
        paused_at__isnull=True,
    )
    found: list[int] = []
    for hours, agency_ids in hours_groups().items():
        qs = running if agency_ids is None else running.filter(receiving_agency_id__in=agency_ids)
        draft_from = add_working_time(since, lead, hours=hours, calendar=calendar)
        draft_to = add_working_time(until, lead, hours=hours, calendar=calendar)
        found += qs.filter(due_at__gt=draft_from, due_at__lte=draft_to).values_list("pk", flat=True)
    return found


TITLES = {
    AlertKind.DUE_SOON: lambda n: ngettext(
        "%(n)d hồ sơ sắp đến hạn trả kết quả", "%(n)d hồ sơ sắp đến hạn trả kết quả", n
    ),
    AlertKind.DUE_TODAY: lambda n: ngettext(
        "%(n)d hồ sơ đến hạn trả kết quả hôm nay", "%(n)d hồ sơ đến hạn trả kết quả hôm nay", n
    ),
    AlertKind.STEP_DUE_SOON: lambda n: ngettext(
        "%(n)d hồ sơ sắp hết hạn bước xử lý", "%(n)d hồ sơ sắp hết hạn bước xử lý", n
    ),
    AlertKind.OVERDUE: lambda n: ngettext(
        "%(n)d hồ sơ đã quá hạn, chưa có văn bản xin lỗi",
        "%(n)d hồ sơ đã quá hạn, chưa có văn bản xin lỗi",
        n,
    ),
    AlertKind.OVERDUE_ESCALATED: lambda n: ngettext(
        "%(n)d hồ sơ quá hạn từ ngày làm việc trước",
        "%(n)d hồ sơ quá hạn từ ngày làm việc trước",
        n,
    ),
    AlertKind.APOLOGY_DRAFT: lambda n: ngettext(
        "%(n)d văn bản xin lỗi chờ ký", "%(n)d văn bản xin lỗi chờ ký", n
    ),
}
QUEUE_VIEWS = {
    AlertKind.DUE_SOON: "due_soon",
    AlertKind.DUE_TODAY: "due_soon",
    AlertKind.STEP_DUE_SOON: "mine",
    AlertKind.OVERDUE: "overdue",
    AlertKind.OVERDUE_ESCALATED: "overdue",
    AlertKind.APOLOGY_DRAFT: "overdue",
}


def _notification_text(kind: str, dossiers: list[Dossier]) -> tuple[str, str, str]:
    """Title, body and link of one person's notification for one kind, in Vietnamese
    (the language of the desk; the centre shows the stored text)."""
    with override(settings.LANGUAGE_CODE):
        title = TITLES[kind](len(dossiers)) % {"n": len(dossiers)}
        lines = []
        for dossier in dossiers[:LIST_LIMIT]:
            due = (
                timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")
                if dossier.due_at
                else ""
            )
            lines.append(f"{dossier.code}: {dossier.procedure.name} ({_('hạn')} {due})")
        if len(dossiers) > LIST_LIMIT:
            lines.append(_("và %(n)d hồ sơ khác.") % {"n": len(dossiers) - LIST_LIMIT})
    if len(dossiers) == 1:
        link = reverse("desk:detail", args=[dossiers[0].code])
    else:
        link = f"{reverse('desk:queue')}?view={QUEUE_VIEWS[kind]}"
    return title, "\n".join(lines), link


def _notify(
    groups: dict[tuple[int, str], list[tuple[Dossier, Alert]]],
    users: dict[int, User],
    deliver_after: dict[int, dt.datetime],
    now: dt.datetime,
) -> list[int]:
    """One notification per (person, kind), written in two statements whatever the
    number of people and dossiers (a busy minute must not cost a query per row)."""
    notifications = []
    for (user_id, kind), items in groups.items():
        user = users[user_id]
        title, body, link = _notification_text(kind, [dossier for dossier, _alert in items])
        notifications.append(
            make_notification(
                recipient=user,
                kind=kind,
                title=title,
                body=body,
                link=link,
                now=now,
                deliver_after=deliver_after[user.pk],
            )
        )
    Notification.objects.bulk_create(notifications)
    through = Notification.alerts.through
    through.objects.bulk_create(
        [
            through(notification_id=notification.pk, alert_id=alert.pk)
            for notification, items in zip(notifications, groups.values(), strict=True)
            for _dossier, alert in items
        ]
    )
    return [notification.pk for notification in notifications]


def _draft_apologies(dossiers: list[Dossier], now: dt.datetime) -> list[tuple[Dossier, Alert]]:
    """Prepare form 04 for dossiers still being processed; one alert each.

    The batch form of ``services.draft_apology`` (same rules: an existing draft is
    kept, a dossier already extended gets none), in a fixed number of statements.
    The dossiers are locked first, in id order, as the service and ``approve_apology``
    lock them, so a unit head signing at this moment is waited for, not raced.
    """
    candidates = {
        d.pk: d
        for d in dossiers
        if d.state in (State.PROCESSING, State.RECEIVED, State.AWAITING_PAYMENT)
    }
    if not candidates:
        return []
    locked = list(
        Dossier.objects.select_for_update(of=("self",))
        .filter(pk__in=candidates)
        .order_by("pk")
        .values_list("pk", "state", "due_at", "current_agency_id")
    )
    extended: set[int] = set()
    originals: dict[int, dt.datetime] = {}
    for dossier_id, status, original in ApologyLetter.objects.filter(
        dossier_id__in=candidates
    ).values_list("dossier_id", "status", "original_due_at"):
        if status == ApologyStatus.APPROVED:
            extended.add(dossier_id)
        else:
            originals.setdefault(dossier_id, original)
    new_letters = [
        ApologyLetter(
            dossier_id=pk,
            agency_id=agency_id,
            original_due_at=due_at,
            drafted_at=now,
        )
        for pk, state, due_at, agency_id in locked
        if pk not in extended
        and pk not in originals
        and due_at is not None
        and state in (State.PROCESSING, State.RECEIVED, State.AWAITING_PAYMENT)
    ]
    ApologyLetter.objects.bulk_create(new_letters)
    originals.update({letter.dossier_id: letter.original_due_at for letter in new_letters})
    alerts = record_alerts(
        [
            (pk, AlertKind.APOLOGY_DRAFT, originals[pk])
            for pk, *_rest in locked
            if pk in originals and pk not in extended
        ],
        now,
    )
    return [(candidates[alert.dossier_id], alert) for alert in alerts]


@transaction.atomic
def scan_clocks(*, now: dt.datetime | None = None) -> ScanResult:
    """One pass of the clock scan over (last scanned moment, now]. Safe to run twice
    and from two workers at once (the mark row is locked; alerts are unique)."""
    now = now or timezone.now()
    # The first scan ever looks back as far as a catch-up would, so a new install
    # (or the demo) alerts on what is already due soon or overdue.
    ScanMark.objects.get_or_create(name=CLOCK_SCAN, defaults={"scanned_until": now - MAX_CATCH_UP})
    mark = ScanMark.objects.select_for_update().get(name=CLOCK_SCAN)
    result = ScanResult(since=mark.scanned_until, until=now)
    if now <= mark.scanned_until:
        return result
    since = max(mark.scanned_until, now - MAX_CATCH_UP)
    calendar = WorkCalendar.from_database()
    calendar.load_years(range(timezone.localtime(since).year, timezone.localtime(now).year + 2))

    alerts = record_alerts(_crossings(since, now, calendar), now)
    to_draft = (
        _draft_candidates(since, now, calendar) if _setting("ALERT_DRAFT_APOLOGIES", True) else []
    )
    dossiers = {
        d.pk: d
        for d in Dossier.objects.filter(
            pk__in={a.dossier_id for a in alerts} | set(to_draft)
        ).select_related("procedure", "current_holder")
    }
    drafted = _draft_apologies([dossiers[pk] for pk in to_draft], now)
    pairs = [(dossiers[a.dossier_id], a) for a in alerts] + drafted
    staff = staff_index({d.current_agency_id for d, _a in pairs})
    groups: dict[tuple[int, str], list[tuple[Dossier, Alert]]] = defaultdict(list)
    users: dict[int, User] = {}
    for dossier, alert in pairs:
        for user in recipients(dossier, alert.kind, staff):
            users[user.pk] = user
            groups[(user.pk, alert.kind)].append((dossier, alert))
    deliver_after = release_times(list(users.values()), now, calendar)
    ids = _notify(groups, users, deliver_after, now)

    mark.scanned_until = now
    mark.save(update_fields=["scanned_until"])
    result.alerts = len(alerts) + len(drafted)
    result.drafts = len(drafted)
    result.notifications = len(ids)
    result.notification_ids = ids
    enqueue_emails(ids)
    return result
