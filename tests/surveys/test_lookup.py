"""The public lookup: right code and key, wrong key, unknown code (the same answer),
throttling, no personal data in the page, and every state's wording."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from desk.models import State
from surveys.lookup import STATE_MEANINGS
from tests.factories import apologised, at, dossier_in_state, processing, received, returned

URL = "/tra-cuu/"


pytestmark = pytest.mark.usefixtures("clean_cache")


def main(response, *typed: str) -> str:
    """The page's content, without what the visitor typed (the code is echoed in the form)."""
    html = response.content.decode()
    html = html[html.index("<main") : html.index("</main>")]
    for text in typed:
        html = html.replace(text, "")
    return html


def lookup(client, dossier, key=None, **extra):
    return client.get(URL, {"ma": dossier.code, "khoa": key or dossier.lookup_key}, **extra)


def test_the_receipt_link_is_this_page(clerk, procedure):
    dossier = received(clerk, procedure)
    assert reverse("surveys:lookup") == URL
    assert dossier.public_lookup_url.endswith(
        f"/tra-cuu/?ma={dossier.code}&khoa={dossier.lookup_key}"
    )


def test_right_code_and_key_show_the_dossier(
    client, clerk, officer, procedure, django_assert_max_num_queries
):
    dossier = processing(clerk, officer, procedure)
    with django_assert_max_num_queries(4):
        response = lookup(client, dossier)
    assert response.status_code == 200
    html = response.content.decode()
    assert dossier.code in html
    assert "Đăng ký khai sinh" in html
    assert str(STATE_MEANINGS[State.PROCESSING]) in html
    assert "Cache-Control" in response.headers and "no-cache" in response["Cache-Control"]
    # The timeline names units and steps.
    assert "Tiếp nhận hồ sơ" in html and "Chuyển xử lý" in html


def test_key_is_case_and_space_tolerant(client, clerk, procedure):
    dossier = received(clerk, procedure)
    key = dossier.lookup_key.lower()
    spaced = f"{key[:4]} {key[4:8]} {key[8:]}"
    assert lookup(client, dossier, key=spaced).status_code == 200


def test_wrong_key_and_unknown_code_give_the_same_answer(client, clerk, procedure):
    dossier = received(clerk, procedure)
    wrong_key = client.get(URL, {"ma": dossier.code, "khoa": "A" * 16})
    unknown = client.get(URL, {"ma": dossier.code[:-4] + "9999", "khoa": dossier.lookup_key})
    assert wrong_key.status_code == unknown.status_code == 404
    assert main(wrong_key, dossier.code) == main(unknown, dossier.code[:-4] + "9999")
    assert "Không tìm thấy hồ sơ" in wrong_key.content.decode()
    assert "Đăng ký khai sinh" not in wrong_key.content.decode()


def test_empty_query_shows_the_form(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert 'name="ma"' in response.content.decode()


def test_failed_attempts_are_throttled_per_client(client, clerk, procedure, settings):
    settings.LOOKUP_FAILURES = 3
    dossier = received(clerk, procedure)
    for _ in range(3):
        assert client.get(URL, {"ma": dossier.code, "khoa": "WRONGKEY"}).status_code == 404
    # Now even the right key is refused from this address...
    blocked = lookup(client, dossier)
    assert blocked.status_code == 429
    assert "quá nhiều lần" in blocked.content.decode()
    assert dossier.code not in blocked.content.decode().split("</header>")[1].split("name=")[0]
    # ...but not from another one.
    assert lookup(client, dossier, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_lookups_are_rate_limited_per_client(client, clerk, procedure, settings):
    settings.LOOKUP_RATE = 5
    dossier = received(clerk, procedure)
    codes = [lookup(client, dossier).status_code for _ in range(7)]
    assert codes == [200] * 5 + [429] * 2


def test_the_window_passes(client, clerk, procedure, settings):
    settings.LOOKUP_FAILURES = 2
    dossier = received(clerk, procedure)
    with time_machine.travel(at("2026-03-10 09:00"), tick=False):
        for _ in range(2):
            client.get(URL, {"ma": dossier.code, "khoa": "WRONGKEY"})
        assert lookup(client, dossier).status_code == 429
    with time_machine.travel(at("2026-03-10 09:16"), tick=False):
        assert lookup(client, dossier).status_code == 200


def test_the_lock_out_says_how_long_it_really_lasts(client, clerk, procedure, settings):
    settings.LOOKUP_FAILURES = 2
    dossier = received(clerk, procedure)
    # 09:00 starts a 15-minute window; the lock lasts until it ends, not one minute.
    with time_machine.travel(at("2026-03-10 09:00"), tick=False):
        for _ in range(2):
            client.get(URL, {"ma": dossier.code, "khoa": "WRONGKEY"})
        assert lookup(client, dossier)["Retry-After"] == "900"
    with time_machine.travel(at("2026-03-10 09:05"), tick=False):
        assert lookup(client, dossier)["Retry-After"] == "600"
        pdf = client.get("/tra-cuu/giay-to/apology.pdf", {"ma": dossier.code, "khoa": "x"})
        assert pdf.status_code == 429
        assert pdf["Retry-After"] == "600"


def test_the_rate_limit_says_when_its_minute_ends(client, clerk, procedure, settings):
    settings.LOOKUP_RATE = 1
    dossier = received(clerk, procedure)
    with time_machine.travel(at("2026-03-10 09:00") + dt.timedelta(seconds=20), tick=False):
        lookup(client, dossier)
        assert lookup(client, dossier)["Retry-After"] == "40"


def test_no_personal_data_in_the_page(client, clerk, officer, procedure):
    dossier = returned(clerk, officer, procedure)
    html = lookup(client, dossier).content.decode()
    assert "N***** V** An" in html  # the masked name
    for secret in (
        "Nguyễn Văn An",
        "079201001234",
        "0912345678",
        "an.nguyen@example.vn",
        "12 Lê Lợi",
        # Staff names never appear; units do.
        clerk.last_name,
        officer.last_name,
        str(clerk),
        str(officer),
    ):
        assert secret not in html, secret


@pytest.mark.parametrize("state", list(State))
def test_every_state_has_its_wording(client, clerk, officer, unit_head, procedure, state):
    dossier = dossier_in_state(
        state, clerk=clerk, officer=officer, procedure=procedure, when="2026-03-09 10:00"
    )
    assert dossier.state == state
    response = lookup(client, dossier)
    assert response.status_code == 200
    html = response.content.decode()
    assert str(State(state).label) in html
    assert str(STATE_MEANINGS[state]) in html


def test_english_wording(client, clerk, officer, procedure):
    dossier = processing(clerk, officer, procedure)
    client.cookies["motcua_language"] = "en"
    html = lookup(client, dossier).content.decode()
    assert "The dossier is being handled by the competent agency." in html


def test_supplement_request_lists_what_to_bring_and_links_the_form(
    client, clerk, officer, unit_head, procedure
):
    dossier = dossier_in_state(
        State.SUPPLEMENT, clerk=clerk, officer=officer, procedure=procedure, when="2026-03-09 10:00"
    )
    html = lookup(client, dossier).content.decode()
    assert "Giấy chứng sinh" in html and "Bản sao chưa chứng thực" in html
    assert 'data-form="supplement"' in html
    assert "Lê Văn Minh" not in html  # the contact officer's name stays on the paper form


def test_processed_says_where_and_when_to_collect(
    client, clerk, officer, unit_head, procedure, commune
):
    commune.address = "01 Trần Phú, phường Nha Trang"
    commune.save()
    dossier = dossier_in_state(
        State.PROCESSED, clerk=clerk, officer=officer, procedure=procedure, when="2026-03-09 10:00"
    )
    html = lookup(client, dossier).content.decode()
    assert "01 Trần Phú" in html
    assert "07:00–11:30" in html


def test_moved_appointment_and_apology_pdf(client, clerk, officer, unit_head, procedure):
    dossier = apologised(clerk, officer, unit_head, procedure)
    html = lookup(client, dossier).content.decode()
    assert "data-moved" in html
    assert "20/03/2026" in html
    assert 'data-form="apology"' in html
    pdf = client.get(
        "/tra-cuu/giay-to/apology.pdf", {"ma": dossier.code, "khoa": dossier.lookup_key}
    )
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


def test_stop_notice_pdf_is_masked(client, clerk, officer, unit_head, procedure):
    import subprocess

    dossier = dossier_in_state(
        State.STOPPED, clerk=clerk, officer=officer, procedure=procedure, when="2026-03-09 10:00"
    )
    assert 'data-form="stop"' in lookup(client, dossier).content.decode()
    pdf = client.get("/tra-cuu/giay-to/stop.pdf", {"ma": dossier.code, "khoa": dossier.lookup_key})
    assert pdf.status_code == 200
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert "THÔNG BÁO DỪNG" in text.upper()
    assert "079201001234" not in text and "Nguyễn Văn An" not in text
    assert "1234" in text  # masked identification number keeps its last digits


def test_pdfs_need_the_key_and_a_form_that_applies(client, clerk, officer, procedure):
    dossier = processing(clerk, officer, procedure)
    wrong = client.get("/tra-cuu/giay-to/apology.pdf", {"ma": dossier.code, "khoa": "WRONG"})
    assert wrong.status_code == 404
    not_applicable = client.get(
        "/tra-cuu/giay-to/stop.pdf", {"ma": dossier.code, "khoa": dossier.lookup_key}
    )
    assert not_applicable.status_code == 404
    staff_only = client.get(
        "/tra-cuu/giay-to/control-slip.pdf", {"ma": dossier.code, "khoa": dossier.lookup_key}
    )
    assert staff_only.status_code == 404


def test_the_page_has_no_script(client, clerk, procedure):
    dossier = received(clerk, procedure)
    html = lookup(client, dossier).content.decode()
    assert "<script" not in html
    assert len(html) < 12_000


def test_a_returned_dossier_whose_rating_link_closed_needs_nothing_more(
    client, clerk, officer, procedure
):
    dossier = returned(clerk, officer, procedure)  # in March; the 30-day link has closed
    html = lookup(client, dossier).content.decode()
    assert "data-rate" not in html
    assert "không cần làm gì thêm" in html
