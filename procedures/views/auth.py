from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from ..auth import (
    clear_login_failures,
    local_url,
    login_attempt,
    login_retry_after,
    record_login_failure,
    remember_device,
)


def _locked_message(seconds: int) -> str:
    if seconds < 60:
        return ngettext(
            "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(seconds)d giây.",
            "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(seconds)d giây.",
            seconds,
        ) % {"seconds": seconds}
    minutes = -(-seconds // 60)
    return ngettext(
        "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút.",
        "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút.",
        minutes,
    ) % {"minutes": minutes}


@sensitive_post_parameters()
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """Sign-in, throttled per username and address with known devices exempt
    (procedures/auth.py login_retry_after)."""
    next_url = local_url(request, request.POST.get("next") or request.GET.get("next") or "")
    form = AuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    status, locked_message, retry_after = 200, "", 0
    if request.method == "POST":
        attempt = login_attempt(request, request.POST.get("username", ""))
        retry_after = login_retry_after(attempt)
        if retry_after:
            form = AuthenticationForm(request)  # no password is checked while locked
            locked_message = _locked_message(retry_after)
            status = 429
        elif form.is_valid():
            login(request, form.get_user())
            clear_login_failures(attempt)
            messages.success(request, _("Đăng nhập thành công."))
            response = HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
            remember_device(request, response, attempt)
            return response
        else:
            record_login_failure(attempt)
            status = 400
    response = render(
        request,
        "registration/login.html",
        {"form": form, "next": next_url, "locked_message": locked_message},
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
