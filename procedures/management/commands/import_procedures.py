"""Import the procedure catalog from an XLSX or CSV file (layout: procedures/catalog_io/layout.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from procedures.catalog_io import ImportFileError, import_catalog

# A progress line every this many rows (and at the end).
PROGRESS_EVERY = 200


class Command(BaseCommand):
    help = "Nhập danh mục thủ tục từ tệp .xlsx hoặc .csv (UTF-8)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì vào cơ sở dữ liệu."
        )
        parser.add_argument(
            "--all-or-nothing",
            action="store_true",
            help="Chỉ ghi khi tất cả các dòng hợp lệ.",
        )

    def handle(self, *args, path: Path, dry_run: bool, all_or_nothing: bool, **options) -> None:
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(path)s.") % {"path": path})

        def progress(done: int, total: int) -> None:
            if done and (done % PROGRESS_EVERY == 0 or done == total):
                self.stdout.write(
                    _("Đã xử lý %(done)d/%(total)d dòng") % {"done": done, "total": total}
                )

        try:
            with path.open("rb") as stream:
                report = import_catalog(
                    stream,
                    filename=path.name,
                    dry_run=dry_run,
                    all_or_nothing=all_or_nothing,
                    progress=progress,
                )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        for error in report.errors:
            self.stderr.write(
                _("Dòng %(row)d, cột %(column)s: %(message)s")
                % {"row": error.row, "column": error.column or "-", "message": error.message}
            )
        if report.failed:
            # A non-zero exit lets a script notice the bad rows.
            raise CommandError(report.summary(), returncode=2)
        self.stdout.write(self.style.SUCCESS(report.summary()))
