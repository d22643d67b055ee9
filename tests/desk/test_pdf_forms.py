"""The legal forms as PDFs (desk:pdf): each form renders for a dossier brought to
the right state through the real services, and the text pdftotext reads back
holds the form's fields with the Vietnamese intact. Permissions and forms that
do not apply answer 404."""

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from desk.legal_forms import FORMS, FormNotApplicable, applicable_forms, mask_address
from desk.models import PersonalDataAccess, State
from desk.pdf import (
    name_chunks,
    place_name,
    url_fetcher,
    vn_clock,
    vn_date,
    vn_long_date,
    vn_time,
)
from desk.services import (
    ReceivedDocument,
    approve_apology,
    complete_dossier,
    draft_apology,
    guide_registered,
    hand_over,
    refuse_registered,
    request_supplement,
    request_withdrawal,
    return_result,
    stop_dossier,
)
from tests.factories import PASSWORD, make_applicant, make_dossier, make_procedure, registered

pytestmark = pytest.mark.django_db

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
SLOGAN = "Độc lập - Tự do - Hạnh phúc"
APPLICANT = "Nguyễn Văn An"
PROCEDURE = "Đăng ký khai sinh cho trẻ em"
DOCUMENTS = ("Tờ khai đăng ký khai sinh theo mẫu", "Giấy chứng sinh")


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as `pdftotext -layout` reads it, whitespace collapsed so that
    wrapped lines and table cells read as running text."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: `make test` installs Debian's poppler-utils.")
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode("utf-8").split())


def login(client, user) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def fetch(client, dossier, form: str):
    response = client.get(reverse("desk:pdf", args=[dossier.code, form]))
    # MOTCUA_PDF_DUMP=/some/folder keeps each form for a look (pdftoppm -png -r 60).
    if os.environ.get("MOTCUA_PDF_DUMP") and response.status_code == 200:
        Path(os.environ["MOTCUA_PDF_DUMP"], f"{form}.pdf").write_bytes(response.content)
    return response


@pytest.fixture
def procedure(commune):
    return make_procedure(name=PROCEDURE, documents=DOCUMENTS, agencies=(commune,))


@pytest.fixture
def dossier(clerk, procedure):
    return make_dossier(clerk=clerk, procedure=procedure)


def in_order(text: str, phrase: str) -> bool:
    """Every word of ``phrase`` appears in ``text`` in order: the letterhead's two
    columns interleave line by line in pdftotext's layout output."""
    position = 0
    for word in phrase.split():
        position = text.find(word, position)
        if position < 0:
            return False
        position += len(word)
    return True


def assert_letterhead(text: str, agency: str = "ỦY BAN NHÂN DÂN PHƯỜNG NHA TRANG") -> None:
    assert MOTTO in text
    assert SLOGAN in text
    assert in_order(text, agency)
    assert "Số: ......./......" in text
    assert "Khánh Hòa, ngày" in text


# ---------------------------------------------------------------- helpers


def test_place_name_is_the_province_short_name(commune, province):
    assert place_name(commune) == "Khánh Hòa"
    assert place_name(province) == "Khánh Hòa"


def test_dates_are_vietnamese_legal_dates_in_vietnam_time():
    moment = dt.datetime(2026, 2, 13, 2, 5, tzinfo=dt.UTC)  # 09:05 in Hà Nội time
    assert vn_date(moment) == "13/02/2026"
    assert vn_long_date(moment) == "ngày 13 tháng 02 năm 2026"
    assert vn_clock(moment) == "09 giờ 05 phút, ngày 13/02/2026"


def test_mask_address_keeps_only_commune_and_province():
    assert mask_address("12 Lê Lợi, phường Nha Trang, tỉnh Khánh Hòa") == (
        "***, phường Nha Trang, tỉnh Khánh Hòa"
    )
    assert mask_address("") == ""


def test_pdfs_fetch_only_the_shipped_fonts_and_data_uris(settings):
    fetcher = url_fetcher()
    font = Path(settings.BASE_DIR, "static", "fonts", "LiberationSerif-Regular.ttf")
    response = fetcher.fetch(font.resolve().as_uri())
    try:
        assert response.read()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    finally:
        response.close()
    escape = f"{font.parent.resolve().as_uri()}/../../config/settings.py"
    for url in ("http://127.0.0.1:9/x.png", "file:///etc/passwd", escape, "ftp://example.vn/x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_shipped_fonts_cover_vietnamese(settings):
    # Liberation 1.x (Debian's fonts-liberation) lacks ạ, ế, ộ...: only 2.x will do.
    from fontTools.ttLib import TTFont

    fonts = Path(settings.BASE_DIR, "static", "fonts")
    assert "SIL Open Font License" in (fonts / "LICENSE").read_text()
    letters = {ord(c) for c in MOTTO + SLOGAN + "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđĐ"}
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        cmap = TTFont(fonts / f"LiberationSerif-{style}.ttf").getBestCmap()
        assert letters <= set(cmap), style


def pdf_fonts(pdf: bytes) -> set[str]:
    result = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True)
    lines = result.stdout.decode().splitlines()[2:]
    return {line.split()[0].split("+", 1)[-1] for line in lines if line.strip()}


# ---------------------------------------------------------------- receipt


def test_receipt_holds_every_field_of_form_01(client, clerk, dossier, settings):
    login(client, clerk)
    response = fetch(client, dossier, "receipt")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{dossier.code}-receipt.pdf"'
    assert response["Cache-Control"] == "no-store"
    text = pdf_text(response.content)
    assert_letterhead(text)
    assert in_order(text, "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG NHA TRANG")
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert dossier.code in text
    assert APPLICANT in text
    assert "079201001234" in text  # the applicant's own paper: full identification number
    assert "12 Lê Lợi, phường Nha Trang, tỉnh Khánh Hòa" in text
    assert "0912345678" in text
    assert PROCEDURE in text
    for name in DOCUMENTS:
        assert name in text
    assert "5 ngày làm việc" in text
    assert vn_clock(dossier.received_at) in text
    assert vn_date(dossier.due_at) in text
    assert f"số thứ tự: {dossier.tracking_number}" in text
    assert "Trần Thị Lan" in text  # the receiving clerk, Vietnamese name order
    # The QR code's target is printed too (no decoder here to read the image).
    url = f"{settings.SITE_URL}/tra-cuu/?ma={dossier.code}&khoa={dossier.lookup_key}"
    assert dossier.public_lookup_url == url
    assert url in text
    assert dossier.lookup_key in text
    # Only the shipped fonts, embedded: the same glyphs on every machine.
    assert pdf_fonts(response.content) <= {
        "Motcua-Serif",
        "Motcua-Serif-Bold",
        "Motcua-Serif-Italic",
        "Motcua-Serif-BoldItalic",
    }


def test_receipt_is_logged_as_personal_data_access(client, clerk, dossier):
    login(client, clerk)
    fetch(client, dossier, "receipt")
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.dossier, access.action, access.detail) == (
        clerk,
        dossier,
        "pdf",
        "receipt",
    )


def test_receipt_for_a_leader_of_the_province_masks_personal_data(
    client, provincial_leader, dossier
):
    login(client, provincial_leader)
    text = pdf_text(fetch(client, dossier, "receipt").content)
    assert APPLICANT not in text
    assert "N***** V** An" in text
    assert "079201001234" not in text
    assert "********1234" in text
    assert "12 Lê Lợi" not in text
    assert "0912345678" not in text


def test_receipt_shows_the_filer_with_power_of_attorney(client, clerk, procedure):
    dossier = make_dossier(
        clerk=clerk,
        procedure=procedure,
        applicant=make_applicant(
            filer_name="Trần Văn Bình",
            filer_id_number="079199009876",
            power_of_attorney="Giấy ủy quyền số 12/2026 ngày 10/02/2026",
        ),
    )
    login(client, clerk)
    text = pdf_text(fetch(client, dossier, "receipt").content)
    assert "Người nộp thay: Trần Văn Bình" in text
    assert "079199009876" in text
    assert "Giấy ủy quyền số 12/2026" in text


# ---------------------------------------------------------------- supplement


def test_supplement_lists_every_item_with_its_reason(client, clerk, officer, dossier):
    hand_over(
        dossier=dossier,
        version=dossier.version,
        user=clerk,
        to_agency=clerk.agency,
        to_user=officer,
    )
    request_supplement(
        dossier=dossier,
        version=None,
        user=officer,
        items=[
            {
                "name": "Giấy chứng nhận kết hôn của cha mẹ",
                "reason": "Bản sao chưa được chứng thực",
            },
            {"name": "Giấy chứng sinh", "reason": "Ghi sai ngày sinh của trẻ"},
        ],
        contact_name="Lê Văn Minh",
        contact_phone="0258 3822 123",
    )
    login(client, clerk)
    response = fetch(client, dossier, "supplement")

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert_letterhead(text)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert APPLICANT in text
    assert PROCEDURE in text
    assert dossier.code in text
    assert "1. Giấy chứng nhận kết hôn của cha mẹ. Lý do: Bản sao chưa được chứng thực" in text
    assert "2. Giấy chứng sinh. Lý do: Ghi sai ngày sinh của trẻ" in text
    assert "Lê Văn Minh, số điện thoại 0258 3822 123" in text


def test_supplement_for_a_registration_guided_at_intake(client, clerk, procedure, commune):
    dossier = registered(
        agency=commune,
        procedure=procedure,
        documents=[ReceivedDocument(name=DOCUMENTS[0], originals=1)],
    )
    guide_registered(
        dossier=dossier,
        version=dossier.version,
        user=clerk,
        items=[{"name": "Giấy chứng sinh", "reason": "Chưa tải lên bản số hóa"}],
    )
    login(client, clerk)
    text = pdf_text(fetch(client, dossier, "supplement").content)
    assert "1. Giấy chứng sinh. Lý do: Chưa tải lên bản số hóa" in text
    assert APPLICANT in text
    assert "Trần Thị Lan" in text


def test_supplement_without_any_request_is_not_found(client, clerk, dossier):
    login(client, clerk)
    assert fetch(client, dossier, "supplement").status_code == 404


# ---------------------------------------------------------------- refusal


def test_refusal_gives_the_reasons(client, clerk, procedure, commune):
    dossier = registered(
        agency=commune,
        procedure=procedure,
        documents=[ReceivedDocument(name=DOCUMENTS[0], originals=1)],
    )
    refuse_registered(
        dossier=dossier,
        version=dossier.version,
        user=clerk,
        reason="Trẻ đã được đăng ký khai sinh tại Ủy ban nhân dân xã Cam Lâm",
    )
    login(client, clerk)
    response = fetch(client, dossier, "refusal")

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert_letterhead(text)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" in text
    assert APPLICANT in text
    assert "079201001234" in text
    assert dossier.code in text
    assert PROCEDURE in text
    assert "Trẻ đã được đăng ký khai sinh tại Ủy ban nhân dân xã Cam Lâm" in text
    # Refused at intake: no receipt and no control slip exist for it.
    assert fetch(client, dossier, "receipt").status_code == 404
    assert fetch(client, dossier, "control-slip").status_code == 404


def test_refusal_of_a_dossier_never_refused_is_not_found(client, clerk, dossier):
    login(client, clerk)
    assert fetch(client, dossier, "refusal").status_code == 404


# ---------------------------------------------------------------- apology


def test_apology_is_signed_by_the_head_with_the_new_date(
    client, clerk, officer, unit_head, dossier
):
    hand_over(dossier=dossier, version=None, user=clerk, to_agency=clerk.agency, to_user=officer)
    dossier.refresh_from_db()
    original = dossier.due_at
    new_due = original + dt.timedelta(days=7)  # same weekday: a working day
    approve_apology(
        dossier=dossier,
        version=None,
        user=unit_head,
        reason="Phải xác minh thông tin với Bệnh viện đa khoa tỉnh",
        new_due_at=new_due,
    )
    login(client, clerk)
    response = fetch(client, dossier, "apology")

    assert response.status_code == 200
    text = pdf_text(response.content)
    # Issued by the processing body under the province: the committee's letterhead.
    assert_letterhead(text, "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA ỦY BAN NHÂN DÂN PHƯỜNG NHA TRANG")
    assert "VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert f"Kính gửi: Ông/Bà {APPLICANT}" in text
    assert PROCEDURE in text
    assert dossier.code in text
    assert vn_date(dossier.received_at) in text
    assert vn_clock(original) in text
    assert "Phải xác minh thông tin với Bệnh viện đa khoa tỉnh" in text
    assert "xin lỗi Ông/Bà" in text
    assert vn_clock(new_due) in text
    assert "Phạm Văn Hùng" in text


def test_apology_still_in_draft_is_not_found(client, clerk, dossier):
    draft_apology(dossier=dossier)  # the clock scan drafts it
    login(client, clerk)
    assert fetch(client, dossier, "apology").status_code == 404


# ---------------------------------------------------------------- stop


def test_stop_notice_after_a_withdrawal(client, clerk, dossier):
    request_withdrawal(
        dossier=dossier,
        version=None,
        user=clerk,
        channel_note="Đơn xin rút hồ sơ nộp trực tiếp tại Bộ phận một cửa",
    )
    stop_dossier(
        dossier=dossier,
        version=None,
        user=clerk,
        reason="Người yêu cầu rút hồ sơ trước khi có kết quả giải quyết",
    )
    login(client, clerk)
    response = fetch(client, dossier, "stop")

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert_letterhead(text)
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert dossier.code in text
    assert APPLICANT in text
    assert PROCEDURE in text
    withdrawal = dossier.events.get(kind="request_withdrawal")
    assert f"Lúc {vn_clock(withdrawal.at)}, Ông/Bà có yêu cầu rút hồ sơ" in text
    assert "Đơn xin rút hồ sơ nộp trực tiếp tại Bộ phận một cửa" in text
    assert "Người yêu cầu rút hồ sơ trước khi có kết quả giải quyết" in text
    assert f"Trạng thái hồ sơ khi dừng: {State.WITHDRAWAL_REQUESTED.label}" in text
    assert "Phí, lệ phí: không phát sinh" in text
    assert "Trần Thị Lan" in text


def test_stop_notice_for_a_dossier_still_processing_is_not_found(client, clerk, dossier):
    login(client, clerk)
    assert fetch(client, dossier, "stop").status_code == 404


# ---------------------------------------------------------------- control slip


def test_control_slip_has_a_row_per_hand_over(client, clerk, officer, department, dossier):
    hand_over(dossier=dossier, version=None, user=clerk, to_agency=clerk.agency, to_user=officer)
    complete_dossier(
        dossier=dossier,
        version=None,
        user=officer,
        result_number="125/GKS",
        result_signer="Phạm Văn Hùng",
    )
    return_result(dossier=dossier, version=None, user=clerk, identity_checked=True, delivery="desk")
    login(client, clerk)
    response = fetch(client, dossier, "control-slip")

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert_letterhead(text)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert dossier.code in text
    assert "Cơ quan, đơn vị chủ trì giải quyết: Ủy ban nhân dân phường Nha Trang" in text
    assert vn_clock(dossier.received_at) in text
    # One row per step, in order: receipt, hand-over to the officer, result, return.
    assert in_order(
        text,
        "Nguyễn Văn An Tiếp nhận Trần Thị Lan "
        "Chuyển xử lý Lê Văn Minh "
        "Hoàn thành xử lý Lê Văn Minh "
        "Nguyễn Văn An Trả kết quả",
    )
    received = dossier.events.get(kind="receive")
    # Time and step deadline "HH:MM dd/mm/yyyy" wrap inside their cells.
    assert in_order(
        text,
        f"{vn_time(received.at)} {vn_time(received.step_due_at)} "
        f"{received.get_step_timeliness_display()} "
        f"{vn_date(received.at)} {vn_date(received.step_due_at)}",
    )


# ---------------------------------------------------------------- personal data


FILER = "Trần Văn Bình"
FILER_ID = "079199009876"


def received_and_late(clerk, officer, unit_head, procedure, applicant, reason: str):
    """A dossier received, handed to the officer, and apologised for by the unit head."""
    dossier = make_dossier(clerk=clerk, procedure=procedure, applicant=applicant)
    hand_over(dossier=dossier, version=None, user=clerk, to_agency=clerk.agency, to_user=officer)
    dossier.refresh_from_db()
    approve_apology(
        dossier=dossier,
        version=None,
        user=unit_head,
        reason=reason,
        new_due_at=dossier.due_at + dt.timedelta(days=7),
    )
    return dossier


def stop_unanswered(dossier, *, officer, clerk) -> None:
    """The officer asks for a supplement that never comes; the desk stops the dossier."""
    request_supplement(
        dossier=dossier,
        version=None,
        user=officer,
        items=[{"name": "Tờ khai", "reason": "Thiếu chữ ký"}],
    )
    stop_dossier(dossier=dossier, version=None, user=clerk, reason="Không bổ sung hồ sơ")


@pytest.fixture
def every_form(clerk, officer, unit_head, procedure, commune):
    """Two dossiers filed for the applicant by someone else that between them have
    every form: one received, handed over, apologised for, asked for a supplement
    and stopped; one refused at intake."""
    applicant = make_applicant(filer_name=FILER, filer_id_number=FILER_ID)
    dossier = received_and_late(clerk, officer, unit_head, procedure, applicant, "Phải xác minh")
    stop_unanswered(dossier, officer=officer, clerk=clerk)
    refused = registered(
        agency=commune,
        procedure=procedure,
        documents=[ReceivedDocument(name=DOCUMENTS[0], originals=1)],
        applicant=applicant,
    )
    refuse_registered(dossier=refused, version=None, user=clerk, reason="Sai thẩm quyền")
    dossier.refresh_from_db()
    refused.refresh_from_db()
    forms = [(dossier, slug) for slug in applicable_forms(dossier)]
    forms += [(refused, slug) for slug in applicable_forms(refused)]
    assert sorted(slug for _d, slug in forms) == sorted(FORMS)
    return forms


# Forms that print the identification number (the apology and the control slip do not).
PRINTS_ID = {"receipt", "supplement", "refusal", "stop"}


def test_a_province_leader_who_does_not_handle_the_dossier_gets_every_form_masked(
    client, provincial_leader, every_form
):
    login(client, provincial_leader)
    for dossier, form in every_form:
        response = fetch(client, dossier, form)
        assert response.status_code == 200, form
        text = pdf_text(response.content)
        assert APPLICANT not in text, form
        assert FILER not in text, form
        assert "079201001234" not in text, form
        assert FILER_ID not in text, form
        assert "0912345678" not in text, form
        assert "N***** V** An" in text, form
        if form in PRINTS_ID:
            assert "********1234" in text, form
    # Nothing in full was shown, so nothing is logged (as on the dossier page).
    assert not PersonalDataAccess.objects.exists()


def test_the_handling_clerk_gets_every_form_in_full_and_each_is_logged(client, clerk, every_form):
    login(client, clerk)
    for dossier, form in every_form:
        text = pdf_text(fetch(client, dossier, form).content)
        assert APPLICANT in text or FILER in text, form
        if form in PRINTS_ID:
            assert "079201001234" in text, form
        assert "N***** V** An" not in text, form
    logged = PersonalDataAccess.objects.filter(user=clerk, action="pdf")
    assert sorted(logged.values_list("dossier__code", "detail")) == sorted(
        (dossier.code, form) for dossier, form in every_form
    )


# ---------------------------------------------------------------- one page, names whole

LONG_PROCEDURE = (
    "Liên thông các thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ "
    "bảo hiểm y tế cho trẻ em dưới 6 tuổi"
)
LONG_DOCUMENTS = (
    "Tờ khai đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế theo mẫu",
    "Giấy chứng sinh do cơ sở khám bệnh, chữa bệnh nơi trẻ được sinh ra cấp",
    "Văn bản ủy quyền theo quy định của pháp luật trong trường hợp ủy quyền",
    "Giấy tờ chứng minh nơi cư trú hợp pháp của cha, mẹ hoặc người giám hộ của trẻ",
    "Bản sao giấy chứng nhận kết hôn của cha, mẹ trẻ",
    "Văn bản đồng ý của chủ hộ, chủ sở hữu chỗ ở hợp pháp cho đăng ký thường trú",
    "Giấy tờ, tài liệu chứng minh quan hệ nhân thân với chủ hộ",
    "Phiếu lý lịch tư pháp",
    "Văn bản xác nhận của cơ quan bảo hiểm xã hội về việc chưa được cấp thẻ bảo hiểm y tế",
    "Bản sao giấy tờ tùy thân của người đi đăng ký",
)
LONG_WARD = "Ủy ban nhân dân phường Bắc Nha Trang"
LONG_DESK = "Trung tâm phục vụ hành chính công phường Bắc Nha Trang"
LONG_APPLICANT = "Tôn Nữ Hoàng Phương Thảo"
LONG_FILER = "Nguyễn Trần Phương Quỳnh"


def pdf_pages(pdf: bytes) -> int:
    """The page count poppler's pdfinfo reads from the PDF."""
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    line = next(x for x in out.stdout.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def pdf_lines(pdf: bytes, *crop: str) -> list[str]:
    """The PDF's lines as `pdftotext -layout` reads them (``crop``: -x/-y/-W/-H points)."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", *crop, "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return [" ".join(line.split()) for line in result.stdout.decode().splitlines()]


def assert_whole_on_a_line(lines: list[str], *names: str, agency: bool = True) -> None:
    """Every word of each agency name (name_chunks), or each person's whole name,
    is found on one line: no line breaks inside it."""
    for name in names:
        for chunk in name_chunks(name) if agency else [name]:
            folded = chunk.casefold()
            assert any(folded in line.casefold() for line in lines), (chunk, lines)


def test_names_are_cut_between_words_only():
    assert name_chunks(LONG_DESK) == [
        "Trung tâm",
        "phục vụ",
        "hành chính công",
        "phường Bắc Nha Trang",
    ]
    assert name_chunks("Ủy ban nhân dân tỉnh Khánh Hòa") == ["Ủy ban", "nhân dân", "tỉnh Khánh Hòa"]
    assert name_chunks("Sở Lao động - Thương binh và Xã hội tỉnh Khánh Hòa") == [
        "Sở",
        "Lao động",
        "-",
        "Thương binh",
        "và",
        "Xã hội",
        "tỉnh Khánh Hòa",
    ]
    # In a narrow table cell the level may end a line, never the place's name.
    assert name_chunks(LONG_WARD, with_level=False)[-2:] == ["phường", "Bắc Nha Trang"]


@pytest.fixture
def long_data(clerk, officer, unit_head, commune):
    """Realistic long data at a ward with a long name: the catalog's longest procedure
    name, ten documents, a filer with a power of attorney, long reasons; every
    one-page form applies to one of the two dossiers."""
    commune.name = LONG_WARD
    commune.desk_name = LONG_DESK
    commune.address = (
        "Trụ sở Ủy ban nhân dân phường Bắc Nha Trang, số 2 đường Hai Tháng Tư, tỉnh Khánh Hòa"
    )
    commune.save()
    procedure = make_procedure(name=LONG_PROCEDURE, documents=LONG_DOCUMENTS, agencies=(commune,))
    applicant = make_applicant(
        name=LONG_APPLICANT,
        birth_date=dt.date(1988, 11, 30),
        address="Số 125/17 đường Nguyễn Thị Minh Khai, tổ dân phố 12, phường Bắc Nha Trang, "
        "tỉnh Khánh Hòa",
        email="tonnuhoangphuongthao.1988@example.vn",
        filer_name=LONG_FILER,
        filer_id_number="079199009876",
        filer_phone="0905123456",
        filer_address="Số 8 đường Trần Phú, phường Nha Trang, tỉnh Khánh Hòa",
        power_of_attorney="Giấy ủy quyền số 125/2026/UQ ngày 10/02/2026 được chứng thực tại "
        "Ủy ban nhân dân phường Bắc Nha Trang",
    )
    dossier = received_and_late(
        clerk,
        officer,
        unit_head,
        procedure,
        applicant,
        "\n".join(
            [
                "Phải xác minh thông tin về nơi cư trú với Công an phường Nha Trang",
                "Hệ thống cơ sở dữ liệu quốc gia về dân cư tạm ngừng kết nối trong ba ngày",
            ]
        ),
    )
    request_supplement(
        dossier=dossier,
        version=None,
        user=officer,
        items=[
            {"name": name, "reason": "Bản sao chưa được chứng thực, thông tin không khớp tờ khai"}
            for name in LONG_DOCUMENTS[:8]
        ],
        contact_name="Lê Văn Minh",
        contact_phone="0258 3822 123",
    )
    stop_dossier(
        dossier=dossier,
        version=None,
        user=clerk,
        reason="Quá thời hạn bổ sung, hoàn thiện hồ sơ mà người yêu cầu không bổ sung, "
        "không có văn bản đề nghị gia hạn",
    )
    refused = registered(
        agency=commune,
        procedure=procedure,
        documents=[ReceivedDocument(name=name, originals=1) for name in LONG_DOCUMENTS],
        applicant=applicant,
    )
    refuse_registered(
        dossier=refused,
        version=None,
        user=clerk,
        reason="\n".join(
            [
                "Trẻ đã được đăng ký khai sinh tại Ủy ban nhân dân xã Cam Lâm ngày 02/01/2026",
                "Hồ sơ không thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường Bắc Nha Trang",
                "Giấy chứng sinh không phải bản chính, không có xác nhận của cơ sở y tế",
            ]
        ),
    )
    dossier.refresh_from_db()
    refused.refresh_from_db()
    return {slug: each for each in (dossier, refused) for slug in applicable_forms(each)}


ONE_PAGE = [slug for slug, form in FORMS.items() if form.one_page]


def test_one_page_forms_are_those_the_law_lays_out_on_one_page():
    assert ONE_PAGE == ["receipt", "supplement", "refusal", "apology", "stop"]


@pytest.mark.parametrize("form", ONE_PAGE)
def test_a_one_page_form_fits_one_page_with_typical_data(
    client, clerk, officer, unit_head, every_form, form
):
    login(client, clerk)
    dossier = next(d for d, slug in every_form if slug == form)
    pdf = fetch(client, dossier, form).content
    assert pdf_pages(pdf) == 1
    assert_whole_on_a_line(pdf_lines(pdf), APPLICANT, agency=False)


@pytest.mark.parametrize("form", ONE_PAGE)
def test_a_one_page_form_fits_one_page_with_long_data_and_names_stay_whole(
    client, clerk, long_data, form
):
    login(client, clerk)
    pdf = fetch(client, long_data[form], form).content
    assert pdf_pages(pdf) == 1
    lines = pdf_lines(pdf)
    assert_whole_on_a_line(lines, LONG_WARD, LONG_DESK)
    assert_whole_on_a_line(lines, LONG_APPLICANT, agency=False)
    assert "-\n" not in "\n".join(lines)  # no hyphenation
    # The letterhead's agency column (A4 is 595 x 842 pt; margins 30 mm left, 20 mm
    # top): each line holds whole words, the place names in one piece.
    column = [
        line for line in pdf_lines(pdf, "-x", "80", "-y", "50", "-W", "215", "-H", "110") if line
    ]
    assert "PHƯỜNG BẮC NHA TRANG" in column or "TỈNH KHÁNH HÒA" in column, column


def test_the_receipt_with_long_data_prints_every_document_and_the_signatures(
    client, clerk, long_data
):
    login(client, clerk)
    pdf = fetch(client, long_data["receipt"], "receipt").content
    text = pdf_text(pdf)
    for name in LONG_DOCUMENTS:
        assert in_order(text, name), name  # wrapped in its cell, beside the counts
    assert LONG_PROCEDURE in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    assert in_order(text, f"NGƯỜI NỘP HỒ SƠ {LONG_FILER}") or LONG_FILER in text
    # The desk's name opens a line of the body whole.
    assert any(line.startswith(LONG_DESK) for line in pdf_lines(pdf))


# ---------------------------------------------------------------- permissions


def test_anonymous_is_sent_to_login(client, dossier):
    response = fetch(client, dossier, "receipt")
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_outsider_gets_not_found(client, outsider, dossier):
    login(client, outsider)
    assert fetch(client, dossier, "receipt").status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_unknown_form_is_not_found(client, clerk, dossier):
    login(client, clerk)
    assert fetch(client, dossier, "invoice").status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_unknown_dossier_is_not_found(client, clerk):
    login(client, clerk)
    response = client.get(reverse("desk:pdf", args=["000.00.21.H56-260101-9999", "receipt"]))
    assert response.status_code == 404


def test_forms_not_applicable_to_a_fresh_dossier_are_not_found(client, clerk, dossier):
    login(client, clerk)
    for form in ("supplement", "refusal", "apology", "stop"):
        assert fetch(client, dossier, form).status_code == 404, form
    assert not PersonalDataAccess.objects.exists()


def test_a_receipt_renders_in_a_bounded_number_of_queries(
    client, clerk, dossier, django_assert_max_num_queries
):
    login(client, clerk)
    with django_assert_max_num_queries(12):
        assert fetch(client, dossier, "receipt").status_code == 200


def test_received_at_is_shown_in_vietnam_time(client, clerk, procedure):
    received = timezone.make_aware(dt.datetime(2026, 3, 9, 9, 5), timezone=dt.UTC)  # 16:05 local
    dossier = make_dossier(clerk=clerk, procedure=procedure, received_at=received)
    login(client, clerk)
    text = pdf_text(fetch(client, dossier, "receipt").content)
    assert "16 giờ 05 phút, ngày 09/03/2026" in text
    assert "Khánh Hòa, ngày 09 tháng 03 năm 2026" in text


def test_applicable_forms_are_exactly_those_that_build(clerk, officer, procedure, commune):
    """The dossier page's list of forms (applicable_forms) agrees with the builders."""

    def building(dossier) -> list[str]:
        found = []
        for slug, form in FORMS.items():
            try:
                form.build(dossier, full=True)
            except FormNotApplicable:
                continue
            found.append(slug)
        return found

    fresh = make_dossier(clerk=clerk, procedure=procedure)
    assert applicable_forms(fresh) == building(fresh) == ["receipt", "control-slip"]

    stopped = make_dossier(clerk=clerk, procedure=procedure)
    hand_over(dossier=stopped, version=None, user=clerk, to_agency=commune, to_user=officer)
    stop_unanswered(stopped, officer=officer, clerk=clerk)
    stopped.refresh_from_db()
    assert (
        applicable_forms(stopped)
        == building(stopped)
        == [
            "receipt",
            "supplement",
            "stop",
            "control-slip",
        ]
    )

    refused = registered(
        agency=commune,
        procedure=procedure,
        documents=[ReceivedDocument(name=DOCUMENTS[0], originals=1)],
    )
    refuse_registered(dossier=refused, version=None, user=clerk, reason="Sai thẩm quyền")
    refused.refresh_from_db()
    assert applicable_forms(refused) == building(refused) == ["refusal"]
