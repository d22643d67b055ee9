"""Demo data for the catalog: one province, its departments and communes, one
account per role, and the example catalog file (loaded through the real import).

Called by ``manage.py seed_demo``; creates what is missing and leaves the rest.
"""

from pathlib import Path
from typing import TextIO

from .catalog_io import import_catalog
from .models import Agency, AgencyLevel, User

PROVINCE = ("000.00.00.H56", "Ủy ban nhân dân tỉnh Khánh Hòa")
CENTRE = ("000.00.01.H56", "Trung tâm Phục vụ hành chính công tỉnh Khánh Hòa")
DEPARTMENTS = [
    ("000.17.00.H56", "Sở Tư pháp"),
    ("000.18.00.H56", "Sở Xây dựng"),
    ("000.19.00.H56", "Sở Nông nghiệp và Môi trường"),
    ("000.20.00.H56", "Sở Tài chính"),
    ("000.21.00.H56", "Sở Y tế"),
    ("000.22.00.H56", "Sở Giáo dục và Đào tạo"),
    ("000.23.00.H56", "Sở Công Thương"),
    ("000.24.00.H56", "Sở Nội vụ"),
    ("000.25.00.H56", "Sở Văn hóa, Thể thao và Du lịch"),
    ("000.26.00.H56", "Sở Khoa học và Công nghệ"),
]
COMMUNES = [
    ("000.00.21.H56", "Phường Nha Trang"),
    ("000.00.22.H56", "Phường Bắc Nha Trang"),
    ("000.00.23.H56", "Phường Tây Nha Trang"),
    ("000.00.24.H56", "Phường Nam Nha Trang"),
    ("000.00.25.H56", "Phường Cam Ranh"),
    ("000.00.26.H56", "Phường Ba Ngòi"),
    ("000.00.27.H56", "Phường Ninh Hòa"),
    ("000.00.28.H56", "Phường Đông Ninh Hòa"),
    ("000.00.29.H56", "Xã Cam Lâm"),
    ("000.00.30.H56", "Xã Suối Dầu"),
    ("000.00.31.H56", "Xã Diên Khánh"),
    ("000.00.32.H56", "Xã Diên Lạc"),
    ("000.00.33.H56", "Xã Vạn Ninh"),
    ("000.00.34.H56", "Xã Đại Lãnh"),
    ("000.00.35.H56", "Xã Khánh Vĩnh"),
    ("000.00.36.H56", "Xã Khánh Sơn"),
    ("000.00.37.H56", "Xã Trường Sa"),
    ("000.00.38.H56", "Xã Ninh Tây"),
    ("000.00.39.H56", "Xã Cam Hiệp"),
    ("000.00.40.H56", "Xã Tân Định"),
]

DEMO_PASSWORD = "motcua-demo"
# username, first name, last name, role label, agency identifier, role flags
DEMO_USERS = [
    ("canbo", "Lan", "Trần Thị", "Cán bộ tiếp nhận", "000.00.21.H56", ("clerk",)),
    ("xuly", "Minh", "Lê Văn", "Cán bộ xử lý", "000.00.21.H56", ("officer",)),
    ("truongdonvi", "Hùng", "Phạm Văn", "Lãnh đạo đơn vị", "000.00.21.H56", ("unit_head",)),
    ("lanhdaoxa", "Hoa", "Đỗ Thị", "Lãnh đạo UBND phường", "000.00.21.H56", ("leader",)),
    ("lanhdaotinh", "Quang", "Võ Minh", "Lãnh đạo UBND tỉnh", "000.00.00.H56", ("leader",)),
    ("kiemtra", "Thu", "Ngô Thị", "Cán bộ kiểm tra công vụ", "000.00.00.H56", ("inspector",)),
    ("quantri", "An", "Bùi Văn", "Quản trị hệ thống", "000.00.00.H56", ("administrator",)),
]

EXAMPLE_CATALOG = Path(__file__).resolve().parent / "examples" / "danh-muc-thu-tuc-mau.xlsx"


def _agency(identifier: str, name: str, level: str, parent: Agency | None, **extra) -> Agency:
    agency, _ = Agency.objects.get_or_create(
        identifier=identifier,
        defaults={"name": name, "level": level, "parent": parent, **extra},
    )
    return agency


def load(stdout: TextIO) -> None:
    province = _agency(
        *PROVINCE,
        AgencyLevel.PROVINCE,
        None,
        address="01 Trần Phú, phường Nha Trang, tỉnh Khánh Hòa",
        phone="0258 3822 000",
    )
    _agency(
        *CENTRE,
        AgencyLevel.PROVINCE,
        province,
        desk_name="Trung tâm Phục vụ hành chính công tỉnh",
        address="02 Hàn Thuyên, phường Nha Trang, tỉnh Khánh Hòa",
        phone="0258 3560 000",
    )
    for identifier, name in DEPARTMENTS:
        _agency(identifier, name, AgencyLevel.PROVINCE, province)
    for identifier, name in COMMUNES:
        _agency(
            identifier,
            f"Ủy ban nhân dân {name[0].lower()}{name[1:]}",
            AgencyLevel.COMMUNE,
            province,
            desk_name=f"Trung tâm phục vụ hành chính công {name[0].lower()}{name[1:]}",
            address=f"Trụ sở UBND {name[0].lower()}{name[1:]}, tỉnh Khánh Hòa",
        )
    stdout.write(f"Agencies: {Agency.objects.count()}")

    for username, first, last, title, identifier, roles in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            title=title,
            agency=Agency.objects.get(identifier=identifier),
            email=f"{username}@motcua.local",
            is_staff="administrator" in roles,
            is_superuser="administrator" in roles,
        )
        for role in roles:
            setattr(user, f"is_{role}", True)
        user.set_password(DEMO_PASSWORD)
        user.save()
    stdout.write(f"Staff accounts: {User.objects.count()}")

    # The example file goes through the real import.
    with EXAMPLE_CATALOG.open("rb") as handle:
        report = import_catalog(handle, filename=EXAMPLE_CATALOG.name, source="demo")
    stdout.write(f"Catalog: {report.summary()}")
