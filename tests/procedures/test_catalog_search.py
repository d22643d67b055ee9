"""Searching the public catalog: diacritics, ranking, filters, pagination."""

import pytest
from django.urls import reverse

from procedures.models import OnlineLevel, Procedure, ProcedureLevel, ProcedureStatus
from tests.factories import make_field, make_procedure

pytestmark = pytest.mark.django_db

URL = reverse("procedures:catalog")


def names(queryset) -> list[str]:
    return [p.name for p in queryset]


def search(query: str) -> list[str]:
    return names(Procedure.objects.public().search(query).ranked())


@pytest.fixture
def birth():
    return make_procedure(name="Đăng ký khai sinh", field=make_field(name="Hộ tịch"))


@pytest.fixture
def marriage():
    return make_procedure(name="Đăng ký kết hôn", field=make_field(name="Hộ tịch gia đình"))


# ---------------------------------------------------------------- diacritics and case


@pytest.mark.parametrize(
    "query",
    [
        "dang ky khai sinh",
        "ĐĂNG KÝ KHAI SINH",
        "Đăng ký khai sinh",
        "đăng ký",
        "dang ky",
        "DANG KY",
        "  khai   sinh  ",
        "khai sinh đăng",
    ],
)
def test_search_ignores_diacritics_and_case(birth, query):
    assert "Đăng ký khai sinh" in search(query)


def test_d_with_stroke_matches_plain_d():
    procedure = make_procedure(name="Đổi giấy phép lái xe")
    assert procedure.name in search("doi giay phep")
    assert procedure.name in search("ĐỔI")


def test_search_needs_every_word(birth, marriage):
    assert search("dang ky") == ["Đăng ký kết hôn", "Đăng ký khai sinh"]
    assert search("dang ky khai") == ["Đăng ký khai sinh"]
    assert search("dang ky khai tu") == []


def test_search_by_code(birth, marriage):
    assert search(birth.code) == ["Đăng ký khai sinh"]


# ---------------------------------------------------------------- ranking


def test_ranking_orders_code_then_start_then_phrase_then_scattered_then_field():
    field_only = make_procedure(
        name="Cấp giấy xác nhận cư trú", field=make_field(name="Khai sinh và giấy tờ")
    )
    scattered = make_procedure(name="Sinh hoạt cộng đồng, khai báo tạm vắng")
    contains = make_procedure(name="Đăng ký khai sinh lưu động")
    starts = make_procedure(name="Khai sinh cho trẻ bị bỏ rơi")
    # Created last, so that insertion order cannot explain the result.
    by_code = make_procedure(code="1.777777", name="Thủ tục khác")
    coded_name = make_procedure(name="Sửa đổi thủ tục 1.777777")

    assert search("khai sinh") == [starts.name, contains.name, scattered.name, field_only.name]
    assert search("1.777777")[:2] == [by_code.name, coded_name.name]


def test_ties_in_rank_are_alphabetical_ignoring_diacritics():
    for name in ["Đăng ký giám hộ", "Cấp bản sao", "Duyệt kế hoạch", "Bổ sung hộ tịch"]:
        make_procedure(name=name)
    assert search("") == ["Bổ sung hộ tịch", "Cấp bản sao", "Đăng ký giám hộ", "Duyệt kế hoạch"]


# ---------------------------------------------------------------- the page: filters


def result_names(response) -> list[str]:
    return [p.name for p in response.context["page"].object_list]


def test_empty_query_lists_whole_public_catalog_alphabetically(client):
    make_procedure(name="Đăng ký kết hôn")
    make_procedure(name="Cấp giấy phép xây dựng")
    make_procedure(name="Bãi bỏ cũ", status=ProcedureStatus.ABOLISHED)
    make_procedure(name="Chứng thực di chúc", status=ProcedureStatus.AMENDED)
    response = client.get(URL)
    assert response.status_code == 200
    assert result_names(response) == [
        "Cấp giấy phép xây dựng",
        "Chứng thực di chúc",
        "Đăng ký kết hôn",
    ]
    assert "Danh mục có 3 thủ tục" in response.text


def test_abolished_procedures_are_not_found(client):
    make_procedure(name="Đăng ký khai sinh", status=ProcedureStatus.ABOLISHED)
    current = make_procedure(name="Đăng ký khai sinh (áp dụng từ 2025)")
    response = client.get(URL, {"q": "dang ky khai sinh"})
    assert result_names(response) == [current.name]


def test_filter_by_field(client):
    civil = make_field(code="HT", name="Hộ tịch")
    land = make_field(code="DD", name="Đất đai")
    birth = make_procedure(name="Đăng ký khai sinh", field=civil)
    make_procedure(name="Đăng ký đất đai lần đầu", field=land)
    response = client.get(URL, {"q": "dang ky", "field": "HT"})
    assert result_names(response) == [birth.name]


def test_filter_by_level(client):
    make_procedure(name="Đăng ký khai sinh", level=ProcedureLevel.COMMUNE)
    licence = make_procedure(name="Cấp giấy phép môi trường", level=ProcedureLevel.PROVINCE)
    response = client.get(URL, {"level": "province"})
    assert result_names(response) == [licence.name]


def test_filter_by_agency(client, commune, other_commune):
    here = make_procedure(name="Chứng thực chữ ký", agencies=(commune,))
    make_procedure(name="Chứng thực di chúc", agencies=(other_commune,))
    both = make_procedure(name="Chứng thực hợp đồng", agencies=(commune, other_commune))
    response = client.get(URL, {"q": "chung thuc", "agency": commune.identifier})
    assert result_names(response) == [here.name, both.name]


def test_filter_by_online_level(client):
    full = make_procedure(name="Đăng ký khai sinh", online_level=OnlineLevel.FULL)
    make_procedure(name="Đăng ký kết hôn", online_level=OnlineLevel.PARTIAL)
    make_procedure(name="Đăng ký giám hộ", online_level=OnlineLevel.NONE)
    response = client.get(URL, {"online": "full"})
    assert result_names(response) == [full.name]


def test_filters_combine(client, commune):
    civil = make_field(code="HT", name="Hộ tịch")
    match = make_procedure(
        name="Đăng ký khai sinh", field=civil, online_level=OnlineLevel.FULL, agencies=(commune,)
    )
    make_procedure(name="Đăng ký khai tử", field=civil, online_level=OnlineLevel.FULL)
    make_procedure(name="Đăng ký kết hôn", field=civil, agencies=(commune,))
    response = client.get(
        URL,
        {"q": "dang ky", "field": "HT", "online": "full", "agency": commune.identifier},
    )
    assert result_names(response) == [match.name]


@pytest.mark.parametrize(
    "params",
    [
        {"field": "KHONG-CO"},
        {"level": "district"},
        {"agency": "not-an-identifier"},
        {"agency": "999.99.99.H99"},
        {"online": "level-4"},
        {"q": "x" * 500},
    ],
)
def test_invalid_filter_values_are_ignored_with_a_notice(client, params):
    make_procedure(name="Đăng ký khai sinh")
    make_procedure(name="Đăng ký kết hôn")
    response = client.get(URL, params)
    assert response.status_code == 200
    assert result_names(response) == ["Đăng ký kết hôn", "Đăng ký khai sinh"]
    assert "không hợp lệ nên đã được bỏ qua" in response.text


@pytest.mark.parametrize("page", ["abc", "0", "-1", "9999", ""])
def test_odd_page_numbers_show_a_page(client, page):
    make_procedure(name="Đăng ký khai sinh")
    response = client.get(URL, {"page": page})
    assert response.status_code == 200
    assert result_names(response) == ["Đăng ký khai sinh"]


def test_invalid_filter_is_dropped_but_valid_ones_apply(client):
    civil = make_field(code="HT", name="Hộ tịch")
    birth = make_procedure(name="Đăng ký khai sinh", field=civil)
    make_procedure(name="Đăng ký đất đai")
    response = client.get(URL, {"q": "dang ky", "field": "HT", "level": "district"})
    assert result_names(response) == [birth.name]
    assert "Cấp thực hiện" in response.context["ignored"]


# ---------------------------------------------------------------- pagination


def test_pagination_is_25_per_page_and_keeps_the_filters(client):
    civil = make_field(code="HT", name="Hộ tịch")
    for n in range(30):
        make_procedure(name=f"Đăng ký hộ tịch số {n:02d}", field=civil)
    make_procedure(name="Đăng ký đất đai", field=make_field(code="DD", name="Đất đai"))

    first = client.get(URL, {"q": "dang ky", "field": "HT", "level": "bad"})
    assert len(result_names(first)) == 25
    assert "Tìm thấy 30 thủ tục" in first.text
    # The link to page 2 carries the search and the valid filter, not the ignored one.
    assert 'href="/thu-tuc/?q=dang+ky&amp;field=HT&amp;page=2"' in first.text

    second = client.get(URL, {"q": "dang ky", "field": "HT", "page": "2"})
    assert result_names(second) == [f"Đăng ký hộ tịch số {n:02d}" for n in range(25, 30)]
    assert 'href="/thu-tuc/?q=dang+ky&amp;field=HT&amp;page=1"' in second.text


def test_no_result_says_so(client):
    make_procedure(name="Đăng ký khai sinh")
    response = client.get(URL, {"q": "xyz khong co"})
    assert response.status_code == 200
    assert result_names(response) == []
    assert "Không tìm thấy thủ tục phù hợp." in response.text


def test_search_column_has_a_trigram_index_on_postgresql():
    """Migration 0003: without it every search scans the whole catalog."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["procedures_procedure_search_trgm"],
        )
        row = cursor.fetchone()
    assert row is not None
    assert "gin_trgm_ops" in row[0]
