"""The job sweep (procedures/jobs.py, desk.tasks.sweep_jobs): exports and catalog
imports that the broker lost, or whose worker died, are queued again, each once;
a job is run only by the delivery that claims it.

The messages go to the test run's broker, where no worker listens: what is
checked is the rows. tests/test_redis_faults.py runs the same sweep with a real
worker after a real outage."""

import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone

from desk import dashboard
from desk.models import ExportJob, ExportStatus
from desk.tasks import sweep_jobs
from procedures import jobs
from procedures.models import ImportJob, ImportJobStatus
from procedures.tasks import run_import_job
from tests.procedures.catalog_files import good_row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JOBS_REQUEUE_AFTER = 120
    settings.JOBS_STALE_AFTER = 900


def export(user) -> ExportJob:
    today = timezone.localdate()
    return dashboard.start_export(
        user=user, figure="received", agency=user.agency, start=today, end=today
    )


def import_job(user) -> ImportJob:
    job = ImportJob(original_name="danh-muc.xlsx", created_by=user)
    job.file.save("danh-muc.xlsx", io.BytesIO(xlsx_bytes([good_row()])), save=False)
    job.save()
    return job


def later(seconds: int):
    return time_machine.travel(timezone.now() + dt.timedelta(seconds=seconds), tick=False)


def test_a_waiting_export_is_left_to_its_message_until_the_requeue_time(provincial_leader):
    job = export(provincial_leader)
    assert sweep_jobs() == {"exports": [], "imports": []}
    with later(119):
        assert sweep_jobs()["exports"] == []
    with later(121):
        assert sweep_jobs()["exports"] == [job.pk]


def test_a_lost_job_is_queued_again_by_one_sweep_only(provincial_leader, administrator):
    exported, imported = export(provincial_leader), import_job(administrator)
    with later(300):
        assert sweep_jobs() == {"exports": [exported.pk], "imports": [imported.pk]}
        # The next sweep (or one running at the same time) finds them taken.
        assert sweep_jobs() == {"exports": [], "imports": []}
    exported.refresh_from_db()
    assert exported.status == ExportStatus.PENDING


def test_the_original_message_and_the_sweeps_run_a_job_once(provincial_leader, administrator):
    exported, imported = export(provincial_leader), import_job(administrator)
    with later(300):
        sweep_jobs()
    # Both messages arrive: the first delivery runs the job, the second does nothing.
    assert dashboard.write_export(exported.pk) == "done"
    assert dashboard.write_export(exported.pk) == "skipped"
    assert run_import_job(imported.pk) == "done"
    assert run_import_job(imported.pk) == "skipped"
    with later(3600):
        assert sweep_jobs() == {"exports": [], "imports": []}  # finished jobs stay finished


def test_a_running_job_is_taken_again_only_when_its_worker_stopped_reporting(provincial_leader):
    job = export(provincial_leader)
    assert jobs.claim(ExportJob, job.pk, waiting=ExportStatus.PENDING, running=ExportStatus.RUNNING)
    # Its worker is alive: neither another delivery nor the sweep takes it.
    with later(600):
        assert dashboard.write_export(job.pk) == "skipped"
        assert sweep_jobs()["exports"] == []
    # No heartbeat for longer than JOBS_STALE_AFTER: its worker died.
    with later(901):
        assert sweep_jobs()["exports"] == [job.pk]
        job.refresh_from_db()
        assert job.status == ExportStatus.PENDING
        assert dashboard.write_export(job.pk) == "done"


def test_progress_keeps_a_long_job_alive(administrator):
    job = import_job(administrator)
    assert jobs.claim(
        ImportJob, job.pk, waiting=ImportJobStatus.QUEUED, running=ImportJobStatus.RUNNING
    )
    with later(800):
        jobs.heartbeat(ImportJob, job.pk, processed_rows=50)
    with later(1600):
        assert sweep_jobs()["imports"] == []
    with later(1800):
        assert sweep_jobs()["imports"] == [job.pk]
