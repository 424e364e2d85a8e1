"""Network pages: filters, tables, downloads, and what each reader may see."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import networkx as nx
import pytest
from django.test import Client
from django.urls import reverse


def body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_page_shows_figures_tables_and_the_view_hook(eco: dict[str, Any]) -> None:
    response = Client().get(reverse("network:index"), {"country": "LV"})
    assert response.status_code == 200
    html = body(response)
    assert "Nettest C" in html  # among the top brokers
    assert "Hidden" not in html
    assert 'data-graph-url="/api/v1/network/graph?country=LV"' in html
    assert "vendor/cytoscape/cytoscape.min.js" in html
    assert "network/network.js" in html
    assert "<script>" not in html  # no inline script: the page passes data in attributes
    assert reverse("network:isolated") + "?country=LV" in html


def test_actor_type_filter_reaches_the_view(eco: dict[str, Any]) -> None:
    response = Client().get(
        reverse("network:index"), {"country": "", "actor_type": ["social-enterprise", "foundation"]}
    )
    html = body(response)
    assert "actor_type=social-enterprise&amp;actor_type=foundation" in html
    assert re.search(r'value="social-enterprise"[^>]*checked', html)


def test_unknown_filter_values_do_not_break_the_page(eco: dict[str, Any]) -> None:
    response = Client().get(reverse("network:index"), {"country": "QQ", "actor_type": "nope"})
    assert response.status_code == 200
    assert "Ecosystem network: all countries" in body(response)


def test_session_country_is_the_default(eco: dict[str, Any]) -> None:
    client = Client()
    session = client.session
    session["country"] = "LV"
    session.save()
    assert "country=LV" in body(client.get(reverse("network:index")))


def test_isolated_page_lists_visible_isolated_organisations(
    eco: dict[str, Any], client_for: Any
) -> None:
    from tests.registry.factories import organisation

    organisation("ES", name="Nettest lonely hidden ES", published=False)
    organisation("LV", name="Nettest lonely hidden LV", published=False)
    html = body(Client().get(reverse("network:isolated"), {"country": ""}))
    assert "Nettest G" in html
    assert "lonely hidden" not in html
    editor_html = body(client_for("editor", "LV").get(reverse("network:isolated"), {"country": ""}))
    assert "Nettest lonely hidden LV" in editor_html
    assert "Nettest lonely hidden ES" not in editor_html


def test_editor_page_never_shows_another_countrys_unpublished_records(
    eco: dict[str, Any], client_for: Any
) -> None:
    client = client_for("editor", "LV")
    html = body(client.get(reverse("network:index"), {"country": ""}))
    graph = client.get(reverse("api:network-graph")).json()
    labels = {n["data"]["label"] for n in graph["nodes"]}
    assert "Nettest Hidden F" in labels
    assert "Nettest Hidden E" not in labels
    assert "Hidden E" not in html
    for name in ("gexf", "graphml", "kumu"):
        text = body(client.get(reverse("network:download", args=[name]), {"country": ""}))
        assert "Hidden E" not in text and "Hidden F" in text


def test_figure_svg(eco: dict[str, Any]) -> None:
    response = Client().get(reverse("network:figure"), {"country": "LV"})
    assert response["Content-Type"].startswith("image/svg+xml")
    assert ET.fromstring(response.content).tag.endswith("svg")


@pytest.mark.parametrize("name", ["gexf", "graphml", "kumu"])
def test_downloads_are_valid_files(eco: dict[str, Any], name: str) -> None:
    response = Client().get(reverse("network:download", args=[name]), {"country": "LV"})
    assert response.status_code == 200
    assert "buicasus-network-lv-" in response["Content-Disposition"]
    text = body(response)
    if name == "kumu":
        doc = json.loads(text)
        labels = {e["label"] for e in doc["elements"]}
        assert "Nettest C" in labels
        assert all(c["direction"] == "undirected" for c in doc["connections"])
    else:
        root = ET.fromstring(text.encode())
        assert "undirected" in text
        assert root is not None


def test_unknown_download_format_is_400(db: None) -> None:
    response = Client().get(reverse("network:download", args=["pdf"]))
    assert response.status_code == 400
    assert "format" in response.content.decode()


def test_graphml_download_reads_back_into_networkx(eco: dict[str, Any], tmp_path: Any) -> None:
    response = Client().get(reverse("network:download", args=["graphml"]), {"country": "LV"})
    path = tmp_path / "n.graphml"
    path.write_bytes(b"".join(response.streaming_content))
    graph = nx.read_graphml(path)
    assert not graph.is_directed()
    c = f"org-{eco['C'].pk}"
    assert graph.nodes[c]["degree"] == 3
    assert graph.has_edge(f"org-{eco['A'].pk}", c)
