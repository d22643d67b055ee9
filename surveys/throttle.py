"""Per-client throttles for the public pages (lookup, rating, feedback), in the cache.

Fixed windows: a counter per client address and window, created with the window
as its expiry. Redis in production and tests (shared by every web process), the
file cache in the demo. On Redis a check is one round trip: a pipeline reads the
failure counter, creates the window's counter with its expiry if missing and
counts (the public lookup's benchmark, bench/bench_lookup.py, pays for every
round trip); other caches take the portable path through Django's cache API.

Two limits protect the lookup: a rate for every request (the database's sake)
and a much lower one for failed attempts, which is what makes guessing a lookup
key or walking through dossier codes hopeless (80-bit keys, 10 tries per window).
"""

import logging
import time
import weakref
from collections.abc import Sequence

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from redis import Redis
from redis.commands.core import Script
from redis.exceptions import RedisError

from procedures.auth import client_ip

logger = logging.getLogger(__name__)

# Defaults; each can be set in settings (config/settings.py reads them from the environment).
DEFAULTS = {
    "LOOKUP_RATE": 30,  # lookups per client per window
    "LOOKUP_RATE_WINDOW": 60,
    "LOOKUP_FAILURES": 10,  # wrong code or key per client per window
    "LOOKUP_FAILURES_WINDOW": 900,
    "FEEDBACK_RATE": 5,  # feedback sent per client per window
    "FEEDBACK_RATE_WINDOW": 3600,
}


def _setting(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


def _key(scope: str, ip: str, window: int) -> str:
    return f"throttle:{scope}:{ip}:{int(time.time()) // window}"


def _count(key: str, window: int) -> int:
    try:
        return cache.incr(key)
    except ValueError:  # first hit in this window
        if cache.add(key, 1, timeout=window + 1):
            return 1
        return cache.incr(key)


# The check in one command (one request to parse, one reply): the failure counter,
# the window's counter created with its expiry and counted, the peeked values.
# KEYS: failure counter ("" for none), rate counter, peeked keys; ARGV: expiry.
_CHECK = """
local failed = 0
if KEYS[1] ~= "" then failed = tonumber(redis.call("GET", KEYS[1]) or "0") end
redis.call("SET", KEYS[2], 0, "EX", ARGV[1], "NX")
local out = {failed, redis.call("INCR", KEYS[2])}
for i = 3, #KEYS do out[i] = redis.call("GET", KEYS[i]) end
return out
"""

_clients: "weakref.WeakKeyDictionary[object, tuple[Redis, Script]]" = weakref.WeakKeyDictionary()


def _client(key: str) -> "tuple[Redis, Script]":
    """The redis-py client behind Django's RedisCache (which has no public pipeline
    or scripts), with the check script registered on it.

    Django builds a new client object (with its ~170 response callbacks) for every
    call, a fifth of a cached lookup's time; one per cache connection is kept here
    (clients are thread-safe; they share the cache's connection pool).
    """
    wrapper = caches["default"]._cache
    pair = _clients.get(wrapper)
    if pair is None:
        client = wrapper.get_client(key, write=True)
        pair = _clients[wrapper] = (client, client.register_script(_CHECK))
    return pair


def redis_client(key: str) -> "Redis":
    return _client(key)[0]


def _redis_check(
    read: str | None, count: str, window: int, peek: Sequence[str] = ()
) -> tuple[int, int, list[bytes | None]]:
    """On Redis, in one round trip: the counter ``read`` (0 if none), the counter
    ``count`` after adding one (created with the window as its expiry), and the raw
    values of the ``peek`` keys (for the lookup's page cache).

    Keys go through the cache's own prefixing and versioning, and Django's Redis
    serializer stores integers as plain numbers, so these are the counters
    ``cache.get``/``cache.incr`` see on the portable path.
    """
    backend = caches["default"]
    count_key = backend.make_key(count)
    keys = [
        backend.make_key(read) if read is not None else "",
        count_key,
        *(backend.make_key(key) for key in peek),
    ]
    _redis, check = _client(count_key)
    failed, counted, *peeked = check(keys=keys, args=[window + 1])
    # Missing keys come back as None (padding only in case a reply were cut short).
    return int(failed), int(counted), peeked + [None] * (len(peek) - len(peeked))


class Throttle:
    """``rate`` requests and ``failures`` failed attempts per client and window."""

    def __init__(self, scope: str, *, rate: str, failures: str | None = None) -> None:
        self.scope = scope
        self.rate_setting = rate
        self.failure_setting = failures

    def _limits(self) -> tuple[int, int, int, int]:
        rate = _setting(self.rate_setting)
        rate_window = _setting(f"{self.rate_setting}_WINDOW")
        failures = _setting(self.failure_setting) if self.failure_setting else 0
        failure_window = _setting(f"{self.failure_setting}_WINDOW") if self.failure_setting else 1
        return rate, rate_window, failures, failure_window

    def allow(self, request: HttpRequest) -> bool:
        """Count this request; False when the client is over either limit."""
        return self.check(request)[0]

    def check(
        self, request: HttpRequest, *, peek: Sequence[str] = ()
    ) -> tuple[bool, list[bytes | None]]:
        """Count this request: (allowed, the raw values of the ``peek`` cache keys).

        On Redis the check and the reads are one round trip; elsewhere (the demo's
        file cache) nothing is peeked. If Redis does not answer, the request is let
        through (logged): the database still answers every lookup, and a lookup key
        is 80 random bits.
        """
        ip = client_ip(request) or "unknown"
        rate, rate_window, failures, failure_window = self._limits()
        if isinstance(caches["default"], RedisCache):
            fail_key = _key(f"{self.scope}-fail", ip, failure_window)
            try:
                failed, count, peeked = _redis_check(
                    fail_key if self.failure_setting else None,
                    _key(self.scope, ip, rate_window),
                    rate_window,
                    peek,
                )
            except RedisError:
                logger.warning("throttle %s: Redis unavailable, request let through", self.scope)
                return True, [None] * len(peek)
            # A client over the failure limit is refused whatever its rate; the
            # request was counted anyway (it was made).
            return not (self.failure_setting and failed >= failures) and count <= rate, peeked
        if self.failure_setting:
            failed = cache.get(_key(f"{self.scope}-fail", ip, failure_window)) or 0
            if failed >= failures:
                return False, [None] * len(peek)
        return _count(_key(self.scope, ip, rate_window), rate_window) <= rate, [None] * len(peek)

    def retry_after(self, request: HttpRequest) -> int:
        """Seconds until a refused client may try again (for ``Retry-After``): the
        end of the failure window when it is over the failure limit (up to
        LOOKUP_FAILURES_WINDOW, 15 minutes), else the end of the rate window. The
        windows are fixed, so the lock lasts until the current one ends."""
        ip = client_ip(request) or "unknown"
        _rate, rate_window, failures, failure_window = self._limits()
        window = rate_window
        if self.failure_setting:
            try:
                failed = cache.get(_key(f"{self.scope}-fail", ip, failure_window)) or 0
            except RedisError:
                failed = 0
            if failed >= failures:
                window = failure_window
        return window - int(time.time()) % window

    def failed(self, request: HttpRequest) -> None:
        """Record a failed attempt (wrong code or key)."""
        if not self.failure_setting:
            return
        ip = client_ip(request) or "unknown"
        *_, failure_window = self._limits()
        key = _key(f"{self.scope}-fail", ip, failure_window)
        if isinstance(caches["default"], RedisCache):
            try:
                _redis_check(None, key, failure_window)
            except RedisError:
                logger.warning("throttle %s: Redis unavailable, failure not counted", self.scope)
        else:
            _count(key, failure_window)


# Settings read: LOOKUP_RATE (per LOOKUP_RATE_WINDOW seconds), LOOKUP_FAILURES (per
# LOOKUP_FAILURES_WINDOW), FEEDBACK_RATE (per FEEDBACK_RATE_WINDOW).
lookup_throttle = Throttle("lookup", rate="LOOKUP_RATE", failures="LOOKUP_FAILURES")
feedback_throttle = Throttle("feedback", rate="FEEDBACK_RATE")
