"""Settings come from the environment; without a secret key, production generates its own once."""

import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from buicasus.config import stored_secret_key

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


def test_generates_a_secret_key_once_into_the_data_folder(tmp_path: Path) -> None:
    first = _run("SECRET_KEY", DEBUG="false", BUICASUS_DATA_DIR=str(tmp_path))
    second = _run("SECRET_KEY", DEBUG="false", BUICASUS_DATA_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    stored = tmp_path / "secret_key"
    key = first.stdout.strip()
    assert len(key) >= 50 and "insecure" not in key
    assert second.stdout.strip() == key == stored.read_text().strip()
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no scratch file left


def test_secret_key_from_the_environment_wins(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("stored-" + "k" * 50)
    result = _run("SECRET_KEY", DEBUG="false", SECRET_KEY="e" * 50, BUICASUS_DATA_DIR=str(tmp_path))
    assert result.stdout.strip() == "e" * 50


def test_debug_uses_no_stored_secret(tmp_path: Path) -> None:
    result = _run("SECRET_KEY", DEBUG="true", BUICASUS_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_refuses_to_start_when_no_secret_can_be_stored(tmp_path: Path) -> None:
    (tmp_path / "secret_key").mkdir()  # unreadable as a file, even by root
    result = _run("SECRET_KEY", DEBUG="false", BUICASUS_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr and str(tmp_path) in result.stderr


def test_processes_starting_together_store_one_secret(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _: stored_secret_key(tmp_path), range(16)))
    assert keys == {(tmp_path / "secret_key").read_text().strip()}
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_deploy_check_is_clean_with_a_generated_secret(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env = {
        **base,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "ccis.example.org",
        "BUICASUS_HTTPS": "true",
        "BUICASUS_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "buicasus.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert (tmp_path / "secret_key").is_file()


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
