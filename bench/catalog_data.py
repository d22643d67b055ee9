"""A realistic, reproducible catalog for benchmarks: ``generate_procedures(n)``.

Each item is a canonical content dict (the shape of
``procedures.services.procedure_content``), so it can be saved with
``procedures.services.save_procedure`` or written to an import workbook. Names
are built from real Vietnamese procedure names and their usual variations, so
that searches such as "đăng ký khai sinh" or "cap phep xay dung" hit the way
they would on a province's real catalog (about 1,500-2,000 procedures).

The agencies referred to are the demo province's (``procedures.demo``); call
``ensure_agencies()`` before saving.
"""

from __future__ import annotations

import random
from typing import Any

# (field code, field name, level, base names). Levels follow practice: civil
# status and certification at the commune, licences at the province.
FIELDS: list[tuple[str, str, str, list[str]]] = [
    (
        "HT",
        "Hộ tịch",
        "commune",
        [
            "Đăng ký khai sinh",
            "Đăng ký kết hôn",
            "Đăng ký khai tử",
            "Đăng ký nhận cha, mẹ, con",
            "Đăng ký giám hộ",
            "Đăng ký chấm dứt giám hộ",
            "Thay đổi, cải chính, bổ sung thông tin hộ tịch",
            "Cấp bản sao trích lục hộ tịch",
            "Cấp giấy xác nhận tình trạng hôn nhân",
            "Đăng ký lại khai sinh",
            "Đăng ký lại kết hôn",
            "Đăng ký lại khai tử",
            "Ghi vào Sổ hộ tịch việc hộ tịch đã giải quyết ở nước ngoài",
        ],
    ),
    (
        "CT",
        "Chứng thực",
        "commune",
        [
            "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
            "Chứng thực chữ ký trong các giấy tờ, văn bản",
            "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
            "Chứng thực di chúc",
            "Chứng thực văn bản thỏa thuận phân chia di sản",
            "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
            "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực",
        ],
    ),
    (
        "DD",
        "Đất đai",
        "province",
        [
            "Đăng ký đất đai, tài sản gắn liền với đất lần đầu",
            "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
            "Đăng ký biến động quyền sử dụng đất",
            "Chuyển mục đích sử dụng đất",
            "Gia hạn sử dụng đất",
            "Tách thửa hoặc hợp thửa đất",
            "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
            "Cấp lại Giấy chứng nhận quyền sử dụng đất do bị mất",
            "Đính chính Giấy chứng nhận đã cấp",
            "Xóa đăng ký cho thuê, cho thuê lại quyền sử dụng đất",
        ],
    ),
    (
        "XD",
        "Xây dựng",
        "province",
        [
            "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
            "Cấp giấy phép xây dựng sửa chữa, cải tạo công trình",
            "Cấp giấy phép di dời công trình",
            "Điều chỉnh giấy phép xây dựng",
            "Gia hạn giấy phép xây dựng",
            "Cấp lại giấy phép xây dựng",
            "Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng",
            "Cấp chứng chỉ hành nghề hoạt động xây dựng",
        ],
    ),
    (
        "KD",
        "Thành lập và hoạt động doanh nghiệp",
        "province",
        [
            "Đăng ký thành lập doanh nghiệp tư nhân",
            "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên",
            "Đăng ký thành lập công ty cổ phần",
            "Đăng ký thay đổi người đại diện theo pháp luật",
            "Đăng ký thay đổi vốn điều lệ",
            "Thông báo tạm ngừng kinh doanh",
            "Giải thể doanh nghiệp",
            "Đăng ký hộ kinh doanh",
            "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
            "Chấm dứt hoạt động hộ kinh doanh",
        ],
    ),
    (
        "GD",
        "Giáo dục và Đào tạo",
        "province",
        [
            "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
            "Chỉnh sửa nội dung văn bằng, chứng chỉ",
            "Cho phép trường trung học phổ thông hoạt động giáo dục",
            "Thành lập trung tâm ngoại ngữ, tin học",
            "Chuyển trường đối với học sinh trung học phổ thông",
            "Xét tặng danh hiệu Nhà giáo Nhân dân, Nhà giáo Ưu tú",
        ],
    ),
    (
        "YT",
        "Y tế",
        "province",
        [
            "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh",
            "Cấp giấy phép hoạt động đối với phòng khám đa khoa",
            "Cấp giấy chứng nhận đủ điều kiện kinh doanh dược",
            "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
            "Công bố đủ điều kiện thực hiện tiêm chủng",
            "Cấp giấy xác nhận nội dung quảng cáo thực phẩm",
        ],
    ),
    (
        "LD",
        "Lao động, tiền lương",
        "province",
        [
            "Cấp giấy phép lao động cho người nước ngoài làm việc tại Việt Nam",
            "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động",
            "Đăng ký nội quy lao động của doanh nghiệp",
            "Giải quyết hưởng trợ cấp thất nghiệp",
            "Cấp giấy phép hoạt động dịch vụ việc làm",
        ],
    ),
    (
        "BTXH",
        "Bảo trợ xã hội",
        "commune",
        [
            "Trợ giúp xã hội thường xuyên tại cộng đồng",
            "Trợ cấp xã hội hằng tháng đối với người cao tuổi",
            "Hỗ trợ chi phí mai táng",
            "Xác định, xác định lại mức độ khuyết tật",
            "Cấp giấy xác nhận khuyết tật",
            "Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm",
        ],
    ),
    (
        "NCC",
        "Người có công",
        "commune",
        [
            "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ",
            "Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ",
            "Hưởng mai táng phí, trợ cấp một lần khi người có công từ trần",
            "Giải quyết chế độ ưu đãi đối với thân nhân liệt sĩ",
        ],
    ),
    (
        "GTVT",
        "Đường bộ",
        "province",
        [
            "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp",
            "Cấp lại giấy phép lái xe",
            "Cấp giấy phép kinh doanh vận tải bằng xe ô tô",
            "Cấp phù hiệu xe taxi, xe hợp đồng",
            "Cấp giấy phép thi công công trình trên đường bộ đang khai thác",
        ],
    ),
    (
        "MT",
        "Môi trường",
        "province",
        [
            "Cấp giấy phép môi trường",
            "Thẩm định báo cáo đánh giá tác động môi trường",
            "Đăng ký môi trường",
            "Cấp giấy phép khai thác nước dưới đất",
            "Cấp giấy phép xả nước thải vào nguồn nước",
        ],
    ),
    (
        "VH",
        "Văn hóa",
        "province",
        [
            "Cấp giấy phép tổ chức lễ hội",
            "Cấp giấy phép kinh doanh dịch vụ karaoke",
            "Cấp giấy phép triển lãm mỹ thuật",
            "Thông báo tổ chức biểu diễn nghệ thuật",
            "Công nhận danh hiệu Gia đình văn hóa",
        ],
    ),
    (
        "NN",
        "Nông nghiệp",
        "province",
        [
            "Cấp giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật",
            "Cấp giấy chứng nhận kiểm dịch động vật vận chuyển ra khỏi tỉnh",
            "Cấp giấy phép khai thác thủy sản",
            "Đăng ký tàu cá",
            "Công nhận làng nghề",
        ],
    ),
    (
        "CTH",
        "Công thương",
        "province",
        [
            "Cấp giấy phép bán lẻ sản phẩm rượu",
            "Cấp giấy phép bán lẻ sản phẩm thuốc lá",
            "Cấp giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu",
            "Đăng ký hoạt động khuyến mại",
            "Cấp giấy phép hoạt động điện lực",
        ],
    ),
    (
        "TNKN",
        "Tiếp công dân, khiếu nại, tố cáo",
        "commune",
        [
            "Giải quyết khiếu nại lần đầu",
            "Giải quyết khiếu nại lần hai",
            "Giải quyết tố cáo",
            "Tiếp công dân",
        ],
    ),
]

# Qualifiers that real catalogs add to a base name to make separate procedures.
QUALIFIERS = [
    "",
    " có yếu tố nước ngoài",
    " cho người nước ngoài",
    " lưu động",
    " trong trường hợp đặc biệt",
    " kết hợp nhiều thủ tục",
    " tại Trung tâm Phục vụ hành chính công",
    " đối với người Việt Nam định cư ở nước ngoài",
    " theo quy trình rút gọn",
    " liên thông với cấp tỉnh",
    " đối với tổ chức",
    " đối với cá nhân",
    " trên môi trường điện tử",
    " cho trẻ em dưới 6 tuổi",
    " trong khu công nghiệp",
    " thuộc thẩm quyền cấp tỉnh",
    " thuộc thẩm quyền cấp xã",
    " do thay đổi thông tin",
    " do hết hạn",
    " (sửa đổi năm 2025)",
]

PROVINCE = "000.00.00.H56"
DEPARTMENTS = [f"000.{n}.00.H56" for n in range(17, 27)]
COMMUNES = [f"000.00.{n}.H56" for n in range(21, 41)]

DOCUMENT_NAMES = [
    "Tờ khai theo mẫu",
    "Giấy chứng sinh hoặc văn bản của người làm chứng",
    "Bản sao giấy tờ tùy thân",
    "Giấy tờ chứng minh nơi cư trú",
    "Văn bản ủy quyền (nếu nộp thay)",
    "Bản vẽ thiết kế",
    "Giấy chứng nhận quyền sử dụng đất",
    "Hợp đồng, giao dịch",
    "Đơn đề nghị",
    "Biên bản kiểm tra hiện trạng",
    "Ảnh chân dung 4x6 cm",
    "Giấy khám sức khỏe",
]


def ensure_agencies() -> None:
    """Create the demo province's agencies (without users or catalog) if missing."""
    from procedures import demo
    from procedures.models import Agency, AgencyLevel

    province, _ = Agency.objects.get_or_create(
        identifier=demo.PROVINCE[0],
        defaults={"name": demo.PROVINCE[1], "level": AgencyLevel.PROVINCE},
    )
    for identifier, name in [demo.CENTRE, *demo.DEPARTMENTS]:
        Agency.objects.get_or_create(
            identifier=identifier,
            defaults={"name": name, "level": AgencyLevel.PROVINCE, "parent": province},
        )
    for identifier, name in demo.COMMUNES:
        Agency.objects.get_or_create(
            identifier=identifier,
            defaults={
                "name": f"Ủy ban nhân dân {name[0].lower()}{name[1:]}",
                "level": AgencyLevel.COMMUNE,
                "parent": province,
            },
        )


def _names() -> list[tuple[str, str, str, str]]:
    """Every (field code, field name, level, name), base names first."""
    out = []
    for qualifier in QUALIFIERS:
        for field_code, field_name, level, bases in FIELDS:
            for base in bases:
                out.append((field_code, field_name, level, base + qualifier))
    return out


def generate_procedures(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """``n`` distinct procedures as canonical content dicts, the same for the same seed."""
    rng = random.Random(seed)
    names = _names()
    result = []
    for i in range(n):
        field_code, field_name, level, name = names[i % len(names)]
        if i >= len(names):
            name = f"{name} (trường hợp {i // len(names) + 1})"
        code = f"{1 + i % 2}.{(i * 7919) % 1_000_000:06d}"
        if level == "commune":
            agencies = sorted(rng.sample(COMMUNES, rng.randint(3, len(COMMUNES))))
        else:
            agencies = sorted([PROVINCE, rng.choice(DEPARTMENTS)])
        days = rng.choice([1, 3, 5, 7, 10, 15, 20, 30])
        variants = [
            {
                "name": "Trường hợp thông thường",
                "time_value": days,
                "time_unit": "working_days",
                "is_default": True,
            }
        ]
        if rng.random() < 0.3:
            variants.append(
                {
                    "name": "Trường hợp cần xác minh",
                    "time_value": days + 5,
                    "time_unit": "working_days",
                    "is_default": False,
                }
            )
        documents = [
            {
                "name": doc,
                "originals": rng.choice([0, 1]),
                "certified_copies": rng.choice([0, 1]),
                "copies": rng.choice([0, 1, 2]),
                "form_name": "Mẫu số 01" if doc == "Tờ khai theo mẫu" else "",
            }
            for doc in rng.sample(DOCUMENT_NAMES, rng.randint(2, 5))
        ]
        fees = []
        if rng.random() < 0.6:
            fees.append(
                {
                    "name": "Lệ phí",
                    "amount": rng.choice([5000, 8000, 10000, 50000, 100000]),
                    "exemptions": "Miễn cho người thuộc hộ nghèo, người khuyết tật"
                    if rng.random() < 0.4
                    else "",
                }
            )
        online = rng.choices(["full", "partial", "none"], weights=[4, 4, 2])[0]
        result.append(
            {
                "code": code,
                "name": name,
                "level": level,
                "is_interlevel": rng.random() < 0.1,
                "implementing_body": "Ủy ban nhân dân cấp xã"
                if level == "commune"
                else "Sở, ban, ngành cấp tỉnh",
                "steps": "Bước 1: Nộp hồ sơ tại Bộ phận tiếp nhận và trả kết quả.\n"
                "Bước 2: Cán bộ kiểm tra, tiếp nhận hồ sơ và hẹn trả kết quả.\n"
                "Bước 3: Nhận kết quả theo giấy hẹn.",
                "accepts_at_desk": True,
                "accepts_by_post": rng.random() < 0.5,
                "accepts_online": online != "none",
                "filing_notes": "",
                "applicants": "Cá nhân, tổ chức",
                "result": "Văn bản chấp thuận hoặc giấy chứng nhận",
                "result_form": "",
                "conditions": "" if rng.random() < 0.7 else "Không thuộc trường hợp bị cấm",
                "application_forms": "Mẫu số 01 ban hành kèm theo Thông tư",
                "legal_basis": "Luật Hộ tịch năm 2014\nNghị định số 123/2015/NĐ-CP",
                "decision_number": f"{100 + i % 900}/QĐ-UBND",
                "decision_date": "2025-07-01",
                "status": "abolished" if rng.random() < 0.03 else "published",
                "effective_from": "2025-07-01",
                "effective_to": "",
                "online_level": online,
                "file_anywhere": rng.random() < 0.3,
                "restart_term_after_supplement": False,
                "field_code": field_code,
                "field_name": field_name,
                "agencies": agencies,
                "variants": variants,
                "documents": documents,
                "fees": fees,
            }
        )
    return result
