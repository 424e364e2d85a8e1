"""Settings come from the environment; production refuses to start without a secret key."""

import os
import subprocess
import sys

SETUP = "import django; django.setup(); from django.conf import settings; print(settings.{})"


def _run(expr: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    base["DJANGO_SETTINGS_MODULE"] = "buicasus.settings"
    return subprocess.run(
        [sys.executable, "-c", SETUP.format(expr)],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off() -> None:
    result = _run("DEBUG", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_starts_with_a_secret_key() -> None:
    result = _run("ALLOWED_HOSTS", DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="a.eu,b.eu")
    assert result.returncode == 0, result.stderr
    assert "a.eu" in result.stdout and "b.eu" in result.stdout


def test_unknown_default_language_is_refused() -> None:
    result = _run("LANGUAGE_CODE", DEBUG="true", BUICASUS_LANGUAGE="de")
    assert result.returncode != 0 and "BUICASUS_LANGUAGE" in result.stderr


def test_default_language_from_environment() -> None:
    result = _run("LANGUAGE_CODE", DEBUG="true", BUICASUS_LANGUAGE="lv")
    assert result.stdout.strip() == "lv"


def test_database_url_selects_postgresql() -> None:
    result = _run(
        "DATABASES['default']['ENGINE']",
        DEBUG="true",
        DATABASE_URL="postgres://u:p@db.example:5432/name",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"
