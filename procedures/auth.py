"""Login throttle and the permission gates every view goes through."""

import datetime as dt
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UsernameField
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme

from .models import LoginFailure, Role
from .permissions import holds

_DEVICE_SALT = "procedures.auth.known-device"
_DEVICE_NAMES = 10


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind a proxy set ``SECURE_PROXY_SSL_HEADER`` and let
    the proxy overwrite REMOTE_ADDR (gunicorn --forwarded-allow-ips): trusting a
    client-supplied X-Forwarded-For would let anyone dodge the throttle."""
    return request.META.get("REMOTE_ADDR") or None


@dataclass(frozen=True)
class LoginAttempt:
    """Who is trying to sign in, as the throttle counts it."""

    key: str  # the username as sign-in reads it, casefolded (throttle_key)
    ip: str | None
    device: str  # the known-device id when that device is trusted for ``key``, else ""


def throttle_key(username: str) -> str:
    """The username the throttle counts: the value the sign-in form authenticates
    (Django's UsernameField strips and NFKC-normalises, so " clerk" and "ｃｌｅｒｋ"
    are "clerk"), casefolded so that "CLERK" shares the count too."""
    return UsernameField().to_python(username).casefold()[:150]


def _device_cookie(request: HttpRequest) -> tuple[str, list[str]]:
    """The known-device id and the usernames (as digests) signed in from this browser."""
    raw = request.COOKIES.get(settings.LOGIN_DEVICE_COOKIE_NAME)
    if not raw:
        return "", []
    try:
        data = signing.loads(
            raw, salt=_DEVICE_SALT, max_age=dt.timedelta(days=settings.LOGIN_DEVICE_DAYS)
        )
        device, names = data["d"], data["u"]
    except (signing.BadSignature, KeyError, TypeError):
        return "", []
    if not isinstance(device, str) or not isinstance(names, list):
        return "", []
    return device[:32], [name for name in names if isinstance(name, str)]


def _username_digest(key: str) -> str:
    # The cookie is signed, not encrypted: it names its usernames by digest only.
    return salted_hmac(_DEVICE_SALT, key, algorithm="sha256").hexdigest()[:20]


def login_attempt(request: HttpRequest, username: str) -> LoginAttempt:
    key = throttle_key(username)
    device, names = _device_cookie(request)
    if device and _username_digest(key) in names:
        since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
        guesses = LoginFailure.objects.filter(username=key, device=device, at__gte=since)
        # A known device that guessed too often is just another browser.
        if guesses.count() < settings.LOGIN_MAX_FAILURES:
            return LoginAttempt(key=key, ip=client_ip(request), device=device)
    return LoginAttempt(key=key, ip=client_ip(request), device="")


def _until_fewer_than(times: list[dt.datetime], limit: int, now: dt.datetime) -> float:
    """Seconds until fewer than ``limit`` of ``times`` (ascending, within the window)
    remain in the window; 0 when there already are."""
    if len(times) < limit:
        return 0.0
    expires = times[len(times) - limit] + dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    return (expires - now).total_seconds()


def login_retry_after(attempt: LoginAttempt) -> int:
    """Seconds before this attempt may be checked; 0 when it may be checked now.

    The policy (README "Roles and who sees what"):

    * a trusted known device (a browser this username signed in from before) is
      refused only after LOGIN_MAX_FAILURES failures of its own, so the real user
      still signs in while the username is under attack;
    * any other browser: LOGIN_MAX_FAILURES failures of one username from one
      address lock that pair for the window (django-axes' "username and address"
      combination), so neither an attacker elsewhere nor a colleague behind the
      same NAT address locks the user out;
    * the username's failures from every other browser past LOGIN_MAX_FAILURES
      add a delay after the last one that doubles with each failure (2 s, 4 s, ...,
      at most the window), so guesses spread over many addresses stay slow;
    * one address that failed for 4 x LOGIN_MAX_FAILURES different usernames in the
      window (password spraying) is refused for every username but known devices.
    """
    if attempt.device:
        return 0
    now = timezone.now()
    since = now - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    limit = settings.LOGIN_MAX_FAILURES
    untrusted = LoginFailure.objects.filter(at__gte=since, device="")
    times = list(
        untrusted.filter(username=attempt.key).order_by("at").values_list("at", "ip_address")
    )
    waits = [_until_fewer_than([at for at, ip in times if ip == attempt.ip], limit, now)]
    if len(times) > limit:
        delay = min(2 ** (len(times) - limit), settings.LOGIN_FAILURE_WINDOW)
        waits.append((times[-1][0] + dt.timedelta(seconds=delay) - now).total_seconds())
    if attempt.ip:
        latest = (
            untrusted.filter(ip_address=attempt.ip)
            .values("username")
            .annotate(latest=Max("at"))
            .order_by("latest")
            .values_list("latest", flat=True)
        )
        waits.append(_until_fewer_than(list(latest), limit * 4, now))
    return max(0, math.ceil(max(waits)))


def record_login_failure(attempt: LoginAttempt) -> None:
    LoginFailure.objects.create(username=attempt.key, ip_address=attempt.ip, device=attempt.device)


def clear_login_failures(attempt: LoginAttempt) -> None:
    """After a sign-in: forget this browser's failures for the username (from this
    address, or of this device), not an attacker's elsewhere."""
    mine = Q(device="", ip_address=attempt.ip)
    if attempt.device:
        mine |= Q(device=attempt.device)
    LoginFailure.objects.filter(mine, username=attempt.key).delete()


def local_url(request: HttpRequest, candidate: str) -> str:
    """``candidate`` when it is a path on this site ("/thu-tuc/"), else "": a
    relative "abc" or another host falls back to the caller's default page."""
    if not candidate.startswith("/") or not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return candidate


def remember_device(request: HttpRequest, response: HttpResponse, attempt: LoginAttempt) -> None:
    """Mark this browser as a known device for the username that just signed in: a
    signed, long-lived cookie that exempts it from the username's lock."""
    device, names = _device_cookie(request)
    digest = _username_digest(attempt.key)
    # A shared desk PC keeps the last few colleagues who signed in on it.
    names = [digest, *(name for name in names if name != digest)][:_DEVICE_NAMES]
    response.set_cookie(
        settings.LOGIN_DEVICE_COOKIE_NAME,
        signing.dumps({"d": device or secrets.token_hex(16), "u": names}, salt=_DEVICE_SALT),
        max_age=settings.LOGIN_DEVICE_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def role_required(*roles: Role) -> Callable:
    """Login plus at least one of ``roles``; otherwise 403 with the reason.

    The view-level guard: a role, whatever the object. What a user may do to one
    object in its state is its app's table (procedures/permissions.py), which reads
    roles the same way (``holds``)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not any(holds(request.user, role) for role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
