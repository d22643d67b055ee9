from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = _("Hồ sơ một cửa")

    def ready(self) -> None:
        from procedures.context_processors import STAFF_NAVIGATION
        from procedures.models import Role

        # The desk's entries lead the staff menu: each is put first, the last one
        # before the others, so they keep this order ahead of the rest.
        for entry in reversed(
            [
                ("desk:intake", _("Tiếp nhận hồ sơ"), (Role.CLERK,)),
                (
                    "desk:queue",
                    _("Hồ sơ"),
                    (Role.CLERK, Role.OFFICER, Role.UNIT_HEAD, Role.LEADER, Role.ADMINISTRATOR),
                ),
                (
                    "desk:tracking-book",
                    _("Sổ theo dõi"),
                    (Role.CLERK, Role.UNIT_HEAD, Role.LEADER),
                ),
                (
                    "desk:dashboard",
                    _("Bảng điều khiển"),
                    (Role.LEADER, Role.UNIT_HEAD, Role.ADMINISTRATOR),
                ),
            ]
        ):
            STAFF_NAVIGATION.add(entry, key=entry[0], first=True)
