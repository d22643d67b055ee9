"""A provincial leader opens the dashboard, changes the period, drills into the
overdue dossiers of one department and exports them (a real worker writes the
file while the page shows its progress)."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from desk import dashboard
from desk.services import hand_over
from tests.factories import PASSWORD, make_dossier, make_procedure, make_user
from tests.procedures.catalog_files import running_worker

from .helpers import DESKTOP

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_leader_drills_into_a_departments_overdue_dossiers_and_exports_them(
    page, live_server, provincial_leader, department, commune, clerk
):
    # Two overdue dossiers at the department's desk, one at the commune's, one in term.
    procedure = make_procedure(agencies=(department, commune), time_value=2)
    department_clerk = make_user(agency=department, roles=("clerk",))
    long_ago = timezone.now() - dt.timedelta(days=30)
    overdue = [
        make_dossier(clerk=department_clerk, procedure=procedure, received_at=long_ago)
        for _ in range(2)
    ]
    make_dossier(clerk=clerk, procedure=procedure, received_at=long_ago)
    fresh = make_dossier(clerk=department_clerk, procedure=procedure)
    hand_over(dossier=fresh, version=None, user=department_clerk, to_agency=department)
    csp_errors = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.set_viewport_size(DESKTOP)

    page.goto(f"{live_server.url}/dang-nhap/?next=/bang-dieu-khien/")
    page.get_by_label("Tên đăng nhập").fill(provincial_leader.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("heading", name="Bảng điều khiển chất lượng phục vụ")).to_be_visible()
    expect(page.locator('[data-figure="received"]')).to_have_text("4")
    expect(page.locator('[data-figure="overdue"]')).to_have_text("3")

    # A past month with nothing in it: htmx swaps the body, the address follows.
    last_year = timezone.localdate().year - 1
    # Only the chosen kind of period's fields are shown (static/js/dashboard.js).
    expect(page.get_by_label("Năm")).to_be_hidden()
    page.get_by_label("Kỳ").select_option("year")
    expect(page.get_by_label("Tháng (mm/yyyy)")).to_be_hidden()
    expect(page.get_by_label("Từ ngày")).to_be_hidden()
    page.get_by_label("Năm").fill(str(last_year))
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("[data-period]")).to_contain_text(f"từ 01/01/{last_year}")
    expect(page.locator('[data-figure="received"]')).to_have_text("0")
    expect(page).to_have_url(re.compile(rf"year={last_year}"))
    assert "month=" not in page.url and "start=" not in page.url  # hidden: not sent

    # Back to the last twelve months; the department's overdue dossiers.
    page.get_by_label("Kỳ").select_option("12m")
    page.get_by_role("button", name="Xem").click()
    first, _ = dashboard.period_bounds("12m", today=timezone.localdate())
    expect(page.locator("[data-period]")).to_contain_text(f"từ {first:%d/%m/%Y}")
    row = page.locator(f'tr[data-unit="{department.pk}"]')
    expect(row).to_contain_text(department.name)
    row.locator("[data-overdue-link]").click()
    expect(page.get_by_role("heading", name="Đang quá hạn")).to_be_visible()
    expect(page.locator("[data-count]")).to_have_text("2 hồ sơ")
    for dossier in overdue:
        expect(page.get_by_role("link", name=dossier.code)).to_be_visible()

    with running_worker():
        page.get_by_role("button", name="Xuất Excel (.xlsx)").click()
        expect(page.locator("#export-progress")).to_have_attribute(
            "data-status", "done", timeout=30_000
        )
    with page.expect_download() as download_info:
        page.locator("[data-download]").click()
    workbook = load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    codes = {row[0] for row in list(workbook.active.values)[2:]}
    assert codes == {d.code for d in overdue}
    assert csp_errors == []
