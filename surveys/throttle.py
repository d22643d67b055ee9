"""Per-client throttles for the public pages (lookup, rating, feedback), in the cache.

Fixed windows: a counter per client address and window, created with the window
as its expiry. Redis in production and tests (shared by every web process), the
file cache in the demo. The lookup pays one round trip to check and one to count.

Two limits protect the lookup: a rate for every request (the database's sake)
and a much lower one for failed attempts, which is what makes guessing a lookup
key or walking through dossier codes hopeless (80-bit keys, 10 tries per window).
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from procedures.auth import client_ip

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
        ip = client_ip(request) or "unknown"
        rate, rate_window, failures, failure_window = self._limits()
        if self.failure_setting:
            failed = cache.get(_key(f"{self.scope}-fail", ip, failure_window)) or 0
            if failed >= failures:
                return False
        return _count(_key(self.scope, ip, rate_window), rate_window) <= rate

    def failed(self, request: HttpRequest) -> None:
        """Record a failed attempt (wrong code or key)."""
        if not self.failure_setting:
            return
        ip = client_ip(request) or "unknown"
        *_, failure_window = self._limits()
        _count(_key(f"{self.scope}-fail", ip, failure_window), failure_window)


# Settings read: LOOKUP_RATE (per LOOKUP_RATE_WINDOW seconds), LOOKUP_FAILURES (per
# LOOKUP_FAILURES_WINDOW), FEEDBACK_RATE (per FEEDBACK_RATE_WINDOW).
lookup_throttle = Throttle("lookup", rate="LOOKUP_RATE", failures="LOOKUP_FAILURES")
feedback_throttle = Throttle("feedback", rate="FEEDBACK_RATE")
