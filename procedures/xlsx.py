"""The one XLSX writer of the project: every workbook a user downloads (the catalog
export, the tracking book, the dashboard's lists, the satisfaction and conduct
reports) is written through it.

- write-only workbooks (rows go straight to the file; memory stays flat);
- a sheet's first row is its column titles in bold, with the widths given;
- text loses the control characters the XML format cannot hold (openpyxl raises
  ``IllegalCharacterError`` on them: one applicant's name typed with a stray
  control character used to fail a whole export);
- moments are written as local wall-clock time (Excel has no time zones) shown
  dd/mm/yyyy hh:mm, dates as dd/mm/yyyy;
- the finished workbook is a spooled temporary file, streamed by ``response``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MOMENT_FORMAT = "dd/mm/yyyy hh:mm"
DATE_FORMAT = "dd/mm/yyyy"
_BOLD = Font(bold=True)


def clean(value: Any) -> Any:
    """``value`` without the characters an XLSX file cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


class Book:
    """A write-only workbook and its sheets."""

    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)

    def sheet(
        self,
        title: str,
        columns: Sequence[tuple[str, int]] = (),
        *,
        freeze: str | None = None,
    ) -> Sheet:
        """A new sheet; ``columns`` are (title, width) written as its bold first row."""
        sheet = Sheet(self.workbook.create_sheet(clean(str(title))[:31]))
        for index, (_title, width) in enumerate(columns, start=1):
            sheet.raw.column_dimensions[get_column_letter(index)].width = width
        if freeze:
            sheet.raw.freeze_panes = freeze
        if columns:
            sheet.header([name for name, _width in columns])
        return sheet

    def save(self, target: IO[bytes]) -> None:
        self.workbook.save(target)

    def response(self, filename: str) -> FileResponse:
        """The workbook as a download, from a temporary file (in memory up to 4 MB)."""
        # Not a with-block: FileResponse streams the file and closes it when done.
        spool = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115
        self.workbook.save(spool)
        spool.seek(0)
        return FileResponse(spool, as_attachment=True, filename=filename, content_type=CONTENT_TYPE)


class Sheet:
    def __init__(self, raw) -> None:
        self.raw = raw

    def header(self, titles: Iterable[Any]) -> None:
        cells = []
        for title in titles:
            cell = WriteOnlyCell(self.raw, value=clean(str(title)))
            cell.font = _BOLD
            cells.append(cell)
        self.raw.append(cells)

    def append(self, values: Iterable[Any]) -> None:
        self.raw.append([self.cell(value) for value in values])

    def cell(self, value: Any) -> Any:
        """What one value is written as (see the module's docstring)."""
        if isinstance(value, Promise):  # a lazy translation
            value = str(value)
        if isinstance(value, str):
            return clean(value)
        if isinstance(value, dt.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            cell = WriteOnlyCell(self.raw, value=value)
            cell.number_format = MOMENT_FORMAT
            return cell
        if isinstance(value, dt.date):
            cell = WriteOnlyCell(self.raw, value=value)
            cell.number_format = DATE_FORMAT
            return cell
        return value
