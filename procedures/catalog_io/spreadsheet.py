"""Reading a catalog file (XLSX or CSV) into rows of cell values, and matching its
header row to the layout. Problems with the file as a whole raise
``ImportFileError`` before anything is written."""

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ..text import fold
from .layout import COLUMNS, SUPPORTED_EXTENSIONS
from .report import ImportFileError


def read_limited(stream: BinaryIO) -> bytes:
    limit = settings.IMPORT_MAX_BYTES
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ImportFileError(_("Tệp quá lớn: tối đa %(size)s.") % {"size": filesizeformat(limit)})
    if not data:
        raise ImportFileError(_("Tệp rỗng: không có dữ liệu nào."))
    return data


def check_extension(filename: str) -> str:
    """The lower-case extension if supported; otherwise ``ImportFileError``."""
    extension = Path(filename).suffix.lower()
    if extension == ".xls":
        raise ImportFileError(
            _(
                "Tệp .xls (Excel 97-2003) không được hỗ trợ: hãy mở tệp trong Excel và "
                "lưu lại dưới dạng .xlsx."
            )
        )
    if extension not in SUPPORTED_EXTENSIONS:
        raise ImportFileError(_("Chỉ nhận tệp .xlsx hoặc .csv (UTF-8)."))
    return extension


def _xlsx_rows(data: bytes, filename: str) -> Iterator[Sequence[Any]]:
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise ImportFileError(
            _(
                "Tệp “%(name)s” là tệp Excel 97-2003 (.xls) được đổi đuôi thành .xlsx: "
                "hãy mở trong Excel và lưu lại dưới dạng .xlsx."
            )
            % {"name": filename}
        )
    not_excel = ImportFileError(
        _(
            "Tệp “%(name)s” không phải là tệp Excel .xlsx hợp lệ (có thể là tệp khác được "
            "đổi đuôi thành .xlsx)."
        )
        % {"name": filename}
    )
    if data[:4] != b"PK\x03\x04":
        raise not_excel
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # BadZipFile, KeyError, InvalidFileException...: not a workbook
        raise not_excel from exc
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise not_excel
        # The first sheet whose first row names the code column; a workbook may
        # carry an instructions sheet in front of the data.
        sheet = sheets[0]
        for candidate in sheets:
            candidate.reset_dimensions()
            first = next(candidate.iter_rows(min_row=1, max_row=1, values_only=True), ())
            if any(fold(str(v)) == fold(COLUMNS[0].header) for v in first if v is not None):
                sheet = candidate
                break
        # Sizes written by some tools are wrong; read until the real end.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(min_row=1, values_only=True)
    finally:
        workbook.close()


def _csv_rows(data: bytes, filename: str) -> Iterator[Sequence[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            _(
                "Tệp CSV phải được lưu với bảng mã UTF-8 (trong Excel: Lưu thành > "
                "“CSV UTF-8”). Tệp “%(name)s” có ký tự không phải UTF-8 ở dòng %(line)d."
            )
            % {"name": filename, "line": line}
        ) from exc
    first_line = text.split("\n", 1)[0]
    # Excel set to Vietnamese saves CSV with ";" (the comma is the decimal mark):
    # take the separator that makes the most headers recognisable.
    known = {fold(column.header) for column in COLUMNS}

    def score(delimiter: str) -> int:
        headers = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(fold(h) in known for h in headers)

    delimiter = max([",", ";", "\t"], key=score)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise ImportFileError(
            _("Tệp CSV “%(name)s” không đọc được: %(reason)s") % {"name": filename, "reason": exc}
        ) from exc


def read_rows(data: bytes, filename: str) -> Iterator[Sequence[Any]]:
    if check_extension(filename) == ".csv":
        return _csv_rows(data, filename)
    return _xlsx_rows(data, filename)


def is_blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


@dataclass
class Layout:
    """Where each known column sits in the file."""

    positions: dict[str, int]
    warnings: list[str]


def map_headers(headers: Sequence[Any]) -> Layout:
    """Match the header row to ``COLUMNS``; raises ``ImportFileError`` naming the
    missing required columns or a column given twice."""
    if is_blank(headers):
        raise ImportFileError(
            _(
                "Dòng 1 phải là dòng tiêu đề với tên các cột như trong tệp mẫu, nhưng dòng 1 "
                "đang trống."
            )
        )
    by_folded = {fold(column.header): column for column in COLUMNS}
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, header in enumerate(headers):
        if header is None or not str(header).strip():
            continue
        column = by_folded.get(fold(str(header)))
        letter = get_column_letter(index + 1)
        if column is None:
            unknown.append(
                _("“%(header)s” (cột %(letter)s)")
                % {"header": str(header).strip(), "letter": letter}
            )
            continue
        if column.key in positions:
            raise ImportFileError(
                _("Cột “%(label)s” xuất hiện hai lần (cột %(first)s và cột %(second)s).")
                % {
                    "label": column.label,
                    "first": get_column_letter(positions[column.key] + 1),
                    "second": letter,
                }
            )
        positions[column.key] = index
    missing = [
        column.label for column in COLUMNS if column.required and column.key not in positions
    ]
    if missing:
        raise ImportFileError(
            _("Thiếu cột bắt buộc: %(missing)s. Dòng 1 phải chứa tên các cột như trong tệp mẫu.")
            % {"missing": ", ".join(missing)}
        )
    warnings = []
    if unknown:
        warnings.append(
            _("Bỏ qua các cột không nhận ra: %(columns)s.") % {"columns": ", ".join(unknown)}
        )
    absent = [column.label for column in COLUMNS if column.key not in positions]
    if absent:
        warnings.append(
            _("Tệp không có các cột: %(columns)s; các trường này nhận giá trị mặc định.")
            % {"columns": ", ".join(absent)}
        )
    return Layout(positions, warnings)


def read_header(rows: Iterator[Sequence[Any]]) -> Layout:
    """The layout named by the file's first row, taken from ``rows``: what is left
    of them is the data."""
    headers = next(rows, None)
    if headers is None:
        raise ImportFileError(_("Tệp không có dòng nào: cần dòng tiêu đề và các dòng thủ tục."))
    return map_headers(headers)


def check_file(stream: BinaryIO, *, filename: str) -> list[str]:
    """Quick check before a file is queued: size, type, readability, headers.

    Reads only the header row of a workbook (the rows are read by the import);
    returns the warnings about the columns, raises ``ImportFileError`` with the reason.
    """
    data = read_limited(stream)
    rows = read_rows(data, filename)
    try:
        layout = read_header(rows)
    finally:
        rows.close()
    return layout.warnings
