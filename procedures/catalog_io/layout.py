"""The catalog file's layout: its columns, in export order, and the words its
cells use for the catalog's choices. The import (``spreadsheet``, ``parse``,
``rows``) reads it and the export (``export``) writes it, so an exported file
imports with no change."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from ..models import OnlineLevel, ProcedureLevel, ProcedureStatus, TimeUnit


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
