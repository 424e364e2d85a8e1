"""Writes without credentials are refused with the documented 401 and JSON body, through the
CSRF-enforcing test client; logged-in browser sessions still need the CSRF token."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from buicasus.registry.models import Organisation

BODY = {"name": "Anonymous attempt", "country": "LV", "actor_type": "ngo"}


def _post(client: Client, path: str, **headers: Any) -> Any:
    return client.post(path, json.dumps(BODY), content_type="application/json", headers=headers)


@pytest.mark.parametrize(
    "path", ["/api/v1/organisations", "/api/v1/tokens", "/api/v1/duplicates/scan"]
)
def test_anonymous_write_is_401_with_json_detail(db: None, path: str) -> None:
    client = Client(enforce_csrf_checks=True)
    # A session cookie without a login (a visitor who chose a language) changes nothing.
    client.cookies["sessionid"] = "not-a-login"
    response = _post(client, path)
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required."}
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Organisation.objects.filter(name="Anonymous attempt").exists()


def test_anonymous_write_detail_is_translated(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = _post(client, "/api/v1/organisations", Accept_Language="fr")
    assert response.status_code == 401
    assert response.json()["detail"] != "Authentication required."


def test_logged_in_session_write_without_csrf_token_is_still_refused(
    make_user: Callable[..., Any],
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("editor", "LV"))
    response = _post(client, "/api/v1/organisations")
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Anonymous attempt").exists()
