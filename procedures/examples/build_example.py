"""Build the example catalog: danh-muc-thu-tuc-mau.xlsx and its .csv twin.

    .venv/bin/python procedures/examples/build_example.py

About forty procedures of a province after the July 2025 reform (province
departments and communes, no district tier), written through the real export
so that the files follow the import layout exactly. The agency identifiers are
those of the demo (procedures/demo.py): departments 000.17.00.H56 to
000.26.00.H56, communes 000.00.21.H56 to 000.00.40.H56. Codes, decision numbers
and fee amounts are illustrative: check them against the national database and
the province's own decisions before relying on them.
"""

import os
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from procedures.catalog_io import write_csv, write_xlsx  # noqa: E402
from procedures.demo import COMMUNES, DEPARTMENTS  # noqa: E402

NAME = "danh-muc-thu-tuc-mau"
DEPARTMENT = {name: identifier for identifier, name in DEPARTMENTS}
ALL_COMMUNES = [identifier for identifier, _name in COMMUNES]

FIELDS = {
    "HT": "Hộ tịch",
    "CT": "Chứng thực",
    "LLTP": "Lý lịch tư pháp",
    "CC": "Công chứng",
    "DD": "Đất đai",
    "XD": "Hoạt động xây dựng",
    "HKD": "Thành lập và hoạt động của hộ kinh doanh",
    "DN": "Thành lập và hoạt động doanh nghiệp",
    "DUOC": "Dược phẩm",
    "KCB": "Khám bệnh, chữa bệnh",
    "BTXH": "Bảo trợ xã hội",
    "NCC": "Người có công",
    "GD": "Giáo dục và Đào tạo",
    "VL": "Việc làm",
    "VH": "Văn hóa",
    "RUOU": "Lưu thông hàng hóa trong nước",
    "ATTP": "An toàn thực phẩm",
    "KHCN": "Hoạt động khoa học và công nghệ",
}

DECISION_COMMUNE = ("1523/QĐ-UBND", "2025-07-01")
DECISION_PROVINCE = ("1610/QĐ-UBND", "2025-07-10")
DECISION_2024 = ("2987/QĐ-UBND", "2024-11-20")

STEPS_COMMUNE = (
    "Bước 1: Người yêu cầu nộp hồ sơ tại Trung tâm phục vụ hành chính công cấp xã, qua dịch vụ "
    "bưu chính hoặc trực tuyến trên Cổng dịch vụ công quốc gia.\n"
    "Bước 2: Công chức tiếp nhận kiểm tra hồ sơ; hồ sơ đầy đủ thì cấp giấy tiếp nhận và hẹn trả "
    "kết quả, chưa đầy đủ thì hướng dẫn bổ sung một lần bằng phiếu yêu cầu bổ sung.\n"
    "Bước 3: Công chức chuyên môn thẩm định, trình Chủ tịch Ủy ban nhân dân cấp xã ký.\n"
    "Bước 4: Trả kết quả tại Trung tâm phục vụ hành chính công cấp xã hoặc qua dịch vụ bưu chính."
)
STEPS_PROVINCE = (
    "Bước 1: Tổ chức, cá nhân nộp hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh, qua dịch vụ "
    "bưu chính hoặc trực tuyến trên Cổng dịch vụ công quốc gia.\n"
    "Bước 2: Công chức tiếp nhận kiểm tra thành phần hồ sơ, cấp giấy tiếp nhận và hẹn trả kết quả "
    "và chuyển hồ sơ đến phòng chuyên môn của Sở trong ngày.\n"
    "Bước 3: Phòng chuyên môn thẩm định hồ sơ, trình lãnh đạo Sở ký kết quả.\n"
    "Bước 4: Trả kết quả tại Trung tâm Phục vụ hành chính công tỉnh hoặc qua dịch vụ bưu chính."
)
ID_PAPER = "Giấy tờ tùy thân có ảnh (căn cước, hộ chiếu) của người yêu cầu"
HOTICH_LAW = [
    "Luật Hộ tịch số 60/2014/QH13",
    "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ",
    "Thông tư số 04/2020/TT-BTP ngày 28/5/2020 của Bộ Tư pháp",
    "Thông tư số 85/2019/TT-BTC ngày 29/11/2019 của Bộ Tài chính",
]
CHUNGTHUC_LAW = [
    "Nghị định số 23/2015/NĐ-CP ngày 16/02/2015 của Chính phủ",
    "Thông tư số 01/2020/TT-BTP ngày 03/3/2020 của Bộ Tư pháp",
    "Thông tư số 226/2016/TT-BTC ngày 11/11/2016 của Bộ Tài chính",
]
ONE_STOP_LAW = "Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ"


def doc(name: str, originals: int = 1, certified: int = 0, copies: int = 0, form: str = "") -> dict:
    return {
        "name": name,
        "originals": originals,
        "certified_copies": certified,
        "copies": copies,
        "form_name": form,
    }


def days(value: int, unit: str = "working_days", name: str = "Trường hợp thông thường") -> dict:
    return {"name": name, "time_value": value, "time_unit": unit}


def now(name: str = "Trường hợp thông thường") -> dict:
    return {"name": name, "time_value": 0, "time_unit": "immediate"}


def fee(name: str, amount: int, exemptions: str = "") -> dict:
    return {"name": name, "amount": amount, "exemptions": exemptions}


def procedure(
    code: str,
    name: str,
    field: str,
    *,
    level: str,
    variants: list[dict],
    documents: list[dict],
    agency: str | None = None,
    fees: list[dict] = (),
    legal: list[str] = (),
    online: str = "partial",
    applicants: str = "Cá nhân",
    result: str = "",
    result_form: str = "",
    conditions: str = "",
    forms: str = "",
    steps: str | None = None,
    interlevel: bool = False,
    by_post: bool = True,
    anywhere: bool = False,
    restart: bool = False,
    status: str = "published",
    decision: tuple[str, str] | None = None,
    effective_from: str = "2025-07-01",
    effective_to: str = "",
    notes: str = "",
) -> dict[str, Any]:
    """The canonical content (procedures.services.procedure_content) of one procedure."""
    commune = level == "commune"
    decision = decision or (DECISION_COMMUNE if commune else DECISION_PROVINCE)
    agencies = ALL_COMMUNES if commune else [DEPARTMENT[agency]]
    return {
        "code": code,
        "name": name,
        "level": level,
        "is_interlevel": interlevel,
        "implementing_body": "Ủy ban nhân dân cấp xã" if commune else agency,
        "steps": steps or (STEPS_COMMUNE if commune else STEPS_PROVINCE),
        "accepts_at_desk": True,
        "accepts_by_post": by_post,
        "accepts_online": online != "none",
        "filing_notes": notes,
        "applicants": applicants,
        "result": result,
        "result_form": result_form,
        "conditions": conditions,
        "application_forms": forms,
        "legal_basis": "\n".join([*legal, ONE_STOP_LAW]),
        "decision_number": f"Quyết định số {decision[0]}",
        "decision_date": decision[1],
        "status": status,
        "effective_from": effective_from,
        "effective_to": effective_to,
        "online_level": online,
        "file_anywhere": anywhere,
        "restart_term_after_supplement": restart,
        "field_code": field,
        "field_name": FIELDS[field],
        "agencies": sorted(agencies),
        "variants": [{**v, "is_default": i == 0} for i, v in enumerate(variants)],
        "documents": list(documents),
        "fees": list(fees),
    }


COMMUNE, PROVINCE = "commune", "province"

CATALOG = [
    # ------------------------------------------------------------ Hộ tịch (cấp xã)
    procedure(
        "1.001193",
        "Đăng ký khai sinh",
        "HT",
        level=COMMUNE,
        variants=[now(), days(3, name="Trường hợp cần xác minh")],
        documents=[
            doc("Tờ khai đăng ký khai sinh", form="Mẫu tờ khai theo Thông tư 04/2020/TT-BTP"),
            doc("Giấy chứng sinh hoặc văn bản của người làm chứng xác nhận về việc sinh"),
            doc(ID_PAPER, originals=0, copies=0),
        ],
        fees=[fee("Lệ phí đăng ký khai sinh", 0, "Miễn lệ phí khi đăng ký khai sinh đúng hạn")],
        legal=HOTICH_LAW,
        online="full",
        applicants="Cha, mẹ, ông, bà, người thân thích hoặc người nuôi dưỡng trẻ em",
        result="Giấy khai sinh (bản chính); trích lục khai sinh bản sao nếu có yêu cầu",
        result_form="Giấy khai sinh",
        forms="Tờ khai đăng ký khai sinh",
        anywhere=True,
        notes="Nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo.",
    ),
    procedure(
        "1.000894",
        "Đăng ký kết hôn",
        "HT",
        level=COMMUNE,
        variants=[now(), days(5, name="Trường hợp cần xác minh điều kiện kết hôn")],
        documents=[
            doc("Tờ khai đăng ký kết hôn", form="Mẫu tờ khai theo Thông tư 04/2020/TT-BTP"),
            doc(ID_PAPER + " của hai bên nam, nữ", originals=0),
            doc("Giấy xác nhận tình trạng hôn nhân (nếu đăng ký kết hôn không tại nơi thường trú)"),
        ],
        fees=[
            fee(
                "Lệ phí đăng ký kết hôn",
                0,
                "Miễn lệ phí đăng ký kết hôn giữa công dân Việt Nam cư trú trong nước",
            )
        ],
        legal=[*HOTICH_LAW, "Luật Hôn nhân và gia đình số 52/2014/QH13"],
        applicants="Công dân Việt Nam cư trú trong nước",
        result="Giấy chứng nhận kết hôn",
        result_form="Giấy chứng nhận kết hôn",
        conditions="Nam từ đủ 20 tuổi, nữ từ đủ 18 tuổi; tự nguyện; không mất năng lực hành vi dân sự; không thuộc trường hợp cấm kết hôn.",
        forms="Tờ khai đăng ký kết hôn",
    ),
    procedure(
        "1.000656",
        "Đăng ký khai tử",
        "HT",
        level=COMMUNE,
        variants=[now(), days(3, name="Trường hợp cần xác minh")],
        documents=[
            doc("Tờ khai đăng ký khai tử", form="Mẫu tờ khai theo Thông tư 04/2020/TT-BTP"),
            doc("Giấy báo tử hoặc giấy tờ thay thế giấy báo tử"),
        ],
        fees=[fee("Lệ phí đăng ký khai tử", 0, "Miễn lệ phí khi đăng ký khai tử đúng hạn")],
        legal=HOTICH_LAW,
        online="full",
        applicants="Vợ, chồng, con, cha, mẹ hoặc người thân thích khác của người chết",
        result="Trích lục khai tử",
        result_form="Trích lục khai tử",
        forms="Tờ khai đăng ký khai tử",
        anywhere=True,
    ),
    procedure(
        "1.001022",
        "Đăng ký nhận cha, mẹ, con",
        "HT",
        level=COMMUNE,
        variants=[days(3), days(8, name="Trường hợp cần xác minh")],
        documents=[
            doc(
                "Tờ khai đăng ký nhận cha, mẹ, con", form="Mẫu tờ khai theo Thông tư 04/2020/TT-BTP"
            ),
            doc(
                "Văn bản của cơ quan y tế, giám định xác nhận quan hệ cha, mẹ, con hoặc chứng cứ chứng minh",
                copies=1,
                originals=0,
            ),
        ],
        fees=[fee("Lệ phí đăng ký nhận cha, mẹ, con", 15000)],
        legal=HOTICH_LAW,
        result="Trích lục đăng ký nhận cha, mẹ, con",
        forms="Tờ khai đăng ký nhận cha, mẹ, con",
    ),
    procedure(
        "1.004859",
        "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
        "HT",
        level=COMMUNE,
        variants=[days(3), days(6, name="Trường hợp cần xác minh")],
        documents=[
            doc(
                "Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
                form="Mẫu tờ khai theo Thông tư 04/2020/TT-BTP",
            ),
            doc("Giấy tờ liên quan làm căn cứ thay đổi, cải chính, bổ sung", originals=0, copies=1),
        ],
        fees=[fee("Lệ phí thay đổi, cải chính, bổ sung hộ tịch", 15000)],
        legal=HOTICH_LAW,
        result="Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch",
    ),
    procedure(
        "1.004873",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "HT",
        level=COMMUNE,
        variants=[days(3), days(23, name="Trường hợp cần xác minh tại nơi cư trú trước đây")],
        documents=[
            doc(
                "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
                form="Mẫu tờ khai theo Thông tư 04/2020/TT-BTP",
            ),
            doc(
                "Bản án, quyết định ly hôn hoặc trích lục khai tử của vợ, chồng (nếu có)",
                originals=0,
                copies=1,
            ),
        ],
        fees=[fee("Lệ phí cấp Giấy xác nhận tình trạng hôn nhân", 8000)],
        legal=HOTICH_LAW,
        online="full",
        result="Giấy xác nhận tình trạng hôn nhân",
        result_form="Giấy xác nhận tình trạng hôn nhân",
        anywhere=True,
    ),
    procedure(
        "2.000635",
        "Cấp bản sao Trích lục hộ tịch",
        "HT",
        level=COMMUNE,
        variants=[now()],
        documents=[
            doc(
                "Tờ khai cấp bản sao trích lục hộ tịch",
                form="Mẫu tờ khai theo Thông tư 04/2020/TT-BTP",
            )
        ],
        fees=[fee("Phí cấp bản sao trích lục hộ tịch", 8000, "Tính theo mỗi bản sao")],
        legal=HOTICH_LAW,
        online="full",
        result="Bản sao trích lục hộ tịch",
        anywhere=True,
    ),
    procedure(
        "1.004837",
        "Đăng ký giám hộ",
        "HT",
        level=COMMUNE,
        variants=[days(3)],
        documents=[
            doc("Tờ khai đăng ký giám hộ", form="Mẫu tờ khai theo Thông tư 04/2020/TT-BTP"),
            doc("Văn bản cử người giám hộ hoặc giấy tờ chứng minh điều kiện giám hộ đương nhiên"),
        ],
        fees=[fee("Lệ phí đăng ký giám hộ", 8000)],
        legal=[*HOTICH_LAW, "Bộ luật Dân sự số 91/2015/QH13"],
        result="Trích lục đăng ký giám hộ",
    ),
    procedure(
        "1.003113",
        "Liên thông các thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
        "HT",
        level=COMMUNE,
        variants=[days(4), days(6, name="Trường hợp đăng ký thường trú cần xác minh")],
        documents=[
            doc(
                "Tờ khai điện tử liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế"
            ),
            doc("Giấy chứng sinh hoặc giấy tờ thay thế", originals=0, copies=1),
        ],
        fees=[fee("Lệ phí đăng ký khai sinh", 0, "Miễn lệ phí khi đăng ký đúng hạn")],
        legal=[*HOTICH_LAW, "Nghị định số 63/2024/NĐ-CP ngày 10/6/2024 của Chính phủ"],
        online="full",
        interlevel=True,
        applicants="Cha, mẹ hoặc người đại diện theo pháp luật của trẻ em dưới 6 tuổi",
        result="Giấy khai sinh; xác nhận đăng ký thường trú; thẻ bảo hiểm y tế",
        anywhere=True,
    ),
    # ------------------------------------------------------------ Chứng thực (cấp xã)
    procedure(
        "2.000908",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận",
        "CT",
        level=COMMUNE,
        variants=[now(), days(2, name="Trường hợp yêu cầu chứng thực số lượng lớn")],
        documents=[
            doc("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao"),
            doc("Bản sao cần chứng thực", originals=0, copies=1),
        ],
        fees=[
            fee(
                "Phí chứng thực bản sao từ bản chính (trang thứ nhất và thứ hai)",
                2000,
                "Tính theo trang",
            ),
            fee("Phí chứng thực từ trang thứ ba trở lên", 1000, "Tối đa 200.000 đồng/bản"),
        ],
        legal=CHUNGTHUC_LAW,
        online="none",
        by_post=False,
        applicants="Cá nhân, tổ chức",
        result="Bản sao được chứng thực từ bản chính",
        anywhere=True,
        notes="Nhận yêu cầu sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo.",
    ),
    procedure(
        "2.000884",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "CT",
        level=COMMUNE,
        variants=[days(2, "working_hours")],
        documents=[
            doc(ID_PAPER),
            doc("Giấy tờ, văn bản cần chứng thực chữ ký"),
        ],
        fees=[fee("Phí chứng thực chữ ký", 10000, "Tính theo mỗi trường hợp")],
        legal=CHUNGTHUC_LAW,
        online="none",
        by_post=False,
        result="Giấy tờ, văn bản được chứng thực chữ ký",
        anywhere=True,
    ),
    procedure(
        "2.001035",
        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà ở",
        "CT",
        level=COMMUNE,
        variants=[days(2)],
        documents=[
            doc("Dự thảo hợp đồng, giao dịch"),
            doc(ID_PAPER + " của các bên", originals=0, certified=1),
            doc(
                "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản gắn liền với đất",
                originals=0,
                certified=1,
            ),
        ],
        fees=[
            fee("Phí chứng thực hợp đồng, giao dịch", 50000),
            fee("Phí chứng thực việc sửa đổi, bổ sung hợp đồng", 30000),
        ],
        legal=CHUNGTHUC_LAW,
        online="none",
        by_post=False,
        applicants="Cá nhân, tổ chức là các bên tham gia hợp đồng, giao dịch",
        result="Hợp đồng, giao dịch được chứng thực",
    ),
    # ------------------------------------------------------------ Tư pháp (cấp tỉnh)
    procedure(
        "2.000488",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
        "LLTP",
        level=PROVINCE,
        agency="Sở Tư pháp",
        variants=[
            days(10),
            days(15, name="Trường hợp cần xác minh hoặc người đã cư trú ở nhiều nơi"),
        ],
        documents=[
            doc("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", form="Mẫu số 03/2013/TT-LLTP"),
            doc("Bản chụp giấy tờ tùy thân của người được cấp Phiếu", originals=0, copies=1),
        ],
        fees=[
            fee("Phí cung cấp thông tin lý lịch tư pháp", 200000),
            fee(
                "Phí cung cấp thông tin lý lịch tư pháp cho sinh viên, người có công",
                100000,
                "Miễn cho trẻ em, người cao tuổi, người khuyết tật, hộ nghèo",
            ),
        ],
        legal=[
            "Luật Lý lịch tư pháp số 28/2009/QH12",
            "Thông tư số 244/2016/TT-BTC ngày 11/11/2016 của Bộ Tài chính",
        ],
        online="full",
        applicants="Công dân Việt Nam; người nước ngoài đang cư trú tại Việt Nam",
        result="Phiếu lý lịch tư pháp số 1 hoặc số 2",
        anywhere=True,
    ),
    procedure(
        "1.001756",
        "Đăng ký hành nghề công chứng",
        "CC",
        level=PROVINCE,
        agency="Sở Tư pháp",
        variants=[days(5)],
        documents=[
            doc("Đơn đề nghị đăng ký hành nghề và cấp Thẻ công chứng viên", form="Mẫu TP-CC-07"),
            doc("Quyết định bổ nhiệm công chứng viên", originals=0, certified=1),
            doc("Ảnh chân dung 2x3 cm", originals=2),
        ],
        legal=[
            "Luật Công chứng số 46/2024/QH15",
            "Nghị định số 104/2025/NĐ-CP ngày 15/5/2025 của Chính phủ",
        ],
        applicants="Tổ chức hành nghề công chứng",
        result="Thẻ công chứng viên",
    ),
    # ------------------------------------------------------------ Đất đai
    procedure(
        "1.012761",
        "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu",
        "DD",
        level=COMMUNE,
        variants=[
            days(20),
            days(
                30,
                name="Xã miền núi, hải đảo, vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn",
            ),
        ],
        documents=[
            doc("Đơn đăng ký đất đai, tài sản gắn liền với đất", form="Mẫu số 04/ĐK"),
            doc("Giấy tờ về quyền sử dụng đất (nếu có)", originals=0, certified=1),
            doc("Chứng từ thực hiện nghĩa vụ tài chính (nếu có)", originals=0, copies=1),
        ],
        fees=[
            fee("Lệ phí cấp Giấy chứng nhận", 100000, "Theo nghị quyết của Hội đồng nhân dân tỉnh")
        ],
        legal=[
            "Luật Đất đai số 31/2024/QH15",
            "Nghị định số 101/2024/NĐ-CP ngày 29/7/2024 của Chính phủ",
            "Nghị định số 151/2025/NĐ-CP ngày 12/6/2025 của Chính phủ",
        ],
        applicants="Hộ gia đình, cá nhân, cộng đồng dân cư",
        result="Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        restart=True,
    ),
    procedure(
        "1.012780",
        "Hòa giải tranh chấp đất đai",
        "DD",
        level=COMMUNE,
        variants=[days(30, "calendar_days")],
        documents=[doc("Đơn yêu cầu hòa giải tranh chấp đất đai")],
        legal=[
            "Luật Đất đai số 31/2024/QH15",
            "Nghị định số 102/2024/NĐ-CP ngày 30/7/2024 của Chính phủ",
        ],
        online="none",
        applicants="Các bên tranh chấp đất đai",
        result="Biên bản hòa giải thành hoặc không thành",
    ),
    procedure(
        "1.012792",
        "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển nhượng, tặng cho, thừa kế",
        "DD",
        level=PROVINCE,
        agency="Sở Nông nghiệp và Môi trường",
        variants=[days(8), days(18, name="Xã miền núi, hải đảo")],
        documents=[
            doc("Đơn đăng ký biến động đất đai, tài sản gắn liền với đất", form="Mẫu số 11/ĐK"),
            doc("Hợp đồng, văn bản về việc chuyển quyền đã được công chứng, chứng thực"),
            doc("Giấy chứng nhận đã cấp"),
        ],
        fees=[fee("Lệ phí đăng ký biến động", 30000)],
        legal=[
            "Luật Đất đai số 31/2024/QH15",
            "Nghị định số 101/2024/NĐ-CP ngày 29/7/2024 của Chính phủ",
        ],
        applicants="Người sử dụng đất, chủ sở hữu tài sản gắn liền với đất",
        result="Giấy chứng nhận được xác nhận thay đổi hoặc cấp mới",
        anywhere=True,
    ),
    # ------------------------------------------------------------ Xây dựng
    procedure(
        "1.009794",
        "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        "XD",
        level=COMMUNE,
        variants=[days(15)],
        documents=[
            doc(
                "Đơn đề nghị cấp giấy phép xây dựng",
                form="Mẫu số 01 Phụ lục II Nghị định 175/2024/NĐ-CP",
            ),
            doc("Giấy tờ chứng minh quyền sử dụng đất", originals=0, certified=1),
            doc("Bản vẽ thiết kế xây dựng (mặt bằng, mặt cắt, mặt đứng, móng)", originals=2),
        ],
        fees=[fee("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ", 75000)],
        legal=[
            "Luật Xây dựng số 50/2014/QH13 (sửa đổi, bổ sung năm 2020)",
            "Nghị định số 175/2024/NĐ-CP ngày 30/12/2024 của Chính phủ",
        ],
        applicants="Hộ gia đình, cá nhân",
        result="Giấy phép xây dựng",
        result_form="Giấy phép xây dựng (Mẫu số 07)",
    ),
    procedure(
        "1.009799",
        "Cấp giấy phép xây dựng mới đối với công trình không theo tuyến",
        "XD",
        level=PROVINCE,
        agency="Sở Xây dựng",
        variants=[days(20)],
        documents=[
            doc(
                "Đơn đề nghị cấp giấy phép xây dựng",
                form="Mẫu số 01 Phụ lục II Nghị định 175/2024/NĐ-CP",
            ),
            doc("Giấy tờ chứng minh quyền sử dụng đất", originals=0, certified=1),
            doc(
                "Quyết định phê duyệt dự án, văn bản thông báo kết quả thẩm định",
                originals=0,
                copies=1,
            ),
            doc("Hồ sơ thiết kế xây dựng triển khai sau thiết kế cơ sở", originals=2),
        ],
        fees=[fee("Lệ phí cấp giấy phép xây dựng công trình", 150000)],
        legal=[
            "Luật Xây dựng số 50/2014/QH13 (sửa đổi, bổ sung năm 2020)",
            "Nghị định số 175/2024/NĐ-CP ngày 30/12/2024 của Chính phủ",
        ],
        applicants="Chủ đầu tư",
        result="Giấy phép xây dựng",
    ),
    procedure(
        "1.009800",
        "Gia hạn giấy phép xây dựng",
        "XD",
        level=PROVINCE,
        agency="Sở Xây dựng",
        variants=[days(5)],
        documents=[
            doc("Đơn đề nghị gia hạn giấy phép xây dựng"),
            doc("Bản chính giấy phép xây dựng đã được cấp"),
        ],
        fees=[fee("Lệ phí gia hạn giấy phép xây dựng", 15000)],
        legal=["Luật Xây dựng số 50/2014/QH13 (sửa đổi, bổ sung năm 2020)"],
        applicants="Chủ đầu tư",
        result="Giấy phép xây dựng được gia hạn",
        status="amended",
        decision=DECISION_2024,
        effective_from="2025-01-01",
    ),
    # ------------------------------------------------------------ Đăng ký kinh doanh
    procedure(
        "2.000720",
        "Đăng ký thành lập hộ kinh doanh",
        "HKD",
        level=COMMUNE,
        variants=[days(3)],
        documents=[
            doc("Giấy đề nghị đăng ký hộ kinh doanh", form="Mẫu Phụ lục III-1"),
            doc(
                "Bản sao giấy tờ pháp lý của chủ hộ kinh doanh và các thành viên hộ gia đình",
                originals=0,
                copies=1,
            ),
            doc("Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh (nếu có)"),
        ],
        fees=[fee("Lệ phí đăng ký hộ kinh doanh", 100000, "Miễn khi đăng ký trực tuyến")],
        legal=[
            "Luật Doanh nghiệp số 59/2020/QH14",
            "Nghị định số 168/2025/NĐ-CP ngày 30/6/2025 của Chính phủ",
        ],
        online="full",
        applicants="Cá nhân, thành viên hộ gia đình",
        result="Giấy chứng nhận đăng ký hộ kinh doanh",
    ),
    procedure(
        "2.000692",
        "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
        "HKD",
        level=COMMUNE,
        variants=[days(3)],
        documents=[
            doc("Thông báo thay đổi nội dung đăng ký hộ kinh doanh", form="Mẫu Phụ lục III-2"),
            doc("Bản gốc Giấy chứng nhận đăng ký hộ kinh doanh"),
        ],
        fees=[fee("Lệ phí đăng ký thay đổi", 50000, "Miễn khi đăng ký trực tuyến")],
        legal=["Nghị định số 168/2025/NĐ-CP ngày 30/6/2025 của Chính phủ"],
        online="full",
        applicants="Hộ kinh doanh",
        result="Giấy chứng nhận đăng ký hộ kinh doanh",
    ),
    procedure(
        "1.010010",
        "Đăng ký thành lập doanh nghiệp tư nhân",
        "DN",
        level=PROVINCE,
        agency="Sở Tài chính",
        variants=[days(3)],
        documents=[
            doc("Giấy đề nghị đăng ký doanh nghiệp", form="Mẫu Phụ lục I-1"),
            doc("Bản sao giấy tờ pháp lý của chủ doanh nghiệp tư nhân", originals=0, copies=1),
        ],
        fees=[
            fee(
                "Lệ phí đăng ký doanh nghiệp", 50000, "Miễn khi đăng ký qua mạng thông tin điện tử"
            ),
            fee("Phí công bố nội dung đăng ký doanh nghiệp", 100000),
        ],
        legal=[
            "Luật Doanh nghiệp số 59/2020/QH14",
            "Nghị định số 168/2025/NĐ-CP ngày 30/6/2025 của Chính phủ",
        ],
        online="full",
        applicants="Cá nhân",
        result="Giấy chứng nhận đăng ký doanh nghiệp",
        anywhere=True,
    ),
    procedure(
        "2.001610",
        "Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên",
        "DN",
        level=PROVINCE,
        agency="Sở Tài chính",
        variants=[days(3)],
        documents=[
            doc("Giấy đề nghị đăng ký doanh nghiệp", form="Mẫu Phụ lục I-3"),
            doc("Điều lệ công ty"),
            doc("Danh sách thành viên", form="Mẫu Phụ lục I-6"),
            doc("Bản sao giấy tờ pháp lý của các thành viên", originals=0, copies=1),
        ],
        fees=[
            fee(
                "Lệ phí đăng ký doanh nghiệp", 50000, "Miễn khi đăng ký qua mạng thông tin điện tử"
            ),
            fee("Phí công bố nội dung đăng ký doanh nghiệp", 100000),
        ],
        legal=[
            "Luật Doanh nghiệp số 59/2020/QH14",
            "Nghị định số 168/2025/NĐ-CP ngày 30/6/2025 của Chính phủ",
        ],
        online="full",
        applicants="Tổ chức, cá nhân",
        result="Giấy chứng nhận đăng ký doanh nghiệp",
        anywhere=True,
    ),
    # ------------------------------------------------------------ Y tế, bảo trợ xã hội
    procedure(
        "1.004596",
        "Cấp Chứng chỉ hành nghề dược",
        "DUOC",
        level=PROVINCE,
        agency="Sở Y tế",
        variants=[days(20)],
        documents=[
            doc(
                "Đơn đề nghị cấp Chứng chỉ hành nghề dược",
                form="Mẫu số 02 Phụ lục I Nghị định 54/2017/NĐ-CP",
            ),
            doc("Bản sao văn bằng chuyên môn", originals=0, certified=1),
            doc("Giấy xác nhận thời gian thực hành chuyên môn"),
            doc("Ảnh chân dung 4x6 cm", originals=2),
        ],
        fees=[fee("Phí thẩm định cấp Chứng chỉ hành nghề dược", 500000)],
        legal=[
            "Luật Dược số 105/2016/QH13",
            "Nghị định số 54/2017/NĐ-CP ngày 08/5/2017 của Chính phủ",
        ],
        applicants="Cá nhân",
        result="Chứng chỉ hành nghề dược",
    ),
    procedure(
        "1.004616",
        "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược đối với cơ sở bán lẻ thuốc",
        "DUOC",
        level=PROVINCE,
        agency="Sở Y tế",
        variants=[days(30, "calendar_days")],
        documents=[
            doc(
                "Đơn đề nghị cấp Giấy chứng nhận đủ điều kiện kinh doanh dược",
                form="Mẫu số 19 Phụ lục I Nghị định 54/2017/NĐ-CP",
            ),
            doc("Tài liệu kỹ thuật về địa điểm, trang thiết bị, nhân sự"),
            doc("Bản sao Chứng chỉ hành nghề dược", originals=0, certified=1),
        ],
        fees=[fee("Phí thẩm định điều kiện kinh doanh thuốc", 1000000)],
        legal=[
            "Luật Dược số 105/2016/QH13",
            "Nghị định số 54/2017/NĐ-CP ngày 08/5/2017 của Chính phủ",
        ],
        applicants="Cơ sở kinh doanh dược",
        result="Giấy chứng nhận đủ điều kiện kinh doanh dược",
    ),
    procedure(
        "1.012261",
        "Cấp lại giấy phép hành nghề khám bệnh, chữa bệnh",
        "KCB",
        level=PROVINCE,
        agency="Sở Y tế",
        variants=[days(10)],
        documents=[
            doc(
                "Đơn đề nghị cấp lại giấy phép hành nghề",
                form="Mẫu 02 Phụ lục I Nghị định 96/2023/NĐ-CP",
            ),
            doc("Ảnh chân dung 4x6 cm", originals=2),
        ],
        fees=[fee("Phí thẩm định cấp lại giấy phép hành nghề", 150000)],
        legal=[
            "Luật Khám bệnh, chữa bệnh số 15/2023/QH15",
            "Nghị định số 96/2023/NĐ-CP ngày 30/12/2023 của Chính phủ",
        ],
        applicants="Người hành nghề khám bệnh, chữa bệnh",
        result="Giấy phép hành nghề khám bệnh, chữa bệnh",
    ),
    procedure(
        "1.001776",
        "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng",
        "BTXH",
        level=COMMUNE,
        variants=[days(10)],
        documents=[
            doc(
                "Tờ khai đề nghị trợ giúp xã hội",
                form="Mẫu số 1a, 1b, 1c, 1d Nghị định 20/2021/NĐ-CP",
            ),
            doc(
                "Giấy xác nhận khuyết tật hoặc giấy tờ chứng minh đối tượng (nếu có)",
                originals=0,
                copies=1,
            ),
        ],
        legal=[
            "Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ",
            "Nghị định số 76/2024/NĐ-CP ngày 01/7/2024 của Chính phủ",
        ],
        applicants="Người cao tuổi, người khuyết tật, trẻ em có hoàn cảnh đặc biệt và đối tượng bảo trợ xã hội khác",
        result="Quyết định trợ cấp xã hội hằng tháng",
        online="partial",
    ),
    procedure(
        "2.000744",
        "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        "BTXH",
        level=COMMUNE,
        variants=[days(3)],
        documents=[
            doc(
                "Tờ khai đề nghị hỗ trợ chi phí mai táng", form="Mẫu số 04 Nghị định 20/2021/NĐ-CP"
            ),
            doc("Giấy báo tử hoặc trích lục khai tử", originals=0, copies=1),
        ],
        legal=["Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ"],
        applicants="Cơ quan, tổ chức, cá nhân tổ chức mai táng",
        result="Quyết định hỗ trợ chi phí mai táng",
    ),
    procedure(
        "1.010820",
        "Giải quyết chế độ mai táng phí đối với cựu chiến binh",
        "NCC",
        level=COMMUNE,
        variants=[days(12)],
        documents=[
            doc("Đơn đề nghị giải quyết chế độ mai táng phí"),
            doc("Trích lục khai tử", originals=0, copies=1),
        ],
        legal=[
            "Pháp lệnh Ưu đãi người có công với cách mạng số 02/2020/UBTVQH14",
            "Nghị định số 55/2023/NĐ-CP ngày 21/7/2023 của Chính phủ",
        ],
        applicants="Thân nhân hoặc người tổ chức mai táng",
        result="Quyết định trợ cấp mai táng phí",
        online="none",
    ),
    # ------------------------------------------------------------ Giáo dục
    procedure(
        "2.001914",
        "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc cấp văn bằng, chứng chỉ",
        "GD",
        level=PROVINCE,
        agency="Sở Giáo dục và Đào tạo",
        variants=[now(), days(2, name="Trường hợp nhận yêu cầu sau 15 giờ hoặc cần xác minh")],
        documents=[
            doc("Đơn đề nghị cấp bản sao văn bằng, chứng chỉ từ sổ gốc"),
            doc(ID_PAPER, originals=0, copies=0),
        ],
        fees=[fee("Phí cấp bản sao văn bằng, chứng chỉ", 3000, "Tính theo mỗi bản sao")],
        legal=[
            "Nghị định số 23/2015/NĐ-CP ngày 16/02/2015 của Chính phủ",
            "Thông tư số 21/2019/TT-BGDĐT ngày 29/11/2019 của Bộ Giáo dục và Đào tạo",
        ],
        online="full",
        result="Bản sao văn bằng, chứng chỉ từ sổ gốc",
    ),
    procedure(
        "1.005099",
        "Chuyển trường đối với học sinh trung học phổ thông",
        "GD",
        level=PROVINCE,
        agency="Sở Giáo dục và Đào tạo",
        variants=[days(3)],
        documents=[
            doc("Đơn xin chuyển trường do cha mẹ hoặc người giám hộ ký"),
            doc("Học bạ"),
            doc("Giấy giới thiệu chuyển trường do hiệu trưởng nhà trường nơi đi cấp"),
        ],
        legal=["Thông tư số 50/2021/TT-BGDĐT ngày 31/12/2021 của Bộ Giáo dục và Đào tạo"],
        applicants="Học sinh trung học phổ thông",
        result="Quyết định tiếp nhận học sinh chuyển trường",
        online="partial",
    ),
    procedure(
        "1.004443",
        "Cho phép trường mẫu giáo, trường mầm non hoạt động giáo dục",
        "GD",
        level=COMMUNE,
        variants=[days(20)],
        documents=[
            doc("Tờ trình đề nghị cho phép hoạt động giáo dục"),
            doc("Quyết định thành lập hoặc cho phép thành lập nhà trường", originals=0, copies=1),
            doc("Danh sách cán bộ quản lý, giáo viên, nhân viên"),
        ],
        legal=[
            "Luật Giáo dục số 43/2019/QH14",
            "Nghị định số 125/2024/NĐ-CP ngày 05/10/2024 của Chính phủ",
        ],
        online="none",
        applicants="Tổ chức, cá nhân thành lập trường",
        result="Quyết định cho phép hoạt động giáo dục",
    ),
    # ------------------------------------------------------------ Lao động
    procedure(
        "1.000105",
        "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
        "VL",
        level=PROVINCE,
        agency="Sở Nội vụ",
        variants=[days(5)],
        documents=[
            doc(
                "Văn bản đề nghị cấp giấy phép lao động của người sử dụng lao động",
                form="Mẫu số 11/PLI",
            ),
            doc("Giấy chứng nhận sức khỏe", originals=1),
            doc("Phiếu lý lịch tư pháp", originals=1),
            doc(
                "Văn bản chứng minh nhà quản lý, chuyên gia, lao động kỹ thuật",
                originals=0,
                certified=1,
            ),
            doc("Ảnh màu 4x6 cm", originals=2),
        ],
        fees=[
            fee(
                "Lệ phí cấp giấy phép lao động",
                600000,
                "Theo nghị quyết của Hội đồng nhân dân tỉnh",
            )
        ],
        legal=[
            "Bộ luật Lao động số 45/2019/QH14",
            "Nghị định số 219/2025/NĐ-CP ngày 07/8/2025 của Chính phủ",
        ],
        online="full",
        applicants="Người sử dụng lao động",
        result="Giấy phép lao động",
        anywhere=True,
    ),
    procedure(
        "1.000459",
        "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động",
        "VL",
        level=PROVINCE,
        agency="Sở Nội vụ",
        variants=[days(3)],
        documents=[
            doc("Văn bản đề nghị xác nhận", form="Mẫu số 09/PLI"),
            doc("Giấy chứng nhận sức khỏe"),
        ],
        legal=[
            "Bộ luật Lao động số 45/2019/QH14",
            "Nghị định số 152/2020/NĐ-CP ngày 30/12/2020 của Chính phủ",
        ],
        online="full",
        applicants="Người sử dụng lao động",
        result="Văn bản xác nhận",
        status="abolished",
        decision=DECISION_2024,
        effective_from="2021-02-15",
        effective_to="2025-08-07",
    ),
    # ------------------------------------------------------------ Văn hóa
    procedure(
        "1.001029",
        "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
        "VH",
        level=COMMUNE,
        variants=[days(5)],
        documents=[
            doc(
                "Đơn đề nghị cấp giấy phép kinh doanh dịch vụ karaoke",
                form="Mẫu số 01 Nghị định 54/2019/NĐ-CP",
            ),
            doc(
                "Giấy chứng nhận đăng ký doanh nghiệp hoặc hộ kinh doanh", originals=0, certified=1
            ),
        ],
        fees=[
            fee("Phí thẩm định cấp giấy phép (từ 01 đến 03 phòng, tại phường)", 4000000),
            fee("Phí thẩm định cấp giấy phép (từ 01 đến 03 phòng, tại xã)", 2000000),
        ],
        legal=[
            "Nghị định số 54/2019/NĐ-CP ngày 19/6/2019 của Chính phủ",
            "Thông tư số 01/2021/TT-BTC ngày 07/01/2021 của Bộ Tài chính",
        ],
        applicants="Doanh nghiệp, hộ kinh doanh",
        result="Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
        conditions="Phòng hát có diện tích sử dụng từ 20 m² trở lên; không kể công trình phụ; bảo đảm điều kiện phòng, chống cháy nổ.",
    ),
    procedure(
        "1.009397",
        "Thông báo tổ chức lễ hội cấp tỉnh",
        "VH",
        level=PROVINCE,
        agency="Sở Văn hóa, Thể thao và Du lịch",
        variants=[days(15, "calendar_days")],
        documents=[
            doc("Văn bản thông báo tổ chức lễ hội"),
            doc("Chương trình, kế hoạch tổ chức lễ hội"),
        ],
        legal=["Nghị định số 110/2018/NĐ-CP ngày 29/8/2018 của Chính phủ"],
        online="partial",
        applicants="Ban tổ chức lễ hội",
        result="Văn bản trả lời",
    ),
    # ------------------------------------------------------------ Công Thương
    procedure(
        "2.000620",
        "Cấp Giấy phép bán lẻ sản phẩm rượu",
        "RUOU",
        level=COMMUNE,
        variants=[days(10)],
        documents=[
            doc(
                "Đơn đề nghị cấp Giấy phép bán lẻ sản phẩm rượu",
                form="Mẫu số 01 Nghị định 105/2017/NĐ-CP",
            ),
            doc(
                "Bản sao Giấy chứng nhận đăng ký doanh nghiệp hoặc hộ kinh doanh",
                originals=0,
                copies=1,
            ),
            doc(
                "Bản sao hợp đồng thuê hoặc giấy tờ chứng minh quyền sử dụng địa điểm kinh doanh",
                originals=0,
                copies=1,
            ),
        ],
        fees=[
            fee("Phí thẩm định cấp giấy phép bán lẻ rượu (tại phường)", 1200000),
            fee("Phí thẩm định cấp giấy phép bán lẻ rượu (tại xã)", 600000),
        ],
        legal=[
            "Nghị định số 105/2017/NĐ-CP ngày 14/9/2017 của Chính phủ",
            "Nghị định số 17/2020/NĐ-CP ngày 05/02/2020 của Chính phủ",
            "Thông tư số 168/2016/TT-BTC ngày 26/10/2016 của Bộ Tài chính",
        ],
        applicants="Doanh nghiệp, hộ kinh doanh",
        result="Giấy phép bán lẻ sản phẩm rượu",
    ),
    procedure(
        "2.000633",
        "Cấp Giấy phép bán buôn sản phẩm rượu",
        "RUOU",
        level=PROVINCE,
        agency="Sở Công Thương",
        variants=[days(15)],
        documents=[
            doc(
                "Đơn đề nghị cấp Giấy phép bán buôn sản phẩm rượu",
                form="Mẫu số 01 Nghị định 105/2017/NĐ-CP",
            ),
            doc("Bản sao Giấy chứng nhận đăng ký doanh nghiệp", originals=0, copies=1),
            doc(
                "Hợp đồng, văn bản giới thiệu của thương nhân sản xuất, phân phối rượu",
                originals=0,
                copies=1,
            ),
        ],
        fees=[fee("Phí thẩm định cấp giấy phép bán buôn rượu", 2200000)],
        legal=[
            "Nghị định số 105/2017/NĐ-CP ngày 14/9/2017 của Chính phủ",
            "Thông tư số 168/2016/TT-BTC ngày 26/10/2016 của Bộ Tài chính",
        ],
        online="full",
        applicants="Doanh nghiệp",
        result="Giấy phép bán buôn sản phẩm rượu",
    ),
    # ------------------------------------------------------------ An toàn thực phẩm, khoa học
    procedure(
        "1.001823",
        "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất, kinh doanh thực phẩm nông, lâm, thủy sản",
        "ATTP",
        level=PROVINCE,
        agency="Sở Nông nghiệp và Môi trường",
        variants=[days(15)],
        documents=[
            doc(
                "Đơn đề nghị cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
                form="Mẫu số 01 Thông tư 38/2018/TT-BNNPTNT",
            ),
            doc("Bản thuyết minh về cơ sở vật chất, trang thiết bị, dụng cụ"),
        ],
        fees=[
            fee("Phí thẩm định cấp Giấy chứng nhận (cơ sở kinh doanh)", 1000000),
            fee("Phí thẩm định cấp Giấy chứng nhận (cơ sở sản xuất nhỏ lẻ)", 500000),
        ],
        legal=[
            "Luật An toàn thực phẩm số 55/2010/QH12",
            "Thông tư số 38/2018/TT-BNNPTNT ngày 25/12/2018",
        ],
        applicants="Cơ sở sản xuất, kinh doanh thực phẩm",
        result="Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
    ),
    procedure(
        "1.003574",
        "Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",
        "KHCN",
        level=PROVINCE,
        agency="Sở Khoa học và Công nghệ",
        variants=[days(15)],
        documents=[
            doc(
                "Đơn đăng ký hoạt động khoa học và công nghệ",
                form="Mẫu 04 Thông tư 03/2014/TT-BKHCN",
            ),
            doc("Quyết định thành lập tổ chức khoa học và công nghệ", originals=0, certified=1),
            doc("Điều lệ tổ chức và hoạt động"),
        ],
        fees=[fee("Phí thẩm định điều kiện hoạt động khoa học và công nghệ", 3000000)],
        legal=[
            "Luật Khoa học, công nghệ và đổi mới sáng tạo số 93/2025/QH15",
            "Nghị định số 08/2014/NĐ-CP ngày 27/01/2014 của Chính phủ",
        ],
        online="full",
        applicants="Tổ chức khoa học và công nghệ",
        result="Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",
    ),
    procedure(
        "1.000748",
        "Xác nhận đơn đề nghị hỗ trợ học nghề cho người khuyết tật",
        "BTXH",
        level=COMMUNE,
        variants=[
            days(2, "working_hours", name="Xác nhận tại bộ phận một cửa"),
            days(2, name="Trường hợp cần xác minh"),
        ],
        documents=[
            doc("Đơn đề nghị hỗ trợ học nghề"),
            doc("Giấy xác nhận khuyết tật", originals=0, copies=1),
        ],
        legal=["Luật Người khuyết tật số 51/2010/QH12"],
        online="partial",
        applicants="Người khuyết tật",
        result="Đơn đề nghị được xác nhận",
    ),
]


def main() -> None:
    codes = [content["code"] for content in CATALOG]
    assert len(codes) == len(set(codes)), "codes must be unique"
    with (HERE / f"{NAME}.xlsx").open("wb") as target:
        count = write_xlsx(CATALOG, target)
    with (HERE / f"{NAME}.csv").open("w", encoding="utf-8", newline="") as target:
        write_csv(CATALOG, target)
    print(f"{count} procedures written to {HERE / NAME}.xlsx and .csv")


if __name__ == "__main__":
    main()
