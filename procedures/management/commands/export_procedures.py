"""Export the procedure catalog in the import layout (.xlsx; .csv if PATH ends so)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from procedures.catalog_io import catalog_contents, export_catalog, write_csv


class Command(BaseCommand):
    help = "Xuất danh mục thủ tục ra tệp .xlsx (hoặc .csv UTF-8) theo bố cục của tệp nhập."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options) -> None:
        if path.suffix.lower() == ".csv":
            with path.open("w", encoding="utf-8", newline="") as target:
                count = write_csv(catalog_contents(), target)
        else:
            count = export_catalog(path)
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã xuất %(count)d thủ tục vào %(path)s.") % {"count": count, "path": path}
            )
        )
