"""Celery tasks of the catalog: thin, ids in, safe to run twice."""

from celery import shared_task

from .catalog_io import jobs as catalog_jobs


@shared_task(ignore_result=True)
def run_import_job(job_id: int) -> str:
    """Run the uploaded catalog import ``job_id`` (procedures:import-job shows it);
    returns "done", "failed" or "skipped" (claimed by another delivery)."""
    return catalog_jobs.run_import_job(job_id)
