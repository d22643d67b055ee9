from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from ..text import fold, tokens
from .agency import Agency

# Procedure code (mã TTHC): a digit, a dot, six digits, e.g. 1.010708.
PROCEDURE_CODE_RE = r"^\d\.\d{6}$"
validate_procedure_code = RegexValidator(
    PROCEDURE_CODE_RE,
    _("Mã thủ tục phải có dạng một chữ số, dấu chấm và sáu chữ số, ví dụ 1.010708."),
    code="invalid_code",
)


class ProcedureLevel(models.TextChoices):
    CENTRAL = "central", _("Cấp trung ương")
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class ProcedureStatus(models.TextChoices):
    PUBLISHED = "published", _("Đang áp dụng")
    AMENDED = "amended", _("Được sửa đổi, bổ sung")
    ABOLISHED = "abolished", _("Đã bãi bỏ")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Dịch vụ công trực tuyến toàn trình")
    PARTIAL = "partial", _("Dịch vụ công trực tuyến một phần")
    NONE = "none", _("Không có dịch vụ công trực tuyến")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    IMMEDIATE = "immediate", _("trả kết quả ngay")


class Field(models.Model):
    """A field of administration (lĩnh vực), e.g. Hộ tịch, Đất đai."""

    code = models.CharField(_("mã lĩnh vực"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProcedureQuerySet(models.QuerySet["Procedure"]):
    def public(self) -> "ProcedureQuerySet":
        """What citizens see: published or amended procedures, not abolished ones."""
        return self.exclude(status=ProcedureStatus.ABOLISHED)

    def search(self, query: str) -> "ProcedureQuerySet":
        """Procedures matching every word of ``query``, diacritics and case ignored,
        best first: the code, then the whole phrase at the start of the name, the
        whole phrase in the name, every word in the name, every word anywhere.
        """
        words = tokens(query)
        if not words:
            return self.annotate(rank=Value(0, output_field=IntegerField()))
        phrase = fold(query)
        qs = self
        for word in words:
            qs = qs.filter(search_folded__contains=word)
        whens = []
        code = query.strip()
        if any(ch.isdigit() for ch in code):
            whens += [
                When(code=code, then=Value(100)),
                # A code typed in part ("1.0107") while reading it off a paper.
                When(code__startswith=code, then=Value(95)),
            ]
        whens += [
            When(name_folded=phrase, then=Value(90)),
            When(name_folded__startswith=phrase, then=Value(80)),
            When(name_folded__contains=phrase, then=Value(60)),
        ]
        if len(words) > 1:
            in_name = Q()
            for word in words:
                in_name &= Q(name_folded__contains=word)
            whens.append(When(in_name, then=Value(40)))
        # Fewer WHENs for plain words: the CASE is evaluated on every matching row.
        return qs.annotate(rank=Case(*whens, default=Value(20), output_field=IntegerField()))

    def filter_catalog(
        self, *, field: str = "", level: str = "", agency: str = "", online_level: str = ""
    ) -> "ProcedureQuerySet":
        """The public catalog's filters, by public code (field code, agency
        identifier); empty values filter nothing."""
        qs = self
        if field:
            qs = qs.filter(field__code=field)
        if level:
            qs = qs.filter(level=level)
        if agency:
            # One row per procedure: an agency is linked to a procedure at most once.
            qs = qs.filter(agencies__identifier=agency)
        if online_level:
            qs = qs.filter(online_level=online_level)
        return qs

    def for_listing(self) -> "ProcedureQuerySet":
        """What a result row shows (field, default variant's time limit) in a fixed
        number of queries, however many rows."""
        return (
            self.select_related("field")
            # ``listing_variants[0]`` is the default variant (the first one when
            # none is marked), as ``Procedure.default_variant()`` picks it; a list
            # attribute avoids a queryset clone per row while rendering.
            .prefetch_related(
                models.Prefetch(
                    "variants",
                    queryset=ProcedureVariant.objects.order_by("-is_default", "order", "pk"),
                    to_attr="listing_variants",
                )
            )
            # Only the columns a result row shows: the long texts (steps, legal
            # basis...) would be read, sent and decoded for nothing.
            .only("code", "name", "level", "online_level", "status", "field__code", "field__name")
        )

    def for_detail(self) -> "ProcedureQuerySet":
        """Everything the detail page shows, in a fixed number of queries."""
        return self.select_related("field").prefetch_related(
            "variants",
            "documents",
            "fees",
            models.Prefetch("agencies", queryset=Agency.objects.order_by("level", "name")),
        )

    def ranked(self) -> "ProcedureQuerySet":
        """Best match first (``search`` annotates ``rank``), then alphabetical.

        Alphabetical on the folded name: "Đăng ký" sorts among the D's on every
        database, whatever its collation ("Đ" is U+0110, after "Z").
        """
        return self.order_by("-rank", "name_folded", "code")


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính, TTHC) as published in the national database.

    Carries every part Decree 63/2010 requires a published procedure to state.
    """

    code = models.CharField(
        _("mã thủ tục"), max_length=8, unique=True, validators=[validate_procedure_code]
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(
        Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures"
    )
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=ProcedureLevel.choices)
    is_interlevel = models.BooleanField(_("liên thông"), default=False)
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("cơ quan thực hiện"), blank=True, related_name="procedures"
    )
    implementing_body = models.CharField(
        _("cơ quan thực hiện (theo quyết định công bố)"), max_length=500, blank=True
    )
    steps = models.TextField(_("trình tự thực hiện"), blank=True)
    accepts_at_desk = models.BooleanField(_("nộp trực tiếp"), default=True)
    accepts_by_post = models.BooleanField(_("nộp qua dịch vụ bưu chính công ích"), default=False)
    accepts_online = models.BooleanField(_("nộp trực tuyến"), default=False)
    filing_notes = models.TextField(_("ghi chú về cách thức thực hiện"), blank=True)
    applicants = models.TextField(_("đối tượng thực hiện"), blank=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    result_form = models.CharField(_("mẫu kết quả"), max_length=255, blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện thực hiện"), blank=True)
    application_forms = models.TextField(_("mẫu đơn, mẫu tờ khai"), blank=True)
    legal_basis = models.TextField(
        _("căn cứ pháp lý"), blank=True, help_text=_("Mỗi văn bản một dòng.")
    )
    decision_number = models.CharField(_("số quyết định công bố"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định công bố"), null=True, blank=True)
    decision_file = models.FileField(
        _("tệp quyết định công bố"), upload_to="procedures/decisions/", blank=True
    )
    status = models.CharField(
        _("tình trạng"),
        max_length=10,
        choices=ProcedureStatus.choices,
        default=ProcedureStatus.PUBLISHED,
    )
    effective_from = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    effective_to = models.DateField(_("ngày hết hiệu lực"), null=True, blank=True)
    online_level = models.CharField(
        _("mức độ dịch vụ công trực tuyến"),
        max_length=10,
        choices=OnlineLevel.choices,
        default=OnlineLevel.NONE,
    )
    file_anywhere = models.BooleanField(
        _("tiếp nhận không phụ thuộc địa giới hành chính trong tỉnh"), default=False
    )
    restart_term_after_supplement = models.BooleanField(
        _("tính lại từ đầu thời hạn sau khi bổ sung hồ sơ"),
        default=False,
        help_text=_(
            "Nếu chọn, thời hạn giải quyết được tính lại từ đầu khi nhận đủ hồ sơ bổ sung; "
            "nếu không, thời hạn được cộng thêm thời gian đã tạm dừng."
        ),
    )
    # Folded copies for diacritic-insensitive search (procedures/text.py);
    # kept in step by procedures.services.save_procedure and the import.
    name_folded = models.CharField(
        max_length=500, editable=False, db_index=True, default="", verbose_name=_("tên (không dấu)")
    )
    search_folded = models.TextField(
        editable=False, default="", verbose_name=_("văn bản tìm kiếm (không dấu)")
    )
    # Hash of the canonical content (procedures/catalog_io/); an import that
    # brings the same content changes nothing.
    content_hash = models.CharField(
        max_length=64, editable=False, default="", verbose_name=_("mã băm nội dung")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("thời điểm tạo"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("thời điểm cập nhật"))

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def refresh_search_fields(self) -> None:
        """Recompute the folded search columns; callers save afterwards."""
        self.name_folded = fold(self.name)[:500]
        field_name = self.field.name if self.field_id else ""
        self.search_folded = fold(
            " ".join([self.code, self.name, field_name, self.implementing_body])
        )

    @property
    def ways_to_file(self) -> list[str]:
        ways = []
        if self.accepts_at_desk:
            ways.append(str(_("Trực tiếp tại Bộ phận tiếp nhận và trả kết quả")))
        if self.accepts_by_post:
            ways.append(str(_("Qua dịch vụ bưu chính công ích")))
        if self.accepts_online:
            ways.append(str(_("Trực tuyến trên Cổng dịch vụ công")))
        return ways

    @property
    def legal_basis_list(self) -> list[str]:
        return [line.strip() for line in self.legal_basis.splitlines() if line.strip()]

    def default_variant(self) -> "ProcedureVariant | None":
        variants = list(self.variants.all())
        for variant in variants:
            if variant.is_default:
                return variant
        return variants[0] if variants else None


class ProcedureVariant(models.Model):
    """A case (trường hợp) of a procedure with its own statutory time limit."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="variants", verbose_name=_("thủ tục")
    )
    name = models.CharField(_("trường hợp"), max_length=500)
    time_value = models.PositiveIntegerField(
        _("thời hạn giải quyết"), default=0, validators=[MinValueValidator(0)]
    )
    time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=15, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    is_default = models.BooleanField(_("mặc định"), default=False)
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("thứ tự"))

    class Meta:
        verbose_name = _("trường hợp giải quyết")
        verbose_name_plural = _("trường hợp giải quyết")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.time_limit_display})"

    @property
    def time_limit_display(self) -> str:
        if self.time_unit == TimeUnit.IMMEDIATE:
            return str(TimeUnit.IMMEDIATE.label)
        return f"{self.time_value} {TimeUnit(self.time_unit).label}"


class RequiredDocument(models.Model):
    """A document in the dossier (thành phần hồ sơ) with the number of each kind of copy."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="documents", verbose_name=_("thủ tục")
    )
    name = models.CharField(_("tên giấy tờ"), max_length=1000)
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("bản sao chứng thực"), default=0)
    copies = models.PositiveSmallIntegerField(_("bản sao/phô tô"), default=0)
    form_name = models.CharField(_("mẫu đơn, tờ khai"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("thứ tự"))

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class ProcedureStep(models.Model):
    """An internal step (bước xử lý) among which a procedure splits its time, e.g.
    "Thẩm định hồ sơ: 24 giờ làm việc", then "Lãnh đạo ký duyệt: 8 giờ làm việc"
    (docs/domain.md §6, per-step deadlines).

    The n-th hand-over of a dossier starts the n-th step; its deadline is the
    receipt plus the working hours of steps 1..n (moved by pauses like the due date)
    and never later than the dossier's due date. The last step, and any hand-over
    beyond the listed steps, runs to the due date. A case (variant) with a shorter
    term than the steps' total shares it in the same proportions. Steps apply to
    terms in working days or hours.
    """

    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.CASCADE,
        related_name="internal_steps",
        verbose_name=_("thủ tục"),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên bước"), max_length=255)
    working_hours = models.DecimalField(
        _("thời gian (giờ làm việc)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("Một ngày làm việc là 8 giờ."),
    )

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("các bước xử lý")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.working_hours:g} h)"


class Fee(models.Model):
    """A fee or charge (phí, lệ phí) of a procedure."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="fees", verbose_name=_("thủ tục")
    )
    name = models.CharField(_("tên phí, lệ phí"), max_length=500)
    amount = models.DecimalField(_("mức thu (đồng)"), max_digits=14, decimal_places=0, default=0)
    exemptions = models.TextField(_("miễn, giảm"), blank=True)
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("thứ tự"))

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class ProcedureRevision(models.Model):
    """One change to a procedure, with the content after it: the catalog's history."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("thủ tục")
    )
    changed_at = models.DateTimeField(
        auto_now_add=True, db_index=True, verbose_name=_("thời điểm sửa")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("người sửa"),
    )
    source = models.CharField(_("nguồn thay đổi"), max_length=255)
    changed_fields = models.JSONField(_("trường thay đổi"), default=list)
    snapshot = models.JSONField(_("nội dung"))

    class Meta:
        verbose_name = _("lịch sử thủ tục")
        verbose_name_plural = _("lịch sử thủ tục")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.procedure.code} @ {self.changed_at:%d/%m/%Y %H:%M}"
