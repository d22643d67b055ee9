"""Alerts about dossiers' clocks and the notifications that carry them.

Two tables keep "exactly once" honest (desk/alerts/):
- ``Alert`` is the fact "dossier D crossed threshold K of deadline T"; a unique
  constraint on (dossier, kind, deadline_at) means a scan run twice, two workers at
  once or a retried task can never record it twice.
- ``Notification`` is what one person reads (in the header's notification centre
  and by email); one scan gives a person at most one notification per kind, listing
  every dossier, so a busy morning is a digest rather than a storm.
Email delivery is an outbox: the row is written with the notification, in the same
transaction, and a worker claims it with a compare-and-set before sending.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from procedures.extensions import ExtensionPoint

from .dossier import Dossier


class AlertKind(models.TextChoices):
    """The desk's own kinds; the apps built on it add theirs to ``ALERT_KINDS``."""

    DUE_SOON = "due_soon", _("Sắp đến hạn")
    DUE_TODAY = "due_today", _("Đến hạn hôm nay")
    STEP_DUE_SOON = "step_due_soon", _("Bước xử lý sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    OVERDUE_ESCALATED = "overdue_escalated", _("Quá hạn, báo cáo lãnh đạo")
    APOLOGY_DRAFT = "apology_draft", _("Dự thảo văn bản xin lỗi chờ ký")
    APOLOGY_ISSUED = "apology_issued", _("Đã ban hành văn bản xin lỗi")
    DIGEST = "digest", _("Tổng hợp hằng ngày")


@dataclass(frozen=True)
class AlertKindSpec:
    """A kind of alert another app owns (overdue feedback, a conduct follow-up).

    The app records its alerts itself through ``desk.alerts.notify_once`` (it knows
    who receives them and words their title); the desk needs only the value, the
    label its notification centre and admin show, and how its email reads.
    """

    value: str
    label: str | Promise
    # A letter to a citizen (the rating invitation) is mailed as its body alone: it
    # has its own greeting and link. Otherwise the email is the title, the body and
    # the notification's link (desk.alerts.delivery).
    letter: bool = False


ALERT_KINDS = ExtensionPoint[AlertKindSpec](
    "desk.alert_kinds", "Kinds of alerts and notifications that later apps own"
)


def alert_kind_choices() -> list[tuple[str, str | Promise]]:
    """The desk's kinds then the contributed ones; read when the choices are used
    (Django's callable choices), so migrations never record the list."""
    return [*AlertKind.choices, *((spec.value, spec.label) for spec in ALERT_KINDS)]


def is_letter(kind: str) -> bool:
    return any(spec.letter for spec in ALERT_KINDS if spec.value == kind)


class Alert(models.Model):
    """A dossier crossed a threshold of one deadline. Recorded once, ever."""

    dossier = models.ForeignKey(
        Dossier,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alerts",
        verbose_name=_("hồ sơ liên quan"),
    )
    # For alerts about other objects (feedback): "surveys.feedback:42".
    subject = models.CharField(max_length=100, blank=True, verbose_name=_("đối tượng"))
    kind = models.CharField(max_length=20, choices=alert_kind_choices, verbose_name=_("loại"))
    deadline_at = models.DateTimeField(verbose_name=_("thời hạn"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("thời điểm tạo"))

    class Meta:
        verbose_name = _("cảnh báo")
        verbose_name_plural = _("cảnh báo")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "kind", "deadline_at"],
                condition=Q(dossier__isnull=False),
                name="one_alert_per_dossier_kind_deadline",
            ),
            models.UniqueConstraint(
                fields=["subject", "kind", "deadline_at"],
                condition=Q(dossier__isnull=True),
                name="one_alert_per_subject_kind_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.dossier_id or self.subject} {self.deadline_at:%d/%m/%Y %H:%M}"


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")
    SKIPPED = "skipped", _("Không gửi thư")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible(self) -> "NotificationQuerySet":
        """Newest first. The centre shows a notification at once (reading it is the
        user's choice); only the email waits for working hours (``deliver_after``)."""
        return self.order_by("-created_at", "-pk")

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """What one person reads: in the notification centre and, if they have an address, by email."""

    # None for a message to an applicant, who has no account: only ``email_to``.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("người nhận"),
    )
    kind = models.CharField(max_length=20, choices=alert_kind_choices, verbose_name=_("loại"))
    title = models.CharField(max_length=255, verbose_name=_("tiêu đề"))
    body = models.TextField(blank=True, verbose_name=_("nội dung"))
    link = models.CharField(max_length=500, blank=True, verbose_name=_("liên kết"))
    alerts = models.ManyToManyField(Alert, blank=True, related_name="notifications")
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("thời điểm tạo"))
    # Alerts are released in working hours only; the centre and the mailer wait until then.
    deliver_after = models.DateTimeField(default=timezone.now, verbose_name=_("gửi sau thời điểm"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("thời điểm đọc"))
    email_to = models.EmailField(blank=True, verbose_name=_("gửi thư đến"))
    email_status = models.CharField(
        max_length=10,
        choices=EmailStatus.choices,
        default=EmailStatus.PENDING,
        verbose_name=_("trạng thái thư"),
    )
    email_claimed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("thời điểm nhận gửi thư")
    )
    email_sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("thời điểm gửi thư"))
    email_attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("số lần gửi thư"))

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # The outbox sweep reads only pending or stuck emails.
            models.Index(
                fields=["deliver_after"],
                name="notification_outbox",
                condition=Q(email_status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.title}"


class DeliveryAttempt(models.Model):
    """Every attempt to send a notification by email, with its outcome."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("thông báo")
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("thời điểm"))
    channel = models.CharField(max_length=10, default="email", verbose_name=_("kênh"))
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, verbose_name=_("trạng thái")
    )
    error = models.TextField(blank=True, verbose_name=_("lỗi"))

    class Meta:
        verbose_name = _("lần gửi thông báo")
        verbose_name_plural = _("nhật ký gửi thông báo")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.status} {self.at:%d/%m/%Y %H:%M}"


class ScanMark(models.Model):
    """Up to when a periodic scan has looked; the next scan covers (mark, now]."""

    name = models.CharField(max_length=50, unique=True, verbose_name=_("tên"))
    scanned_until = models.DateTimeField(verbose_name=_("đã quét đến"))

    def __str__(self) -> str:
        return f"{self.name} {self.scanned_until:%d/%m/%Y %H:%M}"
