"""Rendered lookup pages, kept in Redis until what they show changes.

Citizens reload their dossier's page, open it again from the receipt's QR code,
come back from the rating page; the page itself changes only when the dossier
does. A lookup that finds its page here costs one Redis round trip, the one the
throttle makes anyway (surveys/throttle.py peeks at these keys in the same
pipeline): no database query and no template.

Keys: the page, per (code, lookup key, language), under a hash of the code and the
key, so that a wrong key never finds a page, and the page of a dossier is read
only by whoever holds its key, as the database path would. Invalidation is by
generation numbers, read in the same round trip as the page:

- a dossier's generation, bumped after every commit that saves or deletes the
  dossier, one of its timeline events or supplement requests, or its rating
  (surveys/apps.py connects the signals; bulk writes that bypass them, such as
  the benchmark generator's COPY, must call ``forget_all``);
- the epoch, bumped after any change of an agency or a procedure (names, desk
  address, opening hours), which changes pages of many dossiers at once.

A page is stored with the generation and epoch read *before* the database was, so
a page rendered from data a concurrent write was replacing never matches again
(the writer's bump comes after its commit). A page also expires when its wording
would change with time alone: when the appointment passes (the overdue notice),
when the rating link closes, and after ``LOOKUP_CACHE_SECONDS`` (600) at most. If
Redis is down, lookups read the database and nothing is cached; a bump lost in
that outage is bounded by the same expiry. The demo's file cache keeps no pages.
"""

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from .throttle import redis_client

logger = logging.getLogger(__name__)

# The version in the keys changes with the stored format (header line, then page).
EPOCH_KEY = "lookup-page:v1:epoch"


def seconds() -> int:
    return int(getattr(settings, "LOOKUP_CACHE_SECONDS", 600))


def enabled() -> bool:
    return seconds() > 0 and isinstance(caches["default"], RedisCache)


def _digest(code: str, key: str) -> str:
    return hashlib.sha256(f"{code}\n{key}".encode()).hexdigest()[:40]


def _page_key(digest: str, language: str) -> str:
    return f"lookup-page:v1:{digest}:{language}"


def _generation_key(digest: str) -> str:
    return f"lookup-page:v1:{digest}:generation"


def keys(code: str, key: str, language: str) -> list[str]:
    """What the lookup peeks at, in this order: the page, its generation, the epoch."""
    digest = _digest(code, key)
    return [_page_key(digest, language), _generation_key(digest), EPOCH_KEY]


def _number(raw: bytes | None) -> int:
    return int(raw) if raw else 0


def page(peeked: list[bytes | None], now: dt.datetime) -> bytes | None:
    """The stored page if it is still the right one, else None."""
    raw, generation, epoch = peeked
    if not raw:
        return None
    header, _newline, body = raw.partition(b"\n")
    try:
        stored_generation, stored_epoch, expires = (int(part) for part in header.split(b":"))
    except ValueError:  # not a page this code wrote: ignore it, a fresh one replaces it
        return None
    if (
        stored_generation != _number(generation)
        or stored_epoch != _number(epoch)
        or expires <= now.timestamp()
    ):
        return None
    return body


def store(
    code: str,
    key: str,
    language: str,
    peeked: list[bytes | None],
    body: bytes,
    now: dt.datetime,
    expires: dt.datetime | None,
) -> None:
    """Keep ``body`` for ``LOOKUP_CACHE_SECONDS``, or until ``expires`` if sooner,
    tagged with what was peeked before the database was read."""
    timeout = seconds()
    if expires is not None:
        timeout = min(timeout, int((expires - now).total_seconds()))
    if timeout <= 0:
        return
    _raw, generation, epoch = peeked
    header = f"{_number(generation)}:{_number(epoch)}:{int(now.timestamp()) + timeout}\n"
    backend = caches["default"]
    page_key = backend.make_key(_page_key(_digest(code, key), language))
    try:
        redis_client(page_key).set(page_key, header.encode() + body, ex=timeout)
    except RedisError:
        logger.warning("lookup page cache: Redis unavailable, page not kept")


def forget(code: str, key: str) -> None:
    """After a commit that changed this dossier: its pages never match again."""
    backend = caches["default"]
    digest = _digest(code, key)
    generation = backend.make_key(_generation_key(digest))
    pages = [
        backend.make_key(_page_key(digest, language)) for language, _name in settings.LANGUAGES
    ]
    try:
        pipe = redis_client(generation).pipeline(transaction=False)
        pipe.incr(generation)
        # Outlives every page stored under the previous generation.
        pipe.expire(generation, 2 * seconds() + 60)
        pipe.delete(*pages)
        pipe.execute()
    except RedisError:
        logger.warning("lookup page cache: Redis unavailable, %s not forgotten", code)


def forget_all() -> None:
    """After a change to an agency or a procedure: every page is stale."""
    backend = caches["default"]
    epoch = backend.make_key(EPOCH_KEY)
    try:
        redis_client(epoch).incr(epoch)
    except RedisError:
        logger.warning("lookup page cache: Redis unavailable, epoch not bumped")
