"""An import from start to end: ``import_catalog`` (the command, the demo loader,
bench/ and the upload job call it; a dry run reports without writing) and the
upload job that runs it in the worker (``run_import_job``)."""

import logging
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import jobs
from ..models import ImportJob, ImportJobStatus, User
from .apply import write_rows
from .report import ImportFileError, ImportReport
from .rows import parse_file
from .spreadsheet import read_limited

logger = logging.getLogger(__name__)


def import_catalog(
    stream: BinaryIO,
    *,
    filename: str,
    source: str | None = None,
    dry_run: bool = False,
    all_or_nothing: bool = False,
    changed_by: User | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import the catalog file ``stream`` (named ``filename``: .xlsx or .csv).

    ``source`` labels the revisions written (default "import: <filename>").
    ``dry_run`` writes nothing and reports what an import would do.
    ``all_or_nothing`` writes nothing unless every row is good.
    ``progress(done, total)`` is called after each data row.
    Raises ``ImportFileError`` when the file as a whole is unusable.
    """
    filename = Path(filename).name
    report = ImportReport(filename=filename, dry_run=dry_run, all_or_nothing=all_or_nothing)
    parsed = parse_file(read_limited(stream), filename=filename)
    report.total = len(parsed.rows)
    report.errors.extend(parsed.errors)
    report.warnings.extend(parsed.warnings)
    if progress is not None:
        progress(0, report.total)
    source = source or f"import: {filename}"
    if all_or_nothing and report.errors and not dry_run:
        report.rolled_back = True
        if progress is not None:
            progress(report.total, report.total)
        return report
    if all_or_nothing and not dry_run:
        with transaction.atomic():
            write_rows(parsed, report, source=source, changed_by=changed_by, progress=progress)
            if report.errors:
                # A row the checks let through failed at the database: undo them all.
                transaction.set_rollback(True)
                report.rolled_back = True
                report.created = report.updated = report.unchanged = 0
                report.changes = []
        return report
    write_rows(parsed, report, source=source, changed_by=changed_by, progress=progress)
    return report


# The job page polls every second; a write per 50 rows keeps the bar moving
# without a database write per row.
PROGRESS_EVERY = 50


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
