"""Every use of Redis, bounded: short socket timeouts, a breaker, and guarded cache calls.

Redis holds nothing the site cannot do without: the cache (the dashboard's catalog
counts, the lookup's rendered pages, the public throttles) and the Celery broker
(every job's row is in PostgreSQL first, and a sweep re-queues what the broker
lost). So when Redis is down (connection refused) or hung (a frozen process, a
half-open connection: the socket accepts and nothing answers), a request must go
on without it, quickly:

- each socket operation gives up after ``REDIS_TIMEOUT`` seconds (0.5 by default;
  a healthy answer takes about a millisecond), connecting included;
- the cache's connections (config/settings.py CACHES) go through ``GuardedConnection``:
  after a failure, this process stops asking that Redis for ``REDIS_RETRY_AFTER``
  seconds (5) and every cache call fails at once, so a hung Redis costs one
  timeout per process every few seconds instead of one per cache call;
- callers use ``cache_get``/``cache_set``/``cached`` below (or catch ``RedisError``
  themselves, as surveys/throttle.py and surveys/lookup_cache.py do on their
  one-round-trip paths): a failure is logged and the request reads the database.

The broker's own connections are kombu's (no breaker there): config/settings.py
gives them the same timeouts and one quick publish retry, and ``enqueue`` below
turns a failed publish into a log line; the job's row waits for its sweep
(desk.tasks.sweep_jobs).

Only the settings builders here may be imported by config/settings.py: Django's
cache is imported inside the functions that use it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from redis.backoff import NoBackoff
from redis.connection import Connection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)


DEFAULT_TIMEOUT = 0.5
DEFAULT_RETRY_AFTER = 5.0


# ---------------------------------------------------------------- the breaker


class Breaker:
    """Per Redis address, until when this process does not try it again."""

    def __init__(self) -> None:
        self._open_until: dict[tuple, float] = {}
        self._lock = threading.Lock()

    def check(self, address: tuple) -> None:
        until = self._open_until.get(address)
        if until is not None and time.monotonic() < until:
            raise RedisConnectionError(f"Redis {address} failed recently; not asked again yet")

    def trip(self, address: tuple, error: Exception) -> None:
        from django.conf import settings

        seconds = float(getattr(settings, "REDIS_RETRY_AFTER", DEFAULT_RETRY_AFTER))
        with self._lock:
            already = self._open_until.get(address, 0) > time.monotonic()
            self._open_until[address] = time.monotonic() + seconds
        if not already:
            logger.warning("Redis %s unavailable (%r): not asked for %s s", address, error, seconds)

    def reset(self) -> None:
        """Forget every failure (tests that stopped a Redis call this after)."""
        with self._lock:
            self._open_until.clear()


breaker = Breaker()


class GuardedConnection(Connection):
    """redis-py's connection, refusing at once while the breaker is open for its
    address and opening it on a connection error or a timeout."""

    def _address(self) -> tuple:
        return (self.host, self.port, self.db)

    def _guarded(self, method: Callable, *args: Any, refuse: bool = True, **kwargs: Any) -> Any:
        if refuse:
            breaker.check(self._address())
        try:
            return method(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError) as error:
            breaker.trip(self._address(), error)
            raise

    def connect_check_health(self, *args: Any, **kwargs: Any) -> None:
        if not self._sock:
            self._guarded(super().connect_check_health, *args, **kwargs)

    def send_packed_command(self, *args: Any, **kwargs: Any) -> None:
        self._guarded(super().send_packed_command, *args, **kwargs)

    def read_response(self, *args: Any, **kwargs: Any) -> Any:
        # A reply already on its way is read even while the breaker is open.
        return self._guarded(super().read_response, *args, refuse=False, **kwargs)


# ---------------------------------------------------------------- settings builders


def cache_config(location: str, *, timeout: float, key_prefix: str) -> dict[str, Any]:
    """A CACHES entry for Django's RedisCache at ``location``. Its OPTIONS are passed
    on to redis-py's connection pool and from there to each connection."""
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {
            "connection_class": GuardedConnection,
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,
            # One immediate retry on a dropped connection (a restarted Redis leaves
            # pooled connections closed), none on a timeout (a hung Redis stays hung).
            "retry": Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
        },
    }


def broker_options(timeout: float) -> dict[str, Any]:
    """Celery's broker_transport_options (and result backend's) for kombu's Redis transport."""
    return {
        "socket_connect_timeout": timeout,
        # Synchronous commands only (a publish); the worker's BRPOP is read from
        # its event loop, which this does not bound.
        "socket_timeout": timeout,
        "retry_on_timeout": False,
        "health_check_interval": 25,
    }


# ---------------------------------------------------------------- guarded calls


def cache_get(key: str, default: Any = None, *, using: str = "default") -> Any:
    """``caches[using].get``, or ``default`` if the cache does not answer."""
    from django.core.cache import caches

    try:
        return caches[using].get(key, default)
    except (RedisError, OSError) as error:
        logger.warning("cache read %s failed: %r", key, error)
        return default


def cache_set(key: str, value: Any, timeout: float | None, *, using: str = "default") -> bool:
    """``caches[using].set``; False (logged) if the cache does not answer."""
    from django.core.cache import caches

    try:
        caches[using].set(key, value, timeout)
    except (RedisError, OSError) as error:
        logger.warning("cache write %s failed: %r", key, error)
        return False
    return True


def cached[T](key: str, compute: Callable[[], T], timeout: float) -> T:
    """The cached value of ``key``, else ``compute()`` (stored if the cache answers)."""
    value = cache_get(key)
    if value is not None:
        return value
    value = compute()
    cache_set(key, value, timeout)
    return value


def enqueue_after_commit(task: Any, *args: Any, what: str) -> None:
    """``enqueue(task, *args)`` once the current transaction has committed (at once
    outside one): the worker reads what the transaction wrote. ``task`` may be the
    task's dotted path ("desk.tasks.finalize_apology"), so a service need not import
    the tasks module that imports it."""
    from django.db import transaction
    from django.utils.module_loading import import_string

    def send() -> None:
        enqueue(import_string(task) if isinstance(task, str) else task, *args, what=what)

    transaction.on_commit(send)


def enqueue(task: Any, *args: Any, what: str) -> bool:
    """``task.delay(*args)``; False (logged) if the broker refused or did not answer.

    For jobs whose row in PostgreSQL is the truth and that a sweep picks up: call it
    after commit (``enqueue_after_commit``)."""
    try:
        task.delay(*args)
    except Exception as error:  # kombu's OperationalError, redis errors, timeouts
        logger.warning("could not enqueue %s (%r); the sweep will take it", what, error)
        return False
    return True
