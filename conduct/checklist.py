"""The office-culture checklist of docs/domain.md §10 (Decision 129/2007/QĐ-TTg,
Directive 26/CT-TTg, Decision 1847/QĐ-TTg), seeded as version 1.

Later changes are made in the app (a new draft version, then publication), never
here: this list only starts the history.
"""

from django.db import transaction
from django.utils import timezone

from .models import ChecklistItem, ChecklistTemplate, ChecklistVersion, Scope, Section

TEMPLATE_CODE = "van-hoa-cong-so"
TEMPLATE_NAME = "Phiếu kiểm tra kỷ luật, kỷ cương hành chính và văn hóa công sở"

# (code, section, scope, text)
ITEMS: list[tuple[str, str, str, str]] = [
    ("KL1", Section.DISCIPLINE, Scope.OFFICER, "Có mặt tại quầy đúng giờ làm việc"),
    ("KL2", Section.DISCIPLINE, Scope.OFFICER, "Quầy có người trực trong suốt giờ tiếp nhận"),
    (
        "KL3",
        Section.DISCIPLINE,
        Scope.OFFICER,
        "Không làm việc riêng, chơi trò chơi, dùng mạng xã hội trong giờ làm việc",
    ),
    (
        "KL4",
        Section.DISCIPLINE,
        Scope.OFFICER,
        "Không uống rượu, bia trong giờ làm việc, giờ nghỉ trưa của ngày làm việc, ngày trực",
    ),
    (
        "KL5",
        Section.DISCIPLINE,
        Scope.OFFICER,
        "Không hút thuốc lá trong phòng làm việc, phòng họp, hội trường",
    ),
    ("KL6", Section.DISCIPLINE, Scope.OFFICER, "Đeo thẻ công chức trong khi thi hành công vụ"),
    ("KL7", Section.DISCIPLINE, Scope.OFFICER, "Không bỏ việc, không đùn đẩy trách nhiệm"),
    (
        "TP1",
        Section.DRESS,
        Scope.OFFICER,
        "Trang phục gọn gàng, lịch sự; mặc đồng phục theo quy định (nếu có)",
    ),
    (
        "TP2",
        Section.DRESS,
        Scope.OFFICER,
        "Thẻ công chức có tên cơ quan, ảnh, họ tên, chức danh, số hiệu",
    ),
    (
        "GT1",
        Section.COMMUNICATION,
        Scope.OFFICER,
        "Lịch sự, rõ ràng; không quát nạt, không dùng tiếng lóng",
    ),
    (
        "GT2",
        Section.COMMUNICATION,
        Scope.OFFICER,
        "Lắng nghe; hướng dẫn đầy đủ, rõ ràng trong một lần",
    ),
    (
        "GT3",
        Section.COMMUNICATION,
        Scope.OFFICER,
        "Không gây phiền hà, sách nhiễu; không gợi ý tiền, quà",
    ),
    (
        "GT4",
        Section.COMMUNICATION,
        Scope.OFFICER,
        "Không giao dịch ngoài Bộ phận một cửa; không yêu cầu giấy tờ ngoài danh mục",
    ),
    ("GT5", Section.COMMUNICATION, Scope.OFFICER, "Giao tiếp qua điện thoại đúng mực"),
    ("CS1", Section.PREMISES, Scope.PREMISES, "Quốc huy, Quốc kỳ được treo đúng quy định"),
    ("CS2", Section.PREMISES, Scope.PREMISES, "Có biển tên cơ quan"),
    ("CS3", Section.PREMISES, Scope.PREMISES, "Có biển tên quầy, biển chức danh trên bàn làm việc"),
    (
        "CS4",
        Section.PREMISES,
        Scope.PREMISES,
        "Phòng làm việc gọn gàng; không lập bàn thờ, không đun nấu",
    ),
    ("CS5", Section.PREMISES, Scope.PREMISES, "Có chỗ để xe miễn phí cho người dân"),
    (
        "CS6",
        Section.PREMISES,
        Scope.PREMISES,
        "Niêm yết thủ tục hành chính, phí, lệ phí và kênh phản ánh, kiến nghị",
    ),
    (
        "CS7",
        Section.PREMISES,
        Scope.PREMISES,
        "Máy tra cứu, mã QR và thiết bị đánh giá hoạt động",
    ),
    (
        "CS8",
        Section.PREMISES,
        Scope.PREMISES,
        "Đủ ghế ngồi, hệ thống xếp hàng, lối đi cho người khuyết tật",
    ),
    (
        "QT1",
        Section.PROCESS,
        Scope.DOSSIER,
        "Có giấy tiếp nhận và hẹn trả kết quả, mã hồ sơ và ngày hẹn hợp lệ",
    ),
    (
        "QT2",
        Section.PROCESS,
        Scope.DOSSIER,
        "Yêu cầu bổ sung không quá một lần, nêu đầy đủ trong một lần",
    ),
    ("QT3", Section.PROCESS, Scope.DOSSIER, "Văn bản xin lỗi được ban hành đúng hạn (nếu trễ)"),
    ("QT4", Section.PROCESS, Scope.DOSSIER, "Phiếu kiểm soát quá trình giải quyết đầy đủ"),
    ("QT5", Section.PROCESS, Scope.DOSSIER, "Sổ theo dõi hồ sơ được cập nhật"),
    ("QT6", Section.PROCESS, Scope.DOSSIER, "Hồ sơ giấy được số hóa"),
]


@transaction.atomic
def seed_checklist() -> ChecklistTemplate:
    """Create the checklist and its published version 1 if missing; leave the rest."""
    template, _created = ChecklistTemplate.objects.get_or_create(
        code=TEMPLATE_CODE, defaults={"name": TEMPLATE_NAME}
    )
    if not template.versions.exists():
        version = ChecklistVersion.objects.create(
            template=template,
            number=1,
            note="Theo Quyết định 129/2007/QĐ-TTg, Chỉ thị 26/CT-TTg, Quyết định 1847/QĐ-TTg",
            published_at=timezone.now(),
        )
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                version=version, code=code, section=section, scope=scope, text=text, order=i
            )
            for i, (code, section, scope, text) in enumerate(ITEMS, start=1)
        )
    return template
