"""Managing one's API tokens through the API, and what a token is worth once issued."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from buicasus.accounts.models import ApiToken

TOKENS = "/api/v1/tokens"
pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_create_list_and_revoke_my_tokens(make_user: Callable[..., Any]) -> None:
    user = make_user("editor", "LV")
    client = Client()
    client.force_login(user)
    created = client.post(TOKENS, json.dumps({"name": "  nightly import "}), "application/json")
    assert created.status_code == 201
    data = created.json()
    assert data["name"] == "nightly import"
    assert data["token"].startswith(data["prefix"])
    # The raw token is shown once: the list gives only the prefix.
    listed = client.get(TOKENS).json()
    assert [t["id"] for t in listed] == [data["id"]]
    assert "token" not in listed[0]
    assert ApiToken.find(data["token"]).user == user

    # The new token works on its own, without the session.
    assert Client().get(TOKENS, headers=bearer(data["token"])).status_code == 200
    assert client.delete(f"{TOKENS}/{data['id']}").status_code == 204
    assert Client().get(TOKENS, headers=bearer(data["token"])).status_code == 401
    assert client.get(TOKENS).json() == []


def test_tokens_of_others_are_invisible(make_user: Callable[..., Any]) -> None:
    mine, mine_raw = ApiToken.issue(make_user("editor", "LV"), "mine")
    theirs, _ = ApiToken.issue(make_user("editor", "ES"), "theirs")
    client = Client()
    assert [t["name"] for t in client.get(TOKENS, headers=bearer(mine_raw)).json()] == ["mine"]
    assert client.delete(f"{TOKENS}/{theirs.pk}", headers=bearer(mine_raw)).status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_token_endpoints_need_authentication() -> None:
    client = Client()
    assert client.get(TOKENS).status_code == 401
    response = client.post(TOKENS, json.dumps({"name": "x"}), "application/json")
    assert response.status_code == 401
    assert not ApiToken.objects.exists()


def test_blank_token_name_is_422(make_user: Callable[..., Any]) -> None:
    client = Client()
    client.force_login(make_user())
    response = client.post(TOKENS, json.dumps({"name": "   "}), "application/json")
    assert response.status_code == 422
    assert "name" in json.dumps(response.json()["detail"])
    assert not ApiToken.objects.exists()


def test_token_use_is_recorded_and_inactive_users_are_refused(
    make_user: Callable[..., Any],
) -> None:
    user = make_user("editor", "LV")
    token, raw = ApiToken.issue(user, "script")
    assert token.last_used_at is None
    assert Client().get(TOKENS, headers=bearer(raw)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    user.is_active = False
    user.save()
    assert Client().get(TOKENS, headers=bearer(raw)).status_code == 401
    assert Client().get("/api/v1/organisations", headers=bearer(raw)).status_code == 401


def test_other_authorization_schemes_do_not_authenticate(make_user: Callable[..., Any]) -> None:
    assert Client().get(TOKENS, headers={"Authorization": "Basic dXNlcjpwdw=="}).status_code == 401
