"""Feedback (PAKN): the public form and its spam controls, every step and its legal
deadline on the working-day calendar, publication without personal data, the
overdue alerts, and who may do what."""

import pytest
import time_machine
from django.core.cache import cache

from desk.models import Alert, Notification
from surveys.alert_kinds import AlertKind
from surveys.models import Feedback, FeedbackClassification, FeedbackState
from surveys.services import (
    Sender,
    SurveyError,
    accept_feedback,
    forward_feedback,
    handle_feedback,
    publish_feedback,
    refuse_feedback,
    request_feedback_supplement,
    scan_feedback_deadlines,
    submit_feedback,
    supply_feedback,
)
from tests.factories import at, make_user

SENDER = Sender(name="Trần Văn Bình", address="15 Yersin, phường Nha Trang", phone="0905123456")


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()


def new(commune, when="2026-03-09 10:00", **extra) -> Feedback:
    values = {
        "agency": commune,
        "topic": "procedure",
        "title": "Thời hạn giải quyết",
        "content": "Thời hạn niêm yết tại quầy khác với trên cổng dịch vụ công.",
        "sender": SENDER,
        "now": at(when),
    }
    values.update(extra)
    return submit_feedback(**values)


def fresh(feedback) -> Feedback:
    return Feedback.objects.get(pk=feedback.pk)


def form_data(commune, **overrides) -> dict:
    data = {
        "agency": commune.pk,
        "topic": "procedure",
        "title": "Niêm yết phí",
        "content": "Đề nghị niêm yết rõ mức phí chứng thực bản sao tại quầy tiếp nhận.",
        "sender_name": "Trần Văn Bình",
        "sender_address": "15 Yersin, phường Nha Trang",
        "sender_phone": "0905123456",
        "sender_email": "",
        "website": "",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- the public form


def test_sending_feedback_gives_a_code_and_key(client, commune):
    response = client.post("/phan-anh/gui/", form_data(commune))
    assert response.status_code == 200
    feedback = Feedback.objects.get()
    html = response.content.decode()
    assert feedback.code in html and feedback.lookup_key in html
    assert feedback.state == FeedbackState.PENDING
    follow = client.get("/phan-anh/theo-doi/", {"ma": feedback.code, "khoa": feedback.lookup_key})
    assert follow.status_code == 200
    assert "Chờ tiếp nhận" in follow.content.decode()
    wrong = client.get("/phan-anh/theo-doi/", {"ma": feedback.code, "khoa": "WRONG"})
    assert wrong.status_code == 404


@pytest.mark.parametrize("missing", ["sender_name", "sender_address", "sender_phone", "content"])
def test_the_fields_the_law_requires(client, commune, missing):
    response = client.post("/phan-anh/gui/", form_data(commune, **{missing: ""}))
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_the_honeypot_stores_nothing(client, commune):
    response = client.post("/phan-anh/gui/", form_data(commune, website="http://spam.example"))
    assert response.status_code == 200
    assert not Feedback.objects.exists()


def test_sending_is_throttled_per_client(client, commune, settings):
    settings.FEEDBACK_RATE = 2
    codes = [client.post("/phan-anh/gui/", form_data(commune)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert Feedback.objects.count() == 2


def test_size_limits(client, commune):
    too_long = client.post("/phan-anh/gui/", form_data(commune, content="x" * 5001))
    assert too_long.status_code == 400
    huge = client.post("/phan-anh/gui/", form_data(commune, content="x" * 40_000))
    assert huge.status_code == 413
    assert not Feedback.objects.exists()


def test_staff_record_a_hotline_call(client, clerk, commune):
    client.force_login(clerk)
    data = form_data(commune, channel="hotline")
    del data["website"]
    response = client.post("/phan-anh/quan-ly/moi/", data)
    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert (feedback.channel, feedback.recorded_by) == ("hotline", clerk)


# ---------------------------------------------------------------- steps and deadlines


def test_intake_is_due_in_two_working_days_and_the_answer_in_fifteen(commune):
    feedback = new(commune, "2026-03-13 10:00")  # a Friday
    assert feedback.due_at == at("2026-03-17 10:00")  # over the weekend
    assert feedback.handling_due_at == at("2026-04-03 10:00")


def test_accept_on_time(commune, clerk):
    feedback = new(commune)
    feedback = accept_feedback(
        feedback=feedback, user=clerk, classification="own", now=at("2026-03-10 09:00")
    )
    assert feedback.state == FeedbackState.HANDLING
    assert feedback.due_at == feedback.handling_due_at == at("2026-03-30 10:00")
    assert feedback.events.get(kind="accept").on_time is True
    assert not fresh(feedback).late


def test_a_late_intake_is_recorded(commune, clerk):
    feedback = accept_feedback(
        feedback=new(commune), user=clerk, classification="own", now=at("2026-03-11 10:01")
    )
    assert feedback.events.get(kind="accept").on_time is False
    assert fresh(feedback).late


def test_refuse_within_two_days_with_a_reason(commune, clerk):
    feedback = new(commune)
    with pytest.raises(SurveyError, match="lý do"):
        refuse_feedback(feedback=feedback, user=clerk, reason=" ")
    feedback = refuse_feedback(
        feedback=feedback, user=clerk, reason="Không ghi địa chỉ", now=at("2026-03-10 09:00")
    )
    assert (feedback.state, feedback.due_at) == (FeedbackState.REFUSED, None)
    assert feedback.events.get(kind="refuse").on_time is True


def test_forward_within_five_days_creates_a_copy_there(commune, other_commune, clerk):
    feedback = new(commune)
    forward_feedback(
        feedback=feedback, user=clerk, to_agency=other_commune, now=at("2026-03-16 10:00")
    )
    feedback = fresh(feedback)
    assert feedback.state == FeedbackState.FORWARDED
    assert feedback.events.get(kind="forward").on_time is True
    copy = feedback.forwarded_copy
    assert (copy.agency, copy.state, copy.lookup_key) == (
        other_commune,
        FeedbackState.PENDING,
        feedback.lookup_key,
    )
    assert copy.due_at == at("2026-03-18 10:00")


def test_forward_after_five_days_is_late(commune, clerk):
    feedback = forward_feedback(
        feedback=new(commune), user=clerk, to_name="Sở Xây dựng", now=at("2026-03-16 10:01")
    )
    assert fresh(feedback).late


def test_supplement_pauses_the_clock_and_moves_the_deadline(commune, clerk):
    feedback = accept_feedback(
        feedback=new(commune), user=clerk, classification="own", now=at("2026-03-09 11:00")
    )
    feedback = request_feedback_supplement(
        feedback=feedback, user=clerk, request_text="Mã thủ tục?", now=at("2026-03-10 10:00")
    )
    assert (feedback.state, feedback.due_at) == (FeedbackState.SUPPLEMENT, None)
    assert feedback.events.get(kind="request_supplement").on_time is True
    assert not Feedback.objects.overdue(now=at("2026-04-30 10:00")).exists()
    # Answered two working days later: handling is due two working days later too.
    feedback = supply_feedback(feedback=feedback, reply="1.001234", now=at("2026-03-12 10:00"))
    assert feedback.state == FeedbackState.HANDLING
    assert feedback.handling_due_at == feedback.due_at == at("2026-04-01 10:00")


def test_a_supplement_request_after_five_days_is_late(commune, clerk):
    feedback = accept_feedback(
        feedback=new(commune), user=clerk, classification="own", now=at("2026-03-09 11:00")
    )
    request_feedback_supplement(
        feedback=feedback, user=clerk, request_text="Thêm?", now=at("2026-03-17 10:00")
    )
    assert fresh(feedback).late


def test_the_sender_supplies_on_the_follow_page(client, commune, clerk):
    feedback = accept_feedback(feedback=new(commune), user=clerk, classification="own")
    request_feedback_supplement(feedback=feedback, user=clerk, request_text="Mã thủ tục là gì?")
    feedback = fresh(feedback)
    url = f"/phan-anh/theo-doi/?ma={feedback.code}&khoa={feedback.lookup_key}"
    page = client.get(url).content.decode()
    assert "Mã thủ tục là gì?" in page
    response = client.post(url, {"reply": "Thủ tục 1.001234", "version": feedback.version})
    assert response.status_code == 302
    feedback = fresh(feedback)
    assert (feedback.state, feedback.supplement_reply) == (
        FeedbackState.HANDLING,
        "Thủ tục 1.001234",
    )
    # A second post (stale page) changes nothing.
    client.post(url, {"reply": "Lần hai", "version": feedback.version - 1})
    assert fresh(feedback).supplement_reply == "Thủ tục 1.001234"


def test_handle_within_fifteen_days_then_publish_within_two(commune, clerk, unit_head):
    feedback = accept_feedback(
        feedback=new(commune), user=clerk, classification="own", now=at("2026-03-09 11:00")
    )
    feedback = handle_feedback(
        feedback=feedback, user=clerk, answer="Đã thống nhất.", now=at("2026-03-30 10:00")
    )
    assert feedback.state == FeedbackState.HANDLED
    assert feedback.events.get(kind="handle").on_time is True
    assert feedback.due_at == at("2026-04-01 10:00")
    with pytest.raises(SurveyError, match="lãnh đạo"):
        publish_feedback(feedback=feedback, user=clerk, public_question="Q", public_answer="A")
    feedback = publish_feedback(
        feedback=feedback,
        user=unit_head,
        public_question="Thời hạn niêm yết khác nhau.",
        public_answer="Đã thống nhất thời hạn.",
        now=at("2026-04-01 10:01"),
    )
    assert feedback.state == FeedbackState.PUBLISHED
    assert feedback.events.get(kind="publish").on_time is False
    assert fresh(feedback).late


def test_handling_after_fifteen_days_is_late(commune, clerk):
    feedback = accept_feedback(
        feedback=new(commune), user=clerk, classification="own", now=at("2026-03-09 11:00")
    )
    handle_feedback(feedback=feedback, user=clerk, answer="Trả lời", now=at("2026-03-30 10:01"))
    assert fresh(feedback).late


def test_wrong_state_and_stale_version_are_refused(commune, clerk):
    feedback = new(commune)
    with pytest.raises(SurveyError, match="trạng thái"):
        handle_feedback(feedback=feedback, user=clerk, answer="x")
    with pytest.raises(SurveyError, match="người khác"):
        accept_feedback(feedback=feedback, user=clerk, classification="own", version=99)
    assert fresh(feedback).state == FeedbackState.PENDING


def test_a_behaviour_complaint_names_the_officer_and_the_dossier(commune, clerk, officer):
    from tests.factories import make_procedure, returned

    dossier = returned(clerk, officer, make_procedure(agencies=(commune,)))
    feedback = new(commune, topic="behaviour", dossier_code=dossier.code.lower())
    assert feedback.dossier == dossier
    with pytest.raises(SurveyError, match="cán bộ"):
        accept_feedback(feedback=feedback, user=clerk, classification="behaviour")
    feedback = accept_feedback(
        feedback=feedback, user=clerk, classification="behaviour", officer=officer
    )
    assert (feedback.classification, feedback.officer) == (
        FeedbackClassification.BEHAVIOUR,
        officer,
    )
    assert list(Feedback.objects.upheld_behaviour()) == [feedback]
    handle_feedback(feedback=feedback, user=clerk, answer="Không đúng sự thật", unfounded=True)
    assert not Feedback.objects.upheld_behaviour().exists()


# ---------------------------------------------------------------- publication


def test_publication_refuses_personal_data(commune, clerk, unit_head):
    feedback = accept_feedback(feedback=new(commune), user=clerk, classification="own")
    handle_feedback(feedback=feedback, user=clerk, answer="Đã xử lý")
    with pytest.raises(SurveyError, match="thông tin cá nhân"):
        publish_feedback(
            feedback=feedback,
            user=unit_head,
            public_question="Ông Trần Văn Bình phản ánh về thời hạn",
            public_answer="Đã xử lý",
        )


def test_the_public_page_shows_published_answers_without_personal_data(
    client, commune, clerk, unit_head
):
    feedback = accept_feedback(feedback=new(commune), user=clerk, classification="own")
    handle_feedback(feedback=feedback, user=clerk, answer="Trả lời riêng cho ông Bình")
    publish_feedback(
        feedback=feedback,
        user=unit_head,
        public_question="Thời hạn niêm yết tại quầy khác với trên cổng.",
        public_answer="Đã thống nhất thời hạn trên cả hai nơi.",
    )
    unpublished = new(commune, title="Chưa công khai")
    html = client.get("/phan-anh/").content.decode()
    assert "Đã thống nhất thời hạn trên cả hai nơi." in html
    assert unpublished.title not in html
    for secret in (SENDER.name, SENDER.phone, SENDER.address, "Trả lời riêng", feedback.lookup_key):
        assert secret not in html


# ---------------------------------------------------------------- overdue alerts


def test_overdue_feedback_alerts_the_heads_once(commune, clerk, unit_head, commune_leader):
    feedback = new(commune)  # intake due Wednesday 11 March 10:00
    with time_machine.travel(at("2026-03-11 09:00"), tick=False):
        assert scan_feedback_deadlines(now=at("2026-03-11 09:00")) == 0
    assert scan_feedback_deadlines(now=at("2026-03-11 10:05")) == 1
    assert scan_feedback_deadlines(now=at("2026-03-11 10:06")) == 0
    assert scan_feedback_deadlines(now=at("2026-03-11 10:05")) == 0  # a rerun of the same window
    alert = Alert.objects.get(kind=AlertKind.FEEDBACK_OVERDUE)
    assert alert.subject == f"surveys.feedback:{feedback.pk}"
    recipients = set(Notification.objects.filter(alerts=alert).values_list("recipient", flat=True))
    assert recipients == {unit_head.pk, commune_leader.pk}
    # Accepted late, the handling deadline is a new deadline: alerted again when it passes.
    accept_feedback(feedback=feedback, user=clerk, classification="own", now=at("2026-03-11 11:00"))
    assert scan_feedback_deadlines(now=at("2026-03-30 10:05")) == 1
    assert Alert.objects.filter(kind=AlertKind.FEEDBACK_OVERDUE).count() == 2


def test_paused_and_closed_feedback_raise_no_alert(commune, clerk):
    paused = accept_feedback(feedback=new(commune), user=clerk, classification="own")
    request_feedback_supplement(feedback=paused, user=clerk, request_text="Thêm")
    refuse_feedback(feedback=new(commune), user=clerk, reason="Không đủ thông tin")
    assert scan_feedback_deadlines(now=at("2026-06-01 10:00")) == 0


# ---------------------------------------------------------------- who may do what


def test_staff_views_check_the_agency(client, commune, clerk, outsider, other_commune):
    feedback = new(commune)
    client.force_login(outsider)
    assert client.get(f"/phan-anh/quan-ly/{feedback.pk}/").status_code == 403  # no role
    other_clerk = make_user(agency=other_commune, roles=("clerk",), username="clerk-cl")
    client.force_login(other_clerk)
    assert client.get(f"/phan-anh/quan-ly/{feedback.pk}/").status_code == 404
    assert feedback.code not in client.get("/phan-anh/quan-ly/").content.decode()
    response = client.post(f"/phan-anh/quan-ly/{feedback.pk}/", {"action": "refuse", "reason": "x"})
    assert response.status_code == 404
    assert fresh(feedback).state == FeedbackState.PENDING


def test_a_provincial_leader_sees_it_masked(client, commune, provincial_leader):
    feedback = new(commune)
    client.force_login(provincial_leader)
    html = client.get(f"/phan-anh/quan-ly/{feedback.pk}/").content.decode()
    assert SENDER.phone not in html and SENDER.address not in html
    assert "T*** V** Bình" in html


def test_the_clerk_acts_through_the_page(client, commune, clerk):
    feedback = new(commune)
    client.force_login(clerk)
    page = client.get(f"/phan-anh/quan-ly/{feedback.pk}/").content.decode()
    assert SENDER.phone in page
    client.post(
        f"/phan-anh/quan-ly/{feedback.pk}/",
        {"action": "accept", "classification": "own", "version": feedback.version},
    )
    assert fresh(feedback).state == FeedbackState.HANDLING
    bad = client.post(f"/phan-anh/quan-ly/{feedback.pk}/", {"action": "handle", "answer": ""})
    assert bad.status_code == 400
    assert fresh(feedback).state == FeedbackState.HANDLING


# ---------------------------------------------------------------- opened from a dossier


def test_the_form_opened_from_a_dossier_names_its_agency_and_code(
    client, clerk, commune, other_commune, procedure
):
    """The walk: opened from a dossier of Phường Nha Trang, the form proposed another
    agency (the first of the list). From the lookup page it now proposes the agency
    that received the dossier, and the dossier's code."""
    from tests.factories import received

    dossier = received(clerk, procedure)
    page = client.get("/tra-cuu/", {"ma": dossier.code, "khoa": dossier.lookup_key})
    link = f'href="/phan-anh/gui/?ma={dossier.code}&amp;khoa={dossier.lookup_key}"'
    assert link in page.content.decode()

    html = client.get("/phan-anh/gui/", {"ma": dossier.code, "khoa": dossier.lookup_key})
    html = html.content.decode()
    assert f'<option value="{commune.pk}" selected>' in html
    assert f'name="dossier_code" value="{dossier.code}"' in html


def test_without_the_key_the_form_does_not_tell_which_agency_holds_a_code(
    client, clerk, commune, procedure
):
    from tests.factories import received

    dossier = received(clerk, procedure)
    html = client.get("/phan-anh/gui/", {"ma": dossier.code, "khoa": "SAI"}).content.decode()
    assert f'<option value="{commune.pk}" selected>' not in html
    # An older link (?ho_so=) still fills the code alone.
    html = client.get("/phan-anh/gui/", {"ho_so": dossier.code}).content.decode()
    assert f'name="dossier_code" value="{dossier.code}"' in html
    assert f'<option value="{commune.pk}" selected>' not in html


# ---------------------------------------------------------------- the public header


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("vi", ("Tra cứu hồ sơ", "Gửi phản ánh, kiến nghị")),
        ("en", ("Dossier lookup", "Send feedback")),
    ],
)
def test_the_public_header_links_to_the_lookup_and_the_feedback_form(
    client, commune, language, labels
):
    """Anonymous visitors land on the catalog (templates/base.html): from its header
    they reach the lookup and the feedback form (filled in by SurveysConfig.ready)."""
    client.cookies["motcua_language"] = language
    html = client.get("/thu-tuc/").content.decode()
    nav = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/tra-cuu/"' in nav and 'href="/phan-anh/gui/"' in nav
    for label in labels:
        assert label in nav


def test_staff_keep_their_own_menu(client, clerk):
    client.force_login(clerk)
    html = client.get("/thu-tuc/").content.decode()
    nav = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/tra-cuu/"' not in nav and 'href="/phan-anh/quan-ly/"' in nav


def test_procedures_does_not_import_surveys():
    """The dependency direction procedures <- desk <- surveys (docs: conventions)."""
    import ast
    from pathlib import Path

    import procedures

    offenders = []
    for path in Path(procedures.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "surveys"]
    assert offenders == []
