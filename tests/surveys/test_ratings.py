"""Quick ratings: once per dossier, a reason for "dissatisfied", the link's expiry,
the kiosk at the counter, the officers it is linked to, the invitation email."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.db import IntegrityError

from surveys.models import Kiosk, Rating, RatingChannel, RatingChoice, RatingInvitation
from surveys.services import SurveyError, invite_to_rate, kiosk_dossier, record_rating
from tests.factories import at, make_procedure, make_user, processed, returned


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()


@pytest.fixture
def procedure(commune):
    return make_procedure(name="Đăng ký khai sinh", agencies=(commune,), time_value=5)


@pytest.fixture
def dossier(clerk, officer, procedure):
    return returned(clerk, officer, procedure, returned_at=at("2026-03-12 15:00"))


def rate_url(dossier) -> str:
    return f"/danh-gia/?ma={dossier.code}&khoa={dossier.lookup_key}"


def test_a_rating_is_linked_to_the_officers_who_handled_the_dossier(dossier, clerk, officer):
    rating = record_rating(
        dossier=dossier,
        choice=RatingChoice.SATISFIED,
        channel=RatingChannel.LINK,
        now=at("2026-03-12 16:00"),
    )
    assert set(rating.officers.all()) == {clerk, officer}
    assert rating.agency_id == dossier.receiving_agency_id


def test_one_rating_per_dossier(dossier):
    now = at("2026-03-12 16:00")
    record_rating(
        dossier=dossier, choice=RatingChoice.SATISFIED, channel=RatingChannel.LINK, now=now
    )
    with pytest.raises(SurveyError, match="đã được đánh giá"):
        record_rating(
            dossier=dossier,
            choice=RatingChoice.VERY_SATISFIED,
            channel=RatingChannel.KIOSK,
            now=now,
        )
    assert Rating.objects.get().choice == RatingChoice.SATISFIED


def test_the_database_also_refuses_a_second_rating(dossier):
    Rating.objects.create(
        dossier=dossier, agency=dossier.receiving_agency, choice="satisfied", channel="link"
    )
    with pytest.raises(IntegrityError):
        Rating.objects.create(
            dossier=dossier, agency=dossier.receiving_agency, choice="satisfied", channel="link"
        )


def test_dissatisfied_needs_a_reason(dossier):
    with pytest.raises(SurveyError, match="lý do"):
        record_rating(
            dossier=dossier,
            choice=RatingChoice.DISSATISFIED,
            reason="  ",
            channel=RatingChannel.LINK,
            now=at("2026-03-12 16:00"),
        )
    assert not Rating.objects.exists()


def test_only_a_returned_dossier_can_be_rated(clerk, officer, procedure):
    dossier = processed(clerk, officer, procedure)
    with pytest.raises(SurveyError, match="chưa được trả kết quả"):
        record_rating(dossier=dossier, choice=RatingChoice.SATISFIED, channel=RatingChannel.LINK)


def test_the_link_rates_once_and_says_thank_you(client, dossier):
    with time_machine.travel(at("2026-03-12 16:00"), tick=False):
        page = client.get(rate_url(dossier))
        assert page.status_code == 200
        assert "Rất hài lòng" in page.content.decode()
        done = client.post(rate_url(dossier), {"choice": "very_satisfied"})
        assert "data-thanks" in done.content.decode()
        again = client.get(rate_url(dossier))
    assert "data-already" in again.content.decode()
    assert Rating.objects.get().channel == RatingChannel.LINK


def test_the_link_asks_for_a_reason_and_saves_nothing_without_it(client, dossier):
    with time_machine.travel(at("2026-03-12 16:00"), tick=False):
        response = client.post(rate_url(dossier), {"choice": "dissatisfied", "reason": ""})
        assert response.status_code == 400
        assert 'aria-invalid="true"' in response.content.decode()
        assert not Rating.objects.exists()
        client.post(rate_url(dossier), {"choice": "dissatisfied", "reason": "Phải đi lại ba lần"})
    assert Rating.objects.get().reason == "Phải đi lại ba lần"


def test_the_link_expires(client, dossier, settings):
    settings.RATING_LINK_DAYS = 30
    with time_machine.travel(at("2026-04-11 14:59"), tick=False):
        assert "rating-choice" in client.get(rate_url(dossier)).content.decode()
    with time_machine.travel(at("2026-04-11 15:01"), tick=False):
        page = client.get(rate_url(dossier)).content.decode()
        assert "hết hạn" in page and "rating-choice" not in page
        client.post(rate_url(dossier), {"choice": "satisfied"})
    assert not Rating.objects.exists()


def test_the_link_needs_the_key(client, dossier):
    response = client.get(f"/danh-gia/?ma={dossier.code}&khoa=WRONGKEY")
    assert response.status_code == 404
    response = client.post(f"/danh-gia/?ma={dossier.code}&khoa=WRONGKEY", {"choice": "satisfied"})
    assert response.status_code == 404
    assert not Rating.objects.exists()


# ---------------------------------------------------------------- kiosk


@pytest.fixture
def kiosk(commune, clerk):
    return Kiosk.objects.create(agency=commune, name="Quầy số 1", clerk=clerk)


def test_kiosk_shows_the_dossier_just_returned_by_its_clerk(
    client, kiosk, clerk, officer, procedure, commune
):
    other_clerk = make_user(agency=commune, roles=("clerk",), username="clerk2")
    mine = returned(clerk, officer, procedure, returned_at=at("2026-03-12 15:00"))
    theirs = returned(other_clerk, officer, procedure, returned_at=at("2026-03-12 15:05"))
    now = at("2026-03-12 15:10")
    assert kiosk_dossier(kiosk, now=now) == mine
    kiosk.clerk = None  # an unclaimed kiosk shows the desk's latest return
    assert kiosk_dossier(kiosk, now=now) == theirs
    # Older than the window: nothing to rate at the counter any more.
    assert kiosk_dossier(kiosk, now=now + dt.timedelta(minutes=31)) is None


def test_kiosk_flow(client, kiosk, dossier):
    url = f"/danh-gia/quay/{kiosk.token}/"
    with time_machine.travel(at("2026-03-12 15:02"), tick=False):
        page = client.get(url).content.decode()
        assert dossier.code in page and "Nguyễn Văn An" not in page and "N***** V** An" in page
        # "Dissatisfied" first asks for the reason.
        step = client.post(url, {"dossier": dossier.pk, "choice": "dissatisfied"})
        assert step.status_code == 200 and 'name="reason"' in step.content.decode()
        empty = client.post(url, {"dossier": dossier.pk, "choice": "dissatisfied", "reason": ""})
        assert empty.status_code == 400
        assert not Rating.objects.exists()
        done = client.post(
            url, {"dossier": dossier.pk, "choice": "dissatisfied", "reason": "Chờ lâu"}
        )
        assert "data-thanks" in done.content.decode()
        # The next visitor sees the idle screen: the dossier is rated.
        assert "data-idle" in client.get(url).content.decode()
    rating = Rating.objects.get()
    assert (rating.channel, rating.kiosk, rating.reason) == (RatingChannel.KIOSK, kiosk, "Chờ lâu")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_kiosk_says_on_the_page_that_the_reason_is_missing(client, kiosk, dossier, language):
    """Not the browser's bubble (in the tablet's language, and it stops the post):
    the reason step posts without a reason and the page itself says it is needed."""
    url = f"/danh-gia/quay/{kiosk.token}/"
    client.cookies["motcua_language"] = language
    with time_machine.travel(at("2026-03-12 15:02"), tick=False):
        step = client.post(url, {"dossier": dossier.pk, "choice": "dissatisfied"}).content.decode()
        form = step.split('<form method="post"', 1)[1].split("</form>", 1)[0]
        assert form.split(">", 1)[0].endswith(" novalidate")
        assert "<textarea" in form and " required" not in form
        empty = client.post(url, {"dossier": dossier.pk, "choice": "dissatisfied", "reason": "  "})
    html = empty.content.decode()
    assert empty.status_code == 400
    message = {"vi": "Phải nhập lý do.", "en": "A reason is required."}[language]
    assert f'role="alert" data-reason-missing>{message}</span>' in html
    assert 'aria-invalid="true"' in html
    assert not Rating.objects.exists()


def test_kiosk_refuses_a_stale_screen(client, kiosk, dossier):
    url = f"/danh-gia/quay/{kiosk.token}/"
    with time_machine.travel(at("2026-03-12 15:02"), tick=False):
        response = client.post(url, {"dossier": dossier.pk + 999, "choice": "satisfied"})
    assert response.status_code == 409
    assert not Rating.objects.exists()


def test_unknown_kiosk_token_is_404(client, db):
    assert client.get("/danh-gia/quay/nope/").status_code == 404


def test_a_clerk_claims_a_counter(client, kiosk, commune):
    other = make_user(agency=commune, roles=("clerk",), username="clerk2")
    client.force_login(other)
    client.post("/quan-ly/quay-danh-gia/", {"kiosk": kiosk.pk})
    assert fresh_kiosk(kiosk).clerk == other


def test_an_outsider_cannot_claim_a_counter(client, kiosk, outsider):
    client.force_login(outsider)
    assert client.post("/quan-ly/quay-danh-gia/", {"kiosk": kiosk.pk}).status_code == 403


@pytest.mark.parametrize("value", ["abc", "²", str(10**30), "", "x" * 100_000])
def test_a_counter_that_is_not_an_id_is_not_found(client, kiosk, commune, value):
    other = make_user(agency=commune, roles=("clerk",), username="clerk2")
    client.force_login(other)
    assert client.post("/quan-ly/quay-danh-gia/", {"kiosk": value}).status_code == 404
    assert fresh_kiosk(kiosk).clerk != other


def fresh_kiosk(kiosk):
    return Kiosk.objects.get(pk=kiosk.pk)


# ---------------------------------------------------------------- invitation


def test_the_invitation_is_emailed_once_after_the_return(
    django_capture_on_commit_callbacks, clerk, officer, procedure, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            dossier = returned(clerk, officer, procedure, returned_at=at("2026-03-12 15:00"))
    finally:
        app.conf.task_always_eager = False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["an.nguyen@example.vn"]
    assert f"/danh-gia/?ma={dossier.code}&khoa={dossier.lookup_key}" in message.body
    assert invite_to_rate(dossier_id=dossier.pk) == "not-claimed"
    assert len(mail.outbox) == 1
    assert RatingInvitation.objects.get().sent_at is not None


@pytest.mark.django_db
def test_an_invitation_for_a_dossier_that_does_not_exist_is_not_retried():
    """Queued after the return commits: a missing row never appears later (a task
    that raised would be retried eight times over hours, holding the worker)."""
    assert invite_to_rate(dossier_id=987_654_321) == "gone"
    assert not mail.outbox


def test_no_invitation_without_an_email(clerk, officer, procedure):
    from tests.factories import make_applicant

    dossier = returned(clerk, officer, procedure, applicant=make_applicant(email=""))
    assert invite_to_rate(dossier_id=dossier.pk) == "no-email"
    assert not mail.outbox


def test_a_failed_send_is_released_for_the_retry(clerk, officer, procedure, settings, monkeypatch):
    dossier = returned(clerk, officer, procedure)
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    with pytest.raises(OSError):
        invite_to_rate(dossier_id=dossier.pk)
    invitation = RatingInvitation.objects.get()
    assert invitation.sent_at is None and invitation.claimed_at is None and invitation.error
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert invite_to_rate(dossier_id=dossier.pk) == "sent"


def test_the_receipt_prints_the_rating_link_and_qr(client, clerk, procedure):
    import subprocess

    from tests.factories import received

    dossier = received(clerk, procedure)
    client.force_login(clerk)
    pdf = client.get(f"/ho-so/{dossier.code}/giay-to/receipt.pdf")
    assert pdf.status_code == 200
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "để đánh giá mức độ hài lòng (trong 30 ngày)" in flat
    assert "http://127.0.0.1:8000/danh-gia/" in flat
    # Still one page.
    info = subprocess.run(["pdfinfo", "-"], input=pdf.content, capture_output=True, check=True)
    assert "Pages:           1" in info.stdout.decode()
