"""Export of the procedure catalog in the import layout (xuất danh mục thủ tục).

Every value is written in the syntax the import (``parse``) reads, so an
exported file imports with zero changes. Used by the ``export_procedures``
command, the administrators' download (``procedures:export``), the example
file builder (procedures/examples/build_example.py) and bench/.
"""

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from django.db.models import Prefetch, QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..models import Agency, Procedure, TimeUnit
from ..services import procedure_content
from ..xlsx import clean
from .layout import (
    COLUMNS,
    HEADERS,
    LEVEL_LABELS,
    NO,
    ONLINE_LABELS,
    STATUS_LABELS,
    UNIT_LABELS,
    YES,
)

SHEET_TITLE = "Danh mục thủ tục"
# Text longer than this wraps in its cell (about the width of a 24-character column).
WRAP_AFTER = 24
DATE_FORMAT = "DD/MM/YYYY"
# Column widths in characters: long free text wide, flags narrow.
WIDE = {"name", "steps", "documents", "variants", "applicants", "result", "fees", "conditions"}
NARROW = {
    "is_interlevel",
    "accepts_at_desk",
    "accepts_by_post",
    "accepts_online",
    "file_anywhere",
    "restart_term_after_supplement",
}


def _amount(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _line(text: str) -> str:
    # One item per line in the list columns: a line break inside an item (possible
    # after an edit in the admin) would split it. Imported items never hold one.
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def _documents(documents: list[dict[str, Any]]) -> str:
    lines = []
    for d in documents:
        parts = [
            _line(d["name"]),
            str(d["originals"]),
            str(d["certified_copies"]),
            str(d["copies"]),
        ]
        if d["form_name"]:
            parts.append(_line(d["form_name"]))
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def _variants(variants: list[dict[str, Any]]) -> str:
    lines = []
    for v in variants:
        unit = UNIT_LABELS[TimeUnit(v["time_unit"])]
        if v["time_unit"] == TimeUnit.IMMEDIATE and not v["time_value"]:
            lines.append(f"{_line(v['name'])} | {unit}")
        else:
            lines.append(f"{_line(v['name'])} | {v['time_value']} | {unit}")
    return "\n".join(lines)


def _fees(fees: list[dict[str, Any]]) -> str:
    lines = []
    for f in fees:
        parts = [_line(f["name"]), _amount(f["amount"])]
        if f["exemptions"]:
            parts.append(_line(f["exemptions"]))
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def content_cells(content: dict[str, Any]) -> list[Any]:
    """The row for one procedure's canonical content, in ``COLUMNS`` order.
    Dates are ``date`` objects (real date cells in a workbook)."""
    values: dict[str, Any] = dict(content)
    for key, value in content.items():
        if isinstance(value, bool):
            values[key] = YES if value else NO
    values["level"] = LEVEL_LABELS[content["level"]]
    values["status"] = STATUS_LABELS[content["status"]]
    values["online_level"] = ONLINE_LABELS[content["online_level"]]
    values["agencies"] = "; ".join(content["agencies"])
    values["documents"] = _documents(content["documents"])
    values["variants"] = _variants(content["variants"])
    values["fees"] = _fees(content["fees"])
    for key in ("decision_date", "effective_from", "effective_to"):
        values[key] = _date(content[key])
    return [values[column.key] for column in COLUMNS]


def catalog_contents(queryset: QuerySet[Procedure] | None = None) -> Iterator[dict[str, Any]]:
    """Canonical content of every procedure, by code, a few queries per 500."""
    queryset = Procedure.objects.all() if queryset is None else queryset
    procedures = (
        queryset.select_related("field")
        .prefetch_related(
            Prefetch("agencies", queryset=Agency.objects.only("identifier")),
            "variants",
            "documents",
            "fees",
        )
        .order_by("code")
    )
    for procedure in procedures.iterator(chunk_size=500):
        yield procedure_content(procedure)


def write_xlsx(contents: Iterable[dict[str, Any]], target: IO[bytes] | str | Path) -> int:
    """Write the catalog workbook; returns the number of procedures written. It
    styles its cells itself (wrapped long texts, measured in bench/bench_import.py)
    and cleans them as every workbook does (procedures/xlsx.py ``clean``)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    for index, column in enumerate(COLUMNS, start=1):
        width = 60 if column.key in WIDE else 14 if column.key in NARROW else 24
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        cell.alignment = wrap
        header.append(cell)
    sheet.append(header)
    count = 0
    for content in contents:
        row: list[Any] = []
        for value in content_cells(content):
            # Styling a cell costs more than writing it: only long or multi-line
            # text wraps, only dates carry a number format.
            if isinstance(value, str) and (len(value) > WRAP_AFTER or "\n" in value):
                cell = WriteOnlyCell(sheet, value=clean(value))
                cell.alignment = wrap
                row.append(cell)
            elif isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATE_FORMAT
                cell.alignment = top
                row.append(cell)
            else:
                row.append(clean(value))
        sheet.append(row)
        count += 1
    workbook.save(target)
    return count


def write_csv(contents: Iterable[dict[str, Any]], target: IO[str]) -> int:
    """The same layout as CSV (UTF-8; open ``target`` with newline="")."""
    writer = csv.writer(target)
    writer.writerow(HEADERS)
    count = 0
    for content in contents:
        writer.writerow(
            [
                v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v
                for v in content_cells(content)
            ]
        )
        count += 1
    return count


def export_catalog(target: IO[bytes] | str | Path) -> int:
    """The whole catalog as XLSX; returns the number of procedures."""
    return write_xlsx(catalog_contents(), target)
