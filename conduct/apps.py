from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConductConfig(AppConfig):
    name = "conduct"
    verbose_name = _("Kiểm tra công vụ")

    def ready(self) -> None:
        from procedures.context_processors import STAFF_NAVIGATION
        from procedures.models import Role

        STAFF_NAVIGATION.extend(
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
            ]
        )
