"""The apology (form 04) from the clock scan's draft to the desk, in Chromium.

Two working days before the due time the scan drafts the apology and tells the unit
head; she opens the notification, finds the draft in the dossier's page, fills in
the reason and the new appointment and signs it, in time (at least one working day
before the due time). The desk clerk who received the dossier is then told, to
relay it to the applicant, and the applicant is emailed.

The whole process (test, live server, scan) travels to Thursday 5 March 2026 09:01
with time-machine, ticking, so the test passes whatever the real time is.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from config.celery import app
from desk import alerts
from desk.models import AlertKind, ApologyLetter, ApologyStatus, Notification, ScanMark
from tests.factories import make_procedure, processing

from .helpers import DESKTOP, log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TZ = timezone.get_default_timezone()
# Received Monday 2 March 09:00 with 5 working days: due Monday 9 March 09:00. Two
# working days before is Thursday 5 March 09:00; the apology is on time until Friday 09:00.
NOW = dt.datetime(2026, 3, 5, 9, 1, tzinfo=TZ)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def tasks_in_process():
    """The after-commit tasks (finishing the apology, sending emails) run in the live
    server's thread instead of a worker (tests/desk/test_alerts_worker.py has workers)."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def dossier(clerk, officer, unit_head, commune, clock):
    procedure = make_procedure(agencies=(commune,))
    handed = processing(clerk, officer, procedure, "2026-03-02 09:00")
    assert handed.due_at == dt.datetime(2026, 3, 9, 9, 0, tzinfo=TZ)
    return handed


def test_unit_head_signs_the_drafted_apology_and_the_clerk_is_told(
    browser, live_server, clerk, unit_head, dossier, tasks_in_process
):
    # The scan covers (last mark, now]: the previous one ran five minutes ago.
    ScanMark.objects.create(name=alerts.CLOCK_SCAN, scanned_until=NOW - dt.timedelta(minutes=5))
    result = alerts.scan_clocks(now=NOW)
    assert result.drafts == 1

    base = live_server.url
    context = browser.new_context(locale="vi-VN", viewport=DESKTOP)
    page = context.new_page()
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
        # ---- the unit head: the bell, the notification, the draft
        log_in(page, base, "unithead")
        bell = page.locator("a.bell")
        expect(bell).to_contain_text("1")
        bell.click()
        page.get_by_role("button", name=re.compile("1 văn bản xin lỗi chờ ký")).click()
        expect(page).to_have_url(re.compile(rf"/ho-so/{re.escape(dossier.code)}/$"))

        box = page.locator("#action-apologise")
        expect(box).to_have_attribute("open", "")  # opened by itself for the draft
        draft = box.locator("[data-apology-draft]")
        expect(draft).to_contain_text("Dự thảo văn bản xin lỗi")
        expect(draft).to_contain_text("09:00 09/03/2026")
        expect(box).to_contain_text("09:00 06/03/2026")  # on time until then

        # ---- fills it in and signs
        box.get_by_label("Lý do chậm trễ").fill("Cần xác minh thêm thông tin với cơ quan liên quan")
        box.get_by_label("Ngày hẹn trả mới").fill("13/03/2026 16:00")
        box.get_by_role("button", name="Xin lỗi, hẹn lại ngày trả").click()
        expect(page.locator("[data-notice]")).to_have_text(
            "Đã ban hành văn bản xin lỗi và hẹn lại ngày trả kết quả."
        )
        expect(page.locator("[data-due]")).to_contain_text("16:00 13/03/2026")
        expect(page.locator("#apology-title")).to_be_visible()
        expect(page.get_by_text("Ban hành muộn")).to_have_count(0)
        expect(page.locator("[data-apology-draft]")).to_have_count(0)
        expect(
            page.get_by_role("link", name="In văn bản xin lỗi và hẹn lại ngày trả kết quả").first
        ).to_be_visible()
        log_out(page)

        letter = ApologyLetter.objects.get(dossier=dossier)  # the draft, now signed
        assert letter.status == ApologyStatus.APPROVED and not letter.is_late
        assert letter.pdf  # finished after commit: stored PDF, desk and applicant told

        # ---- the clerk who received it: told to relay the new date
        log_in(page, base, "clerk")
        bell = page.locator("a.bell")
        expect(bell).to_contain_text("1")
        bell.click()
        title = f"Hồ sơ {dossier.code} đã có văn bản xin lỗi, hẹn trả mới 16:00 13/03/2026"
        note = page.locator(".notification", has_text=title)
        expect(note).to_contain_text("Cần xác minh thêm thông tin với cơ quan liên quan")
        expect(note).to_contain_text("Đề nghị thông báo cho người yêu cầu")
        note.get_by_role("button").click()
        expect(page).to_have_url(re.compile(rf"/ho-so/{re.escape(dossier.code)}/$"))
        expect(page.locator("#apology-title")).to_be_visible()
        assert errors == []
    finally:
        context.close()

    assert Notification.objects.filter(recipient=clerk, kind=AlertKind.APOLOGY_ISSUED).count() == 1
    to_applicant = [m for m in mail.outbox if m.to == ["an.nguyen@example.vn"]]
    assert len(to_applicant) == 1
    assert "13/03/2026" in to_applicant[0].body
