"""Shared fixtures: reference data loaded once per test database, users by role and country."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import override_settings

from buicasus.accounts.models import Membership, Role
from buicasus.reference.models import Country

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


@pytest.fixture(scope="session")
def django_db_setup(
    _fast_password_hasher: None, django_db_setup: None, django_db_blocker: Any
) -> None:
    """Vocabularies, countries and the consortium, as `make run` loads them."""
    from buicasus.assessment.services import load_frameworks
    from buicasus.registry.reference import load_reference

    with django_db_blocker.unblock():
        load_reference()
        load_frameworks()


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
    from buicasus.registry.models import Vocabulary
    from buicasus.registry.reference import load_reference

    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        if not Vocabulary.objects.exists():
            from buicasus.assessment.services import load_frameworks

            load_reference()
            load_frameworks()


@pytest.fixture(autouse=True)
def _english_by_default() -> Any:
    """Each test starts in English, whatever language an earlier test (or command) activated."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _hashing_encoder(request: pytest.FixtureRequest, settings: Any) -> None:
    """Tests use the deterministic hashing encoder unless marked `real_encoder` (speed)."""
    if request.node.get_closest_marker("real_encoder") is None:
        settings.ENCODER = "hashing"


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
