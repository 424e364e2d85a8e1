"""Account pages: logging in and out, API tokens, and a coordinator's users page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from buicasus.accounts.models import ApiToken, Membership, Role

pytestmark = pytest.mark.django_db
LANGUAGES = ["en", "fr", "es", "sv", "lv"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_login_page_in_every_language(client: Client, language: str) -> None:
    client.cookies["django_language"] = language
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200 and f'<html lang="{language}">' in html
    assert '<label for="id_username">' in html and '<label for="id_password">' in html


def test_login_and_logout(client: Client, make_user: Callable[..., Any]) -> None:
    make_user("editor", "LV", username="anna")
    response = client.post(reverse("login"), {"username": "anna", "password": "pw-test-123"})
    assert response.status_code == 302 and response["Location"] == reverse("registry:home")
    html = client.get("/").content.decode()
    assert "Log out (anna)" in html
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("registry:home")
    assert "Log out" not in client.get("/").content.decode()


def test_login_follows_next(client: Client, make_user: Callable[..., Any]) -> None:
    make_user("editor", "LV", username="anna")
    response = client.post(
        reverse("login"),
        {"username": "anna", "password": "pw-test-123", "next": "/initiatives/"},
    )
    assert response["Location"] == "/initiatives/"


def test_wrong_password_is_an_error_on_the_form(
    client: Client, make_user: Callable[..., Any]
) -> None:
    make_user(username="anna")
    response = client.post(reverse("login"), {"username": "anna", "password": "wrong"})
    assert response.status_code == 200
    assert 'class="form-errors" role="alert"' in response.content.decode()


def test_logout_is_a_post(client_for: Callable[..., Client]) -> None:
    client = client_for("viewer", "LV")
    assert client.get(reverse("logout")).status_code == 405


# --- API tokens ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_tokens_page_in_every_language(client_for: Callable[..., Client], language: str) -> None:
    client = client_for("viewer", "LV")
    client.cookies["django_language"] = language
    html = client.get(reverse("account-tokens")).content.decode()
    assert f'<html lang="{language}">' in html


def test_token_created_shown_once_and_revoked(client_for: Callable[..., Client]) -> None:
    client = client_for("editor", "LV")
    response = client.post(reverse("account-tokens"), {"name": "import script"})
    assert response.status_code == 200
    token = ApiToken.objects.get(name="import script")
    html = response.content.decode()
    start = html.index('id="raw-token"')
    raw = html[start:].split('value="', 1)[1].split('"', 1)[0]
    assert raw.startswith(token.prefix) and ApiToken.find(raw) == token
    later = client.get(reverse("account-tokens")).content.decode()
    assert raw not in later and "import script" in later and token.prefix in later
    response = client.post(reverse("account-token-revoke", args=[token.pk]))
    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_token_name_required(client_for: Callable[..., Client]) -> None:
    client = client_for("editor", "LV")
    response = client.post(reverse("account-tokens"), {"name": ""})
    assert 'id="id_name_error"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_cannot_revoke_someone_elses_token(
    client_for: Callable[..., Client], make_user: Callable[..., Any]
) -> None:
    token, _raw = ApiToken.issue(make_user("editor", "LV"), "theirs")
    response = client_for("admin").post(reverse("account-token-revoke", args=[token.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_tokens_need_login() -> None:
    response = Client().get(reverse("account-tokens"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the coordinator's users page ----------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_users_page_lists_members(
    client_for: Callable[..., Client], make_user: Callable[..., Any], language: str
) -> None:
    make_user("editor", "LV", username="edgars")
    make_user("editor", "ES", username="elena")
    client = client_for("coordinator", "LV")
    client.cookies["django_language"] = language
    response = client.get(reverse("account-users"))
    html = response.content.decode()
    assert response.status_code == 200 and f'<html lang="{language}">' in html
    assert "edgars" in html and "elena" not in html


def test_grant_role_to_existing_user(
    client_for: Callable[..., Client], make_user: Callable[..., Any]
) -> None:
    user = make_user(username="ilze")
    client = client_for("coordinator", "LV")
    response = client.post(
        reverse("account-users"), {"country": "LV", "username": "ilze", "role": "editor"}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=user, role=Role.EDITOR, country__code="LV").exists()
    assert "ilze" in client.get(response["Location"]).content.decode()


def test_grant_role_to_new_user(client_for: Callable[..., Client]) -> None:
    client = client_for("coordinator", "LV")
    data = {"country": "LV", "username": "janis", "role": "contributor"}
    response = client.post(reverse("account-users"), data)
    assert response.status_code == 200
    assert 'id="id_password_error"' in response.content.decode()
    assert not get_user_model().objects.filter(username="janis").exists()
    response = client.post(reverse("account-users"), {**data, "password": "123"})
    assert 'id="id_password_error"' in response.content.decode()
    response = client.post(reverse("account-users"), {**data, "password": "a-long-enough-pass-42"})
    assert response.status_code == 302
    user = get_user_model().objects.get(username="janis")
    assert user.check_password("a-long-enough-pass-42")
    assert Membership.objects.filter(user=user, role=Role.CONTRIBUTOR).exists()
    login = Client().post(
        reverse("login"), {"username": "janis", "password": "a-long-enough-pass-42"}
    )
    assert login.status_code == 302


def test_revoke_role(client_for: Callable[..., Client], make_user: Callable[..., Any]) -> None:
    user = make_user("viewer", "LV")
    membership = Membership.objects.get(user=user)
    response = client_for("coordinator", "LV").post(
        reverse("account-membership-revoke", args=[membership.pk])
    )
    assert response.status_code == 302 and response["Location"].endswith("country=LV")
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_coordinator_refused_in_another_country(
    client_for: Callable[..., Client], make_user: Callable[..., Any]
) -> None:
    other = make_user("viewer", "ES")
    membership = Membership.objects.get(user=other)
    client = client_for("coordinator", "LV")
    assert client.get(reverse("account-users"), {"country": "ES"}).status_code == 403
    response = client.post(
        reverse("account-users"), {"country": "ES", "username": other.username, "role": "editor"}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=other, role=Role.EDITOR).exists()
    revoke = client.post(reverse("account-membership-revoke", args=[membership.pk]))
    assert revoke.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_admin_role_cannot_be_granted_or_revoked_here(
    client_for: Callable[..., Client], make_user: Callable[..., Any]
) -> None:
    client = client_for("coordinator", "LV")
    response = client.post(
        reverse("account-users"), {"country": "LV", "username": "x", "role": "admin"}
    )
    assert response.status_code == 200 and 'id="id_role_error"' in response.content.decode()
    admin = make_user("admin")
    membership = Membership.objects.get(user=admin)
    assert (
        client.post(reverse("account-membership-revoke", args=[membership.pk])).status_code == 403
    )


@pytest.mark.parametrize("role", ["viewer", "contributor", "editor"])
def test_users_page_needs_a_coordinator(client_for: Callable[..., Client], role: str) -> None:
    assert client_for(role, "LV").get(reverse("account-users")).status_code == 403
