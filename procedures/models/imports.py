import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .staff import User


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang nhập")
    DONE = "done", _("Hoàn tất")
    FAILED = "failed", _("Thất bại")


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def visible_to(self, user: User) -> "ImportJobQuerySet":
        """A job's report names the uploader's file: its creator and superusers see it."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(created_by=user)


def _upload_path(job: "ImportJob", filename: str) -> str:
    # A random name: the original (often Vietnamese) name is kept in original_name.
    return f"imports/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class ImportJob(models.Model):
    """One catalog file uploaded for import (lượt nhập danh mục), run by a Celery
    task (procedures.tasks.run_import_job) that reports its progress here."""

    file = models.FileField(_("tệp"), upload_to=_upload_path)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    dry_run = models.BooleanField(_("chỉ kiểm tra, không ghi"), default=False)
    all_or_nothing = models.BooleanField(_("chỉ ghi khi tất cả các dòng hợp lệ"), default=False)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ImportJobStatus.choices,
        default=ImportJobStatus.QUEUED,
    )
    total_rows = models.PositiveIntegerField(_("số dòng"), default=0)
    processed_rows = models.PositiveIntegerField(_("số dòng đã xử lý"), default=0)
    # ImportReport.to_dict() of procedures/catalog_io/report.py once the job is done.
    report = models.JSONField(_("kết quả"), default=dict, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    created_at = models.DateTimeField(_("lúc tải lên"), auto_now_add=True)
    started_at = models.DateTimeField(_("lúc bắt đầu"), null=True, blank=True)
    # Created, claimed, progress reported or queued again: the job sweep's clock
    # (procedures/jobs.py).
    touched_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("thời điểm cập nhật tiến độ")
    )
    finished_at = models.DateTimeField(_("lúc kết thúc"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("lượt nhập danh mục")
        verbose_name_plural = _("lượt nhập danh mục")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportJobStatus.DONE, ImportJobStatus.FAILED}

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)
