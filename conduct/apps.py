from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConductConfig(AppConfig):
    name = "conduct"
    verbose_name = _("Kiểm tra công vụ")

    def ready(self) -> None:
        from desk import dashboard
        from desk.alerts import ALERT_KINDS
        from procedures.context_processors import STAFF_NAVIGATION, add_menu_entries
        from procedures.models import Role

        from . import alert_kinds, scores

        # The alerts this app records through desk.alerts.notify_once.
        for spec in alert_kinds.SPECS:
            ALERT_KINDS.add(spec, key=spec.value)

        # The leaders' dashboard: this app's panel and the officers' conduct scores.
        dashboard.PANELS.add(
            ("conduct:dashboard-panel", _("Văn hóa công sở")), key="conduct:dashboard-panel"
        )
        dashboard.OFFICER_SOURCES.add((_("Văn hóa công sở"), scores.officer_conduct), key="conduct")

        add_menu_entries(
            STAFF_NAVIGATION,
            [
                (
                    "conduct:inspections",
                    _("Kiểm tra công vụ"),
                    (Role.INSPECTOR, Role.LEADER, Role.UNIT_HEAD),
                ),
                (
                    "conduct:follow-ups",
                    _("Khắc phục sau kiểm tra"),
                    (Role.INSPECTOR, Role.LEADER, Role.UNIT_HEAD),
                ),
                (
                    "conduct:my-results",
                    _("Kết quả kiểm tra của tôi"),
                    (Role.CLERK, Role.OFFICER, Role.UNIT_HEAD),
                ),
            ],
        )
