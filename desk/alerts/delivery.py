"""The email outbox: every email the project sends is a ``Notification`` row with an
address (a staff member's, or a citizen's with no account), written in the
transaction that decided to send it, then claimed, sent and retried here.

A worker claims a row with a compare-and-set before sending; a row whose worker
died is claimed again after ``EMAIL_CLAIM_TIMEOUT``. If Redis is down the rows wait;
the periodic sweep (desk.tasks.deliver_pending) delivers them when it is back.
"""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from config.redis import enqueue
from procedures.models import User

from ..models import DeliveryAttempt, EmailStatus, Notification
from ..models.alerts import is_letter

EMAIL_CLAIM_TIMEOUT = dt.timedelta(minutes=10)
EMAIL_MAX_ATTEMPTS = 8


def make_notification(
    *,
    recipient: User | None,
    email_to: str | None = None,
    kind: str,
    title: str | Promise,
    body: str = "",
    link: str = "",
    now: dt.datetime,
    deliver_after: dt.datetime | None = None,
) -> Notification:
    """An unsaved notification; its email waits in the outbox if it has an address
    (``email_to``, by default the recipient's). ``recipient`` is None for a citizen,
    who has no account (only ``email_to``)."""
    if email_to is None:
        email_to = recipient.email if recipient else ""
    return Notification(
        recipient=recipient,
        kind=kind,
        title=title,
        body=body,
        link=link,
        created_at=now,
        deliver_after=deliver_after or now,
        email_to=email_to,
        email_status=EmailStatus.PENDING if email_to else EmailStatus.SKIPPED,
    )


def save_notification(notification: Notification, *, alert_ids: list[int]) -> int:
    """Write one notification with the alerts it carries; its id."""
    notification.save()
    notification.alerts.add(*alert_ids)
    return notification.pk


def enqueue_emails(ids: list[int]) -> None:
    """After commit, ask a worker to send; if the broker is down the rows simply wait
    for the periodic sweep (``pending_email_ids``)."""
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
    """The mail server failed; the row is pending again (its ``__cause__`` says why)."""


def deliver_email(notification_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one notification's email if it is due and nobody else is sending it.

    Claimed with a compare-and-set: PENDING (or SENDING for longer than the claim
    timeout: the worker died) -> SENDING. Returns the resulting status.
    """
    now = now or timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, deliver_after__lte=now)
        .filter(_sendable(now))
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
        body=email_body(notification),
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


def email_body(notification: Notification) -> str:
    """The title, the body and the absolute link; a letter (``AlertKindSpec.letter``)
    is its body alone."""
    if is_letter(notification.kind):
        return notification.body
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
        .filter(_sendable(now))
        .order_by("deliver_after", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def _sendable(now: dt.datetime) -> Q:
    """Pending, or claimed by a worker that died (index: ``notification_outbox``)."""
    return Q(email_status=EmailStatus.PENDING) | Q(
        email_status=EmailStatus.SENDING, email_claimed_at__lt=now - EMAIL_CLAIM_TIMEOUT
    )
