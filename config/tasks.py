"""The one way a Celery task is declared in Một Cửa: ``@task(...)`` on a thin
function of a ``tasks.py`` (ids in, one service call, safe to run twice).

config is below every app, so each app's tasks module may import it.
"""

from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.db import OperationalError


def task(
    *,
    retry_on: tuple[type[BaseException], ...] = (OperationalError,),
    retries: int = 5,
    bind: bool = False,
) -> Callable[[Callable[..., Any]], Any]:
    """Declare a task with the house policy:

    - **retries**: an exception of ``retry_on`` (by default the database's
      ``OperationalError``: a lost connection, a deadlock with a clerk's write) is
      retried up to ``retries`` times, with exponential backoff (1 s, 2 s, 4 s, ...,
      at most 600 s, with jitter: Celery's ``retry_backoff``). ``retry_on=()`` for a
      task that must not be retried as a whole (it records its own failure). Every
      task is idempotent, which is what makes a retry safe;
    - **acks_late** and **reject_on_worker_lost**: a message is acknowledged when
      the task ends, so a task whose worker died mid-way is delivered again (the
      settings say the same: CELERY_TASK_ACKS_LATE, CELERY_TASK_REJECT_ON_WORKER_LOST);
    - **ignore_result**: nobody waits for a result (the outcome is in PostgreSQL),
      so a web process that queues one after commit never subscribes to a result
      channel, which with Redis down would hold the request for about 20 s of
      retries before the enqueue fails (tests/desk/test_alerts_worker.py, the
      apology test);
    - **the name** is the function's dotted path ("desk.tasks.scan_clocks"), which
      ``CELERY_BEAT_SCHEDULE`` and ``config.redis.enqueue_after_commit`` use;
    - ``bind=True`` passes the task itself first, for a task that schedules its own
      retry (``self.retry(countdown=...)``).
    """

    def decorator(function: Callable[..., Any]) -> Any:
        return shared_task(
            name=f"{function.__module__}.{function.__name__}",
            bind=bind,
            autoretry_for=retry_on,
            retry_backoff=True,
            max_retries=retries,
            acks_late=True,
            reject_on_worker_lost=True,
            ignore_result=True,
        )(function)

    return decorator
