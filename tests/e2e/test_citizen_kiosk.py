"""The tablet at the counter: the clerk hands back a result, the kiosk shows that
dossier, the citizen taps "dissatisfied", is asked for a reason, sends it, and the
kiosk thanks them and returns to its idle screen. Checked with axe-core."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from surveys.models import Kiosk, Rating
from tests.factories import make_procedure, processed

from .helpers import serious_violations

TABLET = {"width": 800, "height": 1280}

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_rating_at_the_kiosk(browser, live_server, clerk, officer, commune):
    from desk.services import return_result

    kiosk = Kiosk.objects.create(agency=commune, name="Quầy số 1", clerk=clerk)
    dossier = processed(clerk, officer, make_procedure(name="Đăng ký kết hôn", agencies=(commune,)))
    context = browser.new_context(locale="vi-VN", viewport=TABLET, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/danh-gia/quay/{kiosk.token}/")
        expect(page.locator("[data-idle]")).to_be_visible()
        return_result(
            dossier=dossier,
            version=dossier.version,
            user=clerk,
            identity_checked=True,
            delivery="desk",
            at=timezone.now(),
        )
        page.reload()  # the idle screen reloads itself every 10 s; no need to wait here
        expect(page.locator("[data-dossier]")).to_contain_text(dossier.code)
        expect(page.locator("[data-dossier]")).to_contain_text("Đăng ký kết hôn")
        assert serious_violations(page) == []

        page.get_by_role("button", name="Không hài lòng").tap()
        reason = page.get_by_label("Xin cho biết lý do Ông/Bà không hài lòng")
        expect(reason).to_be_visible()
        assert not Rating.objects.exists()
        reason.fill("Phải chờ lâu ở quầy trả kết quả")
        page.get_by_role("button", name="Gửi đánh giá").tap()
        expect(page.locator("[data-thanks]")).to_be_visible()

        rating = Rating.objects.get()
        assert (rating.choice, rating.reason, rating.kiosk_id) == (
            "dissatisfied",
            "Phải chờ lâu ở quầy trả kết quả",
            kiosk.pk,
        )
        page.goto(f"{live_server.url}/danh-gia/quay/{kiosk.token}/")
        expect(page.locator("[data-idle]")).to_be_visible()  # rated: not shown again
    finally:
        context.close()
