"""Fill the working-day calendar from the ``holidays`` package (idempotent)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from desk.calendar_seed import seed_calendar_dates
from desk.services import calendar_changed


class Command(BaseCommand):
    help = (
        "Add the Vietnamese days off and swapped working days of the given years "
        "(default: this year and the next two). Existing dates are left untouched."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--years", nargs="+", type=int, metavar="YEAR")
        parser.add_argument(
            "--include-culture-day",
            action="store_true",
            help="Also add 24 November (Ngày Văn hóa Việt Nam), unconfirmed as of 2026.",
        )

    def handle(self, *args, years: list[int] | None, include_culture_day: bool, **options):
        if years is None:
            current = timezone.localdate().year
            years = [current, current + 1, current + 2]
        if any(not 1995 <= year <= 2100 for year in years):
            raise CommandError("Năm phải nằm trong khoảng 1995–2100.")
        with transaction.atomic():
            created = seed_calendar_dates(years, include_culture_day=include_culture_day)
            # Open dossiers whose term spans a new day off get new due dates (in the
            # background, once this commits), as for an edit in the admin.
            if created:
                calendar_changed(dates=created)
        self.stdout.write(
            f"{len(created)} ngày được thêm vào lịch các năm "
            f"{', '.join(map(str, sorted(set(years))))}."
        )
        if created:
            self.stdout.write("Hạn xử lý của các hồ sơ đang mở sẽ được tính lại.")
