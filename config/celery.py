"""The Celery application. Settings come from config/settings.py (CELERY_*)."""

import os
from pathlib import Path

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("motcua")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_ready.connect
def _tell_the_supervisor(**kwargs) -> None:
    """`manage.py run_demo` says the demo is ready once this file exists."""
    if path := os.environ.get("CELERY_READY_FILE"):
        Path(path).write_text(str(os.getpid()))
