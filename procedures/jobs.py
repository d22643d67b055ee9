"""Background jobs someone waits for on a page (the catalog import here, the
dashboard's exports in desk/dashboard/): the row in PostgreSQL is the truth,
the broker's message only a wake-up call.

A job row has a ``status`` and a ``touched_at``: set when it is created, when a
worker claims it, at each progress report (a heartbeat) and when the sweep queues
it again. Then:

- a worker runs a job only after claiming it by compare-and-set (waiting -> running,
  or running with no heartbeat for ``JOBS_STALE_AFTER`` seconds: its worker died),
  so a duplicate message, a retry or a message that arrives after the sweep's finds
  it claimed or finished and does nothing;
- the sweep (desk.tasks.sweep_jobs, every minute) takes the jobs waiting for more
  than ``JOBS_REQUEUE_AFTER`` seconds (the view's enqueue failed: broker down, or
  the message was lost with a Redis restart) and those running without a heartbeat,
  sets each back to waiting by compare-and-set on (status, touched_at), so two
  sweeps never queue one job twice, and queues it again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Model, Q
from django.utils import timezone

from config.redis import enqueue


def requeue_after() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "JOBS_REQUEUE_AFTER", 120)))


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "JOBS_STALE_AFTER", 900)))


def claim(model: type[Model], pk: int, *, waiting: str, running: str, **fields: Any) -> bool:
    """Take job ``pk`` for this worker: True for exactly one caller."""
    now = timezone.now()
    return bool(
        model._default_manager.filter(pk=pk)
        .filter(Q(status=waiting) | Q(status=running, touched_at__lt=now - stale_after()))
        .update(status=running, touched_at=now, **fields)
    )


def release(model: type[Model], pk: int, *, waiting: str, running: str) -> None:
    """Give job ``pk`` back before a retry of its task (which must claim it again).
    Best effort: if the database refuses this too, the sweep takes it when stale."""
    with contextlib.suppress(DatabaseError):
        model._default_manager.filter(pk=pk, status=running).update(
            status=waiting, touched_at=timezone.now()
        )


def heartbeat(model: type[Model], pk: int, **fields: Any) -> None:
    """Report progress (``fields``) and that the job's worker is alive."""
    model._default_manager.filter(pk=pk).update(touched_at=timezone.now(), **fields)


def requeue_lost(
    model: type[Model], task: Any, *, waiting: str, running: str, now: dt.datetime | None = None
) -> list[int]:
    """Queue again the jobs of ``model`` that the broker lost or whose worker died;
    returns their ids. Safe to run twice at once: each job is taken by one sweep."""
    now = now or timezone.now()
    lost = model._default_manager.filter(
        Q(status=waiting, touched_at__lt=now - requeue_after())
        | Q(status=running, touched_at__lt=now - stale_after())
    ).values_list("pk", "status", "touched_at")
    requeued = []
    for pk, status, touched_at in lost:
        taken = model._default_manager.filter(pk=pk, status=status, touched_at=touched_at).update(
            status=waiting, touched_at=now
        )
        if taken:
            requeued.append(pk)
            # If the broker is still away, the next sweep tries again.
            enqueue(task, pk, what=f"{model._meta.label} {pk}")
    return requeued
