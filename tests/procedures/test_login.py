import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from procedures.models import LoginFailure
from tests.factories import PASSWORD


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


# ------------------------------------------------ the throttle counts what sign-in reads


@pytest.mark.parametrize("variant", [" clerk", "clerk ", "ｃｌｅｒｋ", "ＣＬＥＲＫ", "\u3000clerk"])
def test_a_locked_account_stays_locked_under_another_spelling(client, clerk, settings, variant):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        login(client, "clerk", "wrong")
    # The form signs the variant in as "clerk" (strip + NFKC): the lock must hold.
    response = login(client, variant, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_under_other_spellings_count_for_the_account(client, clerk, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for variant in (" clerk", "ｃｌｅｒｋ", "clerk\t"):
        assert login(client, variant, "wrong").status_code == 400
    assert set(LoginFailure.objects.values_list("username", flat=True)) == {"clerk"}
    assert login(client, "clerk", PASSWORD).status_code == 429


# ------------------------------------------------ lock-out is not a denial of service

A, B = "203.0.113.7", "198.51.100.20"


def login_from(address, username, password, client=None):
    return (client or Client()).post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_an_attacker_elsewhere_does_not_lock_the_user_out(clerk, settings):
    settings.LOGIN_MAX_FAILURES = 5
    for _ in range(7):
        login_from(A, "clerk", "wrong")
    # Refused after five from A, without checking the password; counted five times.
    assert LoginFailure.objects.filter(username="clerk").count() == 5
    attacker = login_from(A, "clerk", PASSWORD)
    assert attacker.status_code == 429
    user = login_from(B, "clerk", PASSWORD)
    assert user.status_code == 302


def test_the_attacker_stays_throttled_for_the_whole_window(clerk, settings):
    settings.LOGIN_MAX_FAILURES = 5
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        for _ in range(5):
            login_from(A, "clerk", "wrong")
        clock.shift(dt.timedelta(minutes=14))
        response = login_from(A, "clerk", PASSWORD)
        assert response.status_code == 429
        assert response["Retry-After"] == "60"
        assert "1 phút" in response.content.decode()
        clock.shift(dt.timedelta(minutes=1, seconds=1))
        assert login_from(A, "clerk", PASSWORD).status_code == 302


def test_a_colleague_behind_the_same_address_does_not_lock_the_desk(clerk, officer, settings):
    settings.LOGIN_MAX_FAILURES = 5
    for _ in range(30):
        login_from(A, "clerk", "wrong")
    assert login_from(A, "clerk", PASSWORD).status_code == 429
    assert login_from(A, officer.username, PASSWORD).status_code == 302


def test_guesses_spread_over_many_addresses_grow_a_delay(clerk, settings):
    settings.LOGIN_MAX_FAILURES = 5
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        for n in range(8):
            assert login_from(f"192.0.2.{n}", "clerk", "wrong").status_code == 400
            clock.shift(dt.timedelta(seconds=20))
        # Eight failures: the ninth guess waits 2 ** (8 - 5) = 8 s after the last one.
        clock.shift(dt.timedelta(seconds=-20))
        response = login_from("192.0.2.100", "clerk", "wrong")
        assert response.status_code == 429
        assert response["Retry-After"] == "8"
        assert "8 giây" in response.content.decode()
        clock.shift(dt.timedelta(seconds=8))
        assert login_from("192.0.2.100", "clerk", "wrong").status_code == 400
        # Nine: 16 s now.
        assert login_from("192.0.2.101", "clerk", PASSWORD)["Retry-After"] == "16"


def test_a_known_device_signs_in_while_the_username_is_under_attack(clerk, settings):
    settings.LOGIN_MAX_FAILURES = 5
    desk_pc = Client()
    assert login_from(A, "clerk", PASSWORD, desk_pc).status_code == 302
    assert settings.LOGIN_DEVICE_COOKIE_NAME in desk_pc.cookies
    desk_pc.post(reverse("logout"))
    # The attacker shares the desk's address and spreads guesses over others too.
    for n in range(12):
        login_from(A if n < 5 else f"192.0.2.{n}", "clerk", "wrong")
    assert login_from(A, "clerk", PASSWORD).status_code == 429
    assert login_from(B, "clerk", PASSWORD).status_code == 429  # the delay
    assert login_from(A, "clerk", PASSWORD, desk_pc).status_code == 302


def test_a_known_device_has_its_own_limit(clerk, settings):
    settings.LOGIN_MAX_FAILURES = 3
    desk_pc = Client()
    login_from(A, "clerk", PASSWORD, desk_pc)
    desk_pc.post(reverse("logout"))
    for _ in range(3):
        assert login_from(A, "clerk", "wrong", desk_pc).status_code == 400
    # Its guesses do not lock other browsers...
    assert login_from(A, "clerk", PASSWORD).status_code == 302
    # ...and after its own three it is any other browser: three more, then locked.
    for _ in range(3):
        assert login_from(A, "clerk", "wrong", desk_pc).status_code == 400
    assert login_from(A, "clerk", PASSWORD, desk_pc).status_code == 429


def test_a_known_device_is_known_only_for_the_username_that_signed_in(clerk, officer, settings):
    settings.LOGIN_MAX_FAILURES = 3
    desk_pc = Client()
    login_from(A, "clerk", PASSWORD, desk_pc)
    desk_pc.post(reverse("logout"))
    for _ in range(3):
        login_from(A, officer.username, "wrong", desk_pc)
    assert login_from(A, officer.username, PASSWORD, desk_pc).status_code == 429


def test_a_forged_device_cookie_is_ignored(clerk, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        login_from(A, "clerk", "wrong")
    forger = Client()
    forger.cookies[settings.LOGIN_DEVICE_COOKIE_NAME] = "eyJkIjoiYSIsInUiOltdfQ:forged:sig"
    assert login_from(A, "clerk", PASSWORD, forger).status_code == 429


def test_password_spraying_from_one_address_is_refused(clerk, settings):
    settings.LOGIN_MAX_FAILURES = 2
    for n in range(8):  # 4 x 2 different usernames
        login_from(A, f"someone{n}", "wrong")
    assert login_from(A, "clerk", PASSWORD).status_code == 429
    assert login_from(B, "clerk", PASSWORD).status_code == 302


def test_next_without_a_leading_slash_falls_back_to_home(client, clerk):
    response = login(client, "clerk", PASSWORD, next="abc")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
