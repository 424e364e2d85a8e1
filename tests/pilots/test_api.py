"""The pilots API: CRUD, entries, progress, advance, finish; permissions and field errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from buicasus.pilots.models import Pilot, PilotMilestone, PilotParticipant, PilotSession
from buicasus.registry.models import AuditEntry, Initiative

API = "/api/v1/pilots"
pytestmark = pytest.mark.django_db


def send(client: Client, method: str, url: str, data: Any = None) -> Any:
    body = json.dumps(data) if data is not None else ""
    response = getattr(client, method)(url, data=body, content_type="application/json")
    response.data = response.json() if response.content else None
    return response


def counts() -> tuple[int, ...]:
    return (
        Pilot.objects.count(),
        PilotMilestone.objects.count(),
        PilotSession.objects.count(),
        PilotParticipant.objects.count(),
        Initiative.objects.count(),
        AuditEntry.objects.count(),
    )


def payload(source: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = {
        "title": "API pilot",
        "source_initiative": source["initiative"].pk,
        "source_organisation": source["organisation"].pk,
        "target_country": "LV",
        "target_organisation": source["target"].pk,
        "start_date": "2026-01-15",
        "trigger": "traction",
    }
    data.update(changes)
    return data


def test_create_read_patch_delete(
    source: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    client = client_for("editor", "LV")
    created = send(client, "post", API, payload(source))
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    assert created.data["target_country"] == "LV"
    assert created.data["source_country"] == "ES"
    assert created.data["phase"] == "diagnosis"
    read = send(client, "get", f"{API}/{pk}")
    assert read.data["trigger"] == "traction"
    patched = send(client, "patch", f"{API}/{pk}", {"status": "active"})
    assert patched.status_code == 200, patched.data
    assert patched.data["status"] == "active"
    assert patched.data["title"] == "API pilot"
    listing = send(client, "get", API, None)
    assert listing.data["count"] == 1
    assert send(client, "delete", f"{API}/{pk}").status_code == 204
    assert not Pilot.objects.exists()


def test_bad_input_is_422_naming_the_field_and_writes_nothing(
    source: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    client = client_for("editor", "LV")
    before = counts()
    bad = send(client, "post", API, payload(source, end_date="2026-01-01"))
    assert bad.status_code == 422
    assert "end_date" in bad.data["errors"]
    shape = send(client, "post", API, payload(source, start_date="soon"))
    assert shape.status_code == 422
    assert "start_date" in shape.data["errors"]
    assert counts() == before


def test_other_country_and_anonymous_are_refused(
    pilot: Pilot, source: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    outsider = client_for("editor", "FR")
    before = counts()
    assert send(outsider, "get", f"{API}/{pilot.pk}").status_code == 403
    assert send(outsider, "get", f"{API}/{pilot.pk}/progress").status_code == 403
    assert send(outsider, "get", API).data["count"] == 0
    session = {"held_on": "2026-02-01", "topics": "x"}
    refused = send(outsider, "post", f"{API}/{pilot.pk}/sessions", session)
    assert refused.status_code == 403
    assert refused.data["detail"] == "You may not see this pilot."
    assert send(outsider, "post", API, payload(source)).status_code == 403
    assert send(Client(), "get", API).status_code == 401
    viewer = client_for("viewer", "LV")
    assert send(viewer, "get", f"{API}/{pilot.pk}").status_code == 200
    assert send(viewer, "patch", f"{API}/{pilot.pk}", {"title": "x"}).status_code == 403
    assert counts() == before


def test_entries_through_the_api(pilot: Pilot, client_for: Callable[..., Client]) -> None:
    client = client_for("editor", "LV")
    base = f"{API}/{pilot.pk}"
    mentor = send(client, "post", f"{base}/participants", {"role": "mentor", "name": "Ana"})
    assert mentor.status_code == 201, mentor.data
    both = send(client, "post", f"{base}/participants", {"role": "mentee", "name": "ana"})
    assert both.status_code == 422
    assert "name" in both.data["errors"]
    session = send(
        client,
        "post",
        f"{base}/sessions",
        {"held_on": "2026-02-01", "topics": "Finance", "participants": [mentor.data["id"]]},
    )
    assert session.status_code == 201, session.data
    assert session.data["participants"] == [mentor.data["id"]]
    early = send(client, "post", f"{base}/milestones", {"title": "x", "due_on": "2026-01-01"})
    assert early.status_code == 422
    assert "due_on" in early.data["errors"]
    milestone = send(client, "post", f"{base}/milestones", {"title": "M", "due_on": "2026-02-01"})
    done = send(
        client, "patch", f"{base}/milestones/{milestone.data['id']}", {"done_on": "2026-02-03"}
    )
    assert done.status_code == 200, done.data
    assert done.data["done_on"] == "2026-02-03"
    adaptation = send(
        client,
        "post",
        f"{base}/adaptations",
        {
            "phase": "plan",
            "change": "Latvian law",
            "reason": "SIA only",
            "recorded_on": "2026-02-01",
        },
    )
    assert adaptation.status_code == 201, adaptation.data
    risk = send(
        client,
        "post",
        f"{base}/risks",
        {"description": "Funding", "likelihood": "high", "impact": "low"},
    )
    assert risk.status_code == 201, risk.data
    assert len(send(client, "get", f"{base}/risks").data) == 1
    assert send(client, "delete", f"{base}/risks/{risk.data['id']}").status_code == 204
    progress = send(client, "get", f"{base}/progress").data
    assert progress["sessions"] == 1
    assert progress["milestones_done"] == 1
    assert progress["checklist_total"] == 3


def test_emails_hidden_from_viewers(pilot: Pilot, client_for: Callable[..., Client]) -> None:
    PilotParticipant.objects.create(pilot=pilot, role="mentor", name="M", email="m@example.org")
    url = f"{API}/{pilot.pk}/participants"
    assert send(client_for("editor", "LV"), "get", url).data[0]["email"] == "m@example.org"
    assert send(client_for("viewer", "ES"), "get", url).data[0]["email"] is None


def test_advance_and_finish(pilot: Pilot, client_for: Callable[..., Client]) -> None:
    client = client_for("editor", "LV")
    base = f"{API}/{pilot.pk}"
    assert send(client, "post", f"{base}/advance").data["phase"] == "strategy"
    missing = send(client, "post", f"{base}/finish", {"what_worked": "x"})
    assert missing.status_code == 422
    assert {"impact_observed", "would_recommend", "lessons"} <= set(missing.data["errors"])
    evaluation = {
        "what_worked": "Visits",
        "impact_observed": "Jobs",
        "would_recommend": True,
        "lessons": "Patience",
        "end_date": "2026-09-01",
    }
    first = send(client, "post", f"{base}/finish", evaluation)
    assert first.status_code == 200, first.data
    second = send(client, "post", f"{base}/finish", evaluation)
    assert first.data["replicated_initiative"] == second.data["replicated_initiative"]
    replica = Initiative.objects.get(pk=first.data["replicated_initiative"])
    assert replica.replicated_from_id == pilot.source_initiative_id
    assert replica.title.endswith("(Latvia)")
    assert first.data["pilot"]["status"] == "finished"
    closed = send(client, "post", f"{base}/advance")
    assert closed.status_code == 422
    assert "phase" in closed.data["errors"]


def test_openapi_documents_the_pilot_routes(client_for: Callable[..., Client]) -> None:
    doc = Client().get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    assert "/api/v1/pilots/{pilot_id}/sessions" in paths
    assert "/api/v1/pilots/{pilot_id}/finish" in paths
    assert "SessionIn" in doc["components"]["schemas"]


def test_links_only_to_records_the_caller_can_see(
    source: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    from tests.registry.factories import initiative

    hidden = initiative("FR", title="Unpublished French", published=False)
    client = client_for("editor", "LV")
    response = send(client, "post", API, payload(source, source_initiative=hidden.pk))
    assert response.status_code == 422
    assert "source_initiative" in response.data["errors"]
    assert not Pilot.objects.exists()


def test_need_must_be_visible_and_of_the_target_country(
    source: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    from buicasus.matching.models import Need
    from buicasus.reference.models import Country

    swedish = Need.objects.create(title="SE need", text="x", country=Country.objects.get(code="SE"))
    latvian = Need.objects.create(title="LV need", text="y", country=Country.objects.get(code="LV"))
    client = client_for("editor", "LV")
    hidden = send(client, "post", API, payload(source, need=swedish.pk))
    assert hidden.status_code == 422
    assert "need" in hidden.data["errors"]
    admin = client_for("admin")
    elsewhere = send(admin, "post", API, payload(source, need=swedish.pk))
    assert elsewhere.status_code == 422
    assert "another country" in elsewhere.data["errors"]["need"][0]["message"]
    ok = send(client, "post", API, payload(source, need=latvian.pk))
    assert ok.status_code == 201, ok.data
    assert ok.data["need"] == latvian.pk
