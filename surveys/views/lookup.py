"""The public lookup (tra cứu hồ sơ): from the receipt's QR code or by typing the
code and the lookup key. No sign-in, no personal data, throttled per client.

A wrong key and an unknown code give the same page and status; failed attempts
count towards a much lower limit than lookups do (surveys/throttle.py).
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from desk.legal_forms import FORMS, FormNotApplicable

from .. import lookup_cache
from ..forms import LookupForm
from ..lookup import PUBLIC_FORMS, find_dossier, lookup_page, normalise
from ..throttle import Throttle, lookup_throttle


def throttled(
    request: HttpRequest, template: str, context: dict, throttle: Throttle = lookup_throttle
) -> HttpResponse:
    response = render(request, template, {**context, "throttled": True}, status=429)
    response["Retry-After"] = str(throttle.retry_after(request))
    return response


@require_GET
@never_cache  # the state changes; a phone must not show yesterday's answer
def lookup(request: HttpRequest) -> HttpResponse:
    code, key = normalise(request.GET.get("ma", ""), request.GET.get("khoa", ""))
    if not (code or key):
        return _form_page(request)
    # The page of a dossier is the same for every visitor holding its key (no
    # token, no message, nothing typed echoed), so it is kept in Redis until the
    # dossier changes; the throttle reads it in its own round trip.
    cacheable = lookup_cache.enabled() and not _may_show_messages(request)
    language = get_language()
    peek = lookup_cache.keys(code, key, language) if cacheable else ()
    allowed, peeked = lookup_throttle.check(request, peek=peek)
    if not allowed:
        return _form_page(request, over_limit=True)
    now = timezone.now()
    if cacheable and (page := lookup_cache.page(peeked, now)) is not None:
        return HttpResponse(page)
    view = lookup_page(code, key, now=now)
    if view is None:
        lookup_throttle.failed(request)
        return _form_page(request, not_found=True)
    response = render(
        request,
        "surveys/lookup.html",
        {"view": view, "language_next": f"{request.path}?{view.query}"},
    )
    if cacheable:
        lookup_cache.store(
            code, key, language, peeked, response.content, now, view.changes_with_time(now)
        )
    return response


def _form_page(
    request: HttpRequest, *, over_limit: bool = False, not_found: bool = False
) -> HttpResponse:
    """The lookup form, again with what was typed (its limits are normalise's)."""
    context = {"form": LookupForm(request.GET), "not_found": not_found}
    if over_limit:
        return throttled(request, "surveys/lookup.html", context)
    return render(request, "surveys/lookup.html", context, status=404 if not_found else 200)


def _may_show_messages(request: HttpRequest) -> bool:
    """Whether the page may carry a message (stored in a cookie or the session)."""
    return "messages" in request.COOKIES or settings.SESSION_COOKIE_NAME in request.COOKIES


@require_GET
@never_cache
def lookup_pdf(request: HttpRequest, form: str) -> HttpResponse:
    """The supplement request, apology or stop notice of the citizen's own dossier,
    with the applicant's details masked (the citizen holds the paper original)."""
    if form not in PUBLIC_FORMS:
        raise Http404
    if not lookup_throttle.allow(request):
        retry_after = str(lookup_throttle.retry_after(request))
        return HttpResponse(status=429, headers={"Retry-After": retry_after})
    dossier = find_dossier(request.GET.get("ma", ""), request.GET.get("khoa", ""))
    if dossier is None:
        lookup_throttle.failed(request)
        raise Http404
    legal_form = FORMS[form]
    try:
        context = legal_form.build(dossier, full=False)
    except FormNotApplicable:
        raise Http404 from None
    response = HttpResponse(legal_form.render(context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{form}.pdf"'
    return response
