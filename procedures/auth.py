"""Login throttle and the permission gates every view goes through."""

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .models import LoginFailure, Role


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind a proxy set ``SECURE_PROXY_SSL_HEADER`` and let
    the proxy overwrite REMOTE_ADDR (gunicorn --forwarded-allow-ips): trusting a
    client-supplied X-Forwarded-For would let anyone dodge the throttle."""
    return request.META.get("REMOTE_ADDR") or None


def login_locked(username: str, ip: str | None) -> bool:
    """Too many recent failures for this username or from this address."""
    since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    recent = LoginFailure.objects.filter(at__gte=since)
    limit = settings.LOGIN_MAX_FAILURES
    if recent.filter(username=username.lower()).count() >= limit:
        return True
    # An address gets more room: a whole desk may sit behind one NAT address.
    return bool(ip) and recent.filter(ip_address=ip).count() >= limit * 4


def record_login_failure(username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip_address=ip)


def clear_login_failures(username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()


def role_required(*roles: Role) -> Callable:
    """Login plus at least one of ``roles``; otherwise 403 with the reason."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not any(request.user.has_role(role) for role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
