"""The network API: the view's elements, the summary, the exports, and bad input."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from django.test import Client

GRAPH = "/api/v1/network/graph"


def test_graph_gives_cytoscape_elements_with_metrics(eco: dict[str, Any]) -> None:
    response = Client().get(GRAPH, {"country": "lv"})
    assert response.status_code == 200
    data = response.json()
    assert data["country"] == "LV"
    by_label = {n["data"]["label"]: n["data"] for n in data["nodes"]}
    c = by_label["Nettest C"]
    assert c["degree"] == 3 and c["url"] == f"/organisations/{eco['C'].pk}/"
    assert {"betweenness", "brokerage", "community", "type_label"} <= set(c)
    assert all({"source", "target", "weight", "kinds"} <= set(e["data"]) for e in data["edges"])
    assert not any("Hidden" in label for label in by_label)


def test_graph_filters_and_samples(eco: dict[str, Any]) -> None:
    data = (
        Client()
        .get(GRAPH, {"country": "LV", "actor_type": ["social-enterprise"], "max_nodes": 1})
        .json()
    )
    assert data["sampled"] is True and data["shown_nodes"] == 1
    assert data["actor_types"] == ["social-enterprise"]
    assert data["nodes"][0]["data"]["actor_type"] == "social-enterprise"


def test_bad_input_names_the_field(db: None) -> None:
    response = Client().get(GRAPH, {"country": "QQ"})
    assert response.status_code == 400 and "country" in response.json()["detail"]
    response = Client().get(GRAPH, {"actor_type": "nope"})
    assert response.status_code == 400 and "actor_type" in response.json()["detail"]
    assert Client().get(GRAPH, {"max_nodes": 0}).status_code == 422
    assert Client().get("/api/v1/network/export", {"format": "pdf"}).status_code == 422


def test_summary(eco: dict[str, Any]) -> None:
    data = Client().get("/api/v1/network/summary", {"country": "LV"}).json()
    assert data["country"] == "LV"
    assert data["cross_border_ties"] >= 1
    assert data["betweenness_method"] == "exact"
    assert "Nettest C" in {b["label"] for b in data["brokers"]}
    assert data["computed_at"] and data["data_version"]


def test_token_reader_sees_their_countrys_unpublished_records(
    eco: dict[str, Any], make_user: Any
) -> None:
    from buicasus.accounts.models import ApiToken

    _token, secret = ApiToken.issue(make_user("viewer", "LV"), "test")
    headers = {"Authorization": f"Bearer {secret}"}
    data = Client().get(GRAPH, headers=headers).json()
    labels = {n["data"]["label"] for n in data["nodes"]}
    assert "Nettest Hidden F" in labels and "Nettest Hidden E" not in labels


def test_exports(eco: dict[str, Any]) -> None:
    for name in ("gexf", "graphml"):
        response = Client().get("/api/v1/network/export", {"format": name, "country": "LV"})
        text = b"".join(response.streaming_content)
        root = ET.fromstring(text)
        assert root.tag.endswith("gexf" if name == "gexf" else "graphml")
        assert b"Nettest C" in text and b"Hidden" not in text
    response = Client().get("/api/v1/network/export", {"format": "kumu"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    doc = json.loads(b"".join(response.streaming_content))
    assert {"elements", "connections"} <= set(doc)
