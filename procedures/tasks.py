"""Celery tasks of the catalog: thin, ids in, safe to run twice."""

from config.tasks import task

from .catalog_io import jobs as catalog_jobs


# Not retried as a whole: a failure is recorded on the job for the person waiting.
@task(retry_on=())
def run_import_job(job_id: int) -> str:
    """Run the uploaded catalog import ``job_id`` (procedures:import-job shows it);
    returns "done", "failed" or "skipped" (claimed by another delivery)."""
    return catalog_jobs.run_import_job(job_id)
