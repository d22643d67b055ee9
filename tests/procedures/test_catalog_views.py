"""The public catalog pages: full page and htmx partial, the detail page's
Decree 63/2010 content, query counts, headers and CSP."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procedures.models import Procedure, ProcedureStatus
from procedures.services import save_procedure
from tests.factories import make_field, make_procedure

pytestmark = pytest.mark.django_db

URL = reverse("procedures:catalog")
HTMX = {"HTTP_HX_REQUEST": "true"}


def full_content(**overrides) -> dict:
    """A procedure with every part Decree 63/2010 asks for, as an import row."""
    content = {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "level": "commune",
        "is_interlevel": True,
        "implementing_body": "Ủy ban nhân dân cấp xã",
        "steps": "Bước 1: Nộp tờ khai tại Bộ phận một cửa.\nBước 2: Nhận Giấy khai sinh.",
        "accepts_at_desk": True,
        "accepts_by_post": True,
        "accepts_online": True,
        "filing_notes": "Nộp trực tuyến qua Cổng Dịch vụ công quốc gia.",
        "applicants": "Cha, mẹ hoặc người thân thích của trẻ",
        "result": "Giấy khai sinh bản chính",
        "result_form": "Mẫu Giấy khai sinh theo Thông tư 04/2024",
        "conditions": "Trẻ chưa được đăng ký khai sinh",
        "application_forms": "Tờ khai đăng ký khai sinh (Mẫu TP/HT-2020-KS.1)",
        "legal_basis": "Luật Hộ tịch số 60/2014/QH13\nNghị định số 123/2015/NĐ-CP",
        "decision_number": "1234/QĐ-UBND",
        "decision_date": "2025-07-01",
        "status": "published",
        "effective_from": "2025-07-02",
        "effective_to": "",
        "online_level": "full",
        "file_anywhere": True,
        "restart_term_after_supplement": False,
        "field_code": "HT",
        "field_name": "Hộ tịch",
        "agencies": ["000.00.21.H56"],
        "variants": [
            {
                "name": "Trường hợp thông thường",
                "time_value": 0,
                "time_unit": "immediate",
                "is_default": True,
            },
            {
                "name": "Trường hợp cần xác minh",
                "time_value": 3,
                "time_unit": "working_days",
                "is_default": False,
            },
        ],
        "documents": [
            {
                "name": "Tờ khai đăng ký khai sinh",
                "originals": 1,
                "certified_copies": 0,
                "copies": 0,
                "form_name": "TP/HT-2020-KS.1",
            },
            {
                "name": "Giấy chứng sinh",
                "originals": 1,
                "certified_copies": 2,
                "copies": 3,
                "form_name": "",
            },
        ],
        "fees": [
            {
                "name": "Lệ phí đăng ký khai sinh quá hạn",
                "amount": 8000,
                "exemptions": "Miễn cho trẻ thuộc hộ nghèo",
            }
        ],
    }
    content.update(overrides)
    return content


def inline_scripts(html: str) -> list[str]:
    return [tag for tag in re.findall(r"<script\b[^>]*>", html) if " src=" not in tag]


# ---------------------------------------------------------------- catalog: full page and partial


def test_anonymous_citizen_sees_the_full_page(client):
    make_procedure(name="Đăng ký khai sinh")
    response = client.get(URL, {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    html = response.text
    assert "<html" in html
    assert 'role="search"' in html
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert 'hx-push-url="true"' in html
    assert "Đăng ký khai sinh" in html
    # The form still works without JavaScript: a real GET form with a submit button.
    assert 'method="get" action="/thu-tuc/"' in html
    assert 'type="submit"' in html


def test_htmx_request_gets_only_the_results(client):
    make_procedure(name="Đăng ký khai sinh")
    make_procedure(name="Cấp giấy phép xây dựng")
    response = client.get(URL, {"q": "dang ky khai sinh"}, **HTMX)
    assert response.status_code == 200
    html = response.text
    assert "<html" not in html
    assert "<form" not in html
    assert "Đăng ký khai sinh" in html
    assert "Cấp giấy phép xây dựng" not in html
    assert "Tìm thấy 1 thủ tục" in html


def test_htmx_history_restore_gets_the_full_page(client):
    make_procedure(name="Đăng ký khai sinh")
    response = client.get(URL, **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.text


def test_catalog_varies_on_htmx_and_may_be_cached_briefly(client):
    response = client.get(URL)
    assert "HX-Request" in response["Vary"]
    cache = response["Cache-Control"]
    assert "max-age=60" in cache
    # The full page carries the CSRF token: shared caches must not keep it.
    assert "public" not in cache


def test_result_row_shows_code_field_level_time_limit_and_online_badge(client):
    procedure = make_procedure(
        name="Đăng ký khai sinh",
        field=make_field(name="Hộ tịch"),
        time_value=3,
        online_level="full",
    )
    html = client.get(URL, **HTMX).text
    for text in [procedure.code, "Hộ tịch", "Cấp xã", "3 ngày làm việc", "Trực tuyến toàn trình"]:
        assert text in html
    assert f'href="/thu-tuc/{procedure.code}/"' in html


def test_staff_see_the_same_public_catalog(client, clerk):
    make_procedure(name="Đăng ký khai sinh")
    client.force_login(clerk)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Đăng ký khai sinh" in response.text


def test_catalog_refuses_post(client):
    assert client.post(URL).status_code == 405


def count_queries(client, url, params=None, **headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {}, **headers)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_catalog_query_count_does_not_grow_with_results(client, commune, headers):
    civil = make_field(code="HT", name="Hộ tịch")
    make_procedure(name="Đăng ký hộ tịch 0", field=civil, agencies=(commune,))
    params = {"q": "dang ky", "field": "HT", "agency": commune.identifier, "online": "none"}
    few = count_queries(client, URL, params, **headers)
    for n in range(1, 30):
        make_procedure(name=f"Đăng ký hộ tịch {n}", field=civil, agencies=(commune,))
    many = count_queries(client, URL, params, **headers)
    assert few == many
    # field and agency lookups, their choice lists, count, page, variants
    assert many <= 7


# ---------------------------------------------------------------- detail


def test_detail_shows_every_part_decree_63_requires(client, commune):
    procedure = save_procedure(content=full_content(), source="test").procedure
    response = client.get(reverse("procedures:detail", args=[procedure.code]))
    assert response.status_code == 200
    html = response.text
    expected = [
        # name, code, field, level, inter-level
        "Đăng ký khai sinh",
        "1.001193",
        "Hộ tịch",
        "Cấp xã",
        "Liên thông",
        # steps
        "Trình tự thực hiện",
        "Bước 1: Nộp tờ khai tại Bộ phận một cửa.",
        # ways to file
        "Cách thức thực hiện",
        "Trực tiếp tại Bộ phận tiếp nhận và trả kết quả",
        "Qua dịch vụ bưu chính công ích",
        "Trực tuyến trên Cổng dịch vụ công",
        "Nộp trực tuyến qua Cổng Dịch vụ công quốc gia.",
        # documents with counts
        "Thành phần, số lượng hồ sơ",
        "Giấy chứng sinh",
        "Bản chính",
        "Bản sao chứng thực",
        "TP/HT-2020-KS.1",
        # time per variant
        "Thời hạn giải quyết",
        "Trường hợp thông thường",
        "trả kết quả ngay",
        "Trường hợp cần xác minh",
        "3 ngày làm việc",
        # who may apply, implementing agency, result
        "Cha, mẹ hoặc người thân thích của trẻ",
        "Ủy ban nhân dân cấp xã",
        "Trung tâm phục vụ hành chính công phường Nha Trang",
        "Giấy khai sinh bản chính",
        "Mẫu Giấy khai sinh theo Thông tư 04/2024",
        # forms, conditions, fees with exemptions
        "Tờ khai đăng ký khai sinh (Mẫu TP/HT-2020-KS.1)",
        "Trẻ chưa được đăng ký khai sinh",
        "Lệ phí đăng ký khai sinh quá hạn",
        "8.000 đồng",
        "Miễn cho trẻ thuộc hộ nghèo",
        # legal basis, publishing decision, status and dates
        "Luật Hộ tịch số 60/2014/QH13",
        "Nghị định số 123/2015/NĐ-CP",
        "1234/QĐ-UBND",
        "01/07/2025",
        "Đang áp dụng",
        "02/07/2025",
        # online level, file anywhere
        "Dịch vụ công trực tuyến toàn trình",
        "Có: không phụ thuộc nơi cư trú",
        # print button
        "In trang",
    ]
    missing = [text for text in expected if text not in html]
    assert missing == []
    # Document counts appear in their own cells: 1 original, 2 certified, 3 copies.
    assert re.search(r'data-label="Bản sao chứng thực">2</td>', html)
    assert re.search(r'data-label="Bản sao">3</td>', html)
    assert "data-print" in html


def test_detail_states_what_does_not_apply(client):
    procedure = save_procedure(
        content=full_content(conditions="", application_forms="", fees=[], result_form=""),
        source="test",
    ).procedure
    html = client.get(reverse("procedures:detail", args=[procedure.code])).text
    assert "Không thu phí, lệ phí." in html
    assert html.count("Không quy định") >= 3


def test_detail_of_unknown_code_is_404(client):
    assert client.get(reverse("procedures:detail", args=["9.999999"])).status_code == 404
    assert client.get("/thu-tuc/khong-phai-ma/").status_code == 404


def test_abolished_procedure_still_shows_with_a_clear_notice(client):
    procedure = save_procedure(
        content=full_content(status="abolished", effective_to="2025-12-31"), source="test"
    ).procedure
    response = client.get(reverse("procedures:detail", args=[procedure.code]))
    assert response.status_code == 200
    assert "Đã bãi bỏ" in response.text
    assert "31/12/2025" in response.text
    assert 'role="alert"' in response.text
    # ... and search no longer lists it.
    assert list(client.get(URL, {"q": "dang ky khai sinh"}).context["page"]) == []


def test_current_procedure_has_no_abolished_notice(client):
    procedure = make_procedure(name="Đăng ký khai sinh")
    html = client.get(reverse("procedures:detail", args=[procedure.code])).text
    assert "notice--abolished" not in html


def test_detail_query_count_is_fixed(client, commune, other_commune):
    small = save_procedure(content=full_content(), source="test").procedure
    big = full_content(code="1.001194", agencies=["000.00.21.H56", "000.00.22.H56"])
    big["documents"] = big["documents"] * 10
    big["fees"] = big["fees"] * 4
    big["variants"] = big["variants"] + [
        {**big["variants"][1], "name": f"Trường hợp {n}"} for n in range(6)
    ]
    big_procedure = save_procedure(content=big, source="test").procedure
    few = count_queries(client, reverse("procedures:detail", args=[small.code]))
    many = count_queries(client, reverse("procedures:detail", args=[big_procedure.code]))
    assert few == many
    assert many <= 5  # procedure + field, variants, documents, fees, agencies


def test_detail_shows_no_staff_names(client, clerk):
    procedure = save_procedure(content=full_content(), source="test", changed_by=clerk).procedure
    html = client.get(reverse("procedures:detail", args=[procedure.code])).text
    assert clerk.last_name not in html
    assert clerk.username not in html
    assert Procedure.objects.get(pk=procedure.pk).revisions.exists()


def test_detail_may_be_cached_briefly(client):
    procedure = make_procedure()
    response = client.get(reverse("procedures:detail", args=[procedure.code]))
    assert "max-age=60" in response["Cache-Control"]


# ---------------------------------------------------------------- CSP: no inline script or style


@pytest.mark.parametrize("page", ["catalog", "catalog-htmx", "detail", "abolished"])
def test_pages_have_csp_and_no_inline_script_or_style(client, page):
    procedure = save_procedure(content=full_content(), source="test").procedure
    gone = save_procedure(
        content=full_content(code="1.000001", status=ProcedureStatus.ABOLISHED), source="test"
    ).procedure
    if page == "catalog":
        response = client.get(URL, {"q": "khai sinh", "level": "bad"})
    elif page == "catalog-htmx":
        response = client.get(URL, {"q": "khai sinh"}, **HTMX)
    elif page == "detail":
        response = client.get(reverse("procedures:detail", args=[procedure.code]))
    else:
        response = client.get(reverse("procedures:detail", args=[gone.code]))
    assert response.status_code == 200
    assert "script-src" in response["Content-Security-Policy"]
    html = response.text
    assert inline_scripts(html) == []
    assert " style=" not in html
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
