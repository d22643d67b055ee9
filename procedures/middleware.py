from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from procedures.views.errors import method_not_allowed


class LanguageMiddleware:
    """Vietnamese unless the user chose otherwise with the header's switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a desk
    PC or a phone set to English would show English to clerks and citizens who never
    asked for it. Only the language cookie (set by the switch) counts here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


# ------------------------------------------------------------------ malformed input


def _unstorable(raw: bytes) -> bool:
    """True when percent-decoded ``raw`` holds a NUL byte (PostgreSQL text cannot store
    one) or is not UTF-8 (Django would silently turn it into U+FFFD or, in a path,
    back into "%FF", so the value typed is never the value stored)."""
    decoded = unquote_to_bytes(raw.replace(b"+", b" "))
    if b"\x00" in decoded:
        return True
    try:
        decoded.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _wsgi_bytes(value: str) -> bytes:
    # WSGI hands PATH_INFO and QUERY_STRING over as the raw bytes decoded as Latin-1;
    # a str that is not Latin-1 (ASGI, the test client with text) is already Unicode.
    try:
        return value.encode("iso-8859-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")


class MalformedCookieMiddleware:
    """Forget any cookie holding a NUL character, before the session is read.

    A session key with a NUL would reach PostgreSQL and fail there. The browser cannot
    fix a cookie the visitor never typed, so the cookie is ignored rather than the
    request refused: the session middleware then issues a fresh one, which replaces
    it. Must come before SessionMiddleware (config/settings.py MIDDLEWARE).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name in [name for name, value in request.COOKIES.items() if "\x00" in name + value]:
            del request.COOKIES[name]
        return self.get_response(request)


class MalformedInputMiddleware:
    """Refuse, with a message in the user's language, any request whose path, query
    string or form values hold a NUL byte or bytes that are not UTF-8.

    One check for every URL, query parameter and form field of the project, so that
    a view, form or lookup added later cannot reach the database with a value it
    cannot store (issue #12: a NUL gave a 500 on eight pages). Bounds on numbers and
    lengths stay with the forms and path converters (procedures/converters.py). Comes
    after AuthenticationMiddleware so that the 400 page shows the signed-in layout.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._malformed(request):
            raise BadRequest(
                _(
                    "Yêu cầu có ký tự không hợp lệ (ký tự NUL hoặc văn bản không mã hóa "
                    "UTF-8). Vui lòng kiểm tra lại đường dẫn hoặc nội dung đã nhập."
                )
            )
        return self.get_response(request)

    @staticmethod
    def _malformed(request: HttpRequest) -> bool:
        meta = request.META
        if _unstorable(_wsgi_bytes(meta.get("PATH_INFO", ""))):
            return True
        if _unstorable(_wsgi_bytes(meta.get("QUERY_STRING", ""))):
            return True
        if request.method in {"GET", "HEAD", "OPTIONS"}:
            return False
        content_type = request.content_type or ""
        if content_type == "application/x-www-form-urlencoded":
            return _unstorable(request.body)
        if content_type == "multipart/form-data":
            # Values are already decoded here; a NUL survives decoding, so look for it.
            values = [key for key in request.POST] + [
                value for _key, values in request.POST.lists() for value in values
            ]
            values += [key for key in request.FILES] + [
                upload.name or "" for upload in request.FILES.values()
            ]
            return any("\x00" in value for value in values)
        return False


class PrivateWhenSignedInMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in user
    whose view set no caching of its own: staff pages carry personal data
    (Decree 13/2023), which no shared proxy and no browser disk cache may keep.
    Anonymous responses (the public lookup and its kept pages, surveys/lookup_cache.py)
    are left as their views made them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class MethodNotAllowedPageMiddleware:
    """The empty 405 of ``@require_POST`` (and of any view refusing a method) as a
    page in the layout, in the user's language, with a way back; status and
    ``Allow`` header kept. The admin's and any answer with a body of its own are left
    as they are, and so is a client that does not take HTML."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if (
            isinstance(response, HttpResponseNotAllowed)
            and not response.content
            and request.accepts("text/html")
            and not (match is not None and match.app_name == "admin")
        ):
            return method_not_allowed(request, response["Allow"])
        return response
