"""Writing the good rows, idempotently: an unchanged row (same content hash) is
left alone, new codes are created in batches (``create_procedures``), a changed
row is saved in its own savepoint (``save_procedure``), so a bad row never
stops the good ones."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from ..models import Procedure, User
from ..services import (
    Outcome,
    content_hash,
    create_procedures,
    procedure_content,
    save_procedure,
)
from .layout import COLUMNS_BY_KEY
from .report import ImportReport, RowChange, RowError
from .rows import ParsedFile


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


class RowWriter:
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


def write_rows(
    parsed: ParsedFile,
    report: ImportReport,
    *,
    source: str,
    changed_by: User | None,
    progress: Callable[[int, int], None] | None,
) -> None:
    writer = RowWriter(report, source=source, changed_by=changed_by)
    total = len(parsed.rows)
    for done, (row, content) in enumerate(parsed.rows, start=1):
        if content is not None:
            writer.add(row, content)
        if done == total:
            writer.flush()
        if progress is not None:
            progress(done, total)
    report.errors.sort(key=lambda error: error.row)
