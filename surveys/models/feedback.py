"""Citizen feedback (phản ánh, kiến nghị, PAKN) on regulations, procedures and
officials' behaviour in handling them (docs/domain.md §11, Decree 20/2008).

States: awaiting intake -> in handling <-> awaiting supplement -> handled
(awaiting publication) -> published; or refused; or forwarded. Each state that
waits for us has a legal deadline counted in working days on the desk's
calendar; ``due_at`` holds the one now running (indexed for the overdue scan).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from desk.models import Dossier
from desk.models.dossier import new_lookup_key
from procedures.models import Agency
from procedures.models.fields import staff_reference


class FeedbackState(models.TextChoices):
    PENDING = "pending", _("Chờ tiếp nhận")
    HANDLING = "handling", _("Đang xử lý")
    SUPPLEMENT = "supplement", _("Chờ bổ sung thông tin")
    HANDLED = "handled", _("Đã xử lý, chờ công khai")
    PUBLISHED = "published", _("Đã công khai kết quả")
    REFUSED = "refused", pgettext_lazy("phản ánh", "Không tiếp nhận")
    FORWARDED = "forwarded", _("Đã chuyển cơ quan có thẩm quyền")


# States in which a deadline runs against us (the overdue scan reads only these).
OPEN_FEEDBACK_STATES = (FeedbackState.PENDING, FeedbackState.HANDLING, FeedbackState.HANDLED)


class FeedbackChannel(models.TextChoices):
    ONLINE = "online", _("Cổng trực tuyến")
    WRITTEN = "written", _("Văn bản")
    HOTLINE = "hotline", _("Đường dây nóng")
    EMAIL = "email", _("Thư điện tử")


class FeedbackTopic(models.TextChoices):
    REGULATION = "regulation", _("Quy định hành chính")
    PROCEDURE = "procedure", _("Thủ tục hành chính")
    BEHAVIOUR = "behaviour", _("Hành vi của cán bộ, công chức")


class FeedbackClassification(models.TextChoices):
    OWN = "own", _("Thuộc thẩm quyền")
    BEHAVIOUR = "behaviour", _("Hành vi của cán bộ, công chức")
    OUTSIDE = "outside", _("Không thuộc thẩm quyền")
    REJECTED = "rejected", _("Không đủ điều kiện tiếp nhận")


class FeedbackQuerySet(models.QuerySet["Feedback"]):
    def visible_to(self, user) -> "FeedbackQuerySet":
        agency_ids = user.visible_agency_ids()
        if agency_ids is None:
            return self
        return self.filter(agency_id__in=agency_ids) if agency_ids else self.none()

    def open(self) -> "FeedbackQuerySet":
        return self.filter(state__in=OPEN_FEEDBACK_STATES)

    def overdue(self, now=None) -> "FeedbackQuerySet":
        return self.open().filter(due_at__lt=now or timezone.now())

    def published(self) -> "FeedbackQuerySet":
        return self.filter(state=FeedbackState.PUBLISHED)

    def upheld_behaviour(self) -> "FeedbackQuerySet":
        """Behaviour complaints that count against a dossier and an officer: accepted
        (not refused or forwarded) and not found untrue."""
        return self.filter(
            classification=FeedbackClassification.BEHAVIOUR, unfounded=False
        ).exclude(state__in=[FeedbackState.REFUSED, FeedbackState.FORWARDED])


class Feedback(models.Model):
    """One citizen's feedback (phản ánh, kiến nghị)."""

    code = models.CharField(_("mã phản ánh"), max_length=20, unique=True)
    lookup_key = models.CharField(_("mã tra cứu"), max_length=16, default=new_lookup_key)
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan tiếp nhận"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(
        _("kênh tiếp nhận"),
        max_length=10,
        choices=FeedbackChannel.choices,
        default=FeedbackChannel.ONLINE,
    )
    topic = models.CharField(_("nội dung liên quan"), max_length=12, choices=FeedbackTopic.choices)
    title = models.CharField(_("tiêu đề"), max_length=200)
    content = models.TextField(_("nội dung phản ánh, kiến nghị"))
    # The sender (personal data: staff of the handling agency only, never public).
    sender_name = models.CharField(_("họ và tên"), max_length=100)
    sender_address = models.CharField(_("địa chỉ"), max_length=300)
    sender_phone = models.CharField(_("số điện thoại"), max_length=15)
    sender_email = models.EmailField(_("thư điện tử"), blank=True)
    # The dossier and officer it concerns (behaviour complaints).
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ liên quan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    dossier_code = models.CharField(_("mã hồ sơ liên quan"), max_length=40, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ bị phản ánh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_about",
    )

    state = models.CharField(
        _("trạng thái"), max_length=12, choices=FeedbackState.choices, default=FeedbackState.PENDING
    )
    classification = models.CharField(
        _("phân loại"), max_length=10, choices=FeedbackClassification.choices, blank=True
    )
    received_at = models.DateTimeField(_("ngày tiếp nhận"), default=timezone.now)
    # The deadline running now (intake, handling or publication), NULL when none runs.
    due_at = models.DateTimeField(_("hạn xử lý bước hiện tại"), null=True, blank=True)
    handling_due_at = models.DateTimeField(_("hạn giải quyết"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng từ"), null=True, blank=True)
    supplement_request = models.TextField(_("nội dung cần bổ sung"), blank=True)
    supplement_reply = models.TextField(_("thông tin bổ sung"), blank=True)
    forwarded_to = models.ForeignKey(
        Agency,
        verbose_name=_("chuyển đến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The copy created at the receiving agency when forwarded inside the system.
    forwarded_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forwarded_copy",
        verbose_name=_("chuyển từ"),
    )
    forwarded_to_name = models.CharField(_("cơ quan ngoài hệ thống"), max_length=255, blank=True)
    refusal_reason = models.TextField(_("lý do không tiếp nhận"), blank=True)
    answer = models.TextField(_("kết quả xử lý"), blank=True)
    unfounded = models.BooleanField(_("phản ánh không đúng sự thật"), default=False)
    handled_at = models.DateTimeField(_("ngày xử lý xong"), null=True, blank=True)
    # What the public page shows: written by staff without personal data.
    public_question = models.TextField(_("nội dung công khai"), blank=True)
    public_answer = models.TextField(_("kết quả công khai"), blank=True)
    published_at = models.DateTimeField(_("ngày công khai"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("thời điểm đóng"))
    # Any deadline missed on the way (docs/domain.md §8: feedback handled on time).
    late = models.BooleanField(_("có bước quá hạn"), default=False)
    recorded_by = staff_reference(_("người ghi nhận"))
    version = models.PositiveIntegerField(default=1, verbose_name=_("phiên bản"))

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "-received_at"], name="feedback_agency_recv"),
            # The overdue scan: open feedback by deadline.
            models.Index(
                fields=["due_at"],
                name="feedback_open_due",
                condition=Q(state__in=["pending", "handling", "handled"]),
            ),
            models.Index(
                fields=["-published_at"],
                name="feedback_published",
                condition=Q(state="published"),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_FEEDBACK_STATES

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_open and self.due_at is not None and self.due_at < now

    @property
    def public_follow_url(self) -> str:
        from urllib.parse import urlencode

        query = urlencode({"ma": self.code, "khoa": self.lookup_key})
        return f"{settings.SITE_URL}/phan-anh/theo-doi/?{query}"


FEEDBACK_EVENT_LABELS = {
    "submit": _("Gửi phản ánh"),
    "accept": _("Tiếp nhận, phân loại"),
    "refuse": pgettext_lazy("phản ánh", "Không tiếp nhận"),
    "forward": _("Chuyển cơ quan có thẩm quyền"),
    "request_supplement": _("Đề nghị bổ sung thông tin"),
    "supply": _("Nhận thông tin bổ sung"),
    "handle": _("Xử lý xong"),
    "publish": _("Công khai kết quả"),
}


class FeedbackEvent(models.Model):
    """One step of a feedback's history, with the deadline it was judged against."""

    feedback = models.ForeignKey(
        Feedback,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("phản ánh, kiến nghị"),
    )
    kind = models.CharField(max_length=20, verbose_name=_("loại"))
    at = models.DateTimeField(default=timezone.now, verbose_name=_("thời điểm"))
    actor = staff_reference(_("người thực hiện"))
    from_state = models.CharField(max_length=12, blank=True, verbose_name=_("từ trạng thái"))
    to_state = models.CharField(max_length=12, blank=True, verbose_name=_("đến trạng thái"))
    due_at = models.DateTimeField(null=True, blank=True, verbose_name=_("hạn xử lý"))
    # Labelled choices, so the admin shows a word where Django would show an icon
    # whose text is "None" for an event without a deadline.
    on_time = models.BooleanField(
        null=True,
        choices=[(True, _("đúng hạn")), (False, _("trễ hạn")), (None, _("không có hạn"))],
        verbose_name=_("đúng hạn"),
    )
    note = models.TextField(blank=True, verbose_name=_("ghi chú"))

    class Meta:
        verbose_name = _("diễn biến xử lý phản ánh")
        verbose_name_plural = _("diễn biến xử lý phản ánh")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.kind}"

    @property
    def label(self) -> str:
        return str(FEEDBACK_EVENT_LABELS.get(self.kind, self.kind))
