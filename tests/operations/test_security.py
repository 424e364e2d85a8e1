"""Security settings: login throttling, security headers, CSRF and the deploy check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _fail_login(client: Client, username: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": "wrong-password"})


def test_repeated_failed_logins_lock_the_account_for_that_address(
    make_user: Any, settings: Any
) -> None:
    user = make_user("viewer", "LV", username="janis")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _fail_login(client, "janis").status_code == 200
    locked = _fail_login(client, "janis")
    assert locked.status_code == 429
    assert b"Too many failed logins" in locked.content
    # Even the right password is refused while locked.
    right = client.post("/accounts/login/", {"username": "janis", "password": "pw-test-123"})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another person is not locked out by janis's failures.
    make_user("viewer", "LV", username="ilze")
    ok = Client().post("/accounts/login/", {"username": "ilze", "password": "pw-test-123"})
    assert ok.status_code == 302
    assert user.pk


def test_pages_send_the_security_headers(client: Client) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_forms_refuse_a_post_without_csrf_token(make_user: Any) -> None:
    make_user("editor", "LV", username="editor-csrf")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "editor-csrf", "password": "x"})
    assert response.status_code == 403


def test_deploy_check_is_clean_with_production_settings(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "a-long-production-secret-" + "x9Q!" * 12,
        "ALLOWED_HOSTS": "ccis.example.org",
        "BUICASUS_HTTPS": "true",
        "BUICASUS_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' Playwright fixtures
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "buicasus.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
