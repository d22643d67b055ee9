"""A citizen looks up a procedure on a phone, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from procedures.models import Fee, OnlineLevel
from tests.factories import make_field, make_procedure

from .helpers import PHONE, fits_the_screen

VIETNAMESE = "vi-VN"  # the browser asks for Vietnamese, as a citizen's phone does

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalog():
    civil = make_field(code="HT", name="Hộ tịch")
    birth = make_procedure(
        name="Đăng ký khai sinh",
        field=civil,
        time_value=3,
        documents=("Tờ khai đăng ký khai sinh", "Giấy chứng sinh"),
        online_level=OnlineLevel.FULL,
        steps="Bước 1: Nộp tờ khai.\nBước 2: Nhận Giấy khai sinh.",
    )
    Fee.objects.create(procedure=birth, name="Lệ phí", amount=8000, exemptions="Miễn hộ nghèo")
    make_procedure(name="Đăng ký kết hôn", field=civil)
    make_procedure(name="Cấp giấy phép xây dựng nhà ở riêng lẻ", level="province")
    return birth


def test_citizen_finds_a_procedure_as_they_type_and_opens_it(browser, live_server, catalog):
    context = browser.new_context(locale=VIETNAMESE, viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/thu-tuc/")
        results = page.locator("#results")
        expect(results).to_contain_text("Cấp giấy phép xây dựng")
        assert fits_the_screen(page)

        # No diacritics, no Enter: htmx updates the results after a pause in typing.
        page.get_by_role("searchbox").press_sequentially("dang ky khai sinh", delay=30)
        expect(results).not_to_contain_text("Cấp giấy phép xây dựng")
        expect(results).not_to_contain_text("Đăng ký kết hôn")
        expect(results.get_by_role("link", name="Đăng ký khai sinh")).to_be_visible()
        expect(results).to_contain_text("Tìm thấy 1 thủ tục")
        # The address follows, so the search can be shared or reloaded; unset
        # filters stay out of it.
        expect(page).to_have_url(
            re.compile(r"/thu-tuc/\?q=dang(%20|\+)ky(%20|\+)khai(%20|\+)sinh$")
        )

        results.get_by_role("link", name="Đăng ký khai sinh").tap()
        expect(page).to_have_url(re.compile(rf"/thu-tuc/{re.escape(catalog.code)}/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
        documents = page.locator("#ho-so")
        expect(documents).to_contain_text("Tờ khai đăng ký khai sinh")
        expect(documents).to_contain_text("Giấy chứng sinh")
        expect(page.locator("#thoi-han")).to_contain_text("3 ngày làm việc")
        expect(page.locator("#phi")).to_contain_text("8.000 đồng")
        # The print button is shown once JavaScript runs.
        expect(page.get_by_role("button", name="In trang")).to_be_visible()
        assert fits_the_screen(page)
    finally:
        context.close()


def test_filter_select_updates_the_results(browser, live_server, catalog):
    context = browser.new_context(locale=VIETNAMESE, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/thu-tuc/")
        page.get_by_text("Lọc theo lĩnh vực").click()
        page.get_by_label("Cấp thực hiện").select_option("province")
        results = page.locator("#results")
        expect(results).not_to_contain_text("Đăng ký khai sinh")
        expect(results).to_contain_text("Cấp giấy phép xây dựng")
        expect(page).to_have_url(re.compile(r"/thu-tuc/\?level=province$"))
    finally:
        context.close()


def test_search_works_with_javascript_off(browser, live_server, catalog):
    context = browser.new_context(locale=VIETNAMESE, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/thu-tuc/")
        page.get_by_role("searchbox").fill("dang ky khai sinh")
        page.get_by_role("button", name="Tìm kiếm").click()
        expect(page).to_have_url(re.compile(r"q=dang\+ky\+khai\+sinh"))
        results = page.locator("#results")
        expect(results.get_by_role("link", name="Đăng ký khai sinh")).to_be_visible()
        expect(results).not_to_contain_text("Cấp giấy phép xây dựng")

        results.get_by_role("link", name="Đăng ký khai sinh").click()
        expect(page.locator("#ho-so")).to_contain_text("Giấy chứng sinh")
        expect(page.locator("#thoi-han")).to_contain_text("3 ngày làm việc")
        # Without JavaScript a print button would do nothing, so none is shown.
        expect(page.get_by_role("button", name="In trang")).to_be_hidden()
        assert fits_the_screen(page)
    finally:
        context.close()
