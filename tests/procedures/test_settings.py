import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "PRODUCTION", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production(tmp_path, **env: str) -> dict[str, str]:
    return {
        "PRODUCTION": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "motcua.example.gov.vn",
        "MOTCUA_VAR_DIR": str(tmp_path),
        **env,
    }


@pytest.mark.parametrize("email", [{"EMAIL_HOST": "smtp.example.gov.vn"}, {}])
def test_production_settings_pass_check_deploy(tmp_path, email):
    environment = production(tmp_path, **email)
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **environment)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_mail_through_smtp_and_harden_cookies(tmp_path):
    """Without EMAIL_HOST production mails through the machine's relay (never the
    console); the language and known-device cookies are Secure."""
    shown = (
        "from django.conf import settings as s; m = s.MAILERS['default'];"
        "print(m['BACKEND'], m['OPTIONS']['host'], m['OPTIONS']['port'],"
        " s.LANGUAGE_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY,"
        " s.SESSION_COOKIE_SECURE)"
    )
    result = run_manage("shell", "--no-imports", "-c", shown, **production(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "localhost",
        "25",
        "Lax",
        "True",
        "True",
        "True",
    ]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage("check", PRODUCTION="true", MOTCUA_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_vietnamese_first_in_vietnam_time():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]


def test_with_email_file_dir_emails_are_written_to_files_not_printed(tmp_path):
    # `make demo` sets EMAIL_FILE_DIR (procedures/management/commands/run_demo.py).
    folder = tmp_path / "emails"
    result = run_manage(
        "sendtestemail",
        "nguoidan@example.vn",
        EMAIL_HOST="",
        EMAIL_FILE_DIR=str(folder),
        MOTCUA_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "Subject" not in result.stdout
    (written,) = folder.iterdir()
    assert "To: nguoidan@example.vn" in written.read_text()
