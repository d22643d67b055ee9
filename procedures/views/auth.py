from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from ..auth import clear_login_failures, client_ip, login_locked, record_login_failure


@sensitive_post_parameters()
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """Sign-in, throttled per username and per client address (procedures/auth.py)."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    form = AuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    status, locked_message = 200, ""
    if request.method == "POST":
        username = request.POST.get("username", "")
        ip = client_ip(request)
        if login_locked(username, ip):
            minutes = settings.LOGIN_FAILURE_WINDOW // 60
            form = AuthenticationForm(request)  # no password is checked while locked
            locked_message = _(
                "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút."
            ) % {"minutes": minutes}
            status = 429
        elif form.is_valid():
            login(request, form.get_user())
            clear_login_failures(username)
            messages.success(request, _("Đăng nhập thành công."))
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        else:
            record_login_failure(username, ip)
            status = 400
    return render(
        request,
        "registration/login.html",
        {"form": form, "next": next_url, "locked_message": locked_message},
        status=status,
    )
