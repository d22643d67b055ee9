"""Background work of conduct inspections: thin Celery tasks, safe to run twice."""

from config.tasks import task

from . import services


# Each overdue follow-up is reported once per deadline (desk.alerts.notify_once
# records it under a unique key), so a retry or a second worker sends nothing more.
@task()
def remind_overdue_follow_ups() -> int:
    """Notify owners of follow-ups past their deadline; returns how many were new."""
    return services.remind_overdue_follow_ups()
