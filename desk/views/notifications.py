"""The notification centre: a bell in the header, a list, mark as read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from ..models import Notification


@login_required
@vary_on_headers("HX-Request")
def notification_list(request: HttpRequest) -> HttpResponse:
    items = Notification.objects.visible().filter(recipient=request.user)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(request, "desk/notifications.html", {"page": page})


@login_required
def notification_badge(request: HttpRequest) -> HttpResponse:
    """The bell's count, polled by htmx so new alerts show without a reload."""
    return render(request, "desk/notifications.html#badge", {})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go where it points (a path on this site only)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk, read_at__isnull=True).update(read_at=timezone.now())
    target = notification.link
    if not target or not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "desk:notifications"
    return redirect(target)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    Notification.objects.visible().unread().filter(recipient=request.user).update(
        read_at=timezone.now()
    )
    return redirect("desk:notifications")
