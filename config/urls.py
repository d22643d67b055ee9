from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from procedures.views.auth import login_view
from procedures.views.home import healthz, home
from procedures.views.language import choose_language

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on every page that names no icon (the admin's): a
    # 404 would be a console error and a whole error page rendered each time.
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("img/favicon.svg")),
        name="favicon",
    ),
    path("dang-nhap/", login_view, name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ngon-ngu/<str:language>/", choose_language, name="choose-language"),
    # The admin signs in through the throttled login page too.
    path("admin/login/", login_view),
    path("admin/", admin.site.urls),
    # The citizens' pages first: the public lookup is the most requested URL, and
    # each pattern tried before it costs (no pattern of these apps overlaps).
    path("", include("surveys.urls")),
    path("", include("procedures.urls")),
    path("", include("desk.urls")),
    path("", include("conduct.urls")),
]

admin.site.site_header = "Một Cửa"
admin.site.site_title = "Một Cửa"

# Error pages in the layout and the user's language (procedures/views/errors.py).
handler400 = "procedures.views.errors.bad_request"
handler403 = "procedures.views.errors.permission_denied"
handler404 = "procedures.views.errors.page_not_found"
handler500 = "procedures.views.errors.server_error"
