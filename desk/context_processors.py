from django.http import HttpRequest
from django.urls import reverse

from .models import Notification


def notifications(request: HttpRequest) -> dict:
    """The header's notification bell: one indexed count per page for signed-in staff."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "notification_url": reverse("desk:notifications"),
        "notification_badge_url": reverse("desk:notification-badge"),
        "notification_unread": Notification.objects.visible()
        .unread()
        .filter(recipient=user)
        .count(),
    }
