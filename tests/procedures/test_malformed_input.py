"""Input the database or the code cannot take is refused by validation with a
message, never a 500 (issue #12, item 10): NUL bytes and invalid UTF-8 in any path,
query or form value (procedures/middleware.py), integers beyond PostgreSQL's range
(every form's bounds, procedures/forms.py), over-long values."""

import importlib
import logging

import pytest
from django import forms
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from procedures.forms import BIGINT_MAX, parse_id
from procedures.models import LoginFailure
from tests.factories import PASSWORD

NUL, BAD_UTF8 = "%00", "%ff%fe"
LONG, HUGE = "x" * 100_000, str(10**30)
REFUSED = "Yêu cầu có ký tự không hợp lệ"

PUBLIC_ROUTES = ["/tra-cuu/?ma={}", "/danh-gia/?ma={}", "/danh-gia/quay/{}/", "/thu-tuc/{}/"]


@pytest.fixture(autouse=True)
def clean_cache():
    """The public pages' throttle counts per address in the cache: start from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=["anonymous", "signed in"])
def visitor(request, db):
    client = Client()
    if request.param == "signed in":
        client.force_login(request.getfixturevalue("clerk"))
    return client


def refused_with_message(response, caplog, message=REFUSED) -> bool:
    """A 400 whose BadRequest carries ``message`` (logged by Django with the response;
    templates/400.html shows it in the layout)."""
    logged = " ".join(str(r.exc_info[1]) for r in caplog.records if r.exc_info)
    return response.status_code == 400 and message in logged


@pytest.mark.parametrize("route", PUBLIC_ROUTES)
@pytest.mark.parametrize("value", [NUL, BAD_UTF8, f"abc{NUL}def"])
def test_nul_and_invalid_utf8_are_refused_on_every_public_route(visitor, route, value, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = visitor.get(route.format(value))
    assert refused_with_message(response, caplog)


@pytest.mark.parametrize("route", PUBLIC_ROUTES)
@pytest.mark.parametrize("value", [LONG, HUGE, "-1"])
def test_over_long_values_and_huge_numbers_are_no_server_error(visitor, route, value):
    # Unknown code or kiosk: the page's own "not found" (or the form again).
    assert visitor.get(route.format(value)).status_code in {200, 404}


def test_the_message_is_in_the_users_language(client, db, caplog):
    client.cookies["motcua_language"] = "en"
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/thu-tuc/%00/")
    assert refused_with_message(response, caplog, "The request contains invalid characters")


@pytest.mark.parametrize(
    "field", ["username", "password", "next", "csrfmiddlewaretoken", "user\x00name"]
)
def test_a_nul_in_the_login_form_is_refused_and_nothing_recorded(client, clerk, field, caplog):
    data = {"username": "clerk", "password": PASSWORD}
    data[field.replace("\x00", "")] = data.get(field, "") + "\x00"
    if "\x00" in field:
        data = {field: "x", "password": PASSWORD}
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post(reverse("login"), data)
    assert refused_with_message(response, caplog)
    assert not LoginFailure.objects.exists()
    assert "_auth_user_id" not in client.session


def test_invalid_utf8_in_a_posted_form_is_refused(client, clerk, caplog):
    body = b"username=clerk%ff&password=" + PASSWORD.encode()
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post(
            reverse("login"), body, content_type="application/x-www-form-urlencoded"
        )
    assert refused_with_message(response, caplog)
    assert not LoginFailure.objects.exists()


def test_a_nul_in_a_multipart_form_is_refused(client, clerk, caplog):
    client.force_login(clerk)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post(reverse("desk:intake"), {"applicant_name": "An\x00"})
    assert refused_with_message(response, caplog)


def test_over_long_login_values_are_a_form_error(client, clerk):
    response = client.post(reverse("login"), {"username": LONG, "password": LONG})
    assert response.status_code == 400
    assert "mật khẩu chính xác" in response.content.decode()


def test_a_session_cookie_with_a_nul_is_ignored(client, clerk):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get(reverse("procedures:catalog")).status_code == 200
    response = client.post(reverse("login"), {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 302
    # A new session replaced the broken cookie.
    assert "\x00" not in client.cookies["sessionid"].value


def test_clean_input_passes(client, db):
    assert client.get("/thu-tuc/", {"q": "khai sinh đăng ký"}).status_code == 200


def test_ids_beyond_the_database_range_are_no_id():
    assert parse_id("12") == 12
    assert parse_id(str(BIGINT_MAX)) == BIGINT_MAX
    for value in (str(BIGINT_MAX + 1), HUGE, "0", "-1", "1.5", "abc", "", None, "²", "١٢"):
        assert parse_id(value) is None


FORM_MODULES = [
    "procedures.forms",
    "desk.forms",
    "desk.legal_forms",
    "desk.tracking_book",
    "desk.queues",
    "surveys.forms",
    "conduct.forms",
]


def _project_forms() -> list[type[forms.BaseForm]]:
    for name in FORM_MODULES:
        importlib.import_module(name)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__ in FORM_MODULES:
            found.append(cls)
    return found


def test_every_integer_a_form_takes_is_bounded_by_the_database():
    """An integer field without bounds lets 10**30 through to PostgreSQL ("bigint out
    of range"); ModelForm fields carry their model field's range validators."""
    checked = []
    for form in _project_forms():
        for name, field in form.declared_fields.items():
            if isinstance(field, forms.IntegerField):
                checked.append(f"{form.__name__}.{name}")
                assert field.max_value is not None and field.max_value <= BIGINT_MAX, checked[-1]
                assert field.min_value is not None, checked[-1]
    assert "TickForm.stamp" in checked
