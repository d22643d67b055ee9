"""The tracking book (desk:tracking-book): per field and period, as a page, a PDF
and a workbook; only the user's desk (a leader: the subtree); exports logged."""

import datetime as dt
import io
import os
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from desk.models import PersonalDataAccess
from desk.pdf import VN_TZ
from procedures.models import Field
from tests.desk.test_pdf_forms import in_order, pdf_text
from tests.factories import (
    PASSWORD,
    make_applicant,
    make_dossier,
    make_field,
    make_procedure,
    make_user,
)

pytestmark = pytest.mark.django_db

URL = reverse("desk:tracking-book")


def at(day: int, month: int = 3, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=VN_TZ)


def login(client, user) -> None:
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def book(clerk, other_commune, commune):
    """Dossiers in two fields at the commune, inside and outside March 2026, and
    one received at another commune."""
    civil = make_field(code="HT", name="Hộ tịch")
    land = make_field(code="DD", name="Đất đai")
    birth = make_procedure(field=civil, name="Đăng ký khai sinh", agencies=(commune,))
    plot = make_procedure(field=land, name="Đăng ký biến động đất đai", agencies=(commune,))
    other_clerk = make_user(agency=other_commune, roles=("clerk",))
    return {
        "in_civil": make_dossier(clerk=clerk, procedure=birth, received_at=at(2)),
        "in_civil_late_day": make_dossier(
            clerk=clerk,
            procedure=birth,
            received_at=at(31, hour=16),
            applicant=make_applicant(name="Trần Thị Bích", phone="0987654321"),
        ),
        "in_land": make_dossier(clerk=clerk, procedure=plot, received_at=at(10)),
        "before": make_dossier(clerk=clerk, procedure=birth, received_at=at(27, month=2)),
        "after": make_dossier(clerk=clerk, procedure=birth, received_at=at(1, month=4)),
        "elsewhere": make_dossier(
            clerk=other_clerk,
            procedure=make_procedure(field=civil, agencies=(other_commune,)),
            received_at=at(5),
        ),
    }


@pytest.fixture
def civil(book):
    return Field.objects.get(code="HT")


@pytest.fixture
def land(book):
    return Field.objects.get(code="DD")


MARCH = {"from": "01/03/2026", "to": "31/03/2026"}


def codes_in(text: str, book: dict) -> set[str]:
    """Which of the book's dossiers appear in ``text``."""
    return {key for key, dossier in book.items() if dossier.code in text}


def test_page_lists_the_period_and_field_only(client, civil, clerk, book):
    login(client, clerk)
    response = client.get(URL, {**MARCH, "field": civil.pk})

    assert response.status_code == 200
    html = response.content.decode()
    assert codes_in(html, book) == {"in_civil", "in_civil_late_day"}
    assert "Hộ tịch" in html
    # A list: personal data masked, nothing logged.
    assert "0987654321" not in html
    assert "098****321" in html
    assert not PersonalDataAccess.objects.exists()
    assert "format=pdf" in html and "format=xlsx" in html


def test_page_with_every_field(client, clerk, book):
    login(client, clerk)
    html = client.get(URL, MARCH).content.decode()
    assert codes_in(html, book) == {"in_civil", "in_civil_late_day", "in_land"}


def test_one_bound_completes_its_month(client, clerk, book):
    login(client, clerk)
    html = client.get(URL, {"to": "31/03/2026"}).content.decode()
    assert codes_in(html, book) == {"in_civil", "in_civil_late_day", "in_land"}
    html = client.get(URL, {"from": "01/02/2026"}).content.decode()
    assert codes_in(html, book) == {"before"}


def test_default_period_is_the_current_month(client, clerk, book):
    login(client, clerk)
    with_time = timezone.make_aware(dt.datetime(2026, 3, 15, 10, 0), timezone=VN_TZ)
    with time_machine.travel(with_time, tick=False):
        html = client.get(URL).content.decode()
    assert codes_in(html, book) == {"in_civil", "in_civil_late_day", "in_land"}
    assert "01/03/2026" in html and "31/03/2026" in html


def test_pdf_export_holds_the_rows_and_is_logged(client, civil, clerk, book):
    login(client, clerk)
    response = client.get(URL, {**MARCH, "field": civil.pk, "format": "pdf"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    if os.environ.get("MOTCUA_PDF_DUMP"):
        Path(os.environ["MOTCUA_PDF_DUMP"], "tracking-book.pdf").write_bytes(response.content)
    text = pdf_text(response.content)
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert codes_in(text, book) == {"in_civil", "in_civil_late_day"}
    # Cells wrap: a name may run over two lines of the table.
    assert in_order(text, "Nguyễn Văn An")
    assert in_order(text, "Trần Thị Bích")
    assert "0987654321" in text  # the export prints what the paper book holds
    assert "31/03/2026" in text
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.dossier, access.action) == (clerk, None, "export")
    assert "pdf" in access.detail and "rows=2" in access.detail


def test_xlsx_export_holds_the_rows_and_is_logged(client, land, clerk, book):
    login(client, clerk)
    response = client.get(URL, {**MARCH, "field": land.pk, "format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    header, lines = rows[0], rows[1:]
    assert "Mã hồ sơ" in header
    assert [line[header.index("Mã hồ sơ")] for line in lines] == [book["in_land"].code]
    line = dict(zip(header, lines[0], strict=True))
    assert line["Tên người nộp hồ sơ"] == "Nguyễn Văn An"
    assert line["Số điện thoại"] == "0912345678"
    assert line["Lĩnh vực"] == "Đất đai"
    assert line["Ngày, giờ nhận hồ sơ"] == dt.datetime(2026, 3, 10, 9, 0)
    assert line["STT"] == book["in_land"].tracking_number
    access = PersonalDataAccess.objects.get()
    assert access.action == "export" and "xlsx" in access.detail


def test_a_leader_reads_the_whole_subtree(client, civil, provincial_leader, book):
    login(client, provincial_leader)
    html = client.get(URL, {**MARCH, "field": civil.pk}).content.decode()
    assert codes_in(html, book) == {"in_civil", "in_civil_late_day", "elsewhere"}


def test_a_leader_export_masks_dossiers_of_other_agencies(client, civil, provincial_leader, book):
    login(client, provincial_leader)
    response = client.get(URL, {**MARCH, "field": civil.pk, "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    phones = {row[rows[0].index("Số điện thoại")] for row in rows[1:]}
    assert "0912345678" not in phones
    assert "091****678" in phones


@pytest.mark.parametrize(
    ("fmt", "setting"), [("xlsx", "TRACKING_BOOK_MAX_ROWS"), ("pdf", "TRACKING_BOOK_MAX_PDF_ROWS")]
)
def test_too_many_rows_gives_a_clear_message_and_no_export(
    client, clerk, book, settings, fmt, setting
):
    setattr(settings, setting, 2)
    login(client, clerk)
    response = client.get(URL, {**MARCH, "format": fmt})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Kỳ đã chọn có 3 hồ sơ, vượt quá giới hạn 2 dòng" in html
    assert not PersonalDataAccess.objects.exists()
    # Within the limit the same request exports.
    setattr(settings, setting, 3)
    exported = client.get(URL, {**MARCH, "format": fmt})
    exported.close()  # a streamed workbook: close its temporary file
    assert exported["Content-Type"] != response["Content-Type"]


@pytest.mark.parametrize(
    "params",
    [
        {"from": "31/02/2026"},
        {"from": "2026-03-01"},
        {"from": "10/03/2026", "to": "01/03/2026"},
        {"field": "abc"},
        {"format": "docx"},
    ],
)
def test_bad_filters_get_a_message_not_a_500(client, clerk, book, params):
    login(client, clerk)
    response = client.get(URL, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert any(
        message in html
        for message in (
            "Ngày phải có dạng dd/mm/yyyy",
            "Ngày 31/02/2026 không tồn tại.",
            "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc",
            "Chỉ xuất được HTML, PDF hoặc Excel",
            "Lĩnh vực đã chọn không tồn tại",
        )
    )
    assert not PersonalDataAccess.objects.exists()


def test_roles(client, officer, outsider, unit_head, book):
    assert client.get(URL).status_code == 302  # anonymous: to the login page
    login(client, officer)
    assert client.get(URL).status_code == 403
    login(client, outsider)
    assert client.get(URL).status_code == 403
    login(client, unit_head)
    assert client.get(URL, MARCH).status_code == 200


def test_page_query_count_does_not_grow_with_rows(
    client, clerk, book, django_assert_max_num_queries
):
    login(client, clerk)
    with django_assert_max_num_queries(12):
        client.get(URL, MARCH)
