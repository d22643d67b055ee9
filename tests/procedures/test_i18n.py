import datetime as dt

from django.template import Context, Template
from django.urls import reverse
from django.utils import translation


def test_dates_are_written_day_month_year_in_both_languages():
    template = Template("{{ day|date }} {{ moment|date:'SHORT_DATETIME_FORMAT' }}")
    context = Context({"day": dt.date(2026, 2, 13), "moment": dt.datetime(2026, 2, 13, 9, 5)})
    for language in ("vi", "en"):
        with translation.override(language):
            assert template.render(context) == "13/02/2026 09:05 13/02/2026"


def test_language_switch_shows_the_english_translation(client, db):
    response = client.get(reverse("login"))
    assert "Đăng nhập cán bộ" in response.content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Staff sign-in" in page
    assert "Đăng nhập cán bộ" not in page


def test_browser_language_does_not_switch_the_interface(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập cán bộ" in page
