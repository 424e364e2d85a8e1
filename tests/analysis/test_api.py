"""The analysis API: public indicators, SWOT and comparisons for readers, edits for editors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from buicasus.analysis.models import SwotEdit
from buicasus.assessment.models import Campaign
from tests.registry.factories import organisation

pytestmark = pytest.mark.django_db
API = "/api/v1/analysis"


def patch(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def spain(run_campaign: Callable[..., Campaign]) -> Campaign:
    run_campaign("LV")
    return run_campaign("ES", {"culture": 9, "finance": 1})


def test_indicators_are_public(client: Client, db: None) -> None:
    organisation("PT", name="Lisbon")
    response = client.get(f"{API}/countries/pt/indicators")
    assert response.status_code == 200
    found = {i["code"]: i for i in response.json()}
    assert found["actors-per-million"]["value"] is None  # no population: unknown
    assert found["actors-per-million"]["detail"]["counts"] == {"social-enterprise": 1}
    assert found["actors-per-million"]["evidence_url"] == "/organisations/?country=PT"
    assert "network-density" in found
    assert client.get(f"{API}/countries/XX/indicators").status_code == 404


def test_swot_for_readers_only(
    client: Client, client_for: Callable[..., Client], spain: Campaign
) -> None:
    assert client.get(f"{API}/countries/ES/swot").status_code == 403
    body = client_for("viewer", "SE").get(f"{API}/countries/ES/swot").json()
    assert body["campaign"] == spain.pk
    strength = next(x for x in body["strength"] if x["key"] == "score-strength:culture")
    assert strength["origin"] == "score" and strength["evidence_url"] == "/analysis/ES/#dim-culture"


def test_editor_adds_rewords_dismisses_and_restores(
    client_for: Callable[..., Client], spain: Campaign
) -> None:
    client = client_for("editor", "ES")
    created = post(client, f"{API}/countries/ES/swot/lines", {"quadrant": "threat", "text": "Cuts"})
    assert created.status_code == 201
    key = created.json()["key"]
    assert created.json()["origin"] == "manual"
    url = f"{API}/countries/ES/swot/lines/score-strength:culture"
    reworded = patch(client, url, {"text": "Strong culture"})
    assert reworded.status_code == 200 and reworded.json()["text"] == "Strong culture"
    dismissed = patch(client, f"{API}/countries/ES/swot/lines/{key}", {"dismissed": True})
    assert dismissed.json()["dismissed"] is True
    body = client.get(f"{API}/countries/ES/swot").json()
    assert [x["key"] for x in body["dismissed"]] == [key]
    assert (
        patch(client, f"{API}/countries/ES/swot/lines/{key}", {"dismissed": False}).json()[
            "dismissed"
        ]
        is False
    )
    history = client.get(f"{url}/history").json()
    assert history[0]["action"] == "reword" and history[0]["new_text"] == "Strong culture"


def test_bad_bodies_name_the_field(client_for: Callable[..., Client], spain: Campaign) -> None:
    client = client_for("editor", "ES")
    bad = post(client, f"{API}/countries/ES/swot/lines", {"quadrant": "nope", "text": "x"})
    assert bad.status_code == 422 and "quadrant" in bad.json()["errors"]
    missing = post(client, f"{API}/countries/ES/swot/lines", {"quadrant": "threat"})
    assert missing.status_code == 422 and "text" in missing.json()["errors"]
    unknown = patch(client, f"{API}/countries/ES/swot/lines/score-strength:x", {"text": "y"})
    assert unknown.status_code == 422 and "key" in unknown.json()["errors"]
    empty = patch(client, f"{API}/countries/ES/swot/lines/score-strength:culture", {})
    assert empty.status_code == 422
    assert not SwotEdit.objects.exists()


@pytest.mark.parametrize(("role", "country"), [("editor", "LV"), ("viewer", "ES")])
def test_edits_refused_for_other_countries_and_roles(
    client_for: Callable[..., Client], spain: Campaign, role: str, country: str
) -> None:
    client = client_for(role, country)
    url = f"{API}/countries/ES/swot/lines"
    assert post(client, url, {"quadrant": "threat", "text": "x"}).status_code == 403
    assert patch(client, f"{url}/score-strength:culture", {"dismissed": True}).status_code == 403
    assert not SwotEdit.objects.exists()


def test_anonymous_writes_need_authentication(client: Client, spain: Campaign) -> None:
    url = f"{API}/countries/ES/swot/lines"
    assert post(client, url, {"quadrant": "threat", "text": "x"}).status_code == 401


def test_compare_and_change(
    client_for: Callable[..., Client], run_campaign: Callable[..., Campaign], spain: Campaign
) -> None:
    client = client_for("viewer", "LV")
    body = client.get(f"{API}/compare?countries=ES&countries=LV&countries=FR").json()
    assert [s["country"] for s in body["series"]] == ["ES", "LV"]
    assert body["without_scores"] == ["FR"]
    culture = next(r for r in body["rows"] if r["dimension"] == "culture")
    assert culture["values"] == [9, 5] and culture["deltas"] == [2, -2]
    assert "ranking" in body["note"]
    bad = client.get(f"{API}/compare?countries=ES")
    assert bad.status_code == 422 and "countries" in bad.json()["errors"]
    later = run_campaign("ES", {"culture": 7})
    change = client.get(f"{API}/countries/ES/change").json()
    assert (change["before"], change["after"]) == (spain.pk, later.pk)
    assert next(r for r in change["rows"] if r["dimension"] == "culture")["change"] == -2


def test_cli_prints_indicators_and_swot(spain: Campaign) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("analysis", "es", stdout=out)
    text = out.getvalue()
    assert "Actors per million inhabitants" in text
    assert "- Culture and awareness is self-assessed at 9.0" in text
    out = StringIO()
    call_command("analysis", "ES", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert any(x["key"] == "score-strength:culture" for x in body["swot"]["strength"])
    with pytest.raises(CommandError, match="Unknown country: XX"):
        call_command("analysis", "XX")
