"""A dashboard list as an XLSX file: the job recorded and queued after commit, the
worker's streamed write, and the purge of old files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import OperationalError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.redis import enqueue_after_commit
from procedures import jobs
from procedures.models import Agency

from ..models import Timeliness
from .drilldown import FIGURES, figure_queryset

EXPORT_HEADER = [
    _("Mã hồ sơ"),
    _("Thủ tục"),
    _("Nơi tiếp nhận"),
    _("Đơn vị đang xử lý"),
    _("Người yêu cầu (che một phần)"),
    _("Hình thức nộp"),
    _("Ngày tiếp nhận"),
    _("Hẹn trả kết quả"),
    _("Ngày có kết quả"),
    _("Trạng thái"),
    _("Kết quả đúng hạn"),
]


def start_export(*, user: Any, figure: str, agency: Agency, start: dt.date, end: dt.date):
    """Record an export job and queue it once the transaction commits."""

    from ..models import ExportJob

    title = f"{FIGURES[figure]} – {agency.name} – {start:%d/%m/%Y}–{end:%d/%m/%Y}"
    job = ExportJob.objects.create(
        user=user,
        title=title[:255],
        params={
            "figure": figure,
            "agency": agency.pk,
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
    )

    # Broker down: the job waits (the page says so) for the job sweep.
    enqueue_after_commit("desk.tasks.export_dossier_list", job.pk, what=f"export {job.pk}")
    return job


def write_export(job_id: int, *, chunk: int = 500) -> str:
    """Write the job's list to an XLSX file (streamed, a row at a time) and report
    progress every ``chunk`` rows. Safe to run twice: a finished job is left alone."""
    from ..models import ExportJob, ExportStatus

    if not jobs.claim(
        ExportJob, job_id, waiting=ExportStatus.PENDING, running=ExportStatus.RUNNING
    ):
        return "skipped"  # a duplicate message, or the sweep's: another worker has it
    try:
        return _write_claimed_export(job_id, chunk)
    except OperationalError:
        # The task retries (a lost connection, a deadlock): the retry claims it again.
        jobs.release(ExportJob, job_id, waiting=ExportStatus.PENDING, running=ExportStatus.RUNNING)
        raise


def _write_claimed_export(job_id: int, chunk: int) -> str:
    import tempfile

    from django.core.files import File
    from django.utils import formats

    from procedures import xlsx

    from ..models import ExportJob, ExportStatus, State

    job = ExportJob.objects.get(pk=job_id)
    params = job.params
    root = Agency.objects.get(pk=params["agency"])
    ids = list(Agency.objects.subtree_ids(root.pk))
    qs = figure_queryset(
        params["figure"],
        ids,
        dt.date.fromisoformat(params["start"]),
        dt.date.fromisoformat(params["end"]),
    )
    total = qs.count()
    ExportJob.objects.filter(pk=job_id).update(total=total, done=0)
    state_labels = {value: str(label) for value, label in State.choices}
    timeliness = {value: str(label) for value, label in Timeliness.choices}
    book = xlsx.Book()
    sheet = book.sheet(str(FIGURES[params["figure"]]))
    sheet.append([job.title])
    sheet.header(EXPORT_HEADER)

    def when(value: dt.datetime | None) -> str:
        return formats.date_format(timezone.localtime(value), "d/m/Y H:i") if value else ""

    rows = qs.select_related("procedure", "receiving_agency", "current_agency").order_by(
        "-received_at", "-pk"
    )
    done = 0
    for dossier in rows.iterator(chunk_size=chunk):
        sheet.append(
            [
                dossier.code,
                dossier.procedure.name,
                dossier.receiving_agency.name,
                dossier.current_agency.name,
                dossier.masked_applicant_name,
                dossier.get_channel_display(),
                when(dossier.received_at),
                when(dossier.due_at),
                when(dossier.finished_at),
                state_labels[dossier.state],
                timeliness.get(dossier.timeliness, ""),
            ]
        )
        done += 1
        if done % chunk == 0:
            jobs.heartbeat(ExportJob, job_id, done=done)
    with tempfile.TemporaryFile() as handle:
        book.save(handle)
        handle.seek(0)
        job.file.save(f"danh-sach-{job.pk}.xlsx", File(handle), save=False)
    ExportJob.objects.filter(pk=job_id).update(
        file=job.file.name, done=done, status=ExportStatus.DONE, finished_at=timezone.now()
    )
    return "done"


def purge_exports(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Delete exported lists older than ``days`` (setting EXPORT_KEEP_DAYS, 7) with
    their files: they hold dossier lists and are not kept longer than needed."""
    from django.conf import settings

    from ..models import ExportJob

    days = days if days is not None else int(getattr(settings, "EXPORT_KEEP_DAYS", 7))
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    removed = 0
    for job in ExportJob.objects.filter(created_at__lt=cutoff):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return removed
