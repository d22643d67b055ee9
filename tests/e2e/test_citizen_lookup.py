"""A citizen on a phone follows the receipt's QR link to the lookup page, sees the
state and what to do next, downloads nothing they should not, and the page passes
axe-core with no serious violation; a wrong key gives the same page as a missing
dossier."""

import pytest
from playwright.sync_api import expect

from desk.models import State
from tests.factories import dossier_in_state, make_procedure

from .helpers import fits_the_screen, phone, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_lookup_from_the_qr_link_on_a_phone(
    browser, live_server, clerk, officer, unit_head, commune
):
    procedure = make_procedure(name="Đăng ký khai sinh", agencies=(commune,))
    dossier = dossier_in_state(
        State.SUPPLEMENT, clerk=clerk, officer=officer, procedure=procedure, when="2026-03-09 10:00"
    )
    link = dossier.public_lookup_url.replace("http://127.0.0.1:8000", live_server.url)
    context = phone(browser)
    page = context.new_page()
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    try:
        page.goto(link)
        expect(page.locator("[data-state]")).to_have_text("Chờ bổ sung")
        expect(page.get_by_role("heading", name="Ông/Bà cần làm gì tiếp theo")).to_be_visible()
        expect(page.locator("[data-supplement]")).to_contain_text("Giấy chứng sinh")
        expect(page.locator("[data-timeline] li")).to_have_count(3)
        expect(page.get_by_text("N***** V** An")).to_be_visible()
        body = page.content()
        assert "Nguyễn Văn An" not in body and "079201001234" not in body
        assert str(officer) not in body
        assert scripts == []  # light: no script at all
        assert fits_the_screen(page)
        assert serious_violations(page) == []

        # The supplement form opens as a PDF.
        with page.expect_response(lambda r: "/tra-cuu/giay-to/supplement.pdf" in r.url) as pdf:
            page.evaluate(
                "url => fetch(url)", page.locator('[data-form="supplement"]').get_attribute("href")
            )
        assert pdf.value.status == 200

        # In English.
        page.get_by_role("link", name="EN").tap()
        expect(page.locator("[data-meaning]")).to_contain_text("The dossier needs more documents")

        # A mistyped key: the same answer as a dossier that does not exist.
        page.goto(f"{live_server.url}/tra-cuu/")
        page.get_by_label("Dossier code").fill(dossier.code)
        page.get_by_label("Lookup key").fill("AAAABBBBCCCCDDDD")
        page.get_by_role("button", name="Look up").tap()
        expect(page.locator("[data-not-found]")).to_be_visible()
        assert serious_violations(page) == []
    finally:
        context.close()
