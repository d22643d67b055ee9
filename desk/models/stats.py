"""Pre-aggregated figures for the leaders' dashboard (docs/domain.md §8).

The desk services add to these rows in the same transaction as the dossier moves
(desk/stats.py ``record``), so the dashboard reads a few hundred small rows instead
of a million dossiers and is never a day stale. ``manage.py rebuild_stats``
recomputes them all from the dossiers (after a bulk load, or to check them).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from procedures.models import Agency, Procedure


class AgencyDayStats(models.Model):
    """What happened at one receiving agency on one day (local date), and what was
    open there at the end of that day.

    Flows are counted on the day they happen: ``received`` on the receipt day,
    ``finished_*`` on the day processing ended (processed, or stopped after
    receipt), apologies on the signing day, ``multi_supplement`` on the receipt day
    of a dossier that got a second supplement request. Stocks (``open_*``) are the
    dossiers open at midnight ending the day; they are written for past days by the
    daily snapshot (desk.tasks.snapshot_stocks) and computed live for today.
    """

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("cơ quan")
    )
    day = models.DateField(verbose_name=_("ngày"))
    received = models.PositiveIntegerField(default=0, verbose_name=_("số hồ sơ tiếp nhận"))
    received_online = models.PositiveIntegerField(default=0, verbose_name=_("tiếp nhận trực tuyến"))
    received_digitised = models.PositiveIntegerField(
        default=0, verbose_name=_("tiếp nhận đã số hóa")
    )
    finished_early = models.PositiveIntegerField(default=0, verbose_name=_("giải quyết trước hạn"))
    finished_on_time = models.PositiveIntegerField(default=0, verbose_name=_("giải quyết đúng hạn"))
    # Late, including those finished in time after more than one supplement request
    # (Decision 766 counts a second request as late).
    finished_late = models.PositiveIntegerField(default=0, verbose_name=_("giải quyết quá hạn"))
    processing_seconds = models.BigIntegerField(default=0, verbose_name=_("thời gian xử lý (giây)"))
    apologies_on_time = models.PositiveIntegerField(
        default=0, verbose_name=_("số phiếu xin lỗi gửi đúng hạn")
    )
    apologies_late = models.PositiveIntegerField(
        default=0, verbose_name=_("số phiếu xin lỗi gửi muộn")
    )
    multi_supplement = models.PositiveIntegerField(default=0, verbose_name=_("bổ sung nhiều lần"))
    open_within_term = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("đang xử lý trong hạn")
    )
    open_overdue = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("đang xử lý quá hạn")
    )
    open_supplement = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("đang chờ bổ sung")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("thời điểm cập nhật"))

    class Meta:
        verbose_name = _("số liệu ngày của cơ quan")
        verbose_name_plural = _("số liệu ngày của cơ quan")
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="agency_day_stats_unique")
        ]
        indexes = [models.Index(fields=["day", "agency"], name="agency_day_stats_day")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day:%d/%m/%Y}"


class ProcedureMonthStats(models.Model):
    """Dossiers of one procedure finished in one month at one receiving agency, and
    their processing time: the dashboard's average processing time per procedure."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("cơ quan")
    )
    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="+", verbose_name=_("thủ tục")
    )
    month = models.DateField(help_text="The first day of the month.", verbose_name=_("tháng"))
    finished = models.PositiveIntegerField(default=0, verbose_name=_("số hồ sơ đã giải quyết"))
    processing_seconds = models.BigIntegerField(default=0, verbose_name=_("thời gian xử lý (giây)"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("thời điểm cập nhật"))

    class Meta:
        verbose_name = _("số liệu tháng của thủ tục")
        verbose_name_plural = _("số liệu tháng của thủ tục")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "procedure", "month"], name="procedure_month_stats_unique"
            )
        ]
        indexes = [
            # The per-procedure panel reads a scope's months from the index alone
            # (PostgreSQL; the INCLUDE is left out elsewhere).
            models.Index(
                fields=["month", "agency"],
                name="procedure_month_stats_month",
                include=["procedure", "finished", "processing_seconds"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.procedure_id} {self.month:%m/%Y}"


# The groups and names migration 0008 seeds, marked so that makemessages keeps them
# in the catalogs: dashboard_scores.html translates each indicator's group and name.
SEEDED_INDICATOR_WORDS = (
    gettext_noop("Công khai, minh bạch"),
    gettext_noop("Thủ tục được công khai đầy đủ"),
    gettext_noop("Hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia"),
    gettext_noop("Tiến độ giải quyết"),
    gettext_noop("Hồ sơ giải quyết đúng hạn và đang trong hạn"),
    gettext_noop("Dịch vụ công trực tuyến, thanh toán trực tuyến"),
    gettext_noop("Thủ tục cung cấp dịch vụ công trực tuyến toàn trình"),
    gettext_noop("Hồ sơ nộp trực tuyến"),
    gettext_noop("Thanh toán trực tuyến"),
    gettext_noop("Số hóa hồ sơ"),
    gettext_noop("Hồ sơ được số hóa thành phần"),
    gettext_noop("Tái sử dụng dữ liệu đã số hóa"),
    gettext_noop("Mức độ hài lòng"),
    # Doubled: {% translate %} looks a variable up with its percent signs doubled.
    gettext_noop("100%% trừ tỷ lệ hồ sơ quá hạn và bị phản ánh, không hài lòng"),
    gettext_noop("Phản ánh, kiến nghị được xử lý đúng hạn"),
)


class Indicator(models.Model):
    """A scored indicator of Decision 766/QĐ-TTg (docs/domain.md §8): its group, its
    maximum points and its threshold, kept as data because they change.

    Score: ``max_points`` if the rate reaches ``threshold``, else rate × max_points /
    threshold; without a threshold rate × max_points; no denominator: not applicable.
    """

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    group = models.CharField(_("nhóm"), max_length=100)
    name = models.CharField(_("tên chỉ tiêu"), max_length=255)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=5, decimal_places=2)
    threshold = models.DecimalField(
        _("ngưỡng (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("thứ tự"))

    class Meta:
        verbose_name = _("chỉ tiêu đánh giá")
        verbose_name_plural = _("chỉ tiêu đánh giá (Quyết định 766)")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    RUNNING = "running", _("Đang xuất")
    DONE = "done", _("Xong")
    FAILED = "failed", _("Lỗi")


class ExportJob(models.Model):
    """A list behind a dashboard number, exported to XLSX by a Celery worker
    (desk.tasks.export_dossier_list) while the page shows its progress. The file
    is served only to the person who asked for it (desk:export-download)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("người dùng"),
    )
    title = models.CharField(_("tiêu đề"), max_length=255)
    params = models.JSONField(default=dict, verbose_name=_("tham số"))
    status = models.CharField(
        max_length=10,
        choices=ExportStatus.choices,
        default=ExportStatus.PENDING,
        verbose_name=_("trạng thái"),
    )
    total = models.PositiveIntegerField(default=0, verbose_name=_("tổng"))
    done = models.PositiveIntegerField(default=0, verbose_name=_("đã xong"))
    file = models.FileField(upload_to="exports/", blank=True, verbose_name=_("tệp"))
    error = models.TextField(blank=True, verbose_name=_("lỗi"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("thời điểm tạo"))
    # Created, claimed, progress reported or queued again: the job sweep's clock
    # (procedures/jobs.py).
    touched_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("thời điểm cập nhật tiến độ")
    )
    finished_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("thời điểm hoàn thành")
    )

    class Meta:
        verbose_name = _("tệp xuất danh sách")
        verbose_name_plural = _("tệp xuất danh sách")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
