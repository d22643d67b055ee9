"""The clock scan, apology drafts, digests and the email outbox.

How "never misses, never repeats" is kept:
- The scan covers the window (last scanned moment, now] kept in a ``ScanMark`` row
  that it locks, so two scans never overlap and a scan after downtime catches up.
  Each threshold is a range on an indexed deadline column (``due_at`` and
  ``current_step_due_at``, each with a partial index on open dossiers), and what
  crosses is written in a fixed number of statements, so a scan costs what crosses,
  not what is open (bench/bench_scan.py: 7 ms at a million open dossiers).
- Each crossing is inserted as an ``Alert`` with ON CONFLICT DO NOTHING RETURNING:
  only rows this scan really created produce notifications, in the same transaction.
- Emails are an outbox in PostgreSQL: a worker claims a row with a compare-and-set
  before sending; a row whose worker died is claimed again after ``EMAIL_CLAIM_TIMEOUT``.
  If Redis is down the rows wait; the periodic sweep delivers them when it is back.
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from config.redis import enqueue
from procedures.models import Agency, User

from .clock import due_soon_until
from .deadlines import DEFAULT_HOURS, WorkCalendar, WorkingHours, add_working_time
from .models import (
    OPEN_STATES,
    Alert,
    AlertKind,
    ApologyLetter,
    ApologyStatus,
    DeliveryAttempt,
    Dossier,
    EmailStatus,
    Notification,
    ScanMark,
    State,
)

log = logging.getLogger(__name__)

CLOCK_SCAN = "clock"
# A scan after a long outage looks back at most this far (older crossings are
# already overdue and reach leaders through the daily digest).
MAX_CATCH_UP = dt.timedelta(days=3)
EMAIL_CLAIM_TIMEOUT = dt.timedelta(minutes=10)
# A signed apology whose finishing task has not run this long after signing (broker
# down when it was signed, or the worker died) is finished by the outbox sweep.
APOLOGY_FINISH_GRACE = dt.timedelta(minutes=2)
EMAIL_MAX_ATTEMPTS = 8
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


# ---------------------------------------------------------------- time helpers


def _hours_groups() -> dict[WorkingHours, list[int] | None]:
    """Working hours in use and the agencies having them (None: every agency).

    Thresholds such as "one working day before the due time" depend on the hours;
    a province usually has one set, so the scan usually runs one range per threshold.
    """
    groups: dict[WorkingHours, list[int]] = defaultdict(list)
    for pk, a, b, c, d in Agency.objects.values_list(
        "pk", "morning_start", "morning_end", "afternoon_start", "afternoon_end"
    ):
        groups[WorkingHours(a, b, c, d)].append(pk)
    if len(groups) <= 1:
        return {next(iter(groups), WorkingHours()): None}
    return dict(groups)


def _openings_between(
    since: dt.datetime, until: dt.datetime, hours: WorkingHours, calendar: WorkCalendar
) -> list[dt.date]:
    """Working days whose opening time falls in (since, until]."""
    days = []
    day = timezone.localtime(since).date()
    last = timezone.localtime(until).date()
    while day <= last:
        if calendar.is_working_day(day) and since < hours.opening(day) <= until:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _previous_working_day(day: dt.date, calendar: WorkCalendar) -> dt.date:
    for _attempt in range(366):
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            return day
    return day


def release_times(
    users: list[User], now: dt.datetime, calendar: WorkCalendar
) -> dict[int, dt.datetime]:
    """When each user's email may go out: now in their own agency's working hours,
    else at its next opening (a commune opening at 07:30 is not emailed at 07:00).
    One query for the hours of all their agencies."""
    hours = {
        pk: WorkingHours(a, b, c, d)
        for pk, a, b, c, d in Agency.objects.filter(
            pk__in={user.agency_id for user in users if user.agency_id}
        ).values_list("pk", "morning_start", "morning_end", "afternoon_start", "afternoon_end")
    }
    times: dict[WorkingHours, dt.datetime] = {}
    result = {}
    for user in users:
        own = hours.get(user.agency_id, DEFAULT_HOURS)
        if own not in times:
            times[own] = release_time(now, own, calendar)
        result[user.pk] = times[own]
    return result


def release_time(now: dt.datetime, hours: WorkingHours, calendar: WorkCalendar) -> dt.datetime:
    """Now if it is working time, else the next opening: alerts go out in working hours."""
    local = timezone.localtime(now)
    day = local.date()
    if calendar.is_working_day(day):
        for start, end in hours.periods(day):
            if start <= local < end:
                return now
        if local < hours.opening(day):
            return hours.opening(day)
    return hours.opening(calendar.next_working_day(day))


# ---------------------------------------------------------------- the scan


def _crossings(
    since: dt.datetime, until: dt.datetime, calendar: WorkCalendar
) -> list[tuple[int, str, dt.datetime]]:
    """(dossier id, kind, deadline) for every threshold crossed in (since, until]."""
    running = Dossier.objects.filter(state__in=OPEN_STATES, paused_at__isnull=True)
    found: list[tuple[int, str, dt.datetime]] = []
    for hours, agency_ids in _hours_groups().items():
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
        for day in _openings_between(since, until, hours, calendar):
            # At the opening of the due day: "due today".
            start = dt.datetime.combine(day, dt.time.min, tz)
            for pk, due in qs.filter(
                due_at__gte=start, due_at__lt=start + dt.timedelta(days=1)
            ).values_list("pk", "due_at"):
                found.append((pk, AlertKind.DUE_TODAY, due))
            # At the opening of the next working day after the due time: the leader.
            previous = hours.opening(_previous_working_day(day, calendar))
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
    for hours, agency_ids in _hours_groups().items():
        qs = running if agency_ids is None else running.filter(receiving_agency_id__in=agency_ids)
        draft_from = add_working_time(since, lead, hours=hours, calendar=calendar)
        draft_to = add_working_time(until, lead, hours=hours, calendar=calendar)
        found += qs.filter(due_at__gt=draft_from, due_at__lte=draft_to).values_list("pk", flat=True)
    return found


def _record_alerts(crossings: list[tuple[int, str, dt.datetime]], now: dt.datetime) -> list[Alert]:
    """Insert the crossings; return only the alerts this call created."""
    if not crossings:
        return []
    table = Alert._meta.db_table
    created: list[Alert] = []
    with connection.cursor() as cursor:
        for start in range(0, len(crossings), 500):
            chunk = crossings[start : start + 500]
            placeholders = ", ".join(["(%s, '', %s, %s, %s)"] * len(chunk))
            params: list = []
            for dossier_id, kind, deadline in chunk:
                params += [dossier_id, str(kind), deadline, now]
            cursor.execute(
                f"INSERT INTO {table} (dossier_id, subject, kind, deadline_at, created_at) "
                f"VALUES {placeholders} "
                "ON CONFLICT (dossier_id, kind, deadline_at) WHERE dossier_id IS NOT NULL "
                "DO NOTHING RETURNING id, dossier_id, kind, deadline_at",
                params,
            )
            created += [
                Alert(pk=row[0], dossier_id=row[1], kind=row[2], deadline_at=row[3])
                for row in cursor.fetchall()
            ]
    return created


def _recipients(dossier: Dossier, kind: str, staff: dict) -> list[User]:
    heads = staff["unit_heads"].get(dossier.current_agency_id, [])
    if kind == AlertKind.OVERDUE_ESCALATED:
        leaders = staff["leaders"].get(dossier.current_agency_id) or staff["leaders"].get(
            staff["parents"].get(dossier.current_agency_id), []
        )
        return leaders or heads
    if kind == AlertKind.APOLOGY_DRAFT:
        return heads
    holder = [dossier.current_holder] if dossier.current_holder_id else []
    if kind == AlertKind.STEP_DUE_SOON:
        return holder or heads
    return holder + [h for h in heads if h.pk != dossier.current_holder_id]


def _staff_index(agency_ids: set[int]) -> dict:
    """Unit heads and leaders of the agencies involved, in two queries."""
    parents = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "parent_id"))
    wanted = agency_ids | {p for p in parents.values() if p}
    unit_heads: dict[int, list[User]] = defaultdict(list)
    leaders: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(agency_id__in=wanted, is_active=True).filter(
        Q(is_unit_head=True) | Q(is_leader=True)
    ):
        if user.is_unit_head:
            unit_heads[user.agency_id].append(user)
        if user.is_leader:
            leaders[user.agency_id].append(user)
    return {"unit_heads": unit_heads, "leaders": leaders, "parents": parents}


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
            Notification(
                recipient=user,
                kind=kind,
                title=title,
                body=body,
                link=link,
                created_at=now,
                deliver_after=deliver_after[user.pk],
                email_to=user.email,
                email_status=EmailStatus.PENDING if user.email else EmailStatus.SKIPPED,
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
    alerts = _record_alerts(
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

    alerts = _record_alerts(_crossings(since, now, calendar), now)
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
    staff = _staff_index({d.current_agency_id for d, _a in pairs})
    groups: dict[tuple[int, str], list[tuple[Dossier, Alert]]] = defaultdict(list)
    users: dict[int, User] = {}
    for dossier, alert in pairs:
        for user in _recipients(dossier, alert.kind, staff):
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
    _enqueue_emails(ids)
    return result


# ---------------------------------------------------------------- digests


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
    previous_day = _previous_working_day(today, calendar)
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
        alert = _record_subject_alert(f"digest:{leader.pk}", AlertKind.DIGEST, opening, now)
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
        notification = Notification.objects.create(
            recipient=leader,
            kind=AlertKind.DIGEST,
            title=title,
            body="\n".join(lines),
            link=f"{reverse('desk:queue')}?view=overdue",
            created_at=now,
            deliver_after=max(now, opening),
            email_to=leader.email,
            email_status=EmailStatus.PENDING if leader.email else EmailStatus.SKIPPED,
        )
        notification.alerts.add(alert.pk)
        ids.append(notification.pk)
    _enqueue_emails(ids)
    return len(ids)


def _record_subject_alert(
    subject: str, kind: str, deadline: dt.datetime, now: dt.datetime
) -> Alert | None:
    """Record an alert about something that is not a dossier; None if it exists already."""
    table = Alert._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (dossier_id, subject, kind, deadline_at, created_at) "
            "VALUES (NULL, %s, %s, %s, %s) "
            "ON CONFLICT (subject, kind, deadline_at) WHERE dossier_id IS NULL "
            "DO NOTHING RETURNING id",
            [subject, str(kind), deadline, now],
        )
        row = cursor.fetchone()
    return Alert(pk=row[0], subject=subject, kind=kind, deadline_at=deadline) if row else None


def notify_once(
    *,
    subject: str,
    kind: str,
    deadline_at: dt.datetime,
    recipients: list[User],
    title: str,
    body: str = "",
    link: str = "",
    now: dt.datetime | None = None,
) -> list[int]:
    """Notify ``recipients`` about ``subject`` crossing ``deadline_at``, at most once
    ever (other apps' alerts, e.g. overdue feedback, use this)."""
    now = now or timezone.now()
    with transaction.atomic():
        alert = _record_subject_alert(subject, kind, deadline_at, now)
        if alert is None:
            return []
        calendar = WorkCalendar.from_database()
        deliver_after = release_times(recipients, now, calendar)
        ids = []
        for user in recipients:
            notification = Notification.objects.create(
                recipient=user,
                kind=kind,
                title=title,
                body=body,
                link=link,
                created_at=now,
                deliver_after=deliver_after[user.pk],
                email_to=user.email,
                email_status=EmailStatus.PENDING if user.email else EmailStatus.SKIPPED,
            )
            notification.alerts.add(alert.pk)
            ids.append(notification.pk)
        _enqueue_emails(ids)
        return ids


def tell_applicant(*, dossier: Dossier, subject: str, body: str, key: str) -> int | None:
    """Email the applicant (if they gave an address), once per ``key``."""
    if not dossier.applicant_email:
        return None
    now = timezone.now()
    with transaction.atomic():
        alert = _record_subject_alert(
            f"applicant:{dossier.pk}:{key}", AlertKind.APOLOGY_ISSUED, dossier.due_at or now, now
        )
        if alert is None:
            return None
        notification = Notification.objects.create(
            recipient=None,
            kind=AlertKind.APOLOGY_ISSUED,
            title=subject,
            body=body,
            link=dossier.public_lookup_url,
            created_at=now,
            deliver_after=now,
            email_to=dossier.applicant_email,
        )
        notification.alerts.add(alert.pk)
        _enqueue_emails([notification.pk])
        return notification.pk


# ---------------------------------------------------------------- email outbox


def _enqueue_emails(ids: list[int]) -> None:
    """After commit, ask a worker to send; if the broker is down the rows simply wait
    for the periodic sweep (``deliver_pending``)."""
    if not ids:
        return

    def queue() -> None:
        # By name: the tasks module imports this one.
        deliver_notification = import_string("desk.tasks.deliver_notification")
        for pk in ids:
            if not enqueue(deliver_notification, pk, what=f"notification {pk}"):
                return  # broker unreachable: the sweep sends them all later

    transaction.on_commit(queue)


class TransientEmailError(Exception):
    pass


def deliver_email(notification_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one notification's email if it is due and nobody else is sending it.

    Claimed with a compare-and-set: PENDING (or SENDING for longer than the claim
    timeout: the worker died) -> SENDING. Returns the resulting status.
    """
    now = now or timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, deliver_after__lte=now)
        .filter(
            Q(email_status=EmailStatus.PENDING)
            | Q(email_status=EmailStatus.SENDING, email_claimed_at__lt=now - EMAIL_CLAIM_TIMEOUT)
        )
        .update(
            email_status=EmailStatus.SENDING,
            email_claimed_at=now,
            email_attempts=F("email_attempts") + 1,
        )
    )
    if not claimed:
        return "not-claimed"
    notification = Notification.objects.get(pk=notification_id)
    message = EmailMessage(
        subject=f"[Một Cửa] {notification.title}",
        body=_email_body(notification),
        to=[notification.email_to],
        # A stable Message-ID lets mail servers drop a duplicate if a worker died
        # between the SMTP server's acceptance and our status update.
        headers={"Message-ID": f"<notification-{notification.pk}@motcua>"},
    )
    try:
        message.send()
    except Exception as exc:
        final = notification.email_attempts >= EMAIL_MAX_ATTEMPTS
        status = EmailStatus.FAILED if final else EmailStatus.PENDING
        Notification.objects.filter(pk=notification.pk, email_status=EmailStatus.SENDING).update(
            email_status=status
        )
        DeliveryAttempt.objects.create(
            notification=notification, status=EmailStatus.FAILED, error=str(exc)[:2000]
        )
        if final:
            return status
        raise TransientEmailError(str(exc)) from exc
    Notification.objects.filter(pk=notification.pk).update(
        email_status=EmailStatus.SENT, email_sent_at=timezone.now()
    )
    DeliveryAttempt.objects.create(notification=notification, status=EmailStatus.SENT)
    return EmailStatus.SENT


def _email_body(notification: Notification) -> str:
    link = (
        f"{settings.SITE_URL}{notification.link}"
        if notification.link.startswith("/")
        else notification.link
    )
    parts = [notification.title, "", notification.body]
    if link:
        parts += ["", link]
    return "\n".join(parts).strip() + "\n"


def pending_email_ids(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Emails due and unsent (or stuck with a dead worker), oldest first."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(deliver_after__lte=now)
        .filter(
            Q(email_status=EmailStatus.PENDING)
            | Q(email_status=EmailStatus.SENDING, email_claimed_at__lt=now - EMAIL_CLAIM_TIMEOUT)
        )
        .order_by("deliver_after", "pk")
        .values_list("pk", flat=True)[:limit]
    )


# ---------------------------------------------------------------- the signed apology


def finalize_apology(*, letter_id: int) -> None:
    """Tell the desk and email the applicant about a signed form 04, then store its PDF.

    Safe to run twice: both messages are keyed by the letter, so a retry never sends
    them again, and the PDF is written once. The PDF comes last: a letter without
    one is unfinished, and the outbox sweep (``unfinished_apology_ids``) finishes it.
    """
    from django.core.files.base import ContentFile

    from .legal_forms import FORMS

    letter = ApologyLetter.objects.select_related("dossier", "agency").get(pk=letter_id)
    if letter.status != ApologyStatus.APPROVED:
        return
    dossier = letter.dossier
    _tell_desk(letter, dossier)
    _tell_applicant_of_apology(letter, dossier)
    if not letter.pdf:
        form = FORMS["apology"]
        pdf = form.render(form.build(dossier, full=True))
        with transaction.atomic():
            locked = ApologyLetter.objects.select_for_update().get(pk=letter_id)
            if not locked.pdf:
                locked.pdf.save(f"{dossier.code}-xin-loi.pdf", ContentFile(pdf), save=True)


def unfinished_apology_ids(*, now: dt.datetime | None = None, limit: int = 100) -> list[int]:
    """Signed apologies whose finishing task never ran (the broker was down when the
    unit head signed) or died, signed within the catch-up window; oldest first."""
    now = now or timezone.now()
    return list(
        ApologyLetter.objects.filter(
            status=ApologyStatus.APPROVED,
            pdf="",
            signed_at__gte=now - MAX_CATCH_UP,
            signed_at__lte=now - APOLOGY_FINISH_GRACE,
        )
        .order_by("signed_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def _tell_desk(letter: ApologyLetter, dossier: Dossier) -> None:
    """The desk relays the apology to the applicant (email, SMS, phone): the clerk who
    received the dossier, or every clerk of the receiving desk if she is gone."""
    clerks = list(
        User.objects.filter(agency_id=dossier.receiving_agency_id, is_clerk=True, is_active=True)
    )
    recipients = [u for u in clerks if u.pk == dossier.received_by_id] or clerks
    if not recipients:
        return
    with override(settings.LANGUAGE_CODE):
        title = _("Hồ sơ %(code)s đã có văn bản xin lỗi, hẹn trả mới %(due)s") % {
            "code": dossier.code,
            "due": timezone.localtime(letter.new_due_at).strftime("%H:%M %d/%m/%Y"),
        }
        body = _(
            "%(agency)s đã ký văn bản xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s "
            "(%(procedure)s).\nLý do: %(reason)s\nĐề nghị thông báo cho người yêu cầu "
            "(thư điện tử, tin nhắn hoặc điện thoại)."
        ) % {
            "agency": letter.agency.name,
            "code": dossier.code,
            "procedure": dossier.procedure.name,
            "reason": letter.reason,
        }
    notify_once(
        subject=f"apology:{letter.pk}",
        kind=AlertKind.APOLOGY_ISSUED,
        deadline_at=letter.new_due_at,
        recipients=recipients,
        title=title,
        body=body,
        link=reverse("desk:detail", args=[dossier.code]),
    )


def _tell_applicant_of_apology(letter: ApologyLetter, dossier: Dossier) -> None:
    with override(settings.LANGUAGE_CODE):
        subject = _("Thông báo hẹn lại ngày trả kết quả hồ sơ %(code)s") % {"code": dossier.code}
        body = _(
            "Kính gửi Ông/Bà %(name)s,\n\n%(agency)s thành thật xin lỗi vì hồ sơ %(code)s "
            "(%(procedure)s) chưa được giải quyết đúng hẹn.\nLý do: %(reason)s\n"
            "Ngày hẹn trả kết quả mới: %(due)s.\n\nTra cứu hồ sơ: %(link)s"
        ) % {
            "name": dossier.applicant_name,
            "agency": letter.agency.name,
            "code": dossier.code,
            "procedure": dossier.procedure.name,
            "reason": letter.reason,
            "due": timezone.localtime(letter.new_due_at).strftime("%H:%M %d/%m/%Y"),
            "link": dossier.public_lookup_url,
        }
    tell_applicant(dossier=dossier, subject=subject, body=body, key=f"apology:{letter.pk}")
