"""Dossiers (hồ sơ) and everything recorded about them: the timeline, the
documents received, the one supplement request, the apology.

States carry the national portal's numbers (docs/domain.md §5) so data exchange can
use them as they are. Writes go through desk/services/; the models hold the
data and the rules about one object.
"""

import hmac
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.models import Agency, Procedure, ProcedureVariant
from procedures.models.fields import staff_reference

validate_id_number = RegexValidator(
    r"^\d{12}$", _("Số định danh cá nhân gồm đúng 12 chữ số."), code="invalid_id_number"
)
validate_phone = RegexValidator(
    r"^(\+84|0)\d{9,10}$",
    _("Số điện thoại không hợp lệ (ví dụ 0912345678 hoặc +84912345678)."),
    code="invalid_phone",
)


def new_lookup_key() -> str:
    """The second secret printed on the receipt: 80 random bits, 16 URL-safe characters
    without look-alike characters, so a citizen can type it from paper."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1
    return "".join(secrets.choice(alphabet) for _ in range(16))


def lookup_key_matches(expected: str | None, given: str) -> bool:
    """Whether ``given`` is the lookup key ``expected`` of a dossier or a feedback
    (None: no record has the code typed). The comparison takes the same time either
    way, so an unknown code and a wrong key cannot be told apart."""
    matches = hmac.compare_digest((expected or "X" * 16).encode(), (given or "").encode())
    return matches and expected is not None


class State(models.IntegerChoices):
    """The national portal's ten status codes."""

    REGISTERED = 1, _("Mới đăng ký")
    RECEIVED = 2, _("Đã tiếp nhận")
    NOT_RECEIVED = 3, _("Không tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    SUPPLEMENT = 5, _("Chờ bổ sung")
    AWAITING_PAYMENT = 6, _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWAL_REQUESTED = 7, _("Công dân yêu cầu rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    PROCESSED = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


# States in which the clock runs or may still run; the overdue scan and queues use them.
OPEN_STATES = (
    State.RECEIVED,
    State.PROCESSING,
    State.SUPPLEMENT,
    State.AWAITING_PAYMENT,
    State.WITHDRAWAL_REQUESTED,
)
# States that end processing (docs/domain.md §5, on-time test).
FINISHED_STATES = (State.NOT_RECEIVED, State.STOPPED, State.PROCESSED, State.RETURNED)


class Channel(models.TextChoices):
    DESK = "desk", _("Trực tiếp")
    POST = "post", _("Qua bưu chính công ích")
    ONLINE = "online", _("Trực tuyến")


class Delivery(models.TextChoices):
    DESK = "desk", _("Nhận trực tiếp tại Bộ phận một cửa")
    POST = "post", _("Qua dịch vụ bưu chính công ích")
    ONLINE = "online", _("Trực tuyến")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class DossierQuerySet(models.QuerySet["Dossier"]):
    def visible_to(self, user) -> "DossierQuerySet":
        """Dossiers received by or now held in an agency the user may see."""
        agency_ids = user.visible_agency_ids()
        if agency_ids is None:
            return self
        if not agency_ids:
            return self.none()
        return self.filter(
            Q(receiving_agency_id__in=agency_ids) | Q(current_agency_id__in=agency_ids)
        )

    def open(self) -> "DossierQuerySet":
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, now=None) -> "DossierQuerySet":
        """Open, clock running, past due. Uses the partial index on open dossiers."""
        now = now or timezone.now()
        return self.filter(state__in=OPEN_STATES, paused_at__isnull=True, due_at__lt=now)

    def due_before(self, moment, now=None) -> "DossierQuerySet":
        now = now or timezone.now()
        return self.filter(
            state__in=OPEN_STATES, paused_at__isnull=True, due_at__gte=now, due_at__lt=moment
        )


def mask_name(name: str) -> str:
    """ "Nguyễn Văn An" -> "N***** V** An": enough for the citizen to recognise it,
    nothing for anyone else (public pages, lists shown to people who need no more)."""
    parts = name.split()
    if not parts:
        return ""
    if len(parts) == 1:
        return name[:1] + "***"
    return " ".join([p[0] + "*" * (len(p) - 1) for p in parts[:-1]] + [parts[-1]])


def mask_id_number(number: str) -> str:
    """ "079201001234" -> "********1234" """
    return "*" * 8 + number[-4:] if number else ""


def mask_phone(phone: str) -> str:
    """ "0912345678" -> "091****678" """
    return phone[:3] + "****" + phone[-3:] if phone else ""


class Dossier(models.Model):
    """An administrative-procedure file (hồ sơ thủ tục hành chính)."""

    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    lookup_key = models.CharField(_("mã tra cứu"), max_length=16, default=new_lookup_key)
    receiving_agency = models.ForeignKey(
        Agency,
        verbose_name=_("nơi tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    # Where the dossier is now (the competent unit while processing) and who holds it.
    current_agency = models.ForeignKey(
        Agency,
        verbose_name=_("đơn vị đang xử lý"),
        on_delete=models.PROTECT,
        related_name="held_dossiers",
    )
    current_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="held_dossiers",
    )
    current_step_due_at = models.DateTimeField(_("hạn của bước hiện tại"), null=True, blank=True)
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    variant = models.ForeignKey(
        ProcedureVariant,
        verbose_name=_("trường hợp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(
        _("hình thức nộp"), max_length=10, choices=Channel.choices, default=Channel.DESK
    )
    state = models.PositiveSmallIntegerField(
        _("trạng thái"), choices=State.choices, default=State.REGISTERED
    )
    summary = models.CharField(_("trích yếu"), max_length=500, blank=True)
    sets_count = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)

    # Applicant (chủ hồ sơ) and, if different, the filer with power of attorney.
    applicant_name = models.CharField(_("họ và tên người yêu cầu"), max_length=255)
    applicant_id_number = models.CharField(
        _("số định danh cá nhân"), max_length=12, validators=[validate_id_number]
    )
    applicant_birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    applicant_phone = models.CharField(
        _("số điện thoại"), max_length=15, blank=True, validators=[validate_phone]
    )
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    filer_name = models.CharField(_("người nộp thay"), max_length=255, blank=True)
    filer_id_number = models.CharField(
        _("số định danh người nộp thay"), max_length=12, blank=True, validators=[validate_id_number]
    )
    filer_phone = models.CharField(
        _("điện thoại người nộp thay"), max_length=15, blank=True, validators=[validate_phone]
    )
    filer_address = models.CharField(_("địa chỉ người nộp thay"), max_length=500, blank=True)
    power_of_attorney = models.CharField(_("giấy ủy quyền"), max_length=255, blank=True)
    # Folded name and id for the queues' search box (procedures.text.fold).
    applicant_folded = models.CharField(
        max_length=255, editable=False, default="", verbose_name=_("tên người nộp (không dấu)")
    )

    # The clock. due_at is denormalised from the deadline engine (desk/deadlines.py)
    # and indexed for the queues and the overdue scan; original_due_at keeps the
    # first appointment when an apology moves it.
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("ngày hẹn trả ban đầu"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng từ"), null=True, blank=True)
    finished_at = models.DateTimeField(_("ngày có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    timeliness = models.CharField(
        _("kết quả đúng hạn"), max_length=8, choices=Timeliness.choices, blank=True
    )
    supplement_count = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    extended = models.BooleanField(_("đã gia hạn"), default=False)

    refusal_reason = models.TextField(_("lý do từ chối"), blank=True)
    intake_guidance = models.TextField(_("hướng dẫn hoàn thiện khi tiếp nhận"), blank=True)
    result_number = models.CharField(_("số, ký hiệu kết quả"), max_length=100, blank=True)
    result_signer = models.CharField(_("người ký kết quả"), max_length=255, blank=True)
    result_summary = models.TextField(_("kết quả giải quyết"), blank=True)
    delivery = models.CharField(
        _("hình thức nhận kết quả"), max_length=10, choices=Delivery.choices, default=Delivery.DESK
    )
    fee_amount = models.DecimalField(
        _("phí, lệ phí (đồng)"), max_digits=14, decimal_places=0, default=0
    )
    fee_paid_at = models.DateTimeField(_("đã nộp phí lúc"), null=True, blank=True)
    tracking_number = models.PositiveIntegerField(_("số thứ tự sổ theo dõi"), null=True, blank=True)

    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="received_dossiers",
    )
    # Optimistic lock: each write bumps it; a form posted with an older version is
    # refused with a refreshed view (desk/services/, StaleDossier).
    version = models.PositiveIntegerField(default=1, verbose_name=_("phiên bản"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("thời điểm tạo"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("thời điểm cập nhật"))

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-received_at", "-pk"]
        indexes = [
            # Queues: an agency's dossiers newest first, keyset-paginated on (received_at, id).
            models.Index(
                fields=["current_agency", "-received_at", "-id"], name="dossier_agency_recv"
            ),
            models.Index(
                fields=["receiving_agency", "-received_at", "-id"], name="dossier_desk_recv"
            ),
            models.Index(fields=["current_holder", "state"], name="dossier_holder_state"),
            # A leader's "all" queue (nearly every agency): walked newest first.
            models.Index(fields=["-received_at", "-id"], name="dossier_recv"),
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_id"),
            # The dashboard's lists of dossiers finished in a period, and the nightly
            # snapshot of what was open at midnight (desk/stats.py, desk/dashboard/).
            models.Index(fields=["finished_at"], name="dossier_finished"),
            # The queues' name search: LIKE 'prefix%' on any database collation.
            # (A pg_trgm GIN index for '% word%' is added on PostgreSQL by
            # migration 0004, outside Meta: SQLite cannot build it.)
            models.Index(
                fields=["applicant_folded"],
                name="dossier_applicant_name",
                opclasses=["varchar_pattern_ops"],
            ),
            # The overdue and due-soon scans read only open dossiers (partial index).
            # On PostgreSQL migration 0004 rebuilds it as a covering index (INCLUDE
            # id, state, paused_at, agencies, holder, received_at), so the queues'
            # tab counts and the ranking of a small tab's page read no table rows
            # (desk/queues.py, keyset_page "bounded"); SQLite has no INCLUDE.
            models.Index(
                fields=["due_at"],
                name="dossier_open_due",
                condition=Q(state__in=[2, 4, 5, 6, 7]),
            ),
            # The clock scan's step-deadline threshold (desk/alerts/): a range on the
            # holder's step deadline of open dossiers; without it that one query read
            # every open dossier (bench/bench_scan.py).
            models.Index(
                fields=["current_step_due_at"],
                name="dossier_open_step_due",
                condition=Q(state__in=[2, 4, 5, 6, 7]),
            ),
            # The same for the lists of dossiers waiting for someone outside: online
            # registrations, supplements, ready results (covering on PostgreSQL too).
            models.Index(
                fields=["state"], name="dossier_waiting", condition=Q(state__in=[1, 5, 9])
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_open and not self.is_paused and self.due_at is not None and self.due_at < now

    @property
    def public_lookup_url(self) -> str:
        """The public lookup address printed on the receipt and in its QR code: the
        guessable code plus the secret lookup key (docs/domain.md §5, "Code")."""
        query = urlencode({"ma": self.code, "khoa": self.lookup_key})
        return f"{settings.SITE_URL}{reverse('surveys:lookup')}?{query}"

    @property
    def masked_applicant_name(self) -> str:
        return mask_name(self.applicant_name)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.applicant_id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.applicant_phone)


class DossierDocument(models.Model):
    """A document received with the dossier (thành phần hồ sơ đã nhận)."""

    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("hồ sơ liên quan"),
    )
    name = models.CharField(_("tên giấy tờ"), max_length=1000)
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("bản sao chứng thực"), default=0)
    copies = models.PositiveSmallIntegerField(_("bản sao"), default=0)
    digitised = models.BooleanField(_("đã số hóa"), default=False)
    supplied_later = models.BooleanField(_("nộp bổ sung"), default=False)
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("thứ tự"))

    class Meta:
        verbose_name = _("giấy tờ đã nhận")
        verbose_name_plural = _("giấy tờ đã nhận")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


def attachment_path(instance: "DossierAttachment", filename: str) -> str:
    # Random names: an upload's original name may carry personal data.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"dossiers/{instance.dossier_id}/{secrets.token_hex(12)}.{suffix}"


class DossierAttachment(models.Model):
    """A scanned or uploaded file (bản số hóa)."""

    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("hồ sơ liên quan"),
    )
    document = models.ForeignKey(
        DossierDocument,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
        verbose_name=_("giấy tờ"),
    )
    file = models.FileField(_("tệp"), upload_to=attachment_path)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100, verbose_name=_("kiểu tệp"))
    size = models.PositiveIntegerField(verbose_name=_("kích thước"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("thời điểm tải lên"))

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class EventKind(models.TextChoices):
    REGISTER = "register", _("Đăng ký trực tuyến")
    RECEIVE = "receive", _("Tiếp nhận hồ sơ")
    GUIDE = "guide", _("Hướng dẫn bổ sung khi tiếp nhận")
    REFUSE = "refuse", _("Từ chối tiếp nhận")
    HAND_OVER = "hand_over", _("Chuyển xử lý")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung hồ sơ")
    SUPPLY = "supply", _("Nhận hồ sơ bổ sung")
    REQUEST_PAYMENT = "request_payment", _("Thông báo nghĩa vụ tài chính")
    CONFIRM_PAYMENT = "confirm_payment", _("Xác nhận hoàn thành nghĩa vụ tài chính")
    APOLOGISE = "apologise", _("Xin lỗi và hẹn lại ngày trả")
    REQUEST_WITHDRAWAL = "request_withdrawal", _("Công dân yêu cầu rút hồ sơ")
    STOP = "stop", _("Dừng xử lý")
    COMPLETE = "complete", _("Hoàn thành xử lý")
    RETURN = "return", _("Trả kết quả")
    CORRECT = "correct", _("Điều chỉnh trạng thái")
    RECOMPUTE = "recompute", _("Tính lại hạn xử lý")
    NOTE = "note", _("Ghi chú")


class DossierEvent(models.Model):
    """One line of the timeline, append-only: who did what, when, from where to where.

    Hand-over rows are the control slip's rows (phiếu kiểm soát): from/to unit and
    person, the step's deadline and whether the step finished early, on time or late.
    """

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="events", verbose_name=_("hồ sơ liên quan")
    )
    kind = models.CharField(_("hành động"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    actor = staff_reference(_("người thực hiện"))
    from_state = models.PositiveSmallIntegerField(
        choices=State.choices, null=True, blank=True, verbose_name=_("từ trạng thái")
    )
    to_state = models.PositiveSmallIntegerField(
        choices=State.choices, null=True, blank=True, verbose_name=_("đến trạng thái")
    )
    from_agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("từ đơn vị"),
    )
    to_agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đến đơn vị"),
    )
    from_user = staff_reference(_("từ người"))
    to_user = staff_reference(_("đến người"))
    step_due_at = models.DateTimeField(_("hạn bước"), null=True, blank=True)
    # Judged when the step ends (the next hand-over or the result).
    step_finished_at = models.DateTimeField(_("hoàn thành bước lúc"), null=True, blank=True)
    step_timeliness = models.CharField(
        _("kết quả bước"), max_length=8, choices=Timeliness.choices, blank=True
    )
    note = models.TextField(_("ghi chú"), blank=True)
    data = models.JSONField(default=dict, blank=True, verbose_name=_("dữ liệu"))

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("quá trình xử lý hồ sơ")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["dossier", "at"], name="event_dossier_at")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} {self.at:%d/%m/%Y %H:%M}"


class SupplementRequest(models.Model):
    """The written request for missing documents (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ, form 02).

    One per processing body: a second needs an audited override and counts as late.
    """

    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.CASCADE,
        related_name="supplements",
        verbose_name=_("hồ sơ liên quan"),
    )
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan yêu cầu"), on_delete=models.PROTECT)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người yêu cầu"),
    )
    requested_at = models.DateTimeField(_("ngày yêu cầu"), default=timezone.now)
    # [{"name": "...", "reason": "..."}], every missing item at once.
    items = models.JSONField(_("nội dung cần bổ sung"))
    contact_name = models.CharField(_("cán bộ liên hệ"), max_length=255, blank=True)
    contact_phone = models.CharField(_("điện thoại liên hệ"), max_length=30, blank=True)
    is_override = models.BooleanField(_("yêu cầu bổ sung lần thứ hai (ngoại lệ)"), default=False)
    override_reason = models.TextField(_("lý do ngoại lệ"), blank=True)
    supplied_at = models.DateTimeField(_("ngày nhận đủ bổ sung"), null=True, blank=True)
    paused_hours = models.DecimalField(
        _("số giờ làm việc tạm dừng"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("yêu cầu bổ sung hồ sơ")
        verbose_name_plural = _("yêu cầu bổ sung hồ sơ")
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier} @ {self.requested_at:%d/%m/%Y}"


class ApologyStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    APPROVED = "approved", _("Đã ký ban hành")


class ApologyLetter(models.Model):
    """The apology and new appointment (văn bản xin lỗi và hẹn lại ngày trả, form 04).

    At most one approved per dossier; it must be issued at least one working day
    before the due date (a later one is allowed but flagged ``is_late``).
    """

    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.CASCADE,
        related_name="apologies",
        verbose_name=_("hồ sơ liên quan"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan")
    )
    status = models.CharField(
        max_length=10,
        choices=ApologyStatus.choices,
        default=ApologyStatus.DRAFT,
        verbose_name=_("trạng thái"),
    )
    reason = models.TextField(_("lý do chậm trễ"), blank=True)
    original_due_at = models.DateTimeField(_("ngày hẹn trả ban đầu"))
    new_due_at = models.DateTimeField(_("ngày hẹn trả mới"), null=True, blank=True)
    drafted_at = models.DateTimeField(default=timezone.now, verbose_name=_("thời điểm soạn"))
    drafted_by = staff_reference(_("người soạn"))
    signed_by = staff_reference(_("người ký"))
    signed_at = models.DateTimeField(_("ngày ký"), null=True, blank=True)
    is_late = models.BooleanField(_("ban hành muộn"), default=False)
    pdf = models.FileField(upload_to="apologies/", blank=True, verbose_name=_("tệp PDF"))

    class Meta:
        verbose_name = _("văn bản xin lỗi")
        verbose_name_plural = _("văn bản xin lỗi")
        ordering = ["-drafted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(status="approved"),
                name="one_approved_apology_per_dossier",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier} ({self.get_status_display()})"


class Counter(models.Model):
    """A named sequence, e.g. the NNNN of dossier codes per agency and day, or the
    tracking-book number per agency, field and year (desk/services/, next_number)."""

    scope = models.CharField(max_length=100, unique=True, verbose_name=_("phạm vi"))
    last = models.PositiveIntegerField(default=0, verbose_name=_("số cuối"))

    def __str__(self) -> str:
        return f"{self.scope} {self.last}"


class PersonalDataAccess(models.Model):
    """Who viewed or exported applicants' personal data (Decree 13/2023)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người dùng"),
    )
    dossier = models.ForeignKey(
        Dossier,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hồ sơ liên quan"),
    )
    action = models.CharField(max_length=20, verbose_name=_("hành động"))  # "view", "export", "pdf"
    detail = models.CharField(max_length=255, blank=True, verbose_name=_("chi tiết"))
    at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("thời điểm"))

    class Meta:
        verbose_name = _("truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.dossier_id}"
