from django.core.management.base import BaseCommand

from procedures.demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo accounts."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, _first, _last, role_label, agency_identifier, _roles in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {role_label} ({agency_identifier})")
