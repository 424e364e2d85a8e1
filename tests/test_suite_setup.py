"""The suite's own speed-ups stay in the suite: production keeps Django's password hashers."""

from __future__ import annotations

import importlib

from django.conf import global_settings, settings
from django.contrib.auth.hashers import get_hasher, make_password

from tests.conftest import FAST_PASSWORD_HASHERS


def test_tests_hash_passwords_with_the_fast_hasher() -> None:
    assert settings.PASSWORD_HASHERS == FAST_PASSWORD_HASHERS
    assert make_password("pw-test-123").startswith(f"{get_hasher().algorithm}$")
    assert get_hasher().algorithm == "md5"


def test_production_settings_keep_the_default_hashers() -> None:
    production = importlib.import_module("buicasus.settings")
    hashers = getattr(production, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers == global_settings.PASSWORD_HASHERS
    assert not any("MD5" in name for name in hashers)
