from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .extensions import ExtensionPoint
from .models import Role

# (url name, label, roles that see it; empty = every signed-in user), keyed by the
# url name. Later apps add their entries in their AppConfig.ready() (the desk's
# with first=True, so they lead the menu); this app never imports them.
STAFF_NAVIGATION: ExtensionPoint[tuple[str, str, tuple[Role, ...]]] = ExtensionPoint(
    "procedures.staff_navigation", "The signed-in staff's header menu"
)
STAFF_NAVIGATION.add(
    ("procedures:import", _("Nhập danh mục"), (Role.ADMINISTRATOR,)), key="procedures:import"
)

# (url name, label) of the citizens' pages that anonymous visitors see after the
# catalog, keyed by the url name. Nothing from this app: the lookup and the feedback
# form belong to surveys, which adds them in SurveysConfig.ready().
PUBLIC_NAVIGATION: ExtensionPoint[tuple[str, str]] = ExtensionPoint(
    "procedures.public_navigation", "The anonymous visitors' header menu"
)


def add_menu_entries(
    point: ExtensionPoint[Any], entries: Sequence[tuple[Any, ...]], *, first: bool = False
) -> None:
    """Add header menu entries to ``point``, each keyed by its url name (so a second
    ``ready()`` adds nothing); with ``first=True`` they lead the menu, in the order given."""
    for entry in reversed(entries) if first else entries:
        point.add(entry, key=entry[0], first=first)


def navigation(request: HttpRequest) -> dict:
    """The header's menu for the signed-in user's roles."""
    user = getattr(request, "user", None)
    items = [
        {
            "url": reverse("procedures:catalog"),
            "label": _("Thủ tục hành chính"),
            "name": "procedures:catalog",
        }
    ]
    if user is None or not user.is_authenticated:
        for name, label in PUBLIC_NAVIGATION:
            items.append({"url": reverse(name), "label": label, "name": name})
    else:
        for name, label, roles in STAFF_NAVIGATION:
            if not roles or any(user.has_role(role) for role in roles):
                items.append({"url": reverse(name), "label": label, "name": name})
        if user.has_role(Role.ADMINISTRATOR) and user.is_staff:
            items.append(
                {"url": reverse("admin:index"), "label": _("Quản trị"), "name": "admin:index"}
            )
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    for item in items:
        item["active"] = current == item["name"]
    return {"nav_items": items}
