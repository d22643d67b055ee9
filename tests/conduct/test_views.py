"""The pages themselves: ticks with and without htmx, photos checked by content,
completion from the page, the record PDF's text, the XLSX export, the panel as a
page and as a partial, plan coverage warnings, opening an inspection."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conduct import services
from conduct.models import FollowUp, Inspection, InspectionStatus, ItemResult
from tests.factories import PASSWORD, make_agency, make_dossier

from .conftest import at, open_inspection, tick_all

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTMX = {"HTTP_HX_REQUEST": "true"}


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: `make test` installs Debian's poppler-utils.")
    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return " ".join(out.stdout.decode("utf-8").split())


@pytest.fixture
def draft(commune, inspector, ward_staff, checklist):
    return open_inspection(agency=commune, lead=inspector, officers=ward_staff)


def test_tick_with_htmx_returns_the_saved_tick(client, inspector, draft, ward_staff):
    login(client, inspector)
    item = draft.version.items.get(code="KL6")
    target = f"o{ward_staff[0].pk}"
    response = client.post(
        reverse("conduct:tick", args=[draft.public_id]),
        {
            "item": item.pk,
            "target": target,
            "outcome": "not_met",
            "note": "Không đeo thẻ",
            "stamp": "1700000000000",
        },
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    # Only the tick's status is swapped: what the inspector is typing stays untouched.
    assert body.startswith('<span class="tick__status" data-tick-status>Đã lưu')
    assert "<html" not in body
    result = ItemResult.objects.get(inspection=draft, item=item, target=target)
    assert (result.outcome, result.stamp, result.updated_by) == (
        "not_met",
        1700000000000,
        inspector,
    )


def test_tick_without_javascript_redirects_back_to_the_tick(client, inspector, draft):
    login(client, inspector)
    item = draft.version.items.get(code="CS1")
    response = client.post(
        reverse("conduct:tick", args=[draft.public_id]),
        {"item": item.pk, "target": "p", "outcome": "met", "note": ""},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#tick-p-{item.pk}")
    assert ItemResult.objects.get(item=item).outcome == "met"


def test_a_bad_tick_is_refused_with_a_message_and_changes_nothing(client, inspector, draft):
    login(client, inspector)
    item = draft.version.items.get(code="CS1")
    response = client.post(
        reverse("conduct:tick", args=[draft.public_id]),
        {"item": item.pk, "target": "o1' OR 1=1", "outcome": "met"},
        **HTMX,
    )
    assert response.status_code == 400
    assert "không hợp lệ" in response.content.decode()
    response = client.post(
        reverse("conduct:tick", args=[draft.public_id]),
        {"item": item.pk, "target": "p", "outcome": "maybe"},
        **HTMX,
    )
    assert response.status_code == 400
    assert not ItemResult.objects.exists()


@pytest.mark.parametrize("stamp", [str(10**30), str(2**63), "-1", "1e9", "x" * 100_000])
def test_a_tick_with_a_stamp_the_database_cannot_hold_is_refused(client, inspector, draft, stamp):
    login(client, inspector)
    item = draft.version.items.get(code="CS1")
    response = client.post(
        reverse("conduct:tick", args=[draft.public_id]),
        {"item": item.pk, "target": "p", "outcome": "met", "stamp": stamp},
        **HTMX,
    )
    assert response.status_code == 400
    assert "Dữ liệu đánh giá không hợp lệ." in response.content.decode()
    assert not ItemResult.objects.exists()


def test_tick_on_a_completed_inspection_is_refused(client, inspector, draft):
    tick_all(draft, inspector)
    services.complete_inspection(inspection=draft, by=inspector)
    login(client, inspector)
    item = draft.version.items.get(code="CS1")
    response = client.post(
        reverse("conduct:tick", args=[draft.public_id]),
        {"item": item.pk, "target": "p", "outcome": "not_met"},
        **HTMX,
    )
    assert response.status_code == 400
    assert "đã kết thúc" in response.content.decode()
    assert ItemResult.objects.get(item=item, target="p").outcome == "met"


def test_the_entry_page_has_a_tick_per_item_and_target(client, inspector, draft):
    login(client, inspector)
    response = client.get(reverse("conduct:inspection", args=[draft.public_id]))
    body = response.content.decode()
    assert body.count("data-tick>") == 50  # 3 officers x 14 + 8 premises
    assert "hx-post" in body and "js/conduct.js" in body
    assert "style=" not in body  # CSP: no inline styles
    assert response["Cache-Control"] == "private, no-store"


def test_photo_is_checked_by_content_and_served_only_to_readers(client, inspector, draft, outsider):
    login(client, inspector)
    item = draft.version.items.get(code="CS4")
    url = reverse("conduct:photo", args=[draft.public_id])
    fake = SimpleUploadedFile("anh.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    response = client.post(url, {"item": item.pk, "target": "p", "photo": fake}, follow=True)
    assert "không phải ảnh JPEG hoặc PNG" in response.content.decode()
    assert not ItemResult.objects.exists()
    good = SimpleUploadedFile("bep.png", PNG, content_type="image/png")
    client.post(url, {"item": item.pk, "target": "p", "photo": good})
    result = ItemResult.objects.get()
    assert result.photo.name.startswith(f"conduct/{draft.pk}/") and "bep" not in result.photo.name
    view = reverse("conduct:photo-view", args=[draft.public_id, result.pk])
    response = client.get(view)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    client.logout()
    login(client, outsider)
    assert client.get(view).status_code == 404


def test_completing_from_the_page(client, inspector, unit_head, draft, ward_staff):
    login(client, inspector)
    url = reverse("conduct:complete", args=[draft.public_id])
    response = client.post(url, {"conclusion": "Tốt"}, follow=True)
    assert "Còn 50 tiêu chí chưa đánh giá" in response.content.decode()
    assert Inspection.objects.get().status == InspectionStatus.DRAFT
    for key in [f"o{o.pk}" for o in ward_staff] + ["p"]:
        client.post(reverse("conduct:fill", args=[draft.public_id]), {"target": key})
    response = client.post(url, {"conclusion": "Đơn vị chấp hành tốt"}, follow=True)
    assert "Đã kết thúc kiểm tra" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == InspectionStatus.COMPLETED and draft.conclusion == "Đơn vị chấp hành tốt"


def test_record_pdf_text(client, inspector, unit_head, commune, ward_staff, checklist):
    dossier = make_dossier(clerk=ward_staff[0])
    day = dt.date.today()
    inspection = open_inspection(
        agency=commune,
        lead=inspector,
        officers=ward_staff,
        now=dossier.received_at + dt.timedelta(minutes=5),
    )
    assert inspection.samples.get().dossier == dossier
    tick_all(inspection, inspector, not_met=[("KL6", f"o{ward_staff[1].pk}"), ("CS7", "p")])
    services.add_commendation(
        inspection=inspection, officer=ward_staff[0], description="Hướng dẫn tận tình"
    )
    services.complete_inspection(inspection=inspection, by=inspector, conclusion="Khắc phục ngay")
    login(client, inspector)
    response = client.get(reverse("conduct:record-pdf", args=[inspection.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BIÊN BẢN KIỂM TRA CÔNG VỤ",
        "Số: 01/BB-KTCV",
        f"ngày {day:%d} tháng {day:%m} năm {day:%Y}",
        "Ủy ban nhân dân phường Nha Trang",
        "Ngô Thị Thu - Trưởng đoàn",
        "Phạm Văn Hùng",  # the unit head, representative of the unit
        "Lê Văn Minh",
        "KL6. Đeo thẻ công chức",
        "Không đạt",
        dossier.code,
        "Máy tra cứu, mã QR",
        "Hướng dẫn tận tình",
        "Khắc phục ngay",
        "TRƯỞNG ĐOÀN KIỂM TRA",
        "ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA",
    ):
        assert expected in text, expected
    assert "Lê Văn Minh: KL6. Đeo thẻ công chức" in text


def test_record_pdf_exists_only_when_completed(client, inspector, draft):
    login(client, inspector)
    assert client.get(reverse("conduct:record-pdf", args=[draft.public_id])).status_code == 404


def test_scores_xlsx(client, provincial_leader, inspector, commune, ward_staff, checklist):
    from openpyxl import load_workbook

    day = dt.date(2026, 3, 10)
    inspection = open_inspection(agency=commune, lead=inspector, officers=ward_staff[:1], day=day)
    tick_all(inspection, inspector, not_met=[("KL6", f"o{ward_staff[0].pk}")])
    services.complete_inspection(inspection=inspection, by=inspector, now=at(day, 11))
    login(client, provincial_leader)
    response = client.get(reverse("conduct:scores"), {"year": 2026, "format": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    agencies = list(workbook["Đơn vị"].values)
    assert agencies[0][0] == "Đơn vị"
    assert agencies[1][:6] == (commune.name, 1, 21, 1, 0, 95.5)
    officers = list(workbook["Cán bộ"].values)
    assert officers[1][:6] == ("Trần Thị Lan", commune.name, 1, 13, 1, 92.9)
    page = client.get(reverse("conduct:scores"), {"year": 2026}).content.decode()
    assert "95,5%" in page and "92,9%" in page  # Vietnamese decimal comma


def test_panel_page_and_partial(
    client, provincial_leader, inspector, commune, ward_staff, checklist
):
    login(client, provincial_leader)
    url = reverse("conduct:dashboard-panel")
    full = client.get(url).content.decode()
    partial = client.get(url, **HTMX)
    assert "<html" in full and "data-conduct-panel" in full
    assert (
        "<html" not in partial.content.decode() and "data-conduct-panel" in partial.content.decode()
    )
    assert partial["Vary"] and "HX-Request" in partial["Vary"]


def test_plan_page_warns_when_short(client, inspector, province, checklist):
    for i in range(10):
        make_agency(parent=province, name=f"Xã {i}")
    plan = services.create_plan(agency=province, year=2026, by=inspector)
    login(client, inspector)
    body = client.get(reverse("conduct:plan", args=[plan.pk])).content.decode()
    assert "data-coverage-warning" in body and "cần thêm 3 đơn vị" in body
    unit = province.children.order_by("pk").first()
    response = client.post(
        reverse("conduct:plan", args=[plan.pk]),
        {"agency": unit.pk, "planned_on": "31/02/2026", "kind": "announced"},
    )
    assert response.status_code == 400 and "dd/mm/yyyy" in response.content.decode()
    response = client.post(
        reverse("conduct:plan", args=[plan.pk]),
        {"agency": unit.pk, "planned_on": "15/06/2026", "kind": "announced"},
    )
    assert response.status_code == 302
    body = client.get(reverse("conduct:plan", args=[plan.pk])).content.decode()
    assert "cần thêm 2 đơn vị" in body


def test_opening_an_inspection_from_the_form(
    client, inspector, commune, ward_staff, checklist, outsider
):
    login(client, inspector)
    url = reverse("conduct:inspection-new")
    response = client.post(
        url, {"agency": commune.pk, "inspected_on": "99/99/2026", "kind": "unannounced"}
    )
    assert response.status_code == 400 and not Inspection.objects.exists()
    response = client.post(
        url,
        {
            "agency": commune.pk,
            "inspected_on": dt.date.today().strftime("%d/%m/%Y"),
            "kind": "unannounced",
        },
    )
    inspection = Inspection.objects.get()
    assert response["Location"] == reverse("conduct:inspection", args=[inspection.public_id])
    assert inspection.lead == inspector and inspection.inspecting_agency == inspector.agency
    # Officers present are chosen on the entry page.
    client.post(
        reverse("conduct:officers", args=[inspection.public_id]),
        {"officers": [o.pk for o in ward_staff]},
    )
    assert inspection.present.count() == 3
    response = client.post(
        reverse("conduct:officers", args=[inspection.public_id]),
        {"officers": [outsider.pk]},
        follow=True,
    )
    assert "không hợp lệ" in response.content.decode()
    assert inspection.present.count() == 3


def test_commune_inspector_cannot_open_an_inspection_outside_the_subtree(
    client, commune, other_commune, checklist
):
    from tests.factories import make_user

    local = make_user(agency=commune, roles=("inspector",))
    login(client, local)
    response = client.post(
        reverse("conduct:inspection-new"),
        {
            "agency": other_commune.pk,
            "inspected_on": dt.date.today().strftime("%d/%m/%Y"),
            "kind": "announced",
        },
    )
    assert response.status_code == 400 and "phạm vi kiểm tra" in response.content.decode()
    assert not Inspection.objects.exists()


def test_scores_page_queries_do_not_grow_with_officers(
    client, provincial_leader, inspector, province, checklist, django_assert_max_num_queries
):
    from tests.factories import make_user

    day = dt.date(2026, 3, 10)
    for _ in range(3):
        unit = make_agency(parent=province)
        staff = [make_user(agency=unit, roles=("officer",)) for _ in range(4)]
        inspection = open_inspection(agency=unit, lead=inspector, officers=staff, day=day)
        tick_all(inspection, inspector, not_met=[("KL6", f"o{staff[0].pk}")])
        services.complete_inspection(inspection=inspection, by=inspector, now=at(day, 11))
    login(client, provincial_leader)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("conduct:scores"), {"year": 2026})
    assert response.content.decode().count("/kiem-tra-cong-vu/can-bo/") == 12


def test_entry_page_in_english(client, inspector, draft, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login(client, inspector)
    body = client.get(reverse("conduct:inspection", args=[draft.public_id])).content.decode()
    assert "Not applicable" in body and "Officers present" in body
    assert "Complete and issue the record" in body


def test_a_refused_commendation_is_the_page_again_with_what_was_typed(
    client, inspector, draft, outsider
):
    login(client, inspector)
    url = reverse("conduct:commend", args=[draft.public_id])
    # An officer who was not present: the form refuses the choice.
    response = client.post(url, {"officer": outsider.pk, "description": "Nhiệt tình, chu đáo"})
    html = response.content.decode()
    assert response.status_code == 400
    assert '<main id="main"' in html and 'role="alert"' in html
    assert 'value="Nhiệt tình, chu đáo"' in html
    assert not draft.findings.exists()


def test_a_refused_completion_keeps_the_conclusion_typed(client, inspector, draft):
    login(client, inspector)
    url = reverse("conduct:complete", args=[draft.public_id])
    response = client.post(url, {"conclusion": "Đơn vị chấp hành tốt"})
    html = response.content.decode()
    assert response.status_code == 400  # 50 items not assessed yet
    assert "Còn 50 tiêu chí chưa đánh giá" in html and 'role="alert"' in html
    assert "Đơn vị chấp hành tốt</textarea>" in html
    assert Inspection.objects.get().status == InspectionStatus.DRAFT


def test_a_refused_follow_up_close_is_the_list_again_with_the_message(
    client, inspector, unit_head, draft, ward_staff
):
    tick_all(draft, inspector, not_met=[("CS2", "p")])
    services.complete_inspection(inspection=draft, by=inspector, conclusion="")
    follow_up = FollowUp.objects.get()
    login(client, unit_head)
    url = reverse("conduct:follow-up-close", args=[follow_up.pk])
    response = client.post(url, {"resolution": "   "})
    html = response.content.decode()
    assert response.status_code == 400
    assert '<main id="main"' in html and "Cần ghi kết quả khắc phục" in html
    follow_up.refresh_from_db()
    assert follow_up.done_at is None

    too_long = "Đã treo biển mới. " * 60  # over the 1,000 characters the form takes
    response = client.post(url, {"resolution": too_long})
    assert response.status_code == 400
    assert f"{too_long}</textarea>" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.done_at is None and follow_up.resolution == ""
