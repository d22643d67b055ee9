"""A refused dossier action in Chromium, with DEBUG on as in `make demo`: the walk
saw the whole page replaced by a bare, unstyled 400 (django-htmx's debug helper,
which {% htmx_script %} adds under DEBUG, shows any 400 answer as the document).
The refusal must land next to its form, inside the page and its layout."""

import pytest
from playwright.sync_api import expect

from desk.models import State
from tests.factories import PASSWORD, dossier_in_state, make_procedure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_returning_without_the_identity_check_stays_on_the_page(
    browser, live_server, settings, clerk, officer, commune
):
    settings.DEBUG = True
    procedure = make_procedure(name="Đăng ký khai sinh", agencies=(commune,))
    dossier = dossier_in_state(State.PROCESSED, clerk=clerk, officer=officer, procedure=procedure)
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill("clerk")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
        page.goto(f"{live_server.url}/ho-so/{dossier.code}/")
        box = page.locator("#action-return")
        box.locator("summary").click()
        box.get_by_label("Ghi chú (thu bản chính, số vận đơn bưu chính…)").fill("Vận đơn EMS-4471")
        with page.expect_response(lambda r: "/xu-ly/return/" in r.url) as answer:
            box.get_by_role("button", name="Trả kết quả").click()
        assert answer.value.status == 400
        box = page.locator("#action-return")
        expect(box).to_contain_text("Phải kiểm tra giấy tờ tùy thân")
        expect(box.get_by_label("Ghi chú (thu bản chính, số vận đơn bưu chính…)")).to_have_value(
            "Vận đơn EMS-4471"
        )
        expect(page.locator("header.site-header")).to_be_visible()
        expect(page).to_have_title(f"Hồ sơ {dossier.code} · Một Cửa")
    finally:
        context.close()
