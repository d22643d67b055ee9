"""An inspection on a tablet (portrait, touch): the inspector opens it, marks three
officers present, records one violation with a note, keeps ticking while the
connection is down (the tick waits in the browser and is sent when it returns),
marks the rest met, completes; the unit head then finds the follow-up and
closes it."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conduct.checklist import seed_checklist
from conduct.models import FollowUp, Inspection, InspectionStatus, ItemResult
from tests.factories import make_dossier, make_user

from .helpers import log_in

TABLET = {"width": 820, "height": 1180}

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def tick(page: Page, target: str, item_pk: int):
    return page.locator(f"#tick-{target}-{item_pk} form[data-tick]")


def test_tablet_inspection_and_follow_up(
    browser, live_server, commune, inspector, unit_head, clerk, officer
):
    seed_checklist()
    third = make_user(
        agency=commune, roles=("clerk",), username="clerk2", first_name="Mai", last_name="Võ Thị"
    )
    make_dossier(clerk=clerk, received_at=timezone.now() - timezone.timedelta(days=2))
    base = live_server.url
    context = browser.new_context(locale="vi-VN", viewport=TABLET, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error"
            and "favicon" not in (m.location or {}).get("url", "")
            and "ERR_INTERNET_DISCONNECTED" not in m.text
            else None
        ),
    )
    try:
        log_in(page, base, "inspector")
        page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
            "link", name="Kiểm tra công vụ"
        ).click()
        page.get_by_role("link", name="Mở cuộc kiểm tra mới").click()
        page.get_by_label("Đơn vị được kiểm tra").select_option(label=commune.name)
        expect(page.get_by_label("Ngày kiểm tra")).to_have_value(
            timezone.localdate().strftime("%d/%m/%Y")
        )
        page.get_by_role("button", name="Mở biên bản kiểm tra").click()
        expect(page.get_by_text("Đã mở biên bản kiểm tra.")).to_be_visible()
        inspection = Inspection.objects.get()
        assert inspection.samples.count() == 1

        # Three officers present.
        for person in (clerk, officer, third):
            page.get_by_label(str(person), exact=False).first.check()
        page.get_by_role("button", name="Lưu danh sách cán bộ có mặt").click()
        expect(page.get_by_text("Đã cập nhật danh sách cán bộ có mặt.")).to_be_visible()
        assert inspection.present.count() == 3

        version = inspection.version
        kl6 = version.items.get(code="KL6")
        kl1 = version.items.get(code="KL1")
        violation = tick(page, f"o{officer.pk}", kl6.pk)
        violation.locator("label.tick__choice--not_met").click()
        expect(violation.locator("[data-tick-status]")).to_contain_text("Đã lưu")
        violation.get_by_placeholder("Ghi chú").fill("Không đeo thẻ công chức")
        violation.get_by_placeholder("Ghi chú").press("Tab")
        expect(violation.locator("[data-tick-status]")).to_contain_text("Đã lưu")
        result = ItemResult.objects.get(inspection=inspection, item=kl6, target=f"o{officer.pk}")
        assert (result.outcome, result.note) == ("not_met", "Không đeo thẻ công chức")

        # The connection drops in the corridor: the tick waits in the browser.
        before_offline = len(errors)
        context.set_offline(True)
        offline = tick(page, f"o{third.pk}", kl1.pk)
        offline.locator("label.tick__choice--na").click()
        expect(offline.locator("[data-tick-status]")).to_contain_text("Chưa gửi được")
        expect(page.locator("[data-pending-banner]")).to_be_visible()
        assert not ItemResult.objects.filter(item=kl1, target=f"o{third.pk}").exists()
        context.set_offline(False)
        expect(offline.locator("[data-tick-status]")).to_contain_text("Đã lưu", timeout=15_000)
        expect(page.locator("[data-pending-banner]")).to_be_hidden()
        # htmx logs the failed request as a console error; nothing else may appear.
        offline_errors = errors[before_offline:]
        assert offline_errors and all(
            e.startswith(("htmx:sendError", "htmx:afterRequest")) for e in offline_errors
        ), offline_errors
        del errors[before_offline:]
        assert ItemResult.objects.get(item=kl1, target=f"o{third.pk}").outcome == "na"

        # The rest is met, target by target: three officers, the premises, the dossier.
        fill = page.get_by_role("button", name=re.compile(r"^Các tiêu chí còn trống của"))
        expect(fill).to_have_count(5)
        for index in range(5):
            fill.nth(index).click()
            expect(
                page.get_by_text(re.compile(r"Đã đánh dấu Đạt cho \d+ tiêu chí"))
            ).to_be_visible()
        expect(page.locator("[data-answered]")).to_have_text("56")

        page.get_by_label("Nhận xét, kết luận của đoàn kiểm tra").fill("Nhắc nhở cán bộ đeo thẻ.")
        page.get_by_role("button", name="Kết thúc và lập biên bản").click()
        expect(page.get_by_text("Đã kết thúc kiểm tra và lập biên bản.")).to_be_visible()
        expect(page.locator("[data-status]")).to_contain_text("01/BB-KTCV")
        expect(page.get_by_role("link", name="In biên bản kiểm tra (PDF)")).to_be_visible()
        inspection.refresh_from_db()
        assert inspection.status == InspectionStatus.COMPLETED
        follow_up = FollowUp.objects.get()
        assert follow_up.owner == unit_head and follow_up.finding.officer == officer

        page.get_by_role("button", name="Đăng xuất").click()
        log_in(page, base, "unithead")
        page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
            "link", name="Khắc phục sau kiểm tra"
        ).click()
        card = page.locator("[data-follow-up]")
        expect(card).to_have_count(1)
        expect(card).to_contain_text("Nhắc nhở, khắc phục")
        expect(card).to_contain_text("KL6. Đeo thẻ công chức trong khi thi hành công vụ")
        expect(card).to_contain_text("Không đeo thẻ công chức")
        expect(card).to_contain_text(str(officer))
        card.get_by_label("Kết quả khắc phục").fill("Đã nhắc nhở, cán bộ đeo thẻ đầy đủ")
        card.get_by_role("button", name="Ghi nhận hoàn thành").click()
        expect(page.get_by_text("Đã ghi nhận hoàn thành khắc phục.")).to_be_visible()
        follow_up.refresh_from_db()
        assert follow_up.done_by == unit_head
        assert errors == [], errors
    finally:
        context.close()
