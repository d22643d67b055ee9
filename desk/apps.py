from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = _("Hồ sơ một cửa")

    def ready(self) -> None:
        from procedures.context_processors import STAFF_NAVIGATION, add_menu_entries
        from procedures.models import Role

        # The desk's entries lead the staff menu.
        add_menu_entries(
            STAFF_NAVIGATION,
            [
                ("desk:intake", _("Tiếp nhận hồ sơ"), (Role.CLERK,)),
                (
                    "desk:queue",
                    _("Hồ sơ"),
                    (Role.CLERK, Role.OFFICER, Role.UNIT_HEAD, Role.LEADER, Role.ADMINISTRATOR),
                ),
                ("desk:tracking-book", _("Sổ theo dõi"), (Role.CLERK, Role.UNIT_HEAD, Role.LEADER)),
                (
                    "desk:dashboard",
                    _("Bảng điều khiển"),
                    (Role.LEADER, Role.UNIT_HEAD, Role.ADMINISTRATOR),
                ),
            ],
            first=True,
        )
