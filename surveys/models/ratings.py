"""Quick satisfaction ratings (đánh giá mức độ hài lòng) after a result is returned.

One rating per dossier (a unique constraint, not only a check in a view), linked
to the officers who handled the dossier so that results can be read per officer
(docs/domain.md §9). A rating is given at the counter's kiosk, by the link or QR code
on the receipt, or recorded by the clerk.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desk.models import Dossier, EmailStatus, Notification
from procedures.models import Agency
from procedures.models.fields import staff_reference


class RatingChoice(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    DISSATISFIED = "dissatisfied", _("Không hài lòng")


class RatingChannel(models.TextChoices):
    KIOSK = "kiosk", _("Thiết bị đánh giá tại quầy")
    LINK = "link", _("Đường dẫn hoặc mã QR")


def new_kiosk_token() -> str:
    return secrets.token_urlsafe(24)


class Kiosk(models.Model):
    """A tablet at a counter (thiết bị đánh giá tại quầy).

    It shows the dossier most recently returned at its desk, by the clerk now
    serving at its counter when one has claimed it. Its address carries an
    unguessable token: the tablet needs no account.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("bộ phận một cửa"), on_delete=models.PROTECT, related_name="kiosks"
    )
    name = models.CharField(_("tên quầy"), max_length=100)
    token = models.CharField(
        max_length=64,
        unique=True,
        default=new_kiosk_token,
        editable=False,
        verbose_name=_("mã truy cập"),
    )
    clerk = staff_reference(_("cán bộ đang phục vụ tại quầy"))
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("thời điểm tạo"))

    class Meta:
        verbose_name = _("thiết bị đánh giá tại quầy")
        verbose_name_plural = _("thiết bị đánh giá tại quầy")
        ordering = ["agency_id", "name"]

    def __str__(self) -> str:
        return f"{self.agency} · {self.name}"

    @property
    def public_url(self) -> str:
        return f"{settings.SITE_URL}/danh-gia/quay/{self.token}/"


class RatingQuerySet(models.QuerySet["Rating"]):
    def distribution(self) -> dict[str, int]:
        """Counts per choice, every choice present (0 when none)."""
        counts = dict.fromkeys(RatingChoice.values, 0)
        for choice, n in self.values_list("choice").annotate(n=Count("pk")).order_by():
            counts[choice] = n
        return counts

    def satisfied(self) -> "RatingQuerySet":
        return self.filter(choice__in=[RatingChoice.VERY_SATISFIED, RatingChoice.SATISFIED])


class Rating(models.Model):
    """One citizen's quick rating of one dossier."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="rating"
    )
    # The receiving desk, copied so that results per agency read one table.
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="ratings"
    )
    choice = models.CharField(_("mức độ hài lòng"), max_length=20, choices=RatingChoice.choices)
    reason = models.TextField(_("lý do"), blank=True)
    channel = models.CharField(_("kênh đánh giá"), max_length=10, choices=RatingChannel.choices)
    kiosk = models.ForeignKey(
        Kiosk,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratings",
        verbose_name=_("máy đánh giá"),
    )
    # Everyone who handled the dossier: the receiving clerk, the officers it was
    # handed to, the one who completed it and the clerk who returned it.
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ giải quyết"),
        blank=True,
        related_name="ratings",
    )
    created_at = models.DateTimeField(_("thời điểm đánh giá"), default=timezone.now)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "created_at"], name="rating_agency_at")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(choice="dissatisfied") | ~Q(reason=""),
                name="rating_dissatisfied_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.choice}"


class RatingInvitation(models.Model):
    """The record that this dossier's applicant was invited to rate after the return.

    One per dossier (the one-to-one is the send-once rule); the email itself is a
    notification in the desk's outbox (desk/alerts/delivery.py), which claims, sends
    and retries it, so its state is read from there.
    """

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, related_name="+", verbose_name=_("hồ sơ liên quan")
    )
    notification = models.OneToOneField(
        Notification, on_delete=models.PROTECT, related_name="+", verbose_name=_("thông báo")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("thời điểm tạo"))

    class Meta:
        verbose_name = _("thư mời đánh giá")
        verbose_name_plural = _("thư mời đánh giá")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.sent_at or '-'}"

    @property
    def email(self) -> str:
        return self.notification.email_to

    @property
    def sent_at(self) -> dt.datetime | None:
        return self.notification.email_sent_at

    @property
    def claimed_at(self) -> dt.datetime | None:
        """When a worker took it to send it, while one is sending it."""
        note = self.notification
        return note.email_claimed_at if note.email_status == EmailStatus.SENDING else None

    @property
    def error(self) -> str:
        """Why the last attempt failed ("" if it did not)."""
        last = self.notification.attempts.first()  # newest first
        return last.error if last else ""
