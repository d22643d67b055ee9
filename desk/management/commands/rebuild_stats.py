"""Recompute the dashboard's figures from the dossiers (desk/stats.py ``rebuild``)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from desk import stats


class Command(BaseCommand):
    help = (
        "Recompute the leaders' dashboard figures from the dossiers: after a bulk load, "
        "a restore, or to check the figures the desk keeps as it works."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--stocks-from",
            metavar="YYYY-MM-DD",
            help="First day whose end-of-day stocks are rebuilt (default: the first receipt).",
        )

    def handle(self, *args, stocks_from: str | None, **options) -> None:
        try:
            first = dt.date.fromisoformat(stocks_from) if stocks_from else None
        except ValueError:
            raise CommandError("--stocks-from phải có dạng YYYY-MM-DD.") from None
        counts = stats.rebuild(stocks_from=first)
        self.stdout.write(
            f"{counts['days']} dòng số liệu ngày, {counts['procedure_months']} dòng số liệu "
            "tháng theo thủ tục đã được tính lại."
        )
