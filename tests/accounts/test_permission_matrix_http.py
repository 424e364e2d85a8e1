"""The permission matrix through pages and API: role × own/other country × action.

A denied request answers 403 (401 for an anonymous API write, a login redirect for an
anonymous page) and leaves the record exactly as it was.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from buicasus.registry.models import AuditEntry, Initiative
from tests.registry.factories import initiative

pytestmark = pytest.mark.django_db

ROLES = ["admin", "coordinator", "editor", "contributor", "viewer", "anonymous"]
EDITS = {"admin", "coordinator", "editor"}


def _client(client_for, role: str) -> Client:
    if role == "anonymous":
        return Client()
    return client_for(role, None if role == "admin" else "LV")


def _denied(role: str, channel: str) -> set[int]:
    if role == "anonymous":
        return {401} if channel == "api" else {302}
    return {403}


def _snapshot(record: Initiative) -> tuple:
    record.refresh_from_db()
    return (record.title, record.description, record.published, record.updated_at)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("channel", ["page", "api"])
def test_edit(client_for, role: str, where: str, channel: str) -> None:
    record = initiative("LV" if where == "own" else "ES", title="Before")
    client = _client(client_for, role)
    before, audits = _snapshot(record), AuditEntry.objects.count()
    if channel == "page":
        response = client.post(
            reverse("registry:initiative-update", args=[record.pk]),
            {"title": "After", "country": record.country.code, "published": "on"},
        )
    else:
        response = client.patch(
            f"/api/v1/initiatives/{record.pk}",
            json.dumps({"title": "After"}),
            content_type="application/json",
        )
    allowed = role in EDITS and (where == "own" or role == "admin")
    if allowed:
        assert response.status_code in {200, 302}, response.content[:300]
        record.refresh_from_db()
        assert record.title == "After"
    else:
        assert response.status_code in _denied(role, channel), response.content[:300]
        assert _snapshot(record) == before
        assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("channel", ["page", "api"])
def test_delete(client_for, role: str, where: str, channel: str) -> None:
    record = initiative("LV" if where == "own" else "ES")
    client = _client(client_for, role)
    if channel == "page":
        response = client.post(reverse("registry:initiative-delete", args=[record.pk]))
    else:
        response = client.delete(f"/api/v1/initiatives/{record.pk}")
    allowed = role in EDITS and (where == "own" or role == "admin")
    assert Initiative.objects.filter(pk=record.pk).exists() is not allowed
    if not allowed:
        assert response.status_code in _denied(role, channel)


@pytest.mark.parametrize("channel", ["page", "api"])
def test_latvian_editor_cannot_create_in_spain(client_for, channel: str) -> None:
    client = client_for("editor", "LV")
    count = Initiative.objects.count()
    if channel == "page":
        response = client.post(
            reverse("registry:initiative-create"), {"title": "Intrusa", "country": "ES"}
        )
    else:
        response = client.post(
            "/api/v1/initiatives",
            json.dumps({"title": "Intrusa", "country": "ES"}),
            content_type="application/json",
        )
    assert response.status_code == 403
    assert Initiative.objects.count() == count


def test_latvian_editor_gets_403_in_admin_on_spanish_record(client_for, make_user) -> None:
    record = initiative("ES", title="Before")
    user = make_user("editor", "LV", is_staff=True)
    client = Client()
    client.force_login(user)
    url = reverse("admin:registry_initiative_change", args=[record.pk])
    assert client.get(url).status_code in {302, 403}
    response = client.post(url, {"title": "After", "country": record.country.pk})
    assert response.status_code in {302, 403}
    record.refresh_from_db()
    assert record.title == "Before"
    own = initiative("LV", title="Own")
    assert client.get(reverse("admin:registry_initiative_change", args=[own.pk])).status_code == 200
