"""Recording an alert once and writing the notifications that carry it.

Each crossing is inserted as an ``Alert`` with ON CONFLICT DO NOTHING RETURNING:
only rows this call really created produce notifications, in the same transaction,
so a scan run twice, two workers at once or a retried task never notify twice.
"""

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from procedures.models import User

from ..deadlines import WorkCalendar
from ..models import Alert, AlertKind, Dossier
from .delivery import enqueue_emails, make_notification, save_notification
from .times import release_times


def record_alerts(crossings: list[tuple[int, str, dt.datetime]], now: dt.datetime) -> list[Alert]:
    """Insert the crossings (dossier id, kind, deadline); return only the alerts this
    call created."""
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


def record_subject_alert(
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
    ever (other apps' alerts, e.g. overdue feedback, use this; their kinds are in
    ``ALERT_KINDS``)."""
    now = now or timezone.now()
    with transaction.atomic():
        alert = record_subject_alert(subject, kind, deadline_at, now)
        if alert is None:
            return []
        calendar = WorkCalendar.from_database()
        deliver_after = release_times(recipients, now, calendar)
        ids = [
            save_notification(
                make_notification(
                    recipient=user,
                    kind=kind,
                    title=title,
                    body=body,
                    link=link,
                    now=now,
                    deliver_after=deliver_after[user.pk],
                ),
                alert_ids=[alert.pk],
            )
            for user in recipients
        ]
        enqueue_emails(ids)
        return ids


def tell_applicant(*, dossier: Dossier, subject: str, body: str, key: str) -> int | None:
    """Email the applicant (if they gave an address), once per ``key``."""
    if not dossier.applicant_email:
        return None
    now = timezone.now()
    with transaction.atomic():
        alert = record_subject_alert(
            f"applicant:{dossier.pk}:{key}", AlertKind.APOLOGY_ISSUED, dossier.due_at or now, now
        )
        if alert is None:
            return None
        pk = save_notification(
            make_notification(
                recipient=None,
                email_to=dossier.applicant_email,
                kind=AlertKind.APOLOGY_ISSUED,
                title=subject,
                body=body,
                link=dossier.public_lookup_url,
                now=now,
            ),
            alert_ids=[alert.pk],
        )
        enqueue_emails([pk])
        return pk
