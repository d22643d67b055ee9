"""The alerts conduct owns, added to the desk's ``desk.alert_kinds`` extension point
in ``ConductConfig.ready()``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from desk.alerts import AlertKindSpec


class AlertKind(models.TextChoices):
    # A follow-up's deadline is near or passed (services.remind_overdue_follow_ups).
    CONDUCT_FOLLOW_UP = "conduct_follow_up", _("Khắc phục sau kiểm tra công vụ")


SPECS = (AlertKindSpec(AlertKind.CONDUCT_FOLLOW_UP.value, AlertKind.CONDUCT_FOLLOW_UP.label),)
