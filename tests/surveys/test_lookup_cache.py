"""The lookup page kept in Redis (surveys/lookup_cache.py): a repeated lookup reads
no database, and every change the page shows is seen at once: the dossier's own
steps, its rating, its desk's details, the appointment passing."""

import pytest
import time_machine
from django.core.cache import cache
from django.test import RequestFactory

from desk.models import State
from surveys import lookup_cache
from surveys.models import RatingChannel, RatingChoice
from surveys.services import record_rating
from surveys.throttle import lookup_throttle
from tests.factories import at, complete, fresh, processing, returned

from .test_lookup import URL, lookup

pytestmark = pytest.mark.usefixtures("clean_cache")


def test_a_repeated_lookup_reads_no_database(
    client, clerk, officer, procedure, django_assert_num_queries
):
    dossier = processing(clerk, officer, procedure)
    first = lookup(client, dossier)
    with django_assert_num_queries(0):
        again = lookup(client, dossier)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert "no-cache" in again["Cache-Control"]  # the browser still asks every time
    # Whatever case and spacing the key was typed with, it is the same page.
    key = dossier.lookup_key.lower()
    with django_assert_num_queries(0):
        typed = lookup(client, dossier, key=f"{key[:8]} {key[8:]}")
    assert typed.content == first.content


def test_a_wrong_key_never_finds_the_kept_page(client, clerk, officer, procedure):
    dossier = processing(clerk, officer, procedure)
    assert lookup(client, dossier).status_code == 200
    wrong = lookup(client, dossier, key="A" * 16)
    assert wrong.status_code == 404
    assert "Đăng ký khai sinh" not in wrong.content.decode()


def test_each_language_has_its_page(client, clerk, officer, procedure):
    dossier = processing(clerk, officer, procedure)
    assert "Đang xử lý" in lookup(client, dossier).content.decode()
    client.cookies["motcua_language"] = "en"
    english = lookup(client, dossier).content.decode()
    assert "The dossier is being handled by the competent agency." in english
    # The header is rendered once per language and process, never shared across them.
    assert "Skip to main content" in english and "Dossier lookup" in english
    assert "Tra cứu hồ sơ" not in english
    del client.cookies["motcua_language"]
    vietnamese = lookup(client, dossier).content.decode()
    assert "Đang xử lý" in vietnamese and "Chuyển đến nội dung chính" in vietnamese


def test_the_next_step_shows_at_once(
    client, clerk, officer, procedure, django_capture_on_commit_callbacks
):
    dossier = processing(clerk, officer, procedure)
    assert "data-collect" not in lookup(client, dossier).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        complete(fresh(dossier), officer, at("2026-03-11 10:00"))
    html = lookup(client, dossier).content.decode()
    assert "data-collect" in html
    assert str(State.PROCESSED.label) in html


def test_a_rating_shows_at_once(
    client, clerk, officer, procedure, django_capture_on_commit_callbacks
):
    with time_machine.travel(at("2026-03-13 10:00"), tick=False):
        dossier = returned(clerk, officer, procedure)
        assert "data-rate" in lookup(client, dossier).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            record_rating(
                dossier=fresh(dossier), choice=RatingChoice.SATISFIED, channel=RatingChannel.LINK
            )
        html = lookup(client, dossier).content.decode()
    assert "data-rate" not in html
    assert "đã đánh giá" in html


def test_the_desk_details_show_at_once(
    client, clerk, officer, procedure, commune, django_capture_on_commit_callbacks
):
    dossier = processing(clerk, officer, procedure)
    with django_capture_on_commit_callbacks(execute=True):
        complete(fresh(dossier), officer, at("2026-03-11 10:00"))
    assert "07:00–11:30" in lookup(client, dossier).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        commune.address = "02 Lê Thánh Tôn"
        commune.morning_start = commune.morning_start.replace(hour=7, minute=30)
        commune.save()
    html = lookup(client, dossier).content.decode()
    assert "02 Lê Thánh Tôn" in html and "07:30–11:30" in html


def test_the_overdue_notice_appears_when_the_appointment_passes(client, clerk, officer, procedure):
    dossier = processing(clerk, officer, procedure)
    due = fresh(dossier).due_at
    with time_machine.travel(due - (due - at("2026-03-10 10:00")), tick=False):
        assert "data-overdue" not in lookup(client, dossier).content.decode()
    with time_machine.travel(due + (due - due.replace(hour=0, minute=0)), tick=False):
        assert "data-overdue" in lookup(client, dossier).content.decode()


def test_a_page_rendered_while_a_write_commits_is_never_served(clerk, officer, procedure):
    """The race the generations close: a first lookup peeks, reads the database,
    and a write commits (and forgets the page) before that lookup stores what it
    read. The stored page carries the generation peeked before the read, which the
    write has moved on: nobody is served it."""
    dossier = processing(clerk, officer, procedure)
    request = RequestFactory().get(URL)
    keys = lookup_cache.keys(dossier.code, dossier.lookup_key, "vi")
    _allowed, peeked = lookup_throttle.check(request, peek=keys)
    assert peeked == [None, None, None]
    lookup_cache.forget(dossier.code, dossier.lookup_key)  # the write's commit
    now = at("2026-03-10 10:00")
    lookup_cache.store(dossier.code, dossier.lookup_key, "vi", peeked, b"stale page", now, None)
    _allowed, peeked_again = lookup_throttle.check(request, peek=keys)
    assert peeked_again[0] is not None  # stored...
    assert lookup_cache.page(peeked_again, now) is None  # ...but never served
    # A page stored after the write matches until the next one.
    lookup_cache.store(dossier.code, dossier.lookup_key, "vi", peeked_again, b"fresh", now, None)
    _allowed, peeked_third = lookup_throttle.check(request, peek=keys)
    assert lookup_cache.page(peeked_third, now) == b"fresh"
    lookup_cache.forget_all()  # an agency or a procedure changed
    _allowed, peeked_fourth = lookup_throttle.check(request, peek=keys)
    assert lookup_cache.page(peeked_fourth, now) is None


def test_a_visitor_with_a_message_gets_a_page_of_their_own(
    client, clerk, officer, procedure, django_assert_max_num_queries
):
    dossier = processing(clerk, officer, procedure)
    lookup(client, dossier)
    client.cookies["messages"] = "anything"
    with django_assert_max_num_queries(4) as context:
        lookup(client, dossier)
    assert len(context.captured_queries) > 0


def test_lookups_work_without_redis(client, clerk, officer, procedure, settings):
    dossier = processing(clerk, officer, procedure)
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        },
    }
    response = lookup(client, dossier)
    assert response.status_code == 200
    assert str(State.PROCESSING.label) in response.content.decode()
    assert lookup(client, dossier, key="A" * 16).status_code == 404


def test_the_cache_can_be_turned_off(
    client, clerk, officer, procedure, settings, django_assert_max_num_queries
):
    settings.LOOKUP_CACHE_SECONDS = 0
    dossier = processing(clerk, officer, procedure)
    lookup(client, dossier)
    with django_assert_max_num_queries(4) as context:
        lookup(client, dossier)
    assert len(context.captured_queries) > 0


def test_the_language_links_keep_the_page(client, clerk, officer, procedure):
    dossier = processing(clerk, officer, procedure)
    html = lookup(client, dossier).content.decode()
    target = f"/tra-cuu/?ma={dossier.code}&khoa={dossier.lookup_key}"
    assert "csrfmiddlewaretoken" not in html
    assert 'href="/ngon-ngu/en/?next=' in html
    switched = client.get("/ngon-ngu/en/", {"next": target})
    assert switched.status_code == 302 and switched["Location"] == target
    assert switched.cookies["motcua_language"].value == "en"
    assert "competent agency" in client.get(switched["Location"]).content.decode()


def test_the_language_link_stays_on_this_site(client, db):
    away = client.get("/ngon-ngu/en/", {"next": "https://example.com/"})
    assert away.status_code == 302 and away["Location"] == "/"
    back = client.get("/ngon-ngu/vi/", HTTP_REFERER="http://testserver/thu-tuc/")
    assert back["Location"] == "http://testserver/thu-tuc/"
    assert client.get("/ngon-ngu/fr/").status_code == 404
    assert client.post("/ngon-ngu/en/").status_code == 405


def test_an_edited_supplement_list_shows_at_once(
    client, clerk, officer, unit_head, procedure, django_capture_on_commit_callbacks
):
    from desk.models import SupplementRequest
    from tests.factories import dossier_in_state

    dossier = dossier_in_state(
        State.SUPPLEMENT, clerk=clerk, officer=officer, procedure=procedure, when="2026-03-09 10:00"
    )
    assert "Giấy chứng sinh" in lookup(client, dossier).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        request = SupplementRequest.objects.get(dossier=dossier)  # as the admin site edits it
        request.items = [{"name": "Sổ hộ khẩu", "reason": "Bản sao"}]
        request.save()
    assert "Sổ hộ khẩu" in lookup(client, dossier).content.decode()


def test_a_value_this_code_did_not_write_is_ignored(client, clerk, officer, procedure):
    dossier = processing(clerk, officer, procedure)
    page_key = lookup_cache.keys(dossier.code, dossier.lookup_key, "vi")[0]
    cache.set(page_key, "not a page")  # e.g. left by another version
    response = lookup(client, dossier)
    assert response.status_code == 200
    assert str(State.PROCESSING.label) in response.content.decode()
