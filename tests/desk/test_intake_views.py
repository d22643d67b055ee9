"""The clerk's intake screen: search, form, deadline preview, save, refusals."""

import datetime as dt
import threading
import zoneinfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

from desk import services
from desk.models import Dossier, DossierAttachment, DossierDocument, DossierEvent, State
from procedures.models import ProcedureStatus, ProcedureVariant, TimeUnit
from tests.factories import make_procedure, make_user

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# Wednesday 11 March 2026, 09:00: five working days later is Wednesday 18 March, 09:00.
WEDNESDAY = dt.datetime(2026, 3, 11, 9, 0, tzinfo=TZ)
INTAKE = reverse("desk:intake")
OPTIONS = reverse("desk:intake-procedures")
PREVIEW = reverse("desk:intake-preview")
HTMX = {"HTTP_HX_REQUEST": "true"}

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def birth(commune):
    return make_procedure(
        name="Đăng ký khai sinh",
        agencies=(commune,),
        documents=("Tờ khai đăng ký khai sinh", "Giấy chứng sinh"),
    )


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def frozen():
    with time_machine.travel(WEDNESDAY, tick=False):
        yield


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def intake_data(procedure, **overrides) -> dict:
    data = {
        "procedure": procedure.code,
        "variant": str(procedure.default_variant().pk) if procedure.default_variant() else None,
        "applicant_name": "Nguyễn Thị Bình",
        "applicant_id_number": "079301004567",
        "applicant_birth_date": "15/08/1990",
        "applicant_address": "25 Trần Phú, phường Nha Trang",
        "applicant_phone": "0987 654 321",
        "applicant_email": "binh@example.vn",
        "summary": "",
        "sets_count": "1",
        "channel": "desk",
        "delivery": "desk",
    }
    for doc in procedure.documents.all():
        data[f"doc_{doc.pk}"] = "on"
        data[f"doc_{doc.pk}_originals"] = str(doc.originals)
        data[f"doc_{doc.pk}_certified"] = "0"
        data[f"doc_{doc.pk}_copies"] = "0"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def nothing_saved() -> bool:
    return (
        not Dossier.objects.exists()
        and not DossierDocument.objects.exists()
        and not DossierAttachment.objects.exists()
        and not DossierEvent.objects.exists()
    )


# ---------------------------------------------------------------- who may use it


@pytest.mark.django_db
@pytest.mark.parametrize("url", [INTAKE, OPTIONS, PREVIEW])
def test_anonymous_is_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer", "unit_head", "provincial_leader", "outsider"])
@pytest.mark.parametrize("url", [INTAKE, OPTIONS, PREVIEW])
def test_only_clerks_may_open_the_intake(client, request, persona, url):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_others_may_not_post_an_intake_either(client, officer, birth):
    client.force_login(officer)
    assert client.post(INTAKE, intake_data(birth)).status_code == 403
    assert nothing_saved()


# ---------------------------------------------------------------- picking the procedure


@pytest.mark.django_db
def test_search_without_diacritics_lists_procedures_as_buttons(clerk_client, birth):
    make_procedure(name="Đăng ký kết hôn")
    response = clerk_client.get(INTAKE, {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="procedure" value="{birth.code}"' in html
    assert "Đăng ký kết hôn" not in html
    assert "autofocus" in html  # the search box


@pytest.mark.django_db
def test_search_by_code(clerk_client, birth):
    html = clerk_client.get(INTAKE, {"q": birth.code}).content.decode()
    assert f'value="{birth.code}"' in html


@pytest.mark.django_db
def test_procedures_of_the_clerks_agency_come_first(clerk_client, commune, other_commune):
    exact_elsewhere = make_procedure(name="Đăng ký khai sinh", agencies=(other_commune,))
    partial_here = make_procedure(name="Đăng ký lại khai sinh", agencies=(commune,))
    html = clerk_client.get(INTAKE, {"q": "dang ky khai sinh"}).content.decode()
    assert html.index(f'value="{partial_here.code}"') < html.index(
        f'value="{exact_elsewhere.code}"'
    )


@pytest.mark.django_db
def test_at_most_ten_procedures_are_offered(clerk_client):
    for n in range(12):
        make_procedure(name=f"Cấp bản sao trích lục hộ tịch loại {n}")
    html = clerk_client.get(INTAKE, {"q": "trich luc"}).content.decode()
    assert html.count('name="procedure"') == 10


@pytest.mark.django_db
def test_abolished_procedures_are_not_offered_nor_accepted(clerk_client):
    old = make_procedure(name="Cấp giấy xác nhận cũ", status=ProcedureStatus.ABOLISHED)
    assert old.code not in clerk_client.get(INTAKE, {"q": "xac nhan cu"}).content.decode()
    response = clerk_client.get(INTAKE, {"procedure": old.code})
    assert "Không tìm thấy thủ tục" in response.content.decode()
    assert 'name="applicant_name"' not in response.content.decode()


@pytest.mark.django_db
def test_live_search_answers_htmx_with_the_list_only(clerk_client, birth):
    response = clerk_client.get(OPTIONS, {"q": "khai sinh"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'value="{birth.code}"' in html


@pytest.mark.django_db
def test_live_search_url_without_htmx_goes_back_to_the_page(clerk_client):
    response = clerk_client.get(OPTIONS, {"q": "khai sinh"})
    assert response.status_code == 302
    assert response["Location"] == f"{INTAKE}?q=khai+sinh"


@pytest.mark.django_db
def test_choosing_a_procedure_shows_its_documents_with_catalog_counts(clerk_client, birth):
    doc = birth.documents.first()
    doc.certified_copies = 2
    doc.save()
    html = clerk_client.get(INTAKE, {"procedure": birth.code}).content.decode()
    assert "Tờ khai đăng ký khai sinh" in html and "Giấy chứng sinh" in html
    assert f'name="doc_{doc.pk}_certified" value="2"' in html
    assert f'name="doc_{doc.pk}_digitised"' in html
    assert 'name="applicant_id_number"' in html
    assert 'type="file" name="scans"' in html and "multiple" in html
    assert "<html" in html


@pytest.mark.django_db
def test_choosing_a_procedure_with_htmx_returns_the_form_partial(clerk_client, birth):
    response = clerk_client.get(INTAKE, {"q": "khai sinh", "procedure": birth.code}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="intake-procedure"' in html


@pytest.mark.django_db
def test_several_variants_give_a_select(clerk_client, birth):
    ProcedureVariant.objects.create(
        procedure=birth, name="Có yếu tố nước ngoài", time_value=10, time_unit=TimeUnit.WORKING_DAYS
    )
    html = clerk_client.get(INTAKE, {"procedure": birth.code}).content.decode()
    assert '<select name="variant"' in html
    assert "Có yếu tố nước ngoài" in html


# ---------------------------------------------------------------- deadline preview


@pytest.mark.django_db
def test_preview_with_htmx_shows_the_due_date_and_its_explanation(clerk_client, birth, frozen):
    response = clerk_client.get(PREVIEW, {"procedure": birth.code}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "09:00" in html and "18/03/2026" in html
    expected = services.preview_deadline(
        procedure=birth, variant=None, agency=birth.agencies.get(), received_at=WEDNESDAY
    ).explain()
    assert len(expected) >= 3
    for line in expected:
        assert line in html


@pytest.mark.django_db
def test_preview_follows_the_chosen_variant(clerk_client, birth, frozen):
    longer = ProcedureVariant.objects.create(
        procedure=birth, name="Có yếu tố nước ngoài", time_value=10, time_unit=TimeUnit.WORKING_DAYS
    )
    html = clerk_client.get(
        PREVIEW, {"procedure": birth.code, "variant": longer.pk}, **HTMX
    ).content.decode()
    assert "25/03/2026" in html  # ten working days after 11/03 09:00


@pytest.mark.django_db
def test_preview_of_a_procedure_without_a_term_says_so(clerk_client, birth):
    birth.variants.all().delete()
    html = clerk_client.get(PREVIEW, {"procedure": birth.code}, **HTMX).content.decode()
    assert "chưa có thời hạn giải quyết" in html


@pytest.mark.django_db
def test_the_page_shows_the_preview_when_a_procedure_is_chosen(clerk_client, birth, frozen):
    html = clerk_client.get(INTAKE, {"procedure": birth.code}).content.decode()
    assert "18/03/2026" in html
    assert "Cách tính hạn" in html


@pytest.mark.django_db
def test_preview_button_without_javascript_rerenders_with_the_input_kept(
    clerk_client, birth, frozen
):
    data = intake_data(birth, applicant_id_number="123", preview="1")
    response = clerk_client.post(INTAKE, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "18/03/2026" in html
    assert 'value="Nguyễn Thị Bình"' in html
    assert "gồm đúng 12 chữ số" not in html  # errors wait until the clerk saves
    assert nothing_saved()


# ---------------------------------------------------------------- saving


@pytest.mark.django_db
def test_saving_receives_the_dossier_and_offers_the_receipt(clerk_client, clerk, birth, frozen):
    first, second = birth.documents.all()
    data = intake_data(birth, summary="Khai sinh cho con thứ hai", sets_count="2")
    data[f"doc_{first.pk}_digitised"] = "on"
    data[f"doc_{second.pk}_copies"] = "1"
    response = clerk_client.post(INTAKE, data)
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:detail", args=[dossier.code]) + "?in=receipt"
    assert dossier.code == f"{clerk.agency.identifier}-260311-0001"
    assert dossier.state == State.RECEIVED
    assert dossier.receiving_agency == clerk.agency
    assert dossier.received_by == clerk
    assert dossier.applicant_phone == "0987654321"
    assert dossier.applicant_birth_date == dt.date(1990, 8, 15)
    assert dossier.sets_count == 2
    assert dossier.summary == "Khai sinh cho con thứ hai"
    assert dossier.due_at == dt.datetime(2026, 3, 18, 9, 0, tzinfo=TZ)
    documents = list(dossier.documents.order_by("order"))
    assert [(d.name, d.originals, d.copies, d.digitised) for d in documents] == [
        ("Tờ khai đăng ký khai sinh", 1, 0, True),
        ("Giấy chứng sinh", 1, 1, False),
    ]
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(dossier.code in m and "18/03/2026" in m for m in messages)

    page = clerk_client.get(response["Location"]).content.decode()
    receipt = reverse("desk:pdf", args=[dossier.code, "receipt"])
    assert f'class="button button--primary button--print" href="{receipt}"' in page
    assert "In giấy tiếp nhận" in page


@pytest.mark.django_db
def test_only_ticked_documents_are_recorded(clerk_client, birth):
    _first, second = birth.documents.all()
    data = intake_data(birth)
    del data[f"doc_{second.pk}"]
    data["other_name"] = "Giấy xác nhận cư trú"
    data["doc_other_copies"] = "1"
    clerk_client.post(INTAKE, data)
    names = list(Dossier.objects.get().documents.values_list("name", flat=True))
    assert names == ["Tờ khai đăng ký khai sinh", "Giấy xác nhận cư trú"]


@pytest.mark.django_db
def test_scans_are_stored_as_attachments(clerk_client, clerk, birth, media):
    data = intake_data(birth)
    data["scans"] = [upload("to-khai.pdf", PDF), upload("giay-chung-sinh.png", PNG, "image/png")]
    response = clerk_client.post(INTAKE, data)
    assert response.status_code == 302
    attachments = list(Dossier.objects.get().attachments.order_by("pk"))
    assert [(a.original_name, a.content_type, a.size) for a in attachments] == [
        ("to-khai.pdf", "application/pdf", len(PDF)),
        ("giay-chung-sinh.png", "image/png", len(PNG)),
    ]
    assert all(a.uploaded_by == clerk for a in attachments)
    # Stored under a random name: the original name may carry personal data.
    assert "to-khai" not in attachments[0].file.name
    assert (media / attachments[0].file.name).read_bytes() == PDF


@pytest.mark.django_db
def test_the_filer_with_a_power_of_attorney_is_recorded(clerk_client, birth):
    data = intake_data(
        birth,
        filer_name="Trần Văn Cường",
        filer_id_number="079099001111",
        power_of_attorney="Giấy ủy quyền số 12/UQ ngày 01/03/2026",
    )
    assert clerk_client.post(INTAKE, data).status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.filer_name == "Trần Văn Cường"
    assert dossier.power_of_attorney.startswith("Giấy ủy quyền số 12")


# ---------------------------------------------------------------- refusals keep data unchanged


BIG = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "files", "message"),
    [
        ({"applicant_id_number": "07930100456"}, None, "Số định danh cá nhân gồm đúng 12 chữ số."),
        ({"applicant_id_number": "07930100456X"}, None, "Số định danh cá nhân gồm đúng 12 chữ số."),
        ({"applicant_id_number": ""}, None, "Phải nhập số định danh cá nhân"),
        ({"applicant_phone": "12345"}, None, "Số điện thoại không hợp lệ"),
        ({"applicant_name": "   "}, None, "Phải nhập họ và tên người yêu cầu."),
        ({"applicant_birth_date": "31/02/1990"}, None, "Ngày 31/02/1990 không tồn tại."),
        ({"applicant_birth_date": "29/02/2023"}, None, "Ngày 29/02/2023 không tồn tại."),
        ({"applicant_birth_date": "15-08-1990"}, None, "Ngày sinh phải theo dạng ngày/tháng/năm"),
        ({"applicant_birth_date": "32/01/1990"}, None, "Ngày sinh phải theo dạng ngày/tháng/năm"),
        ({"applicant_birth_date": "01/01/2099"}, None, "Ngày sinh không hợp lệ"),
        ({"applicant_email": "khong-phai-email"}, None, "Địa chỉ thư điện tử không hợp lệ."),
        ({"sets_count": "0"}, None, "Số bộ hồ sơ ít nhất là 1."),
        (
            {"filer_name": "Trần Văn Cường"},
            None,
            "Phải nhập số định danh cá nhân của người nộp thay.",
        ),
        ({"other_name": "", "doc_other": "on"}, None, "Phải ghi tên giấy tờ khác đã nhận."),
        (
            {},
            [("to-khai.pdf", b"MZ\x90\x00\x03\x00\x00\x00 this is a program", "application/pdf")],
            "không phải là PDF, JPEG hoặc PNG",
        ),
        (
            {},
            [("anh-chup.pdf", PNG, "application/pdf")],
            "không khớp với nội dung (nội dung là PNG)",
        ),
        ({}, [("ban-quet.pdf", BIG, "application/pdf")], "lớn hơn 10 MB"),
    ],
)
def test_invalid_intake_is_refused_with_a_vietnamese_message_and_saves_nothing(
    clerk_client, birth, media, overrides, files, message
):
    data = intake_data(birth, **overrides)
    if files:
        data["scans"] = [upload(name, content, ctype) for name, content, ctype in files]
    response = clerk_client.post(INTAKE, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "Chưa lưu được hồ sơ" in html
    assert nothing_saved()
    assert not any(media.rglob("*.*"))
    # What the clerk typed is still there.
    if overrides.get("applicant_name") is None:
        assert 'value="Nguyễn Thị Bình"' in html
    assert 'value="25 Trần Phú, phường Nha Trang"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"applicant_name": "Nguyễn\x00Bình"},
        {"applicant_address": "25 Trần Phú\x00"},
        {"procedure": "\x00"},
        {"variant": "\x00"},
        {"sets_count": str(10**30)},
        {"variant": str(10**30)},
        {"applicant_name": "x" * 100_000},
        {"summary": "x" * 100_000},
    ],
)
def test_malformed_intake_values_are_refused_and_save_nothing(clerk_client, birth, overrides):
    # NUL bytes are refused before the view (a 400 with the message); huge numbers and
    # over-long text by the form (the page again, with the message next to the field).
    response = clerk_client.post(INTAKE, {**intake_data(birth), **overrides})
    assert response.status_code == 400
    assert nothing_saved()


@pytest.mark.django_db
def test_no_document_ticked_is_refused(clerk_client, birth):
    data = intake_data(birth)
    for doc in birth.documents.all():
        del data[f"doc_{doc.pk}"]
    response = clerk_client.post(INTAKE, data)
    assert response.status_code == 400
    assert "Chưa đánh dấu giấy tờ nào đã nhận" in response.content.decode()
    assert nothing_saved()


@pytest.mark.django_db
def test_a_variant_of_another_procedure_is_refused(clerk_client, birth):
    other = make_procedure(name="Đăng ký kết hôn")
    data = intake_data(birth, variant=str(other.default_variant().pk))
    response = clerk_client.post(INTAKE, data)
    assert response.status_code == 400
    assert "Trường hợp đã chọn không thuộc thủ tục này." in response.content.decode()
    assert nothing_saved()


@pytest.mark.django_db
def test_a_procedure_without_a_term_cannot_be_received(clerk_client, birth):
    birth.variants.all().delete()
    data = intake_data(birth, variant=None)
    response = clerk_client.post(INTAKE, data)
    assert response.status_code == 400
    assert "chưa có thời hạn giải quyết" in response.content.decode()
    assert nothing_saved()


@pytest.mark.django_db
def test_an_unknown_procedure_sends_the_clerk_back_to_the_search(clerk_client, birth):
    data = {**intake_data(birth), "procedure": "9.999999"}
    response = clerk_client.post(INTAKE, data)
    assert response.status_code == 302
    assert response["Location"] == INTAKE
    assert nothing_saved()


# ---------------------------------------------------------------- parallel intakes


@pytest.mark.django_db(transaction=True)
def test_parallel_intakes_at_the_same_instant_get_unique_consecutive_codes(clerk, commune):
    procedure = make_procedure(name="Chứng thực bản sao", agencies=(commune,))
    clerks = [clerk] + [
        make_user(agency=commune, roles=("clerk",), username=f"clerk-{n}") for n in range(7)
    ]
    start = threading.Barrier(len(clerks))
    failures: list[str] = []

    def work(user):
        try:
            client = Client()
            client.force_login(user)
            start.wait(timeout=30)
            for n in range(5):
                data = intake_data(procedure, applicant_name=f"Người thứ {user.pk}-{n}")
                response = client.post(INTAKE, data)
                if response.status_code != 302:
                    failures.append(f"{user.username}: {response.status_code}")
        except Exception as error:  # reported below; a thread must not die silently
            failures.append(repr(error))
        finally:
            connection.close()

    with time_machine.travel(WEDNESDAY, tick=False):
        threads = [threading.Thread(target=work, args=(user,)) for user in clerks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert failures == []
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 40
    assert codes == [f"{commune.identifier}-260311-{n:04d}" for n in range(1, 41)]
    assert sorted(Dossier.objects.values_list("tracking_number", flat=True)) == list(range(1, 41))
