"""Code-of-conduct inspections (kiểm tra công vụ, docs/domain.md §10).

- ``ChecklistTemplate`` / ``ChecklistVersion`` / ``ChecklistItem``: what an
  inspector ticks. A version is frozen once published; editing means a new draft
  version, so a past inspection keeps the items it was recorded against.
- ``InspectionPlan`` / ``PlannedInspection``: which units are inspected in a year,
  and the coverage against the required share (default 30 %).
- ``Inspection`` with the officers present, the sampled dossiers and one
  ``ItemResult`` per item and target (an officer, the premises or a dossier).
- ``Finding`` (a violation or a commendation) and its ``FollowUp`` actions.
- ``ScoreTally``: counts frozen when an inspection is completed, so the scores of
  a province over years are sums over a few rows per inspection.

Writes go through conduct/services.py; reads through the querysets here and
conduct/scores.py. Who sees what is in conduct/access.py.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.models import Agency
from procedures.models.fields import staff_reference


class Policy(models.Model):
    """The rules an administrator may change (one row): coverage, repeat window,
    follow-up time and sample size. Values the law leaves to each province."""

    required_coverage = models.DecimalField(
        _("tỷ lệ đơn vị phải kiểm tra mỗi năm"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.30"),
        help_text=_("Ví dụ 0,30 nghĩa là ba mươi phần trăm số đơn vị trực thuộc."),
    )
    repeat_window_days = models.PositiveIntegerField(
        _("thời gian xét vi phạm lặp lại (ngày)"),
        default=365,
        help_text=_("Vi phạm thứ hai của cùng một cán bộ trong khoảng này bị coi là tái phạm."),
    )
    follow_up_working_days = models.PositiveSmallIntegerField(
        _("thời hạn khắc phục (ngày làm việc)"), default=5
    )
    sample_size = models.PositiveSmallIntegerField(_("số hồ sơ kiểm tra xác suất"), default=3)
    sample_days = models.PositiveSmallIntegerField(
        _("lấy mẫu hồ sơ tiếp nhận trong (ngày)"), default=90
    )

    class Meta:
        verbose_name = _("quy định kiểm tra công vụ")
        verbose_name_plural = _("quy định kiểm tra công vụ")

    def __str__(self) -> str:
        return str(_("Quy định kiểm tra công vụ"))

    @classmethod
    def current(cls) -> "Policy":
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy


# ---------------------------------------------------------------- checklists


class Section(models.TextChoices):
    """The five groups of docs/domain.md §10."""

    DISCIPLINE = "discipline", _("Kỷ luật, kỷ cương")
    DRESS = "dress", _("Trang phục, thẻ công chức")
    COMMUNICATION = "communication", _("Giao tiếp, ứng xử")
    PREMISES = "premises", _("Cơ sở vật chất, công sở")
    PROCESS = "process", _("Quy trình giải quyết hồ sơ")


class Scope(models.TextChoices):
    """What one tick is about."""

    OFFICER = "officer", _("Từng cán bộ")
    PREMISES = "premises", _("Công sở")
    DOSSIER = "dossier", _("Từng hồ sơ kiểm tra xác suất")


class ChecklistTemplate(models.Model):
    """A checklist (mẫu phiếu kiểm tra), e.g. the office-culture checklist."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên mẫu phiếu"), max_length=255)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("mẫu phiếu kiểm tra")
        verbose_name_plural = _("mẫu phiếu kiểm tra")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def latest_published(self) -> "ChecklistVersion | None":
        return self.versions.filter(published_at__isnull=False).order_by("-number").first()

    def draft(self) -> "ChecklistVersion | None":
        return self.versions.filter(published_at__isnull=True).first()


class ChecklistVersion(models.Model):
    """One version of a checklist. Draft until published; frozen afterwards."""

    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.PROTECT, related_name="versions", verbose_name=_("mẫu")
    )
    number = models.PositiveIntegerField(_("phiên bản số"))
    note = models.CharField(_("nội dung sửa đổi"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    created_by = staff_reference(_("người tạo"))
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    published_by = staff_reference(_("người công bố"))

    class Meta:
        verbose_name = _("phiên bản mẫu phiếu")
        verbose_name_plural = _("phiên bản mẫu phiếu")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="conduct_version_number"),
            # At most one draft per checklist: edits collect in it until publication.
            models.UniqueConstraint(
                fields=["template"],
                condition=Q(published_at__isnull=True),
                name="conduct_one_draft_per_template",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ChecklistItem(models.Model):
    """One thing an inspector ticks: met / not met / not applicable."""

    version = models.ForeignKey(
        ChecklistVersion,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("phiên bản"),
    )
    section = models.CharField(_("nhóm tiêu chí"), max_length=20, choices=Section.choices)
    scope = models.CharField(_("đối tượng"), max_length=10, choices=Scope.choices)
    code = models.CharField(_("mã tiêu chí"), max_length=10)
    text = models.CharField(_("nội dung tiêu chí"), max_length=500)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("tiêu chí kiểm tra")
        verbose_name_plural = _("tiêu chí kiểm tra")
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="conduct_item_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"


# ---------------------------------------------------------------- plans


class InspectionKind(models.TextChoices):
    ANNOUNCED = "announced", _("Có thông báo trước")
    UNANNOUNCED = "unannounced", _("Đột xuất, không báo trước")


class InspectionPlan(models.Model):
    """A year's plan (kế hoạch kiểm tra công vụ) of one agency for its units."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan lập kế hoạch"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=255, blank=True)
    required_coverage = models.DecimalField(
        _("tỷ lệ đơn vị phải kiểm tra"), max_digits=4, decimal_places=2
    )
    created_by = staff_reference(_("người tạo"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("thời điểm tạo"))

    class Meta:
        verbose_name = _("kế hoạch kiểm tra công vụ")
        verbose_name_plural = _("kế hoạch kiểm tra công vụ")
        ordering = ["-year", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="conduct_one_plan_per_year"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.agency} {self.year}"


class PlannedInspection(models.Model):
    """One unit to inspect in a plan, and when."""

    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.CASCADE, related_name="entries", verbose_name=_("kế hoạch")
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("đơn vị được kiểm tra"), on_delete=models.PROTECT, related_name="+"
    )
    planned_on = models.DateField(_("dự kiến ngày kiểm tra"))
    kind = models.CharField(
        _("hình thức"),
        max_length=12,
        choices=InspectionKind.choices,
        default=InspectionKind.ANNOUNCED,
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("đơn vị trong kế hoạch")
        verbose_name_plural = _("đơn vị trong kế hoạch")
        ordering = ["planned_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "agency"], name="conduct_plan_agency_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.planned_on:%d/%m/%Y}"


# ---------------------------------------------------------------- inspections


class InspectionStatus(models.TextChoices):
    DRAFT = "draft", _("Đang ghi nhận")
    COMPLETED = "completed", _("Đã kết thúc, lập biên bản")


class InspectionQuerySet(models.QuerySet["Inspection"]):
    def completed(self) -> "InspectionQuerySet":
        return self.filter(status=InspectionStatus.COMPLETED)


def new_public_id() -> str:
    # Inspection addresses carry a random id rather than a counter: the list of
    # inspected units and their dates is not for anyone to enumerate.
    return secrets.token_urlsafe(9)


class Inspection(models.Model):
    """One inspection (cuộc kiểm tra công vụ) of one agency on one day."""

    public_id = models.CharField(
        max_length=16,
        unique=True,
        default=new_public_id,
        editable=False,
        verbose_name=_("mã công khai"),
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("đơn vị được kiểm tra"),
        on_delete=models.PROTECT,
        related_name="conduct_inspections",
    )
    inspecting_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan kiểm tra"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.ForeignKey(
        ChecklistVersion,
        verbose_name=_("mẫu phiếu"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    planned = models.ForeignKey(
        PlannedInspection,
        verbose_name=_("theo kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )
    kind = models.CharField(
        _("hình thức"),
        max_length=12,
        choices=InspectionKind.choices,
        default=InspectionKind.UNANNOUNCED,
    )
    inspected_on = models.DateField(_("ngày kiểm tra"))
    started_at = models.DateTimeField(_("bắt đầu lúc"), default=timezone.now)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trưởng đoàn"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("thành viên đoàn"), related_name="+", blank=True
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=InspectionStatus.choices,
        default=InspectionStatus.DRAFT,
    )
    conclusion = models.TextField(_("nhận xét, kết luận"), blank=True)
    completed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    # Số biên bản, per inspecting agency and year, given at completion.
    number = models.PositiveIntegerField(_("số biên bản"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("thời điểm tạo"))

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("cuộc kiểm tra công vụ")
        verbose_name_plural = _("cuộc kiểm tra công vụ")
        ordering = ["-inspected_on", "-pk"]
        indexes = [models.Index(fields=["agency", "-inspected_on"], name="conduct_insp_agency")]

    def __str__(self) -> str:
        return f"{self.agency} {self.inspected_on:%d/%m/%Y}"

    @property
    def is_draft(self) -> bool:
        return self.status == InspectionStatus.DRAFT

    @property
    def record_number(self) -> str:
        if self.number is None:
            return ""
        return f"{self.number:02d}/BB-KTCV"


class InspectionOfficer(models.Model):
    """An officer present at the inspection (cán bộ có mặt), whose conduct is ticked."""

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="present",
        verbose_name=_("cuộc kiểm tra"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="conduct_presences",
        verbose_name=_("cán bộ"),
    )
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("thứ tự"))

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "officer"], name="conduct_officer_once_per_inspection"
            ),
        ]

    def __str__(self) -> str:
        return str(self.officer)


class InspectionSample(models.Model):
    """A dossier drawn by the system for the process spot-check."""

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="samples",
        verbose_name=_("cuộc kiểm tra"),
    )
    dossier = models.ForeignKey(
        "desk.Dossier",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hồ sơ liên quan"),
    )
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("thứ tự"))

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "dossier"], name="conduct_sample_once_per_inspection"
            ),
        ]

    def __str__(self) -> str:
        return str(self.dossier)


class Outcome(models.TextChoices):
    MET = "met", _("Đạt")
    NOT_MET = "not_met", _("Không đạt")
    NOT_APPLICABLE = "na", _("Không áp dụng")


def photo_path(instance: "ItemResult", filename: str) -> str:
    # Random names: never the uploaded name, never guessable.
    suffix = "png" if filename.lower().endswith(".png") else "jpg"
    return f"conduct/{instance.inspection_id}/{secrets.token_hex(12)}.{suffix}"


class ItemResult(models.Model):
    """One tick: an item for one target (an officer, the premises or a sampled dossier).

    ``target`` is "o<officer id>", "p" or "d<sample id>": one text key keeps the
    uniqueness rule the same on SQLite and PostgreSQL (no NULLs in it).
    """

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="results",
        verbose_name=_("cuộc kiểm tra"),
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("tiêu chí")
    )
    target = models.CharField(max_length=24, verbose_name=_("đối tượng kiểm tra"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conduct_results",
        verbose_name=_("cán bộ"),
    )
    sample = models.ForeignKey(
        InspectionSample,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="results",
        verbose_name=_("hồ sơ mẫu"),
    )
    outcome = models.CharField(_("kết quả"), max_length=8, choices=Outcome.choices, blank=True)
    note = models.CharField(_("ghi chú"), max_length=1000, blank=True)
    photo = models.FileField(_("ảnh"), upload_to=photo_path, blank=True)
    photo_type = models.CharField(max_length=20, blank=True, verbose_name=_("kiểu ảnh"))
    # The client's clock (ms) when the tick was made: a tick resent after the
    # connection came back never overwrites a newer one.
    stamp = models.BigIntegerField(default=0, verbose_name=_("mốc thời gian"))
    updated_at = models.DateTimeField(default=timezone.now, verbose_name=_("thời điểm cập nhật"))
    updated_by = staff_reference(_("người cập nhật"))

    class Meta:
        verbose_name = _("kết quả tiêu chí")
        verbose_name_plural = _("kết quả tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item", "target"], name="conduct_one_result_per_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.target}: {self.outcome}"


# ---------------------------------------------------------------- findings


class FindingKind(models.TextChoices):
    VIOLATION = "violation", _("Vi phạm")
    COMMENDATION = "commendation", _("Biểu dương")


class Finding(models.Model):
    """A violation found or a commendation recorded at a completed inspection.

    ``agency`` and ``inspected_on`` are copied from the inspection: the officer's
    page, the repeat check and the scores read findings by them (indexed).
    """

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="findings",
        verbose_name=_("cuộc kiểm tra"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan")
    )
    inspected_on = models.DateField(verbose_name=_("ngày kiểm tra"))
    kind = models.CharField(_("loại"), max_length=12, choices=FindingKind.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conduct_findings",
    )
    item = models.ForeignKey(
        ChecklistItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tiêu chí"),
    )
    description = models.CharField(_("nội dung"), max_length=1000)
    is_repeat = models.BooleanField(_("tái phạm"), default=False)
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("thời điểm tạo"))

    class Meta:
        verbose_name = _("kết luận kiểm tra")
        verbose_name_plural = _("kết luận kiểm tra")
        ordering = ["-inspected_on", "pk"]
        indexes = [
            models.Index(fields=["officer", "kind", "inspected_on"], name="conduct_find_officer"),
            models.Index(fields=["agency", "inspected_on"], name="conduct_find_agency"),
        ]

    def __str__(self) -> str:
        return self.description


class FollowUpAction(models.TextChoices):
    REMINDER = "reminder", _("Nhắc nhở, khắc phục")
    WRITTEN_RECORD = "written_record", _("Lập biên bản vi phạm")
    REPORT_TO_HEAD = "report_to_head", _("Báo cáo thủ trưởng đơn vị")


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def open(self) -> "FollowUpQuerySet":
        return self.filter(done_at__isnull=True)

    def overdue(self, now=None) -> "FollowUpQuerySet":
        return self.filter(done_at__isnull=True, due_at__lt=now or timezone.now())


class FollowUp(models.Model):
    """What must be done about a violation, by whom and by when (working days)."""

    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("phát hiện")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan")
    )
    action = models.CharField(_("biện pháp"), max_length=16, choices=FollowUpAction.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chịu trách nhiệm"),
        on_delete=models.PROTECT,
        related_name="conduct_follow_ups",
    )
    due_at = models.DateTimeField(_("hạn hoàn thành"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("thời điểm tạo"))
    done_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    done_by = staff_reference(_("người hoàn thành"))
    resolution = models.CharField(_("kết quả khắc phục"), max_length=1000, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("theo dõi khắc phục")
        verbose_name_plural = _("theo dõi khắc phục")
        ordering = ["due_at", "pk"]
        indexes = [
            # The reminder scan reads open follow-ups by deadline (partial index).
            models.Index(
                fields=["due_at"], name="conduct_followup_open", condition=Q(done_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.finding}"

    def is_overdue(self, now=None) -> bool:
        return self.done_at is None and self.due_at < (now or timezone.now())


class ScoreTally(models.Model):
    """Counts of one completed inspection for one officer (or, with no officer, for
    the premises and the sampled dossiers). Written once at completion; the scores
    of any period are sums over these rows (conduct/scores.py)."""

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="tallies",
        verbose_name=_("cuộc kiểm tra"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cán bộ"),
    )
    inspected_on = models.DateField(verbose_name=_("ngày kiểm tra"))
    met = models.PositiveIntegerField(default=0, verbose_name=_("số tiêu chí đạt"))
    not_met = models.PositiveIntegerField(default=0, verbose_name=_("số tiêu chí không đạt"))
    not_applicable = models.PositiveIntegerField(
        default=0, verbose_name=_("số tiêu chí không áp dụng")
    )

    class Meta:
        indexes = [
            models.Index(fields=["inspected_on", "agency"], name="conduct_tally_period"),
            models.Index(fields=["officer", "inspected_on"], name="conduct_tally_officer"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.officer_id}: {self.met}/{self.met + self.not_met}"
