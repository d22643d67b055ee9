"""Rows to canonical content: each column's parser, the checks across a row and
across the file (a code or a field named twice), every problem collected with its
row number (the header is row 1) and column. Writes nothing."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ..models import Agency, Field, Procedure
from .layout import COLUMNS, COLUMNS_BY_KEY
from .parse import (
    CellError,
    parse_agencies,
    parse_bool,
    parse_code,
    parse_date,
    parse_documents,
    parse_fees,
    parse_level,
    parse_lines,
    parse_online_level,
    parse_required,
    parse_status,
    parse_text,
    parse_variants,
)
from .report import ImportFileError, RowError
from .spreadsheet import Layout, is_blank, read_header, read_rows


def _text_field(model_field: str) -> Callable[[Any], str]:
    """The parser of a free-text column stored in ``Procedure.<model_field>``."""

    def parse(value: Any) -> str:
        return parse_text(value, Procedure, model_field)

    return parse


class RowParser:
    """Turns one row into the canonical content dict, collecting every problem."""

    def __init__(self, layout: Layout, *, agency_identifiers: set[str]) -> None:
        self.layout = layout
        self.agencies = agency_identifiers
        self.parsers: dict[str, Callable[[Any], Any]] = {
            "code": parse_code,
            "name": lambda v: parse_required(v, Procedure, "name"),
            "field_code": lambda v: parse_required(v, Field, "code"),
            "field_name": lambda v: parse_required(v, Field, "name"),
            "level": parse_level,
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
            "legal_basis": parse_lines,
            "decision_number": _text_field("decision_number"),
            "decision_date": parse_date,
            "status": parse_status,
            "effective_from": parse_date,
            "effective_to": parse_date,
            "online_level": parse_online_level,
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
    rows = read_rows(data, filename)
    try:
        layout = read_header(rows)
        parser = RowParser(
            layout, agency_identifiers=set(Agency.objects.values_list("identifier", flat=True))
        )
        parsed: list[tuple[int, dict[str, Any] | None]] = []
        errors: list[RowError] = []
        code_rows: dict[str, int] = {}
        field_names: dict[str, tuple[str, int]] = {}
        for row_number, values in enumerate(rows, start=2):
            if is_blank(values):
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
