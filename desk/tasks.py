"""Background work of the desk: thin Celery tasks, plain values in, one service call
each, safe to run twice (a retry or a duplicate delivery changes nothing more).

Each is declared with ``config.tasks.task``, the house policy (retries with
backoff, acks_late, results ignored: see its docstring).
"""

import datetime as dt
import logging

from django.db import OperationalError

from config.tasks import task

from . import alerts, calendar_seed, services

logger = logging.getLogger(__name__)


# acks_late (config.tasks) redelivers a task whose worker died; a lost connection or a
# deadlock with a clerk's write is retried. Both are safe because the service is
# idempotent: a dossier already recomputed is left as it is, with no second event.
@task()
def recompute_due_dates(dates: list[str]) -> int:
    """Recompute the due dates of open dossiers after the calendar changed on ``dates``
    (ISO dates, e.g. ``["2026-11-24"]``). Returns how many dossiers changed."""
    changed = [dt.date.fromisoformat(value) for value in dates]
    return services.recompute_open_due_dates(changed_dates=changed)


@task()
def extend_calendar() -> int:
    """Load the calendar years not loaded yet (this year and the next two); open
    dossiers whose term spans a new day off get new due dates. Returns the days added."""
    added = calendar_seed.ensure_years()
    if added:
        services.calendar_changed(dates=added)
    return len(added)


# ---------------------------------------------------------------- alerts (desk/alerts/)


@task()
def scan_clocks() -> dict:
    """The clock scan: due-soon, due-today, step and overdue alerts, apology drafts."""
    result = alerts.scan_clocks()
    return {"alerts": result.alerts, "notifications": result.notifications, "drafts": result.drafts}


@task()
def send_daily_digests() -> int:
    return alerts.send_daily_digests()


@task(retries=8, bind=True)
def deliver_notification(self, notification_id: int) -> str:
    """Send one notification's email; a transient SMTP error retries with backoff.
    A duplicate delivery of this task finds the row claimed or sent and does nothing."""
    try:
        return alerts.deliver_email(notification_id)
    except alerts.TransientEmailError as exc:
        raise self.retry(exc=exc, countdown=min(600, 30 * 2**self.request.retries)) from exc


@task()
def deliver_pending() -> int:
    """The outbox sweep: emails whose task was never queued (broker down) or whose
    worker died mid-send. Sends them here, one by one, each claimed first.
    Signed apologies whose finishing task never ran are finished first, so that
    their messages go out in the same sweep."""
    for letter_id in alerts.unfinished_apology_ids():
        try:
            alerts.finalize_apology(letter_id=letter_id)
        except OperationalError:
            raise
        except Exception:  # one bad letter (e.g. its PDF) must not stop the emails
            logger.exception("could not finish apology %s; next sweep retries", letter_id)
    sent = 0
    for pk in alerts.pending_email_ids():
        try:
            if alerts.deliver_email(pk) == "sent":
                sent += 1
        except alerts.TransientEmailError:
            continue  # left pending for the next sweep
    return sent


@task()
def finalize_apology(letter_id: int) -> None:
    """After the unit head signs form 04: store its PDF and tell the applicant."""
    alerts.finalize_apology(letter_id=letter_id)


# ---------------------------------------------------------------- dashboard (desk/stats.py)


@task()
def snapshot_stocks(day: str | None = None) -> int:
    """Record what was open at the end of ``day`` (ISO date; default yesterday) for
    the dashboard's past periods. Writes absolute values: safe to run twice."""
    from django.utils import timezone

    from . import stats

    target = dt.date.fromisoformat(day) if day else timezone.localdate() - dt.timedelta(days=1)
    return stats.snapshot_stocks(target)


@task(retries=3)
def export_dossier_list(job_id: int) -> str:
    """A dashboard list to XLSX (desk/dashboard/ ``write_export``)."""
    from . import dashboard
    from .models import ExportJob, ExportStatus

    try:
        return dashboard.write_export(job_id)
    except OperationalError:  # retried (autoretry_for); write_export gave the job back
        raise
    except Exception as exc:  # recorded for the person waiting, then re-raised for the log
        ExportJob.objects.filter(pk=job_id).update(status=ExportStatus.FAILED, error=str(exc)[:500])
        raise


@task()
def sweep_jobs() -> dict:
    """The job sweep: dashboard exports and catalog imports that someone waits for
    and that the broker lost (queued while it was down) or whose worker died are
    queued again, each taken by one sweep (procedures/jobs.py)."""
    from procedures import jobs
    from procedures.models import ImportJob, ImportJobStatus
    from procedures.tasks import run_import_job

    from .models import ExportJob, ExportStatus

    exports = jobs.requeue_lost(
        ExportJob, export_dossier_list, waiting=ExportStatus.PENDING, running=ExportStatus.RUNNING
    )
    imports = jobs.requeue_lost(
        ImportJob, run_import_job, waiting=ImportJobStatus.QUEUED, running=ImportJobStatus.RUNNING
    )
    return {"exports": exports, "imports": imports}


@task(retries=3)
def purge_exports() -> int:
    """Exported lists older than EXPORT_KEEP_DAYS go, files included (safe to rerun)."""
    from . import dashboard

    return dashboard.purge_exports()
