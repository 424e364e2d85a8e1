"""/api/v1/duplicates: list candidates, decide, list merges, undo; permissions and conflicts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from buicasus.dedup.models import CandidatePair, MergeRecord, PairStatus
from buicasus.registry.models import Organisation
from tests.dedup.conftest import TwoSources, snapshot
from tests.dedup.test_pages import spanish_pair
from tests.registry.test_api import send

API = "/api/v1/duplicates"
pytestmark = pytest.mark.django_db


def test_list_needs_an_editor(client_for: Callable[..., Client]) -> None:
    spanish_pair()
    assert send(Client(), "get", API).status_code == 401
    assert send(client_for("viewer", "ES"), "get", API).status_code == 403
    page = send(client_for("editor", "ES"), "get", API).data
    assert page["count"] == 1
    (pair,) = page["results"]
    assert pair["a"]["country"] == "ES" and pair["rule"] == "name-place"
    assert pair["reasons"]["differed"] == ["city"] and pair["status"] == "pending"
    assert send(client_for("editor", "LV"), "get", API).data["count"] == 0


def test_decide_then_undo_through_the_api(
    two_sources: TwoSources, client_for: Callable[..., Client]
) -> None:
    t = two_sources
    before = snapshot()
    pair = CandidatePair.objects.create(a=t.a, b=t.b, score=100, rule="identifier")
    editor = client_for("editor", "FR")
    url = f"{API}/{pair.pk}/decision"
    response = send(editor, "post", url, {"decision": "merge", "keep": t.b.pk})
    assert response.status_code == 200, response.data
    assert response.data["status"] == "merged" and response.data["pair_id"] == pair.pk
    merge = response.data["merge"]
    assert (merge["kept_id"], merge["merged_id"]) == (t.b.pk, t.a.pk)
    assert merge["moved"]["identifiers"] == 1 and merge["moved"]["related"] == 1
    assert not Organisation.objects.filter(pk=t.a.pk).exists()
    again = send(editor, "post", url, {"decision": "keep_apart"})
    assert again.status_code == 409 and "already been decided" in again.data["detail"]
    merges = send(editor, "get", f"{API}/merges").data
    assert merges["count"] == 1 and merges["results"][0]["undone_at"] is None
    undone = send(editor, "post", f"{API}/merges/{merge['id']}/undo")
    assert undone.status_code == 200 and undone.data["undone_by"] is not None
    assert snapshot() == before
    assert send(editor, "post", f"{API}/merges/{merge['id']}/undo").status_code == 409


def test_bad_bodies_are_refused(client_for: Callable[..., Client]) -> None:
    pair = spanish_pair()
    editor = client_for("editor", "ES")
    url = f"{API}/{pair.pk}/decision"
    bad = send(editor, "post", url, {"decision": "delete"})
    assert bad.status_code == 422 and "decision" in bad.data["errors"]
    wrong_keep = send(editor, "post", url, {"decision": "merge", "keep": 999999})
    assert wrong_keep.status_code == 409
    assert CandidatePair.objects.get(pk=pair.pk).status == PairStatus.PENDING


def test_a_latvian_editor_gets_403_and_nothing_changes(
    client_for: Callable[..., Client], make_user: Callable[..., Any]
) -> None:
    pair = spanish_pair()
    before = snapshot()
    latvian = client_for("editor", "LV")
    url = f"{API}/{pair.pk}/decision"
    for body in ({"decision": "merge"}, {"decision": "keep_apart"}, {"decision": "nonsense"}):
        response = send(latvian, "post", url, body)
        assert response.status_code == 403
    assert snapshot() == before
    assert CandidatePair.objects.get(pk=pair.pk).status == PairStatus.PENDING
    spanish = client_for("editor", "ES")
    merge = send(spanish, "post", url, {"decision": "merge"}).data["merge"]
    assert send(latvian, "post", f"{API}/merges/{merge['id']}/undo").status_code == 403
    assert MergeRecord.objects.get().undone_at is None


def test_documented_in_openapi() -> None:
    doc = Client().get("/api/v1/openapi.json").json()
    assert f"{API}/{{pair_id}}/decision" in doc["paths"]
    assert f"{API}/merges/{{merge_id}}/undo" in doc["paths"]
    assert "DecisionIn" in doc["components"]["schemas"]
