"""The cell parsers: one cell's value (as openpyxl or the CSV reader gives it) to
its value in the canonical content (``procedures.services.procedure_content``).

Each is a pure function of the cell (and, for the agencies, of the identifiers
that exist); a bad cell raises ``CellError`` with the reason in Vietnamese, which
``rows`` reports with the row and the column.
"""

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _

from ..models import (
    Fee,
    OnlineLevel,
    ProcedureLevel,
    ProcedureStatus,
    ProcedureVariant,
    RequiredDocument,
    TimeUnit,
)
from ..models.agency import AGENCY_IDENTIFIER_RE
from ..models.catalog import PROCEDURE_CODE_RE
from ..text import fold
from .layout import (
    DEFAULT_VARIANT_NAME,
    LEVEL_LABELS,
    NO,
    ONLINE_LABELS,
    STATUS_LABELS,
    UNIT_LABELS,
    YES,
)


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


class CellError(Exception):
    pass


def cell_text(value: Any) -> str:
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


def limited(text: str, model: type, name: str) -> str:
    limit = _max_length(model, name)
    if limit is not None and len(text) > limit:
        raise CellError(
            _("Dài %(length)d ký tự, tối đa %(limit)d.") % {"length": len(text), "limit": limit}
        )
    return text


def cell_lines(value: Any) -> list[str]:
    return [line.strip() for line in cell_text(value).split("\n") if line.strip()]


def parse_code(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Excel turns 1.010708 typed without a leading apostrophe into a number.
        text = f"{value:.6f}"
    else:
        text = cell_text(value)
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


def parse_required(value: Any, model: type, name: str) -> str:
    text = cell_text(value)
    if not text:
        raise CellError(_("Bắt buộc, không được để trống."))
    return limited(text, model, name)


def parse_choice(
    value: Any, choices: dict[str, str], labels: dict[str, str], default: str | None
) -> str:
    text = cell_text(value)
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
    text = fold(cell_text(value))
    if not text:
        return default
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(
        _("Giá trị “%(value)s” không hợp lệ; dùng Có hoặc Không.") % {"value": cell_text(value)}
    )


def parse_date(value: Any) -> str:
    """An ISO date string ("" when empty): what ``procedure_content`` holds."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = cell_text(value)
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
        {part.strip() for part in _AGENCY_SPLIT.split(cell_text(value)) if part.strip()}
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
    for n, line in enumerate(cell_lines(value), 1):
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
    for n, line in enumerate(cell_lines(value), 1):
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
    if fold(cell_text(value)) in NO_FEE_WORDS:
        return []
    fees = []
    for n, line in enumerate(cell_lines(value), 1):
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


def parse_text(value: Any, model: type, name: str) -> str:
    """Free text, no longer than the model's field ``name`` allows."""
    return limited(cell_text(value), model, name)


def parse_lines(value: Any) -> str:
    """One item a line, blank lines dropped (the legal basis)."""
    return "\n".join(cell_lines(value))


def parse_level(value: Any) -> str:
    return parse_choice(value, LEVELS, LEVEL_LABELS, None)


def parse_status(value: Any) -> str:
    return parse_choice(value, STATUSES, STATUS_LABELS, ProcedureStatus.PUBLISHED)


def parse_online_level(value: Any) -> str:
    return parse_choice(value, ONLINE_LEVELS, ONLINE_LABELS, OnlineLevel.NONE)
