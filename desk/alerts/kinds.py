"""The kinds of alerts: the desk's own (``AlertKind``) and those later apps add to
the ``desk.alert_kinds`` extension point in their ``AppConfig.ready()`` (surveys:
overdue feedback, the rating invitation; conduct: follow-ups). Declared beside the
models (desk/models/alerts.py) because ``Alert.kind``'s choices read them."""

from ..models.alerts import ALERT_KINDS, AlertKind, AlertKindSpec, alert_kind_choices, is_letter

__all__ = ["ALERT_KINDS", "AlertKind", "AlertKindSpec", "alert_kind_choices", "is_letter"]
