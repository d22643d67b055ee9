"""The error pages (400, 403, 404, 405, 500 and a refused CSRF check), in the layout.

Django's own handlers render 400.html and 500.html without the request, so the
header, the menu and the user's language would be missing; these render
templates/<status>.html with the request (context processors, nav_items, the
language the cookie chose: procedures.middleware.LanguageMiddleware has run by the
time any view, or the CSRF check, can fail). Wired in config/urls.py (handler400
...), settings.CSRF_FAILURE_VIEW and, for 405,
procedures.middleware.MethodNotAllowedPageMiddleware.
"""

import logging
from types import TracebackType

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


def _back_url(request: HttpRequest) -> str:
    """The page the user came from, when it is one of ours and not this one."""
    referer = request.META.get("HTTP_REFERER", "")
    if (
        referer
        and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and not referer.endswith(request.get_full_path())
    ):
        return referer
    return ""


def _raised_by_django(trace: TracebackType | None) -> bool:
    """Whether the innermost frame of the exception is Django's own code."""
    module = ""
    while trace is not None:
        module = trace.tb_frame.f_globals.get("__name__", "")
        trace = trace.tb_next
    return module == "django" or module.startswith("django.")


def user_message(exception: BaseException | None) -> str:
    """The exception's message when it was written for the user: raised by the
    project's own code (``BadRequest(_("..."))``, ``PermissionDenied(_("..."))``),
    which always speaks the user's language. Django's own messages ("Invalid
    Content-Type header.", the names of its SuspiciousOperation subclasses) are
    English and technical: the page shows its generic text instead."""
    if exception is None or not exception.args or _raised_by_django(exception.__traceback__):
        return ""
    message = exception.args[0]
    return str(message) if isinstance(message, (str, Promise)) else ""


def _render(
    request: HttpRequest, status: int, exception: BaseException | None = None
) -> HttpResponse:
    context = {"message": user_message(exception), "back_url": _back_url(request)}
    return render(request, f"{status}.html", context, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: BaseException) -> HttpResponse:
    return _render(request, 400, exception)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: BaseException) -> HttpResponse:
    return _render(request, 403, exception)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: BaseException) -> HttpResponse:
    # Never the resolver's message ("No Dossier matches the given query."), which
    # is English and says what was looked for.
    return _render(request, 404)


def method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    """A GET (a bookmark, a reloaded tab) on an address that only takes a form's POST."""
    response = _render(request, 405)
    response["Allow"] = allowed
    return response


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted with a missing or outdated token (an old tab, a cookie that
    expired): say so in the layout; the reason is logged, not shown."""
    logger.info("CSRF check refused %s: %s", request.path, reason)
    context = {"csrf": True, "back_url": _back_url(request)}
    return render(request, "403.html", context, status=403)


# When the layout itself cannot be rendered (the database is what broke: the
# header reads the user and the notifications), this page still can: no
# template, no query, only the translation catalogs, which live in memory.
MINIMAL_500 = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head>
<body><main><h1>{title}</h1><p>{text}</p><p><a href="/">{home}</a></p></main></body>
</html>
"""


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _render(request, 500)
    except Exception:
        logger.exception("the 500 page could not be rendered in the layout")
        body = MINIMAL_500.format(
            lang=escape(get_language() or "vi"),
            title=escape(_("Hệ thống đang gặp sự cố")),
            text=escape(
                _(
                    "Yêu cầu chưa được thực hiện. Xin thử lại sau ít phút; nếu vẫn lỗi, xin báo bộ phận kỹ thuật."
                )
            ),
            home=escape(_("Về trang chủ")),
        )
        return HttpResponse(body, status=500)
