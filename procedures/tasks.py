"""Celery tasks of the catalog: thin, ids in, safe to run twice."""

import logging

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from . import jobs
from .importing import ImportFileError, import_catalog
from .models import ImportJob, ImportJobStatus

logger = logging.getLogger(__name__)

# The job page polls every second; a write per 50 rows keeps the bar moving
# without a database write per row.
PROGRESS_EVERY = 50


@shared_task(ignore_result=True)
def run_import_job(job_id: int) -> str:
    """Run the uploaded catalog import ``job_id`` (procedures:import-job shows it);
    returns "done", "failed" or "skipped" (claimed by another delivery)."""
    # Compare-and-set: a second delivery of the same message, or the job sweep's,
    # finds it claimed (procedures/jobs.py).
    if not jobs.claim(
        ImportJob,
        job_id,
        waiting=ImportJobStatus.QUEUED,
        running=ImportJobStatus.RUNNING,
        started_at=timezone.now(),
    ):
        return "skipped"
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    rows = ImportJob.objects.filter(pk=job_id)

    def progress(done: int, total: int) -> None:
        if done == 0 or done == total or done % PROGRESS_EVERY == 0:
            jobs.heartbeat(ImportJob, job_id, processed_rows=done, total_rows=total)

    try:
        with job.file.open("rb") as stream:
            report = import_catalog(
                stream,
                filename=job.original_name,
                source=f"import: {job.original_name}",
                dry_run=job.dry_run,
                all_or_nothing=job.all_or_nothing,
                changed_by=job.created_by,
                progress=progress,
            )
    except ImportFileError as exc:
        rows.update(status=ImportJobStatus.FAILED, error=str(exc), finished_at=timezone.now())
        return "failed"
    except Exception:
        logger.exception("Catalog import job %s failed", job_id)
        rows.update(
            status=ImportJobStatus.FAILED,
            error=_("Lỗi không mong đợi khi nhập tệp; quản trị viên đã được ghi nhận lỗi."),
            finished_at=timezone.now(),
        )
        raise
    rows.update(
        status=ImportJobStatus.DONE,
        report=report.to_dict(),
        total_rows=report.total,
        processed_rows=report.total,
        finished_at=timezone.now(),
    )
    return "done"
