import pytest
from django.urls import reverse

from procedures.models import LoginFailure
from tests.conftest import PASSWORD


def login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def test_login_page_is_vietnamese_and_has_csp(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Đăng nhập cán bộ" in response.content.decode()
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]


def test_staff_signs_in_and_lands_on_home(client, clerk):
    response = login(client, "clerk", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "Xin chào" in client.get(reverse("home")).content.decode()


def test_wrong_password_is_refused_with_a_message_and_recorded(client, clerk):
    response = login(client, "clerk", "wrong")
    assert response.status_code == 400
    assert "mật khẩu chính xác" in response.content.decode()
    assert LoginFailure.objects.filter(username="clerk").count() == 1


def test_login_is_throttled_after_repeated_failures_even_with_right_password(
    client, clerk, settings
):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        login(client, "clerk", "wrong")
    response = login(client, "clerk", PASSWORD)
    assert response.status_code == 429
    assert "quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_throttle_counts_usernames_case_insensitively(client, clerk, settings):
    settings.LOGIN_MAX_FAILURES = 2
    login(client, "CLERK", "wrong")
    login(client, "Clerk", "wrong")
    assert login(client, "clerk", PASSWORD).status_code == 429


def test_successful_login_clears_earlier_failures(client, clerk, settings):
    settings.LOGIN_MAX_FAILURES = 3
    login(client, "clerk", "wrong")
    login(client, "clerk", "wrong")
    assert login(client, "clerk", PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(username="clerk").exists()


def test_next_is_followed_only_within_the_site(client, clerk):
    response = login(client, "clerk", PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("home")
    client.logout()
    response = login(client, "clerk", PASSWORD, next="/thu-tuc/")
    assert response["Location"] == "/thu-tuc/"


def test_admin_login_goes_through_the_throttled_page(client, administrator, settings):
    settings.LOGIN_MAX_FAILURES = 1
    client.post("/admin/login/", {"username": "admin", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 429


def test_logout_needs_post_and_signs_out(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "persona",
    [
        "clerk",
        "officer",
        "unit_head",
        "provincial_leader",
        "inspector",
        "administrator",
        "outsider",
    ],
)
def test_home_greets_every_signed_in_persona(client, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200


def test_anonymous_home_goes_to_the_public_catalog(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("procedures:catalog")


def test_navigation_depends_on_role(client, clerk, administrator):
    client.force_login(clerk)
    assert reverse("procedures:import") not in client.get(reverse("home")).content.decode()
    client.force_login(administrator)
    assert reverse("procedures:import") in client.get(reverse("home")).content.decode()
