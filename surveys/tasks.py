"""Background work of the citizens' side: thin tasks, ids in, safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def invite_to_rate(dossier_id: int) -> str:
    """Email the rating link after a return (once: the invitation row is the claim)."""
    return services.invite_to_rate(dossier_id=dossier_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def scan_feedback_deadlines() -> int:
    """Alert unit heads about feedback whose legal deadline passed (once each)."""
    return services.scan_feedback_deadlines()
