from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Role

# (url name, label, roles that see it; empty = every signed-in user).
# Later apps append their entries in their AppConfig.ready() (desk/apps.py), so
# this app never imports the apps that build on it.
STAFF_NAVIGATION: list[tuple[str, str, tuple[Role, ...]]] = [
    ("procedures:import", _("Nhập danh mục"), (Role.ADMINISTRATOR,)),
]

# (url name, label) of the citizens' pages that anonymous visitors see after the
# catalog. Empty here: the lookup and the feedback form belong to surveys, which
# fills this list in SurveysConfig.ready() (procedures must not import surveys).
PUBLIC_NAVIGATION: list[tuple[str, str]] = []


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
