"""Pre-aggregated figures for the leaders' dashboard (domain.md §8).

The desk services add to these rows in the same transaction as the dossier moves
(desk/stats.py ``record``), so the dashboard reads a few hundred small rows instead
of a million dossiers and is never a day stale. ``manage.py rebuild_stats``
recomputes them all from the dossiers (after a bulk load, or to check them).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    received = models.PositiveIntegerField(default=0)
    received_online = models.PositiveIntegerField(default=0)
    received_digitised = models.PositiveIntegerField(default=0)
    finished_early = models.PositiveIntegerField(default=0)
    finished_on_time = models.PositiveIntegerField(default=0)
    # Late, including those finished in time after more than one supplement request
    # (Decision 766 counts a second request as late).
    finished_late = models.PositiveIntegerField(default=0)
    processing_seconds = models.BigIntegerField(default=0)
    apologies_on_time = models.PositiveIntegerField(default=0)
    apologies_late = models.PositiveIntegerField(default=0)
    multi_supplement = models.PositiveIntegerField(default=0)
    open_within_term = models.PositiveIntegerField(null=True, blank=True)
    open_overdue = models.PositiveIntegerField(null=True, blank=True)
    open_supplement = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

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

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month.")
    finished = models.PositiveIntegerField(default=0)
    processing_seconds = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

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


class Indicator(models.Model):
    """A scored indicator of Decision 766/QĐ-TTg (domain.md §8): its group, its
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
    order = models.PositiveSmallIntegerField(default=0)

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

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("tiêu đề"), max_length=255)
    params = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Created, claimed, progress reported or queued again: the job sweep's clock
    # (procedures/jobs.py).
    touched_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

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
