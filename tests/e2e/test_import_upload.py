"""An administrator uploads a catalog with two bad rows and watches it import."""

import re

import pytest
from playwright.sync_api import expect

from procedures.models import ImportJob, Procedure
from tests.factories import PASSWORD
from tests.procedures.catalog_files import good_row, running_worker, xlsx_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_administrator_uploads_a_catalog_and_sees_progress_and_row_errors(
    page, live_server, administrator, commune, tmp_path
):
    rows = [good_row(f"1.9{n:05d}") for n in range(1, 121)]
    rows[9] = good_row("1.900010", level="Cấp huyện")  # spreadsheet row 11
    rows[99] = good_row("1.900100", decision_date="31/02/2025")  # row 101
    path = tmp_path / "danh-muc-thang-7.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    with running_worker():
        page.goto(f"{live_server.url}/dang-nhap/?next=/quan-tri/nhap-danh-muc/")
        page.fill("input[name=username]", administrator.username)
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page).to_have_url(re.compile(r"/quan-tri/nhap-danh-muc/$"))

        page.get_by_label("Tệp danh mục").set_input_files(str(path))
        page.get_by_role("button", name="Tải lên và nhập").click()

        expect(page).to_have_url(re.compile(r"/quan-tri/nhap-danh-muc/\d+/$"))
        status = page.locator("#job-status")
        # htmx polls the status partial until the job is done.
        expect(status).to_have_attribute("data-status", "done", timeout=60_000)

    expect(status.locator("progress")).to_have_attribute("value", "100")
    expect(status).to_contain_text("đã xử lý 120/120 dòng")
    expect(status).to_contain_text("Tạo mới 118, cập nhật 0, không đổi 0, lỗi 2")
    errors = status.locator("table.import-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("11")
    expect(errors.nth(0)).to_contain_text("Cấp thực hiện")
    expect(errors.nth(0)).to_contain_text("Cấp huyện")
    expect(errors.nth(1)).to_contain_text("101")
    expect(errors.nth(1)).to_contain_text("Ngày quyết định công bố")
    expect(errors.nth(1)).to_contain_text("không có thật")
    assert Procedure.objects.count() == 118
    assert ImportJob.objects.get().original_name == "danh-muc-thang-7.xlsx"
    assert csp_errors == []
