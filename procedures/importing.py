"""Import of the procedure catalog from XLSX or CSV (nhập danh mục thủ tục).

One row per procedure, one column per part of it, in the layout of ``COLUMNS``
(the export in procedures/exporting.py writes the same layout, so an exported
file imports with no change). Each row becomes the canonical content dict of
``procedures.services.procedure_content``. A row whose content hash matches the
stored one is left alone (importing the same file twice changes nothing), a
changed row goes through ``save_procedure`` (which records the revision), and
new codes are created in batches by ``create_procedures`` (same result, a
fixed number of queries: a province's first 2,000 rows load in seconds).

Bad rows never stop good ones (each changed row is written in its own
savepoint, a failed batch is redone row by row) unless the caller asks for
all-or-nothing. Every problem is reported with the
spreadsheet row number (the header is row 1), the column and a reason in
Vietnamese. Problems with the file as a whole (unreadable, wrong headers, too
large) raise ``ImportFileError`` before anything is written.

Callers: the ``import_procedures`` command, the upload page's Celery task
(procedures/tasks.py), the demo loader (procedures/demo.py), bench/.
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .models import (
    Agency,
    Fee,
    Field,
    OnlineLevel,
    Procedure,
    ProcedureLevel,
    ProcedureStatus,
    ProcedureVariant,
    RequiredDocument,
    TimeUnit,
    User,
)
from .models.agency import AGENCY_IDENTIFIER_RE
from .models.catalog import PROCEDURE_CODE_RE
from .services import (
    Outcome,
    content_hash,
    create_procedures,
    procedure_content,
    save_procedure,
)
from .text import fold

# ---------------------------------------------------------------- the layout


@dataclass(frozen=True)
class Column:
    """One column of the catalog file. ``header`` is written by the export and
    matched on import ignoring case, diacritics, spaces and the "*" marker."""

    key: str
    header: str
    required: bool = False
    syntax: str = ""

    @property
    def label(self) -> str:
        return self.header.removesuffix(" *")


# The file layout, in export order. Headers are fixed Vietnamese text (not
# translated): a file exported from an English session must import anywhere.
COLUMNS: list[Column] = [
    Column(
        "code", "Mã thủ tục *", True, gettext_lazy("Một chữ số, dấu chấm, sáu chữ số: 1.010708")
    ),
    Column("name", "Tên thủ tục *", True),
    Column("field_code", "Mã lĩnh vực *", True),
    Column("field_name", "Tên lĩnh vực *", True),
    Column("level", "Cấp thực hiện *", True, gettext_lazy("Cấp tỉnh, Cấp xã hoặc Cấp trung ương")),
    Column("is_interlevel", "Liên thông", syntax=gettext_lazy("Có/Không; để trống là Không")),
    Column("implementing_body", "Cơ quan thực hiện"),
    Column(
        "agencies",
        "Mã cơ quan thực hiện",
        syntax=gettext_lazy("Mã định danh, cách nhau bởi dấu ; hoặc xuống dòng"),
    ),
    Column("steps", "Trình tự thực hiện"),
    Column("accepts_at_desk", "Nộp trực tiếp", syntax=gettext_lazy("Có/Không; để trống là Có")),
    Column("accepts_by_post", "Nộp qua bưu chính", syntax=gettext_lazy("Có/Không")),
    Column("accepts_online", "Nộp trực tuyến", syntax=gettext_lazy("Có/Không")),
    Column("filing_notes", "Ghi chú cách thức"),
    Column(
        "documents",
        "Thành phần hồ sơ",
        syntax=gettext_lazy(
            "Mỗi dòng: Tên giấy tờ | bản chính | bản sao chứng thực | bản sao | mẫu"
        ),
    ),
    Column(
        "variants",
        "Thời hạn giải quyết *",
        True,
        gettext_lazy(
            "Mỗi dòng: Tên trường hợp | số | đơn vị (ngày làm việc, ngày, giờ làm việc, "
            "trả ngay); dòng đầu là trường hợp mặc định"
        ),
    ),
    Column("applicants", "Đối tượng thực hiện"),
    Column("result", "Kết quả thực hiện"),
    Column("result_form", "Mẫu kết quả"),
    Column(
        "fees",
        "Phí, lệ phí",
        syntax=gettext_lazy("Mỗi dòng: Tên | số tiền (đồng) | miễn giảm"),
    ),
    Column("conditions", "Yêu cầu, điều kiện"),
    Column("application_forms", "Mẫu đơn, tờ khai"),
    Column("legal_basis", "Căn cứ pháp lý", syntax=gettext_lazy("Mỗi văn bản một dòng")),
    Column("decision_number", "Số quyết định công bố"),
    Column("decision_date", "Ngày quyết định công bố", syntax=gettext_lazy("dd/mm/yyyy")),
    Column(
        "status",
        "Tình trạng",
        syntax=gettext_lazy("Đang áp dụng, Được sửa đổi, bổ sung hoặc Đã bãi bỏ"),
    ),
    Column("effective_from", "Ngày có hiệu lực", syntax=gettext_lazy("dd/mm/yyyy")),
    Column("effective_to", "Ngày hết hiệu lực", syntax=gettext_lazy("dd/mm/yyyy")),
    Column(
        "online_level",
        "Mức độ DVC trực tuyến",
        syntax=gettext_lazy("Toàn trình, Một phần hoặc Không"),
    ),
    Column("file_anywhere", "Tiếp nhận không phụ thuộc địa giới", syntax=gettext_lazy("Có/Không")),
    Column(
        "restart_term_after_supplement",
        "Tính lại thời hạn sau bổ sung",
        syntax=gettext_lazy("Có/Không"),
    ),
]
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
HEADERS = [column.header for column in COLUMNS]
SUPPORTED_EXTENSIONS = (".xlsx", ".csv")

# Values the export writes; the parsers below accept these and a few synonyms.
YES, NO = "Có", "Không"
LEVEL_LABELS = {
    ProcedureLevel.PROVINCE: "Cấp tỉnh",
    ProcedureLevel.COMMUNE: "Cấp xã",
    ProcedureLevel.CENTRAL: "Cấp trung ương",
}
STATUS_LABELS = {
    ProcedureStatus.PUBLISHED: "Đang áp dụng",
    ProcedureStatus.AMENDED: "Được sửa đổi, bổ sung",
    ProcedureStatus.ABOLISHED: "Đã bãi bỏ",
}
ONLINE_LABELS = {
    OnlineLevel.FULL: "Toàn trình",
    OnlineLevel.PARTIAL: "Một phần",
    OnlineLevel.NONE: "Không",
}
UNIT_LABELS = {
    TimeUnit.WORKING_DAYS: "ngày làm việc",
    TimeUnit.CALENDAR_DAYS: "ngày",
    TimeUnit.WORKING_HOURS: "giờ làm việc",
    TimeUnit.IMMEDIATE: "trả ngay",
}
DEFAULT_VARIANT_NAME = "Trường hợp thông thường"


def _choices(labels: dict[str, str], *synonyms: tuple[str, str]) -> dict[str, str]:
    """Folded spelling -> stored value: the export label, the stored value, the
    model's label and any synonyms."""
    found: dict[str, str] = {}
    for value, label in labels.items():
        found[fold(label)] = value
        found[fold(str(value))] = value
        found[fold(str(value.label))] = value
    for spelling, value in synonyms:
        found[fold(spelling)] = value
    return found


LEVELS = _choices(
    LEVEL_LABELS,
    ("tỉnh", ProcedureLevel.PROVINCE),
    ("xã", ProcedureLevel.COMMUNE),
    ("cấp phường", ProcedureLevel.COMMUNE),
    ("trung ương", ProcedureLevel.CENTRAL),
)
STATUSES = _choices(
    STATUS_LABELS,
    ("sửa đổi, bổ sung", ProcedureStatus.AMENDED),
    ("bãi bỏ", ProcedureStatus.ABOLISHED),
    ("còn hiệu lực", ProcedureStatus.PUBLISHED),
)
ONLINE_LEVELS = _choices(
    ONLINE_LABELS,
    ("mức độ 4", OnlineLevel.FULL),
    ("mức độ 3", OnlineLevel.PARTIAL),
    ("mức độ 2", OnlineLevel.NONE),
    ("không có", OnlineLevel.NONE),
)
UNITS = _choices(
    UNIT_LABELS,
    ("ngày lịch", TimeUnit.CALENDAR_DAYS),
    ("giờ", TimeUnit.WORKING_HOURS),
    ("trả kết quả ngay", TimeUnit.IMMEDIATE),
)
TRUE_WORDS = {"co", "x", "1", "true", "yes", "y", "c", "dung"}
FALSE_WORDS = {"khong", "0", "false", "no", "n", "k", "sai"}
NO_FEE_WORDS = {"khong", "khong co", "mien phi", "khong thu", "khong thu phi le phi", "0"}

_CODE = re.compile(PROCEDURE_CODE_RE)
_AGENCY = re.compile(AGENCY_IDENTIFIER_RE)
_AGENCY_SPLIT = re.compile(r"[;,\n]+")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_AMOUNT = re.compile(r"^(?:\d{1,3}(?:[.,]\d{3})+|\d+)$")
_CURRENCY = re.compile(r"\s*(?:đồng|đ|vnđ|vnd)\.?$", re.IGNORECASE)
_NUMBER_THEN_UNIT = re.compile(r"^(\d+)\s*(.*)$")


def _max_length(model: type, name: str) -> int | None:
    return model._meta.get_field(name).max_length


# ---------------------------------------------------------------- report


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class RowChange:
    row: int
    code: str
    outcome: str
    changed_fields: list[str]


@dataclass
class ImportReport:
    filename: str
    dry_run: bool = False
    all_or_nothing: bool = False
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # True when all-or-nothing found a bad row and therefore wrote nothing.
    rolled_back: bool = False
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Created and updated rows only; an unchanged row needs no line of its own.
    changes: list[RowChange] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len({error.row for error in self.errors})

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.rolled_back

    def summary(self) -> str:
        counts = _(
            "Tạo mới %(created)d, cập nhật %(updated)d, không đổi %(unchanged)d, lỗi %(failed)d"
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": self.failed,
        }
        if self.rolled_back:
            return _(
                "Không ghi thủ tục nào vì có %(failed)d dòng lỗi (chỉ ghi khi tất cả các dòng hợp lệ)."
            ) % {"failed": self.failed}
        if self.dry_run:
            return _("Chạy thử, không ghi gì. Nếu nhập thật: %(counts)s.") % {
                "counts": counts[0].lower() + counts[1:]
            }
        if not self.created and not self.updated and not self.failed:
            return _("%(counts)s. Danh mục không có thay đổi nào.") % {"counts": counts}
        return f"{counts}."

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["failed"] = self.failed
        data["summary"] = self.summary()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ImportReport":
        values = {key: data[key] for key in cls.__dataclass_fields__ if key in data}
        values["errors"] = [RowError(**e) for e in data.get("errors", [])]
        values["changes"] = [RowChange(**c) for c in data.get("changes", [])]
        return cls(**values)


# ---------------------------------------------------------------- reading files


def _read_limited(stream: BinaryIO) -> bytes:
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


def _rows(data: bytes, filename: str) -> Iterator[Sequence[Any]]:
    if check_extension(filename) == ".csv":
        return _csv_rows(data, filename)
    return _xlsx_rows(data, filename)


def _is_blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


@dataclass
class Layout:
    """Where each known column sits in the file."""

    positions: dict[str, int]
    warnings: list[str]


def map_headers(headers: Sequence[Any]) -> Layout:
    """Match the header row to ``COLUMNS``; raises ``ImportFileError`` naming the
    missing required columns or a column given twice."""
    if _is_blank(headers):
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


def check_file(stream: BinaryIO, *, filename: str) -> list[str]:
    """Quick check before a file is queued: size, type, readability, headers.

    Reads only the header row of a workbook (the rows are read by the import);
    returns the warnings about the columns, raises ``ImportFileError`` with the reason.
    """
    data = _read_limited(stream)
    rows = _rows(data, filename)
    try:
        headers = next(rows, None)
        if headers is None:
            raise ImportFileError(_("Tệp không có dòng nào: cần dòng tiêu đề và các dòng thủ tục."))
        layout = map_headers(headers)
    finally:
        rows.close()
    return layout.warnings


# ---------------------------------------------------------------- cells


class CellError(Exception):
    pass


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _limited(text: str, model: type, name: str) -> str:
    limit = _max_length(model, name)
    if limit is not None and len(text) > limit:
        raise CellError(
            _("Dài %(length)d ký tự, tối đa %(limit)d.") % {"length": len(text), "limit": limit}
        )
    return text


def _lines(value: Any) -> list[str]:
    return [line.strip() for line in _text(value).split("\n") if line.strip()]


def parse_code(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Excel turns 1.010708 typed without a leading apostrophe into a number.
        text = f"{value:.6f}"
    else:
        text = _text(value)
    if not text:
        raise CellError(_("Thiếu mã thủ tục."))
    if not _CODE.match(text):
        raise CellError(
            _(
                "Mã thủ tục “%(value)s” không đúng dạng: một chữ số, dấu chấm và sáu chữ số, "
                "ví dụ 1.010708."
            )
            % {"value": text}
        )
    return text


def _required(value: Any, model: type, name: str) -> str:
    text = _text(value)
    if not text:
        raise CellError(_("Bắt buộc, không được để trống."))
    return _limited(text, model, name)


def _choice(
    value: Any, choices: dict[str, str], labels: dict[str, str], default: str | None
) -> str:
    text = _text(value)
    if not text:
        if default is None:
            raise CellError(_("Bắt buộc, không được để trống."))
        return default
    found = choices.get(fold(text))
    if found is None:
        raise CellError(
            _("Giá trị “%(value)s” không hợp lệ; dùng một trong: %(allowed)s.")
            % {"value": text, "allowed": ", ".join(labels.values())}
        )
    return str(found)


def parse_bool(value: Any, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    text = fold(_text(value))
    if not text:
        return default
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(
        _("Giá trị “%(value)s” không hợp lệ; dùng Có hoặc Không.") % {"value": _text(value)}
    )


def parse_date(value: Any) -> str:
    """An ISO date string ("" when empty): what ``procedure_content`` holds."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _text(value)
    if not text:
        return ""
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise CellError(
            _("Ngày “%(value)s” không đúng dạng ngày/tháng/năm (dd/mm/yyyy).") % {"value": text}
        )
    try:
        date = dt.date(year, month, day)
    except ValueError as exc:
        raise CellError(_("Ngày “%(value)s” không có thật.") % {"value": text}) from exc
    if not 1900 <= date.year <= 2200:
        raise CellError(_("Năm của ngày “%(value)s” không hợp lý.") % {"value": text})
    return date.isoformat()


def parse_agencies(value: Any, known: set[str]) -> list[str]:
    identifiers = sorted(
        {part.strip() for part in _AGENCY_SPLIT.split(_text(value)) if part.strip()}
    )
    malformed = [i for i in identifiers if not _AGENCY.match(i)]
    if malformed:
        raise CellError(
            _("Mã định danh không đúng dạng NNN.NN.NN.Xnn: %(values)s.")
            % {"values": ", ".join(malformed)}
        )
    unknown = [i for i in identifiers if i not in known]
    if unknown:
        raise CellError(
            _("Không có cơ quan nào có mã định danh: %(values)s.") % {"values": ", ".join(unknown)}
        )
    return identifiers


def _count(text: str, n: int) -> int:
    if not text:
        return 0
    if not text.isdigit():
        raise CellError(
            _("Giấy tờ thứ %(n)d: số bản “%(value)s” phải là số nguyên không âm.")
            % {"n": n, "value": text}
        )
    number = int(text)
    if number > 32767:
        raise CellError(_("Giấy tờ thứ %(n)d: số bản quá lớn.") % {"n": n})
    return number


def parse_documents(value: Any) -> list[dict[str, Any]]:
    documents = []
    for n, line in enumerate(_lines(value), 1):
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > 5:
            raise CellError(
                _(
                    "Giấy tờ thứ %(n)d có quá nhiều dấu |; dạng đúng: Tên giấy tờ | bản chính | "
                    "bản sao chứng thực | bản sao | mẫu."
                )
                % {"n": n}
            )
        name = parts[0]
        if not name:
            raise CellError(_("Giấy tờ thứ %(n)d: thiếu tên giấy tờ.") % {"n": n})
        counts = [*parts[1:4], "", "", ""][:3]
        form_name = parts[4] if len(parts) > 4 else ""
        if not any(counts):
            originals, certified, copies = 1, 0, 0
        else:
            originals, certified, copies = (_count(c, n) for c in counts)
        for text, model_field in ((name, "name"), (form_name, "form_name")):
            if len(text) > _max_length(RequiredDocument, model_field):
                raise CellError(
                    _("Giấy tờ thứ %(n)d: “%(value)s…” quá dài.") % {"n": n, "value": text[:40]}
                )
        documents.append(
            {
                "name": name,
                "originals": originals,
                "certified_copies": certified,
                "copies": copies,
                "form_name": form_name,
            }
        )
    return documents


def _time_limit(parts: list[str], n: int) -> tuple[int, str]:
    """(value, unit) from what follows the variant's name."""
    parts = [part for part in parts if part]
    number_text, unit_text = "", ""
    if len(parts) == 2:
        number_text, unit_text = parts
    elif len(parts) == 1:
        match = _NUMBER_THEN_UNIT.match(parts[0])
        number_text, unit_text = (match.group(1), match.group(2)) if match else ("", parts[0])
    elif len(parts) > 2:
        raise CellError(
            _("Trường hợp thứ %(n)d có quá nhiều dấu |; dạng đúng: Tên trường hợp | số | đơn vị.")
            % {"n": n}
        )
    allowed = ", ".join(UNIT_LABELS.values())
    if not unit_text:
        raise CellError(
            _("Trường hợp thứ %(n)d: thiếu đơn vị thời hạn (%(allowed)s).")
            % {"n": n, "allowed": allowed}
        )
    unit = UNITS.get(fold(unit_text))
    if unit is None:
        raise CellError(
            _("Trường hợp thứ %(n)d: đơn vị “%(value)s” không hợp lệ; dùng một trong: %(allowed)s.")
            % {"n": n, "value": unit_text, "allowed": allowed}
        )
    if number_text and not number_text.isdigit():
        raise CellError(
            _("Trường hợp thứ %(n)d: thời hạn “%(value)s” phải là số nguyên.")
            % {"n": n, "value": number_text}
        )
    number = int(number_text) if number_text else 0
    if unit != TimeUnit.IMMEDIATE and number <= 0:
        raise CellError(
            _("Trường hợp thứ %(n)d: thiếu số %(unit)s (chỉ “trả ngay” không cần số).")
            % {"n": n, "unit": UNIT_LABELS[unit]}
        )
    return number, str(unit)


def parse_variants(value: Any) -> list[dict[str, Any]]:
    variants = []
    for n, line in enumerate(_lines(value), 1):
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 1:
            # "15 ngày làm việc" alone: a procedure without named cases.
            name, rest = DEFAULT_VARIANT_NAME, parts
        else:
            name, rest = parts[0] or DEFAULT_VARIANT_NAME, parts[1:]
        number, unit = _time_limit(rest, n)
        if len(name) > _max_length(ProcedureVariant, "name"):
            raise CellError(_("Trường hợp thứ %(n)d: tên quá dài.") % {"n": n})
        variants.append(
            {"name": name, "time_value": number, "time_unit": unit, "is_default": n == 1}
        )
    if not variants:
        raise CellError(
            _(
                "Bắt buộc: ghi ít nhất một thời hạn, ví dụ “Trường hợp thông thường | 5 | ngày làm việc”."
            )
        )
    return variants


def parse_amount(text: str) -> int | None:
    """Whole đồng from "8.000", "8,000", "8000 đồng"; ``None`` if not a sum of money."""
    text = _CURRENCY.sub("", text.strip()).strip().replace(" ", "")
    if not text:
        return 0
    if not _AMOUNT.match(text):
        return None
    return int(re.sub(r"[.,]", "", text))


def parse_fees(value: Any) -> list[dict[str, Any]]:
    if fold(_text(value)) in NO_FEE_WORDS:
        return []
    fees = []
    for n, line in enumerate(_lines(value), 1):
        parts = [part.strip() for part in line.split("|")]
        name = parts[0]
        if not name or (len(parts) == 1 and parse_amount(name) is not None):
            raise CellError(
                _("Phí thứ %(n)d: thiếu tên; dạng đúng: Tên | số tiền | miễn giảm.") % {"n": n}
            )
        amount = parse_amount(parts[1]) if len(parts) > 1 else 0
        if amount is None:
            raise CellError(
                _(
                    "Phí thứ %(n)d: số tiền “%(value)s” không hợp lệ; ghi số đồng, ví dụ 8.000 "
                    "(dấu chấm hoặc phẩy ngăn cách hàng nghìn)."
                )
                % {"n": n, "value": parts[1]}
            )
        if amount >= 10**14:
            raise CellError(_("Phí thứ %(n)d: số tiền quá lớn.") % {"n": n})
        if len(name) > _max_length(Fee, "name"):
            raise CellError(_("Phí thứ %(n)d: tên quá dài.") % {"n": n})
        fees.append({"name": name, "amount": amount, "exemptions": " | ".join(parts[2:])})
    return fees


# ---------------------------------------------------------------- rows -> content


def _text_field(model_field: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        return _limited(_text(value), Procedure, model_field)

    return parse


class RowParser:
    """Turns one row into the canonical content dict, collecting every problem."""

    def __init__(self, layout: Layout, *, agency_identifiers: set[str]) -> None:
        self.layout = layout
        self.agencies = agency_identifiers
        self.parsers: dict[str, Callable[[Any], Any]] = {
            "code": parse_code,
            "name": lambda v: _required(v, Procedure, "name"),
            "field_code": lambda v: _required(v, Field, "code"),
            "field_name": lambda v: _required(v, Field, "name"),
            "level": lambda v: _choice(v, LEVELS, LEVEL_LABELS, None),
            "is_interlevel": lambda v: parse_bool(v, False),
            "implementing_body": _text_field("implementing_body"),
            "agencies": lambda v: parse_agencies(v, self.agencies),
            "steps": _text_field("steps"),
            "accepts_at_desk": lambda v: parse_bool(v, True),
            "accepts_by_post": lambda v: parse_bool(v, False),
            "accepts_online": lambda v: parse_bool(v, False),
            "filing_notes": _text_field("filing_notes"),
            "documents": parse_documents,
            "variants": parse_variants,
            "applicants": _text_field("applicants"),
            "result": _text_field("result"),
            "result_form": _text_field("result_form"),
            "fees": parse_fees,
            "conditions": _text_field("conditions"),
            "application_forms": _text_field("application_forms"),
            "legal_basis": lambda v: "\n".join(_lines(v)),
            "decision_number": _text_field("decision_number"),
            "decision_date": parse_date,
            "status": lambda v: _choice(v, STATUSES, STATUS_LABELS, ProcedureStatus.PUBLISHED),
            "effective_from": parse_date,
            "effective_to": parse_date,
            "online_level": lambda v: _choice(v, ONLINE_LEVELS, ONLINE_LABELS, OnlineLevel.NONE),
            "file_anywhere": lambda v: parse_bool(v, False),
            "restart_term_after_supplement": lambda v: parse_bool(v, False),
        }

    def parse(self, row: int, values: Sequence[Any]) -> tuple[dict[str, Any], list[RowError]]:
        content: dict[str, Any] = {}
        errors: list[RowError] = []
        for column in COLUMNS:
            position = self.layout.positions.get(column.key)
            value = values[position] if position is not None and position < len(values) else None
            try:
                content[column.key] = self.parsers[column.key](value)
            except CellError as exc:
                errors.append(RowError(row, column.label, str(exc)))
        if (
            not errors
            and content["effective_to"]
            and content["effective_from"]
            and content["effective_to"] < content["effective_from"]
        ):
            errors.append(
                RowError(
                    row,
                    COLUMNS_BY_KEY["effective_to"].label,
                    _("Ngày hết hiệu lực trước ngày có hiệu lực."),
                )
            )
        return content, errors


@dataclass
class ParsedFile:
    rows: list[tuple[int, dict[str, Any] | None]]  # (row number, content or None if bad)
    errors: list[RowError]
    warnings: list[str]


def parse_file(data: bytes, *, filename: str) -> ParsedFile:
    """Read and check every row; writes nothing."""
    rows = _rows(data, filename)
    try:
        headers = next(rows, None)
        if headers is None:
            raise ImportFileError(_("Tệp không có dòng nào: cần dòng tiêu đề và các dòng thủ tục."))
        layout = map_headers(headers)
        parser = RowParser(
            layout, agency_identifiers=set(Agency.objects.values_list("identifier", flat=True))
        )
        parsed: list[tuple[int, dict[str, Any] | None]] = []
        errors: list[RowError] = []
        code_rows: dict[str, int] = {}
        field_names: dict[str, tuple[str, int]] = {}
        for row_number, values in enumerate(rows, start=2):
            if _is_blank(values):
                continue
            content, row_errors = parser.parse(row_number, values)
            code = content.get("code")
            if code:
                if code in code_rows:
                    row_errors.append(
                        RowError(
                            row_number,
                            COLUMNS_BY_KEY["code"].label,
                            _("Mã thủ tục %(code)s trùng với dòng %(row)d.")
                            % {"code": code, "row": code_rows[code]},
                        )
                    )
                else:
                    code_rows[code] = row_number
            field_code, field_name = content.get("field_code"), content.get("field_name")
            if field_code and field_name:
                seen = field_names.setdefault(field_code, (field_name, row_number))
                if seen[0] != field_name:
                    row_errors.append(
                        RowError(
                            row_number,
                            COLUMNS_BY_KEY["field_name"].label,
                            _("Lĩnh vực %(code)s đã có tên “%(name)s” ở dòng %(row)d.")
                            % {"code": field_code, "name": seen[0], "row": seen[1]},
                        )
                    )
            errors.extend(row_errors)
            parsed.append((row_number, None if row_errors else content))
    finally:
        rows.close()
    if not parsed:
        raise ImportFileError(_("Tệp chỉ có dòng tiêu đề, không có thủ tục nào."))
    return ParsedFile(parsed, errors, layout.warnings)


# ---------------------------------------------------------------- writing


def _validation_message(exc: ValidationError) -> tuple[str, str]:
    """(column label, message) for a model validation error from ``save_procedure``."""
    if hasattr(exc, "error_dict"):
        name, errors = next(iter(exc.error_dict.items()))
        column = COLUMNS_BY_KEY.get(name)
        return (column.label if column else name), " ".join(e.messages[0] for e in errors)
    return "", " ".join(exc.messages)


# New procedures are created this many at a time (services.create_procedures):
# enough to spread the queries thin, few enough for the progress bar to move.
CREATE_BATCH = 250


def _record(
    report: ImportReport, row: int, code: str, outcome: Outcome, changed: list[str]
) -> None:
    if outcome == Outcome.CREATED:
        report.created += 1
    elif outcome == Outcome.UPDATED:
        report.updated += 1
    else:
        report.unchanged += 1
        return
    report.changes.append(RowChange(row, code, str(outcome), changed))


class _Writer:
    """Sends each good row where it belongs: unchanged rows nowhere (their hash is
    known from one query), new rows to ``create_procedures`` in batches, changed
    rows to ``save_procedure`` one by one. A dry run only classifies them."""

    def __init__(self, report: ImportReport, *, source: str, changed_by: User | None) -> None:
        self.report = report
        self.source = source
        self.changed_by = changed_by
        self.existing = {
            code: (pk, stored)
            for pk, code, stored in Procedure.objects.values_list("pk", "code", "content_hash")
        }
        self.new_rows: list[tuple[int, dict[str, Any]]] = []

    def add(self, row: int, content: dict[str, Any]) -> None:
        found = self.existing.get(content["code"])
        if found is None:
            if self.report.dry_run:
                _record(self.report, row, content["code"], Outcome.CREATED, sorted(content))
                return
            self.new_rows.append((row, content))
            if len(self.new_rows) >= CREATE_BATCH:
                self.flush()
        elif found[1] == content_hash(content):
            # What save_procedure would answer, without a query per unchanged row.
            _record(self.report, row, content["code"], Outcome.UNCHANGED, [])
        elif self.report.dry_run:
            self.predict(row, content, found[0])
        else:
            self.save_one(row, content)

    def predict(self, row: int, content: dict[str, Any], pk: int) -> None:
        procedure = (
            Procedure.objects.select_related("field")
            .prefetch_related("agencies", "variants", "documents", "fees")
            .get(pk=pk)
        )
        old = procedure_content(procedure)
        changed = sorted(key for key in content if old.get(key) != content.get(key))
        outcome = Outcome.UPDATED if changed else Outcome.UNCHANGED
        _record(self.report, row, content["code"], outcome, changed)

    def flush(self) -> None:
        batch, self.new_rows = self.new_rows, []
        if not batch:
            return
        try:
            with transaction.atomic():
                create_procedures(
                    contents=[content for _row, content in batch],
                    source=self.source,
                    changed_by=self.changed_by,
                )
        except (ValidationError, DatabaseError):
            # One bad row spoils its batch (e.g. a code created meanwhile by someone
            # else): redo the batch row by row so that only that row fails.
            for row, content in batch:
                self.save_one(row, content)
        else:
            for row, content in batch:
                _record(self.report, row, content["code"], Outcome.CREATED, sorted(content))

    def save_one(self, row: int, content: dict[str, Any]) -> None:
        try:
            # Its own savepoint: a row that fails here leaves the others intact.
            with transaction.atomic():
                result = save_procedure(
                    content=content, source=self.source, changed_by=self.changed_by
                )
        except ValidationError as exc:
            column, message = _validation_message(exc)
            self.report.errors.append(RowError(row, column, message))
        except DatabaseError as exc:
            self.report.errors.append(
                RowError(row, "", _("Lỗi cơ sở dữ liệu: %(reason)s") % {"reason": exc})
            )
        else:
            _record(self.report, row, content["code"], result.outcome, result.changed_fields)


def _write_rows(
    parsed: ParsedFile,
    report: ImportReport,
    *,
    source: str,
    changed_by: User | None,
    progress: Callable[[int, int], None] | None,
) -> None:
    writer = _Writer(report, source=source, changed_by=changed_by)
    total = len(parsed.rows)
    for done, (row, content) in enumerate(parsed.rows, start=1):
        if content is not None:
            writer.add(row, content)
        if done == total:
            writer.flush()
        if progress is not None:
            progress(done, total)
    report.errors.sort(key=lambda error: error.row)


def import_catalog(
    stream: BinaryIO,
    *,
    filename: str,
    source: str | None = None,
    dry_run: bool = False,
    all_or_nothing: bool = False,
    changed_by: User | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import the catalog file ``stream`` (named ``filename``: .xlsx or .csv).

    ``source`` labels the revisions written (default "import: <filename>").
    ``dry_run`` writes nothing and reports what an import would do.
    ``all_or_nothing`` writes nothing unless every row is good.
    ``progress(done, total)`` is called after each data row.
    Raises ``ImportFileError`` when the file as a whole is unusable.
    """
    filename = Path(filename).name
    report = ImportReport(filename=filename, dry_run=dry_run, all_or_nothing=all_or_nothing)
    parsed = parse_file(_read_limited(stream), filename=filename)
    report.total = len(parsed.rows)
    report.errors.extend(parsed.errors)
    report.warnings.extend(parsed.warnings)
    if progress is not None:
        progress(0, report.total)
    source = source or f"import: {filename}"
    if all_or_nothing and report.errors and not dry_run:
        report.rolled_back = True
        if progress is not None:
            progress(report.total, report.total)
        return report
    if all_or_nothing and not dry_run:
        with transaction.atomic():
            _write_rows(parsed, report, source=source, changed_by=changed_by, progress=progress)
            if report.errors:
                # A row the checks let through failed at the database: undo them all.
                transaction.set_rollback(True)
                report.rolled_back = True
                report.created = report.updated = report.unchanged = 0
                report.changes = []
        return report
    _write_rows(parsed, report, source=source, changed_by=changed_by, progress=progress)
    return report
