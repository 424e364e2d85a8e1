"""The JSON API at /api/v1: reads, writes through the shared forms, permissions, errors, docs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from buicasus.accounts.models import ApiToken
from buicasus.registry.models import (
    AuditEntry,
    Initiative,
    InitiativeRole,
    Organisation,
    OrganisationIdentifier,
    OrganisationTie,
)
from tests.registry.factories import initiative, organisation, term

API = "/api/v1"
pytestmark = pytest.mark.django_db


def send(client: Client, method: str, url: str, data: Any = None, **headers: str) -> Any:
    """A JSON request; the response with its parsed body as `.data`."""
    body = json.dumps(data) if data is not None else ""
    response = getattr(client, method)(
        url, data=body, content_type="application/json", headers=headers
    )
    response.data = response.json() if response.content else None
    return response


def counts() -> tuple[int, ...]:
    """Everything a failed write must leave untouched."""
    return (
        Organisation.objects.count(),
        OrganisationIdentifier.objects.count(),
        Initiative.objects.count(),
        InitiativeRole.objects.count(),
        OrganisationTie.objects.count(),
        AuditEntry.objects.count(),
    )


def org_payload(**fields: Any) -> dict[str, Any]:
    payload = {
        "name": "Rīgas Sociālā Darbnīca",
        "actor_type": "social-enterprise",
        "country": "LV",
        "city": "Rīga",
        "website": "https://darbnica.example.lv",
        "description": "A social enterprise employing people with disabilities.",
        "description_language": "en",
        "identifiers": [{"scheme": "lv-reg", "value": "40008000001"}],
        "translations": {"lv": {"description": "Sociālais uzņēmums."}},
        "published": True,
    }
    return payload | fields


def initiative_payload(**fields: Any) -> dict[str, Any]:
    payload = {
        "title": "Digital skills for older people",
        "country": "LV",
        "stage": "testing",
        "sdgs": ["8", "10"],
        "target_groups": ["older-people"],
        "fundings": [{"source": "esf", "amount": "120000.00"}],
        "start_date": "2024-01-01",
        "end_date": "2025-06-30",
        "translations": {"lv": {"title": "Digitālās prasmes senioriem"}},
        "published": True,
    }
    return payload | fields


@pytest.fixture
def login(make_user: Callable[..., Any]) -> Callable[..., tuple[Client, Any]]:
    """`login("editor", "LV")` → (a client logged in as a new such user, the user)."""

    def make(role: str | None = None, country: str | None = None) -> tuple[Client, Any]:
        user = make_user(role, country)
        client = Client()
        client.force_login(user)
        return client, user

    return make


# --- reads ---------------------------------------------------------------------------------


def test_anonymous_sees_only_published_approved_records() -> None:
    shown = organisation(name="Zeta shown")
    organisation(name="Zeta draft", published=False)
    organisation(name="Zeta proposed", review_status="proposed")
    listed = send(Client(), "get", f"{API}/organisations?q=Zeta")
    assert listed.status_code == 200
    assert [o["id"] for o in listed.data["results"]] == [shown.pk]
    assert listed.data["count"] == 1


def test_editor_also_sees_unpublished_records_of_their_country(login: Callable) -> None:
    organisation(name="Zeta draft LV", published=False)
    organisation("ES", name="Zeta draft ES", published=False)
    client, _ = login("editor", "LV")
    names = [o["name"] for o in send(client, "get", f"{API}/organisations?q=Zeta").data["results"]]
    assert names == ["Zeta draft LV"]


def test_list_filters_and_pagination() -> None:
    for n in range(5):
        organisation(name=f"Paged {n}")
    organisation("SE", name="Paged Swedish", actor_type=term("actor-type", "cooperative"))
    page = send(Client(), "get", f"{API}/organisations?q=Paged&country=LV&page=2&page_size=2").data
    assert (page["count"], page["page"], page["page_size"]) == (5, 2, 2)
    assert [o["name"] for o in page["results"]] == ["Paged 2", "Paged 3"]
    coop = send(Client(), "get", f"{API}/organisations?q=Paged&actor_type=cooperative").data
    assert [o["country"] for o in coop["results"]] == ["SE"]
    too_big = send(Client(), "get", f"{API}/organisations?page_size=201")
    assert too_big.status_code == 422
    assert "page_size" in json.dumps(too_big.data["detail"])


def test_read_gives_codes_and_provenance(login: Callable) -> None:
    client, user = login("editor", "LV")
    created = send(client, "post", f"{API}/organisations", org_payload()).data
    data = send(Client(), "get", f"{API}/organisations/{created['id']}").data
    assert data["country"] == "LV"
    assert data["actor_type"] == "social-enterprise"
    assert data["identifiers"] == [{"scheme": "lv-reg", "value": "40008000001"}]
    assert data["translations"] == {"lv": {"description": "Sociālais uzņēmums."}}
    assert data["updated_by"] == user.username
    assert data["review_status"] == "approved" and data["published"] is True
    assert {"source_name", "licence", "created_at", "updated_at", "imported_at"} <= set(data)


def test_unknown_or_hidden_records_are_404() -> None:
    draft = initiative(published=False)
    assert send(Client(), "get", f"{API}/initiatives/{draft.pk}").status_code == 404
    assert send(Client(), "get", f"{API}/organisations/999999").status_code == 404
    missing = send(Client(), "get", f"{API}/initiatives/999999")
    assert missing.status_code == 404 and missing.data["detail"]


# --- writes --------------------------------------------------------------------------------


def test_anonymous_writes_are_401_and_write_nothing() -> None:
    record = organisation()
    before = counts()
    url = f"{API}/organisations/{record.pk}"
    for method, target in (("post", f"{API}/organisations"), ("put", url), ("patch", url)):
        response = send(Client(), method, target, org_payload())
        assert response.status_code == 401, method
    assert send(Client(), "delete", url).status_code == 401
    assert counts() == before


def test_editor_creates_updates_patches_and_deletes_an_organisation(login: Callable) -> None:
    client, user = login("editor", "LV")
    created = send(client, "post", f"{API}/organisations", org_payload())
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    entry = AuditEntry.objects.filter(model="organisation", object_id=str(pk)).first()
    assert entry is not None and entry.user == user and entry.action == "create"

    replaced = send(client, "put", f"{API}/organisations/{pk}", org_payload(name="Renamed"))
    assert replaced.status_code == 200
    assert replaced.data["name"] == "Renamed" and replaced.data["city"] == "Rīga"
    full = send(
        client,
        "put",
        f"{API}/organisations/{pk}",
        {k: v for k, v in org_payload().items() if k not in {"city", "identifiers"}},
    )
    assert full.data["city"] == "" and full.data["identifiers"] == []

    patched = send(client, "patch", f"{API}/organisations/{pk}", {"city": "Cēsis"})
    assert patched.status_code == 200
    assert patched.data["city"] == "Cēsis" and patched.data["name"] == "Rīgas Sociālā Darbnīca"
    assert patched.data["translations"] == {"lv": {"description": "Sociālais uzņēmums."}}

    assert send(client, "delete", f"{API}/organisations/{pk}").status_code == 204
    assert not Organisation.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(model="organisation", object_id=str(pk), action="delete")


def test_initiative_round_trip_by_codes(login: Callable) -> None:
    client, _ = login("editor", "LV")
    created = send(client, "post", f"{API}/initiatives", initiative_payload())
    assert created.status_code == 201, created.data
    data = send(Client(), "get", f"{API}/initiatives/{created.data['id']}").data
    assert data["stage"] == "testing"
    assert data["sdgs"] == ["8", "10"]
    assert data["target_groups"] == ["older-people"]
    assert data["fundings"] == [{"source": "esf", "amount": "120000.00", "currency": "EUR"}]
    assert data["translations"] == {"lv": {"title": "Digitālās prasmes senioriem"}}
    assert (data["start_date"], data["end_date"]) == ("2024-01-01", "2025-06-30")

    url = f"{API}/initiatives/{data['id']}"
    replaced = send(client, "put", url, initiative_payload(title="Renamed", fundings=[]))
    assert replaced.status_code == 200, replaced.data
    assert replaced.data["title"] == "Renamed" and replaced.data["fundings"] == []
    data = send(client, "put", url, initiative_payload()).data

    patched = send(client, "patch", f"{API}/initiatives/{data['id']}", {"sdgs": ["5"]})
    assert patched.status_code == 200, patched.data
    assert patched.data["sdgs"] == ["5"] and patched.data["stage"] == "testing"
    assert patched.data["fundings"] == data["fundings"]
    listed = send(Client(), "get", f"{API}/initiatives?sdg=5&country=LV").data
    assert [i["id"] for i in listed["results"]] == [data["id"]]
    assert send(client, "delete", f"{API}/initiatives/{data['id']}").status_code == 204


def test_contributor_post_becomes_an_unpublished_proposal(login: Callable) -> None:
    client, _ = login("contributor", "LV")
    created = send(client, "post", f"{API}/initiatives", initiative_payload(published=True))
    assert created.status_code == 201, created.data
    assert created.data["review_status"] == "proposed"
    assert created.data["published"] is False
    assert send(Client(), "get", f"{API}/initiatives/{created.data['id']}").status_code == 404
    # …which its author may still read and change, but not delete.
    url = f"{API}/initiatives/{created.data['id']}"
    assert send(client, "patch", url, {"title": "Better title"}).status_code == 200
    assert send(client, "delete", url).status_code == 403


def test_viewer_may_not_write(login: Callable) -> None:
    client, _ = login("viewer", "LV")
    before = counts()
    assert send(client, "post", f"{API}/organisations", org_payload()).status_code == 403
    assert counts() == before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_latvian_editor_cannot_change_a_spanish_initiative(login: Callable, method: str) -> None:
    spanish = initiative("ES", title="Iniciativa española")
    updated_at = spanish.updated_at
    client, _ = login("editor", "LV")
    before = counts()
    url = f"{API}/initiatives/{spanish.pk}"
    # Even an invalid payload is refused for lack of permission, not for its content.
    payload = None if method == "delete" else {"title": "", "country": "XX"}
    response = send(client, method, url, payload)
    assert response.status_code == 403
    assert response.data["detail"]
    spanish.refresh_from_db()
    assert (spanish.title, spanish.updated_at, spanish.country.code) == (
        "Iniciativa española",
        updated_at,
        "ES",
    )
    assert counts() == before


def test_writing_into_a_country_one_may_not_edit_is_403(login: Callable) -> None:
    record = organisation()
    client, _ = login("editor", "LV")
    before = counts()
    spanish = send(client, "post", f"{API}/organisations", org_payload(country="ES"))
    assert spanish.status_code == 403
    assert counts() == before
    response = send(client, "patch", f"{API}/organisations/{record.pk}", {"country": "SE"})
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.country.code == "LV"


def test_hidden_record_is_404_for_writers_from_elsewhere(login: Callable) -> None:
    draft = initiative("ES", published=False)
    client, _ = login("editor", "LV")
    assert send(client, "patch", f"{API}/initiatives/{draft.pk}", {"title": "x"}).status_code == 404


INVALID_CASES = [
    ("organisations", org_payload(country="QQ"), "country"),
    ("organisations", org_payload(actor_type="pirate-ship"), "actor_type"),
    ("organisations", org_payload(website="not a url"), "website"),
    ("organisations", org_payload(latitude="north"), "latitude"),
    (
        "organisations",
        org_payload(identifiers=[{"scheme": "xx-nope", "value": "1"}]),
        "identifiers",
    ),
    ("organisations", org_payload(translations={"de": {"description": "x"}}), "translations"),
    ("initiatives", initiative_payload(end_date="2023-12-31"), "end_date"),
    ("initiatives", initiative_payload(sdgs=["8", "99"]), "sdgs"),
    ("initiatives", initiative_payload(stage="daydream"), "stage"),
    ("initiatives", initiative_payload(fundings=[{"source": "lottery"}]), "fundings"),
    ("initiatives", initiative_payload(title=""), "title"),
]


@pytest.mark.parametrize(("resource", "payload", "field"), INVALID_CASES)
def test_invalid_payloads_are_422_naming_the_field(
    login: Callable, resource: str, payload: dict[str, Any], field: str
) -> None:
    client, _ = login("editor", "LV")
    before = counts()
    response = send(client, "post", f"{API}/{resource}", payload)
    assert response.status_code == 422, response.data
    assert field in response.data["errors"], response.data
    assert response.data["errors"][field][0]["message"]
    assert counts() == before


def test_duplicate_national_identifier_is_422(login: Callable) -> None:
    client, _ = login("editor", "LV")
    assert send(client, "post", f"{API}/organisations", org_payload()).status_code == 201
    before = counts()
    twin = send(client, "post", f"{API}/organisations", org_payload(name="Twin"))
    assert twin.status_code == 422
    assert "Rīgas Sociālā Darbnīca" in twin.data["errors"]["identifiers"][0]["message"]
    assert counts() == before


def test_invalid_update_writes_nothing(login: Callable) -> None:
    record = initiative("LV", title="Kept")
    client, _ = login("editor", "LV")
    before = counts()
    url = f"{API}/initiatives/{record.pk}"
    response = send(client, "patch", url, {"start_date": "2025-01-01", "end_date": "2024-01-01"})
    assert response.status_code == 422 and "end_date" in response.data["errors"]
    assert send(client, "put", url, {"title": "No country"}).data["errors"].keys() == {"country"}
    record.refresh_from_db()
    assert record.title == "Kept" and record.start_date is None
    assert counts() == before


def test_malformed_json_is_400(login: Callable) -> None:
    client, _ = login("editor", "LV")
    response = client.post(f"{API}/organisations", data="{oops", content_type="application/json")
    assert response.status_code == 400
    assert send(client, "post", f"{API}/organisations", ["a list"]).status_code == 400


# --- relationships -------------------------------------------------------------------------


def test_roles_create_list_read_update_delete(login: Callable) -> None:
    org, init = organisation(), initiative("LV")
    client, _ = login("editor", "LV")
    payload = {"organisation": org.pk, "initiative": init.pk, "role": "lead"}
    created = send(client, "post", f"{API}/initiative-roles", payload)
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    assert created.data["organisation_name"] == org.name and created.data["role"] == "lead"
    listed = send(Client(), "get", f"{API}/initiative-roles?initiative={init.pk}").data
    assert [r["id"] for r in listed["results"]] == [pk]
    assert send(Client(), "get", f"{API}/initiative-roles?organisation=999999").data["count"] == 0
    assert send(Client(), "get", f"{API}/initiative-roles/{pk}").data["initiative"] == init.pk
    patched = send(client, "patch", f"{API}/initiative-roles/{pk}", {"role": "partner"})
    assert patched.status_code == 200 and patched.data["role"] == "partner"
    assert send(client, "delete", f"{API}/initiative-roles/{pk}").status_code == 204
    assert not InitiativeRole.objects.filter(pk=pk).exists()


def test_role_rules(login: Callable) -> None:
    org, spanish = organisation(), initiative("ES")
    hidden = organisation("ES", name="Hidden", published=False)
    latvian = initiative("LV")
    client, _ = login("editor", "LV")
    before = counts()
    payload = {"organisation": org.pk, "initiative": spanish.pk, "role": "partner"}
    assert send(client, "post", f"{API}/initiative-roles", payload).status_code == 403
    bad = {"organisation": hidden.pk, "initiative": latvian.pk, "role": "nonsense"}
    response = send(client, "post", f"{API}/initiative-roles", bad)
    assert response.status_code == 422
    assert {"organisation", "role"} <= set(response.data["errors"])
    dates = {
        **payload,
        "initiative": latvian.pk,
        "start_date": "2024-02-01",
        "end_date": "2024-01-01",
    }
    assert "end_date" in send(client, "post", f"{API}/initiative-roles", dates).data["errors"]
    assert counts() == before
    anonymous = send(Client(), "get", f"{API}/initiative-roles?organisation={hidden.pk}")
    assert anonymous.data["count"] == 0


def test_ties_create_list_update_delete(login: Callable) -> None:
    a, b = organisation(name="Tie A"), organisation("SE", name="Tie B")
    client, _ = login("editor", "LV")
    created = send(
        client,
        "post",
        f"{API}/organisation-ties",
        {"source": a.pk, "target": b.pk, "tie_type": "funds"},
    )
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    listed = send(Client(), "get", f"{API}/organisation-ties?organisation={b.pk}").data
    assert [t["id"] for t in listed["results"]] == [pk]
    assert listed["results"][0]["target_organisation_name"] == "Tie B"
    assert send(Client(), "get", f"{API}/organisation-ties/{pk}").data["source"] == a.pk
    replaced = send(
        client,
        "put",
        f"{API}/organisation-ties/{pk}",
        {"source": a.pk, "target": b.pk, "tie_type": "partners-with", "start_date": "2023-05-01"},
    )
    assert replaced.status_code == 200 and replaced.data["tie_type"] == "partners-with"
    before = counts()
    self_tie = {"source": a.pk, "target": a.pk, "tie_type": "funds"}
    assert "target" in send(client, "post", f"{API}/organisation-ties", self_tie).data["errors"]
    swedish_client, _ = login("editor", "SE")
    assert send(swedish_client, "delete", f"{API}/organisation-ties/{pk}").status_code == 403
    assert counts() == before
    assert send(client, "delete", f"{API}/organisation-ties/{pk}").status_code == 204


# --- tokens and the audit trail ------------------------------------------------------------


def test_token_auth_writes_as_the_token_user(make_user: Callable) -> None:
    user = make_user("editor", "LV")
    token, raw = ApiToken.issue(user, "import script")
    client = Client()
    created = send(
        client, "post", f"{API}/organisations", org_payload(), Authorization=f"Bearer {raw}"
    )
    assert created.status_code == 201, created.data
    assert created.data["updated_by"] == user.username
    entry = AuditEntry.objects.get(model="organisation", object_id=str(created.data["id"]))
    assert entry.user == user
    token.refresh_from_db()
    assert token.last_used_at is not None
    # A token user sees unpublished records of their country, as the session would.
    draft = organisation(name="Token draft", published=False)
    got = send(client, "get", f"{API}/organisations/{draft.pk}", Authorization=f"Bearer {raw}")
    assert got.status_code == 200


def test_revoked_or_unknown_token_is_401(make_user: Callable) -> None:
    token, raw = ApiToken.issue(make_user("editor", "LV"), "old")
    token.delete()
    before = counts()
    for method in ("post", "get"):
        response = send(
            Client(),
            method,
            f"{API}/organisations",
            org_payload() if method == "post" else None,
            Authorization=f"Bearer {raw}",
        )
        assert response.status_code == 401, method
        assert response.data["detail"]
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert counts() == before


def test_session_writes_need_the_csrf_token(make_user: Callable) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("editor", "LV"))
    before = counts()
    assert send(client, "post", f"{API}/organisations", org_payload()).status_code == 403
    assert counts() == before
    secret = "s" * 32  # an unmasked CSRF secret, as Django accepts it in cookie and header
    client.cookies["csrftoken"] = secret
    response = send(client, "post", f"{API}/organisations", org_payload(), X_CSRFToken=secret)
    assert response.status_code == 201


# --- reference data and documentation ------------------------------------------------------


def test_vocabularies_and_countries() -> None:
    vocabularies = send(Client(), "get", f"{API}/vocabularies").data
    keys = {v["key"] for v in vocabularies}
    assert {"actor-type", "sdg", "si-stage", "funding-source", "tie-type"} <= keys
    assert all(v["source"] and v["version"] and v["names"].get("en") for v in vocabularies)
    sdg = send(Client(), "get", f"{API}/vocabularies/sdg").data
    assert sdg["terms"][0]["code"] == "1" and sdg["terms"][0]["labels"]["lv"]
    assert send(Client(), "get", f"{API}/vocabularies/no-such").status_code == 404
    countries = send(Client(), "get", f"{API}/countries").data
    assert {"ES", "FR", "LV", "SE"} <= {c["code"] for c in countries}


def test_openapi_document_lists_the_paths() -> None:
    doc = send(Client(), "get", f"{API}/openapi.json").data
    assert doc["info"]["title"] == "BuiCaSuS API"
    for path in (
        "/api/v1/organisations",
        "/api/v1/organisations/{organisation_id}",
        "/api/v1/initiatives/{initiative_id}",
        "/api/v1/initiative-roles",
        "/api/v1/organisation-ties/{tie_id}",
        "/api/v1/vocabularies/{key}",
        "/api/v1/countries",
        "/api/v1/tokens",
    ):
        assert path in doc["paths"], path
    post = doc["paths"]["/api/v1/initiatives"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/InitiativeIn"
    )
    schemas = doc["components"]["schemas"]
    assert {"InitiativeIn", "InitiativePatch", "OrganisationIn", "FundingIn"} <= set(schemas)
    assert "required" not in schemas["InitiativePatch"]


def test_docs_page_loads_nothing_from_other_hosts() -> None:
    response = Client().get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert urls, "the docs page should load the Swagger UI assets"
    for url in urls:
        assert not re.match(r"^(https?:)?//", url), url
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url
    assert "validator.swagger.io" not in html


def _review(client, kind: str, pk: int, body: dict):
    return client.post(
        f"/api/v1/{kind}/{pk}/review", json.dumps(body), content_type="application/json"
    )


def test_editor_approves_and_publishes_a_proposal_through_the_api(client_for) -> None:
    proposal = initiative("ES", published=False, review_status="proposed")
    response = _review(
        client_for("editor", "ES"), "initiatives", proposal.pk, {"approve": True, "publish": True}
    )
    assert response.status_code == 200, response.content
    assert response.json()["review_status"] == "approved" and response.json()["published"]


def test_review_refused_outside_own_country_and_checked_before_the_body(client_for) -> None:
    proposal = organisation("ES", published=True, review_status="proposed")
    client = client_for("editor", "LV")
    assert _review(client, "organisations", proposal.pk, {"approve": True}).status_code in {
        403,
        404,
    }
    assert _review(client_for("editor", "ES"), "organisations", proposal.pk, {}).status_code == 422
    proposal.refresh_from_db()
    assert proposal.review_status == "proposed"


def test_rejection_keeps_the_note(client_for) -> None:
    proposal = initiative("FR", published=False, review_status="proposed")
    response = _review(
        client_for("coordinator", "FR"),
        "initiatives",
        proposal.pk,
        {"approve": False, "note": "Doublon"},
    )
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert (proposal.review_status, proposal.review_note) == ("rejected", "Doublon")
