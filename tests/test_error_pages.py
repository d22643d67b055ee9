"""The error pages (400, 403, 404, 405, 500, a refused CSRF check): in the layout, in the
user's language, with a way back; the 500 page still a page when the layout fails."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import BadRequest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from procedures.views import errors
from tests.factories import make_dossier

LANGUAGE_COOKIE = "motcua_language"
HEADINGS = {
    400: {"vi": "Yêu cầu không hợp lệ", "en": "Bad request"},
    403: {"vi": "Không có quyền truy cập", "en": "Access denied"},
    404: {"vi": "Không tìm thấy trang", "en": "Page not found"},
    405: {
        "vi": "Thao tác không thực hiện được theo cách này",
        "en": "This action cannot be done this way",
    },
    500: {"vi": "Hệ thống đang gặp sự cố", "en": "The system has a problem"},
}
HOME = {"vi": "Về trang chủ", "en": "Back to the home page"}


def in_language(client: Client, language: str) -> Client:
    client.cookies[LANGUAGE_COOKIE] = language
    return client


def assert_in_layout(html: str, language: str, status: int) -> None:
    assert html.startswith("<!doctype html>")
    assert f'<html lang="{language}">' in html
    assert '<header class="site-header">' in html and "css/site.css" in html
    assert f'data-error-page="{status}"' in html
    assert HEADINGS[status][language] in html
    assert f'href="{reverse("home")}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_an_unknown_address_is_a_404_page_in_the_layout(client, language):
    response = in_language(client, language).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert_in_layout(html, language, 404)
    assert HOME[language] in html


@pytest.mark.django_db
def test_a_404_says_nothing_of_what_was_looked_for(client, outsider, clerk, procedure_in_commune):
    """A dossier of another agency and a code that does not exist read the same."""
    dossier = make_dossier(clerk=clerk, procedure=procedure_in_commune)
    client.force_login(outsider)
    hidden = client.get(reverse("desk:detail", args=[dossier.code]))
    missing = client.get(reverse("desk:detail", args=["000.00.00.X00-000000-0000"]))
    assert hidden.status_code == missing.status_code == 404
    mains = []
    for response in (hidden, missing):
        html = response.content.decode()
        assert_in_layout(html, "vi", 404)
        main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
        assert "matches the given query" not in main and dossier.code not in main
        mains.append(main)
    assert mains[0] == mains[1]
    # Signed in: the way back is the start page, and the menu is the user's.
    assert "Về trang làm việc" in hidden.content.decode()


@pytest.fixture
def procedure_in_commune(commune):
    from tests.factories import make_procedure

    return make_procedure(name="Đăng ký khai sinh", agencies=(commune,))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_refused_permission_is_a_403_page_with_its_message(
    client, clerk, provincial_leader, procedure_in_commune, language
):
    """A masked viewer asking for a scan: the project's own message, translated."""
    dossier = make_dossier(clerk=clerk, procedure=procedure_in_commune)
    client.force_login(provincial_leader)
    detail = reverse("desk:detail", args=[dossier.code])
    url = reverse("desk:attachment", args=[dossier.code, 1])
    response = in_language(client, language).get(url, HTTP_REFERER=f"http://testserver{detail}")
    assert response.status_code == 403
    html = response.content.decode()
    assert_in_layout(html, language, 403)
    message = {
        "vi": "Bạn không có quyền xem tệp số hóa của hồ sơ này.",
        "en": "You are not allowed to view this dossier's scanned files.",
    }[language]
    assert escape(message) in html
    # The way back: the page the user came from.
    assert f'href="http://testserver{detail}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_form_without_its_csrf_token_is_a_403_page_that_says_why(language):
    client = in_language(Client(enforce_csrf_checks=True), language)
    response = client.post(reverse("login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    html = response.content.decode()
    assert_in_layout(html, language, 403)
    assert "data-csrf" in html
    text = {"vi": "Biểu mẫu đã hết hạn", "en": "The form has expired"}[language]
    assert text in html
    assert "CSRF" not in html.split("<main", 1)[1]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_djangos_own_bad_request_gets_the_generic_text_in_the_layout(client, settings, language):
    """Too many fields (Django's TooManyFieldsSent, an English technical message):
    the generic 400 text, never Django's words."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    data = {f"f{n}": "x" for n in range(10)}
    response = in_language(client, language).post(reverse("login"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert_in_layout(html, language, 400)
    generic = {"vi": "Dữ liệu gửi lên không đúng", "en": "The data sent was not right"}[language]
    assert generic in html
    assert "data-error-message" not in html and "fields exceeded" not in html


def _raise_bad_request(message: str) -> BadRequest:
    try:
        raise BadRequest(message)
    except BadRequest as error:
        return error


def _request(language: str, user=None):
    request = RequestFactory().get("/ho-so/", HTTP_COOKIE=f"{LANGUAGE_COOKIE}={language}")
    request.user = user or AnonymousUser()
    request.LANGUAGE_CODE = language
    return request


@pytest.mark.django_db
def test_a_bad_request_raised_by_the_project_shows_its_message():
    """What validation raises (BadRequest with a Vietnamese message) is shown."""
    error = _raise_bad_request("Mã hồ sơ chứa ký tự không hợp lệ.")
    with translation.override("vi"):
        response = errors.bad_request(_request("vi"), error)
    html = response.content.decode()
    assert response.status_code == 400
    assert_in_layout(html, "vi", 400)
    assert "data-error-message>Mã hồ sơ chứa ký tự không hợp lệ.</p>" in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_500_page_is_in_the_layout(clerk, language):
    with translation.override(language):
        response = errors.server_error(_request(language, clerk))
    html = response.content.decode()
    assert response.status_code == 500
    assert_in_layout(html, language, 500)
    assert {"vi": "Về trang làm việc", "en": "Back to your start page"}[language] in html


def broken_context_processor(request):
    """Stands for a database that is down: the header's context cannot be built."""
    raise RuntimeError("the database is unreachable")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_500_page_is_still_a_page_when_the_layout_cannot_be_rendered(settings, language):
    template_settings = settings.TEMPLATES[0]
    processors = template_settings["OPTIONS"]["context_processors"]
    settings.TEMPLATES = [
        {
            **template_settings,
            "OPTIONS": {
                **template_settings["OPTIONS"],
                "context_processors": [
                    *processors,
                    "tests.test_error_pages.broken_context_processor",
                ],
            },
        }
    ]
    with translation.override(language):
        response = errors.server_error(_request(language))
    html = response.content.decode()
    assert response.status_code == 500
    assert html.startswith("<!doctype html>") and f'<html lang="{language}">' in html
    assert HEADINGS[500][language] in html
    assert 'href="/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "message"),
    [("vi", "Yêu cầu có ký tự không hợp lệ"), ("en", "The request contains invalid characters")],
)
def test_malformed_input_is_a_400_page_in_the_layout_with_its_message(client, language, message):
    """procedures.middleware.MalformedInputMiddleware raises BadRequest(_("…")):
    its message is for the user, so the page shows it."""
    response = in_language(client, language).get("/tra-cuu/", {"ma": "\x00"})
    html = response.content.decode()
    assert response.status_code == 400
    assert_in_layout(html, language, 400)
    assert "data-error-message>" + message in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_get_on_a_post_only_address_is_a_405_page_in_the_layout(client, clerk, language):
    client.force_login(clerk)
    response = in_language(client, language).get(reverse("desk:notifications-read-all"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert_in_layout(response.content.decode(), language, 405)


@pytest.mark.django_db
def test_a_get_on_the_logout_address_is_a_405_page_for_anyone(client):
    response = client.get(reverse("logout"))
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert_in_layout(response.content.decode(), "vi", 405)


@pytest.mark.django_db
def test_a_client_that_takes_no_html_keeps_the_empty_405(client):
    response = client.get(reverse("logout"), headers={"accept": "application/json"})
    assert response.status_code == 405
    assert response.content == b""
