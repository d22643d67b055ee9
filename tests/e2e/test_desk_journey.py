"""A dossier's whole life at the desk, in Chromium on a desktop screen: the clerk
receives it, the officer asks for a supplement, the clerk records it, the officer
completes it, the clerk returns the result. What the clerk sees is checked at
every step: the state, the due date, the rows of the timeline."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from desk.models import Dossier
from tests.factories import make_procedure

from .helpers import DESKTOP, log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def birth(commune):
    return make_procedure(
        name="Đăng ký khai sinh",
        agencies=(commune,),
        documents=("Tờ khai đăng ký khai sinh", "Giấy chứng sinh"),
    )


def due_text(dossier: Dossier) -> str:
    return timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")


def open_action(page: Page, action: str):
    box = page.locator(f"#action-{action}")
    box.locator("summary").click()
    return box


def clerk_sees(page: Page, *, state: str, dossier: Dossier, timeline_rows: int) -> None:
    expect(page.locator("[data-state]")).to_have_text(state)
    expect(page.locator("[data-due]")).to_contain_text(due_text(dossier))
    expect(page.locator("#timeline tbody tr[data-event]")).to_have_count(timeline_rows)


def test_a_dossier_from_intake_to_return(browser, live_server, clerk, officer, commune, birth):
    base = live_server.url
    context = browser.new_context(locale="vi-VN", viewport=DESKTOP)
    page = context.new_page()
    # Script errors and CSP refusals would show here (the missing favicon is no error of ours).
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "favicon" not in (m.location or {}).get("url", "")
            else None
        ),
    )
    try:
        # ---- the clerk receives the dossier
        log_in(page, base, "clerk")
        page.get_by_role("navigation").get_by_role("link", name="Tiếp nhận hồ sơ").click()
        search = page.get_by_label("Tên hoặc mã thủ tục")
        expect(search).to_be_focused()
        search.press_sequentially("dang ky khai sinh", delay=20)
        option = page.get_by_role("button", name=re.compile("Đăng ký khai sinh"))
        expect(option).to_be_visible()
        # Keyboard only: arrow down to the option, Enter picks it.
        search.press("ArrowDown")
        expect(option).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator(".intake-chosen")).to_contain_text("Đăng ký khai sinh")
        expect(page).to_have_url(re.compile(rf"procedure={re.escape(birth.code)}"))

        page.get_by_label("Tờ khai đăng ký khai sinh", exact=True).check()
        page.get_by_label("Giấy chứng sinh", exact=True).check()
        page.get_by_label("Đã số hóa: Giấy chứng sinh").check()
        page.locator("#id_applicant_name").fill("Phạm Thị Thu")
        page.locator("#id_applicant_id_number").fill("079302009876")
        page.locator("#id_applicant_birth_date").fill("02/09/1992")
        page.locator("#id_applicant_phone").fill("0905123456")
        page.locator("#id_applicant_address").fill("8 Yersin, phường Nha Trang")

        # The due date before saving (htmx: only the preview is replaced).
        page.get_by_role("button", name="Xem trước hạn trả").click()
        preview = page.locator("#deadline-preview")
        expect(preview).to_contain_text("Nếu tiếp nhận bây giờ, hẹn trả kết quả:")
        expect(preview).to_contain_text("Hạn trả kết quả:")
        expect(page.locator("#id_applicant_name")).to_have_value("Phạm Thị Thu")

        page.get_by_role("button", name="Lưu và tiếp nhận hồ sơ").click()
        expect(page.get_by_text(re.compile(r"Đã tiếp nhận hồ sơ .*-0001"))).to_be_visible()
        dossier = Dossier.objects.get()
        expect(page).to_have_url(re.compile(rf"/ho-so/{re.escape(dossier.code)}/\?in=receipt$"))
        expect(
            page.get_by_role("link", name="In giấy tiếp nhận hồ sơ và hẹn trả kết quả").first
        ).to_be_visible()
        expect(page.locator("[data-applicant]")).to_have_text("Phạm Thị Thu")
        clerk_sees(page, state="Đã tiếp nhận", dossier=dossier, timeline_rows=1)
        expect(page.locator("[data-explanation]")).to_contain_text("Hạn trả kết quả:")

        # ---- and hands it over to the officer
        box = open_action(page, "hand_over")
        # The holding unit is preselected, with its officers listed.
        expect(box.get_by_label("Chuyển đến đơn vị")).to_have_value(str(commune.pk))
        box.get_by_label("Cán bộ nhận").select_option(label="Lê Văn Minh")
        box.get_by_role("button", name="Chuyển xử lý").click()
        expect(page.locator("[data-notice]")).to_have_text("Đã chuyển hồ sơ.")
        clerk_sees(page, state="Đang xử lý", dossier=dossier, timeline_rows=2)
        expect(page.locator("[data-current-agency]")).to_contain_text("Lê Văn Minh")
        log_out(page)

        # ---- the officer asks for a supplement
        log_in(page, base, "officer")
        page.goto(f"{base}/ho-so/{dossier.code}/")
        box = open_action(page, "request_supplement")
        box.get_by_role("button", name="Thêm dòng").click()  # JavaScript adds a fourth row
        expect(box.locator("input[name=item_name]")).to_have_count(4)
        box.locator("input[name=item_name]").first.fill("Giấy chứng sinh bản chính")
        box.locator("input[name=item_reason]").first.fill("Bản nộp là bản chụp không rõ số")
        box.get_by_role("button", name="Yêu cầu bổ sung").click()
        expect(page.locator("[data-state]")).to_have_text("Chờ bổ sung")
        expect(
            page.get_by_role("link", name="In phiếu yêu cầu bổ sung, hoàn thiện hồ sơ").first
        ).to_be_visible()
        log_out(page)

        # ---- the clerk records what the applicant brought
        log_in(page, base, "clerk")
        page.goto(f"{base}/ho-so/{dossier.code}/")
        dossier.refresh_from_db()
        clerk_sees(page, state="Chờ bổ sung", dossier=dossier, timeline_rows=3)
        expect(page.locator("[data-due]")).to_contain_text("đang tạm dừng")
        box = open_action(page, "supply")
        box.get_by_label("Ghi chú").fill("Đã nhận bản chính Giấy chứng sinh")
        box.get_by_role("button", name="Nhận hồ sơ bổ sung").click()
        expect(page.locator("[data-notice]")).to_contain_text("Đã nhận hồ sơ bổ sung")
        dossier.refresh_from_db()
        clerk_sees(page, state="Đang xử lý", dossier=dossier, timeline_rows=4)
        log_out(page)

        # ---- the officer completes it
        log_in(page, base, "officer")
        page.goto(f"{base}/ho-so/{dossier.code}/")
        box = open_action(page, "complete")
        box.get_by_label("Số, ký hiệu kết quả").fill("125/GKS")
        box.get_by_label("Người ký kết quả").fill("Chủ tịch UBND phường")
        box.get_by_role("button", name="Hoàn thành xử lý").click()
        expect(page.locator("[data-state]")).to_have_text("Đã xử lý xong")
        log_out(page)

        # ---- the clerk returns the result
        log_in(page, base, "clerk")
        page.goto(f"{base}/ho-so/{dossier.code}/")
        dossier.refresh_from_db()
        clerk_sees(page, state="Đã xử lý xong", dossier=dossier, timeline_rows=5)
        box = open_action(page, "return")
        box.get_by_label("Đã kiểm tra giấy tờ tùy thân").check()
        box.get_by_role("button", name="Trả kết quả").click()
        expect(page.locator("[data-notice]")).to_have_text("Đã trả kết quả cho người yêu cầu.")
        dossier.refresh_from_db()
        clerk_sees(page, state="Đã trả kết quả", dossier=dossier, timeline_rows=6)
        expect(page.locator("#timeline")).to_contain_text("Trả kết quả")
        expect(page.locator("#actions-title ~ p")).to_contain_text("Bạn không có thao tác nào")
        assert dossier.state == 10
        assert errors == []
    finally:
        context.close()
