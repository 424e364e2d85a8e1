"""The matching JSON API: needs CRUD, find, weights, saved searches, shares,
recommendations and notifications, with their permissions and errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from buicasus.core import transferability as tr
from buicasus.matching.models import Need, NeedShare, Notification, Recommendation, SavedSearch
from buicasus.reference.models import Country
from tests.matching import builders
from tests.registry.factories import initiative, term

pytestmark = pytest.mark.django_db
BASE = "/api/v1/matching"
NEED = "Young unemployed people need digital skills training and coaching to find a job."


def _call(client: Client, method: str, path: str, body: Any = None) -> Any:
    kwargs: dict[str, Any] = {}
    if body is not None:
        kwargs = {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method)(f"{BASE}{path}", **kwargs)


def _need_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Digital skills",
        "text": NEED,
        "country": "LV",
        "policy_fields": ["employment"],
        "legal_forms": ["association-ngo"],
        "budget": "20000",
    }
    body.update(changes)
    return body


def test_needs_crud(client_for: Any) -> None:
    client = client_for("editor", "LV")
    created = _call(client, "post", "/needs", _need_body())
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["country"] == "LV" and data["policy_fields"] == ["employment"]
    pk = data["id"]
    assert _call(client, "get", "/needs").json()["count"] == 1
    patched = _call(client, "patch", f"/needs/{pk}", {"title": "Renamed"})
    assert patched.status_code == 200 and patched.json()["title"] == "Renamed"
    assert patched.json()["legal_forms"] == ["association-ngo"]
    replaced = _call(client, "put", f"/needs/{pk}", _need_body(title="Again", budget=None))
    assert replaced.json()["budget"] is None
    assert _call(client, "delete", f"/needs/{pk}").status_code == 204
    assert not Need.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 100_000}, "text"),
        ({"policy_fields": ["nonsense"]}, "policy_fields"),
        ({"title": 5}, "title"),
    ],
)
def test_need_validation_names_the_field(client_for: Any, changes: Any, field: str) -> None:
    response = _call(client_for("editor", "LV"), "post", "/needs", _need_body(**changes))
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Need.objects.exists()


def test_need_permissions(client_for: Any) -> None:
    need = builders.need("LV")
    assert _call(client_for(None), "get", "/needs").status_code == 401
    assert _call(client_for("viewer", "LV"), "post", "/needs", _need_body()).status_code == 403
    assert _call(client_for("editor", "ES"), "post", "/needs", _need_body()).status_code == 403
    assert _call(client_for("viewer", "LV"), "get", f"/needs/{need.pk}").status_code == 200
    assert _call(client_for("editor", "ES"), "get", f"/needs/{need.pk}").status_code == 403
    assert _call(client_for("editor", "ES"), "patch", f"/needs/{need.pk}", {}).status_code == 403
    assert _call(client_for("viewer", "LV"), "delete", f"/needs/{need.pk}").status_code == 403
    assert _call(client_for("viewer", "LV"), "get", "/needs/999999").status_code == 404


def test_find_by_text_and_by_need_with_components(client_for: Any, make_user: Any) -> None:
    initiative(
        "ES",
        description=NEED,
        description_language="en",
        evidence_level=term("evidence-level", "good-practice"),
    )
    initiative("LV", description=NEED)
    anonymous = _call(client_for(None), "post", "/find", {"text": NEED, "country": "LV"})
    assert anonymous.status_code == 200, anonymous.content
    data = anonymous.json()
    assert [m["country"] for m in data["matches"]] == ["ES"]
    match = data["matches"][0]
    assert [c["key"] for c in match["components"]] == list(tr.COMPONENTS)
    evidence = match["components"][1]
    assert evidence["value"] == 0.75 and evidence["reasons"]
    context = match["components"][-1]
    assert context["known"] is False and context["applied_weight"] == 0.0
    assert data["search_id"] is None

    editor = make_user("editor", "LV")
    need = builders.need("LV", text=NEED, created_by=editor)
    client = Client()
    client.force_login(editor)
    saved = _call(
        client, "post", "/find", {"need_id": need.pk, "save": True, "weights": {"evidence": 1}}
    )
    assert saved.status_code == 200
    body = saved.json()
    assert body["need_id"] == need.pk and body["weights"]["evidence"] == 1.0
    search = SavedSearch.objects.get(pk=body["search_id"])
    assert search.need == need
    assert (
        _call(client_for("editor", "ES"), "post", "/find", {"need_id": need.pk}).status_code == 403
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 100_000}, "text"),
        ({"text": NEED, "weights": {"problem_fit": 0}}, "weights"),
        ({"text": NEED, "weights": {"ease": -2, "evidence": 1}}, "weights"),
        ({"text": NEED, "country": "XX"}, "country"),
    ],
)
def test_find_bad_input(client_for: Any, body: Any, field: str) -> None:
    response = _call(client_for(None), "post", "/find", body)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_weights_and_saved_search_reweighting(client_for: Any, make_user: Any) -> None:
    listed = _call(client_for(None), "get", "/weights").json()
    assert [w["key"] for w in listed] == list(tr.COMPONENTS)
    assert sum(w["default"] for w in listed) == pytest.approx(1.0)
    initiative("ES", description=NEED, description_language="en")
    user = make_user("viewer", "LV")
    client = Client()
    client.force_login(user)
    found = _call(client, "post", "/find", {"text": NEED, "save": True, "name": "Mine"}).json()
    pk = found["search_id"]
    assert [s["name"] for s in _call(client, "get", "/searches").json()] == ["Mine"]
    again = _call(client, "put", f"/searches/{pk}/weights", {"weights": {"spread": 2}})
    assert again.status_code == 200 and again.json()["weights"]["spread"] == 1.0
    assert _call(client, "get", f"/searches/{pk}").json()["weights"]["spread"] == 1.0
    bad = _call(client, "put", f"/searches/{pk}/weights", {"weights": {}})
    assert bad.status_code == 422 and "weights" in bad.json()["errors"]
    stranger = client_for("viewer", "LV")
    assert _call(stranger, "get", f"/searches/{pk}").status_code == 403
    assert _call(client, "delete", f"/searches/{pk}").status_code == 204


def test_shares_recommendations_and_notifications(client_for: Any, make_user: Any) -> None:
    asker = make_user("editor", "LV")
    need = builders.need("LV", created_by=asker)
    es = make_user("editor", "ES")
    client = Client()
    client.force_login(asker)
    shared = _call(client, "post", f"/needs/{need.pk}/shares", {"countries": ["es"]})
    assert shared.status_code == 200 and [s["country"] for s in shared.json()] == ["ES"]
    bad = _call(client, "post", f"/needs/{need.pk}/shares", {"countries": ["LV"]})
    assert bad.status_code == 422 and "countries" in bad.json()["errors"]
    es_client = Client()
    es_client.force_login(es)
    assert _call(es_client, "get", "/notifications/unread-count").json() == {"count": 1}
    item = initiative("ES")
    rec = _call(
        es_client,
        "post",
        f"/needs/{need.pk}/recommendations",
        {"initiative_id": item.pk, "comment": "Fits"},
    )
    assert rec.status_code == 201 and rec.json()["kind"] == "human"
    missing = _call(
        es_client, "post", f"/needs/{need.pk}/recommendations", {"initiative_id": 0, "comment": "x"}
    )
    assert missing.status_code == 422 and "initiative_id" in missing.json()["errors"]
    outsider = client_for("editor", "FR")
    denied = _call(
        outsider,
        "post",
        f"/needs/{need.pk}/recommendations",
        {"initiative_id": item.pk, "comment": "x"},
    )
    assert denied.status_code == 403
    listed = _call(client, "get", f"/needs/{need.pk}/recommendations").json()
    assert [r["comment"] for r in listed] == ["Fits"]
    notes = _call(client, "get", "/notifications").json()
    assert notes["unread"] == 1 and "recommends" in notes["results"][0]["text"]
    assert _call(client, "post", "/notifications/read", {}).json() == {"count": 1}
    assert Notification.objects.filter(user=asker, read_at__isnull=True).count() == 0
    assert _call(client, "delete", f"/needs/{need.pk}/shares/ES").status_code == 204
    assert not NeedShare.objects.exists()
    assert Recommendation.objects.count() == 1
    assert Country.objects.filter(code="ES").exists()
