"""Background work of the citizens' side: thin tasks, ids in, safe to run twice."""

from config.tasks import task

from . import services


@task(retry_on=(Exception,), retries=8)
def invite_to_rate(dossier_id: int) -> str:
    """Email the rating link after a return, once (through the desk's email outbox)."""
    return services.invite_to_rate(dossier_id=dossier_id)


@task()
def scan_feedback_deadlines() -> int:
    """Alert unit heads about feedback whose legal deadline passed (once each)."""
    return services.scan_feedback_deadlines()
