"""What an import reports: the file-level refusal, each row's problem or change,
and the totals (stored on the upload job as ``ImportReport.to_dict()``)."""

from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _


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
