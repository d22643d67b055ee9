"""The indicators of Decision 766/QĐ-TTg as the dashboard scores them (docs/domain.md §8):
five groups, 100 points. Data an administrator changes in the admin when the
weights or thresholds change."""

from decimal import Decimal

from django.db import migrations

# code, group, name, max points, threshold (%) or None
INDICATORS = [
    ("catalog_published", "Công khai, minh bạch", "Thủ tục được công khai đầy đủ", 10, None),
    (
        "portal_sync",
        "Công khai, minh bạch",
        "Hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia",
        8,
        None,
    ),
    ("progress", "Tiến độ giải quyết", "Hồ sơ giải quyết đúng hạn và đang trong hạn", 20, None),
    (
        "online_procedures",
        "Dịch vụ công trực tuyến, thanh toán trực tuyến",
        "Thủ tục cung cấp dịch vụ công trực tuyến toàn trình",
        8,
        80,
    ),
    (
        "online_dossiers",
        "Dịch vụ công trực tuyến, thanh toán trực tuyến",
        "Hồ sơ nộp trực tuyến",
        8,
        50,
    ),
    (
        "online_payment",
        "Dịch vụ công trực tuyến, thanh toán trực tuyến",
        "Thanh toán trực tuyến",
        6,
        None,
    ),
    ("digitised", "Số hóa hồ sơ", "Hồ sơ được số hóa thành phần", 14, 80),
    ("data_reuse", "Số hóa hồ sơ", "Tái sử dụng dữ liệu đã số hóa", 8, None),
    (
        "satisfaction",
        "Mức độ hài lòng",
        "100% trừ tỷ lệ hồ sơ quá hạn và bị phản ánh, không hài lòng",
        12,
        90,
    ),
    ("feedback_on_time", "Mức độ hài lòng", "Phản ánh, kiến nghị được xử lý đúng hạn", 6, None),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("desk", "Indicator")
    for order, (code, group, name, points, threshold) in enumerate(INDICATORS):
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "group": group,
                "name": name,
                "max_points": Decimal(points),
                "threshold": None if threshold is None else Decimal(threshold),
                "order": order,
            },
        )
