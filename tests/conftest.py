"""Shared fixtures: reference data loaded once per test database, users by role and country."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import override_settings

from buicasus.accounts.models import Membership, Role
from buicasus.config import PROJECT_ROOT
from buicasus.reference.models import Country
from tests.shared import ensure_reference_data

# Commit hooks (the change event, task enqueueing) run in rolled-back tests as in production.
pytest_plugins = ["tests.commit_hooks"]


# Tests only: the production hasher (PBKDF2, hundreds of thousands of rounds) costs about a
# second per user on the CI machines, and the suite creates hundreds of users.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher() -> Iterator[None]:
    """Every test, and the users built for the session, hash passwords with a fast hasher."""
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


# Files of the data folder named by a hash of everything they are computed from (the real
# encoder's language reference and its text → vector cache): a test run may reuse another's.
CARRIED_OVER = ("semantic/reference-*.npz", "semantic/eval-cache-*.npz")
CARRY_DIR = PROJECT_ROOT / "var" / "test-cache"


@pytest.fixture(scope="session", autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The run's own data folder (matching index, report builds, backups), so that tests
    neither read a developer's `var/` nor race another test run (or xdist worker) on it.

    Content-addressed caches come in from, and go back to, `var/test-cache/`: the real encoder
    takes about a minute to rebuild them, and the PostgreSQL pass can reuse the SQLite pass's.
    """
    data = tmp_path_factory.mktemp("data")
    _carry(CARRY_DIR, data)
    with override_settings(DATA_DIR=data):
        yield
    _carry(data, CARRY_DIR)


def _carry(source: Path, target: Path) -> None:
    for pattern in CARRIED_OVER:
        for found in source.glob(pattern):
            if found.name.endswith(".tmp.npz"):
                continue
            copy = target / found.relative_to(source)
            copy.parent.mkdir(parents=True, exist_ok=True)
            part = copy.with_name(f".{copy.name}.{os.getpid()}")
            shutil.copyfile(found, part)
            part.replace(copy)  # atomic: another worker may be reading or writing the same file


@pytest.fixture(scope="session")
def django_db_setup(
    _fast_password_hasher: None, django_db_setup: None, django_db_blocker: Any
) -> None:
    """Vocabularies, countries, regions, the consortium and the framework, as `make run`
    loads them: once per test database, in bulk (a few seconds)."""
    with django_db_blocker.unblock():
        ensure_reference_data()


@pytest.fixture(autouse=True)
def _reference_data_present(request: pytest.FixtureRequest, django_db_blocker: Any) -> None:
    """Reload reference data after a transactional test flushed the database."""
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "make_user",
        "client_for",
    } & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        ensure_reference_data()


@pytest.fixture(autouse=True)
def _english_by_default() -> Any:
    """Each test starts in English, whatever language an earlier test (or command) activated."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def _hashing_encoder() -> Iterator[str]:
    """Tests, and data shared by several of them, use the deterministic hashing encoder
    (speed); yields the configured one for the tests marked `real_encoder`."""
    configured = settings.ENCODER
    with override_settings(ENCODER="hashing"):
        yield configured


@pytest.fixture(autouse=True)
def _real_encoder_when_marked(
    request: pytest.FixtureRequest, _hashing_encoder: str
) -> Iterator[None]:
    if request.node.get_closest_marker("real_encoder") is None:
        yield
        return
    with override_settings(ENCODER=_hashing_encoder):
        yield


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    """`make_user("editor", "LV")` → an active user holding that role in that country."""
    counter = {"n": 0}

    def make(role: str | None = None, country: str | None = None, **extra: Any) -> Any:
        counter["n"] += 1
        name = extra.pop("username", f"{role or 'nobody'}-{country or 'xx'}-{counter['n']}")
        user = get_user_model().objects.create_user(username=name, password="pw-test-123", **extra)
        if role:
            Membership.objects.create(
                user=user,
                role=Role(role),
                country=Country.objects.get(code=country) if country else None,
            )
        return user

    return make


@pytest.fixture
def client_for(make_user: Callable[..., Any]) -> Callable[..., Client]:
    """`client_for("editor", "LV")` → a test client logged in as such a user."""

    def make(role: str | None = None, country: str | None = None) -> Client:
        client = Client()
        if role is not None:
            client.force_login(make_user(role, country))
        return client

    return make
