"""Background work of conduct inspections: thin Celery tasks, safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from . import services


# Each overdue follow-up is reported once per deadline (desk.alerts.notify_once
# records it under a unique key), so a retry or a second worker sends nothing more.
@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def remind_overdue_follow_ups() -> int:
    """Notify owners of follow-ups past their deadline; returns how many were new."""
    return services.remind_overdue_follow_ups()
