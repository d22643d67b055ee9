"""Headers every response carries: no caching of staff pages, the language cookie's
SameSite (issue #12, item 15)."""

from django.urls import reverse


def test_pages_for_signed_in_staff_are_private_and_not_stored(client, clerk):
    client.force_login(clerk)
    for url in (reverse("home"), reverse("desk:queue"), reverse("desk:notifications")):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


def test_a_view_that_sets_its_own_caching_keeps_it(client, clerk):
    client.force_login(clerk)
    # The login page is never_cache (no-cache, no-store, must-revalidate, private).
    assert "must-revalidate" in client.get(reverse("login"))["Cache-Control"]


def test_anonymous_public_pages_are_left_alone(client, db):
    response = client.get(reverse("procedures:catalog"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_language_links_set_a_same_site_cookie(client, db):
    response = client.get(reverse("choose-language", args=["en"]), {"next": "/thu-tuc/"})
    assert response.status_code == 302
    assert response.cookies["motcua_language"]["samesite"] == "Lax"


def test_the_staff_language_form_sets_a_same_site_cookie(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.cookies["motcua_language"]["samesite"] == "Lax"
