"""A citizen sends feedback from a phone, keeps the code and key, follows it, is
asked for more information, answers it, and reads the published answer; the
public page shows no personal data. Checked with axe-core."""

import pytest
from playwright.sync_api import expect

from surveys.models import Feedback
from surveys.services import (
    accept_feedback,
    handle_feedback,
    publish_feedback,
    request_feedback_supplement,
)

from .helpers import fits_the_screen, phone, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sending_feedback_and_following_it(browser, live_server, commune, clerk, unit_head):
    context = phone(browser)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/phan-anh/")
        page.get_by_role("link", name="Gửi phản ánh, kiến nghị").first.tap()
        page.get_by_label("Gửi đến cơ quan").select_option(label=commune.name)
        page.get_by_label("Nội dung liên quan đến").select_option(label="Thủ tục hành chính")
        page.get_by_label("Tiêu đề").fill("Niêm yết phí chứng thực")
        page.get_by_label("Nội dung phản ánh, kiến nghị").fill(
            "Đề nghị niêm yết rõ mức phí chứng thực bản sao tại quầy tiếp nhận."
        )
        page.get_by_label("Họ và tên").fill("Trần Văn Bình")
        page.get_by_label("Địa chỉ").fill("15 Yersin, phường Nha Trang")
        page.get_by_label("Số điện thoại").fill("0905123456")
        assert fits_the_screen(page)
        assert serious_violations(page) == []
        page.get_by_role("button", name="Gửi phản ánh").tap()

        code = page.locator("[data-code]").inner_text()
        key = page.locator("[data-key]").inner_text()
        feedback = Feedback.objects.get(code=code)
        assert feedback.lookup_key == key
        page.get_by_role("link", name="Theo dõi phản ánh").tap()
        expect(page.locator("[data-state]")).to_have_text("Chờ tiếp nhận")

        # The agency accepts it and asks for more information.
        feedback = accept_feedback(feedback=feedback, user=clerk, classification="own")
        request_feedback_supplement(
            feedback=feedback, user=clerk, request_text="Xin cho biết quầy số mấy."
        )
        page.reload()
        expect(page.locator("[data-request]")).to_have_text("Xin cho biết quầy số mấy.")
        assert serious_violations(page) == []
        page.get_by_label("Thông tin bổ sung").fill("Quầy số 3, tầng 1.")
        page.get_by_role("button", name="Gửi thông tin bổ sung").tap()
        expect(page.get_by_text("Đã gửi thông tin bổ sung. Xin cảm ơn.")).to_be_visible()
        expect(page.locator("[data-state]")).to_have_text("Đang xử lý")

        # Handled and published: the answer on the follow page and on the public page.
        feedback = handle_feedback(
            feedback=Feedback.objects.get(pk=feedback.pk),
            user=clerk,
            answer="Đã niêm yết tại quầy số 3.",
        )
        publish_feedback(
            feedback=feedback,
            user=unit_head,
            public_question="Đề nghị niêm yết mức phí chứng thực tại quầy.",
            public_answer="Đã niêm yết mức phí tại quầy số 3.",
        )
        page.reload()
        expect(page.locator("[data-answer]")).to_have_text("Đã niêm yết tại quầy số 3.")
        page.goto(f"{live_server.url}/phan-anh/")
        published = page.locator("[data-published]")
        expect(published).to_contain_text("Đã niêm yết mức phí tại quầy số 3.")
        assert "Trần Văn Bình" not in page.content() and "0905123456" not in page.content()
        assert serious_violations(page) == []
    finally:
        context.close()
