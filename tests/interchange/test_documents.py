"""The JSON exports (BuiCaSuS, JSON Lines, Popolo, Kumu, JSON-LD, DCAT) and the networks."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from buicasus.interchange.exporters import EXPORTERS
from buicasus.interchange.services import select
from tests.interchange.conftest import AWKWARD
from tests.interchange.helpers import export


def test_buicasus_json_holds_records_and_where_they_come_from(registry: dict[str, Any]) -> None:
    doc = json.loads(export("json"))
    assert (doc["format"], doc["version"], doc["selection"]) == (
        "buicasus",
        1,
        {"kind": "registry", "filters": {}},
    )
    assert {"name": "Test source", "licence": "CC BY 4.0", "records": 2} in doc["sources"]
    assert len(doc["records"]) == select(None, "registry").count()
    assert {r["kind"] for r in doc["records"]} == {"organisation", "initiative", "role", "tie"}
    assert AWKWARD in {r["fields"].get("name") for r in doc["records"] if "fields" in r}


def test_json_lines_is_one_record_per_line(registry: dict[str, Any]) -> None:
    lines = export("jsonl", "organisations").decode("utf-8").splitlines()
    header, records = json.loads(lines[0]), [json.loads(line) for line in lines[1:]]
    assert header["format"] == "buicasus"
    assert len(records) == select(None, "organisations").count()
    assert all(r["kind"] in ("organisation", "tie") for r in records)


def test_popolo_and_kumu(registry: dict[str, Any]) -> None:
    popolo = json.loads(export("popolo"))
    classifications = {o["classification"] for o in popolo["organizations"]}
    assert "initiative" in classifications and "social-enterprise" in classifications
    member_types = {m["member"]["@type"] for m in popolo["memberships"]}
    assert member_types == {"Organization"}
    kumu = json.loads(export("kumu"))
    ids = {e["id"] for e in kumu["elements"]}
    assert all(c["from"] in ids and c["to"] in ids for c in kumu["connections"])


def test_schema_org_graph(registry: dict[str, Any]) -> None:
    doc = json.loads(export("jsonld"))
    assert doc["@context"][0] == "https://schema.org"
    types = {node.get("@type") for node in doc["@graph"]}
    assert {"Organization", "Project", "DefinedTerm", "DefinedTermSet"} <= types
    (project,) = [
        n
        for n in doc["@graph"]
        if n.get("@id", "").endswith(f"/initiatives/{registry['project'].pk}/") and n.get("@type")
    ]
    assert project["funding"][0]["amount"]["value"] == "1250000.50"


def test_dcat_lists_a_distribution_per_format(registry: dict[str, Any]) -> None:
    doc = json.loads(export("dcat", "organisations", country="FR"))
    formats = [d["dcat:downloadURL"]["@id"] for d in doc["dcat:distribution"]]
    assert any("format=csv" in url and "country=FR" in url for url in formats)
    assert len(formats) == len([e for e in EXPORTERS.values() if "organisations" in e.kinds]) - 1
    assert doc["dct:spatial"] == [
        {"@id": "http://publications.europa.eu/resource/authority/country/FRA"}
    ]


def _graph_sizes(registry: dict[str, Any]) -> tuple[int, int]:
    selection = select(None, "registry")
    nodes = selection.organisations.count() + selection.initiatives.count()  # type: ignore[union-attr]
    replications = sum(1 for r in selection.initiative_records() if r["replicated_from"])
    edges = selection.roles.count() + selection.ties.count() + replications  # type: ignore[union-attr]
    return nodes, edges


def test_gexf_and_graphml_are_well_formed_networks(registry: dict[str, Any]) -> None:
    nodes, edges = _graph_sizes(registry)
    gexf = ET.fromstring(export("gexf"))
    ns = "{http://gexf.net/1.3}"
    node_ids = {n.get("id") for n in gexf.iter(f"{ns}node")}
    assert len(node_ids) == nodes
    gexf_edges = list(gexf.iter(f"{ns}edge"))
    assert len(gexf_edges) == edges
    assert all(e.get("source") in node_ids and e.get("target") in node_ids for e in gexf_edges)
    graphml = ET.fromstring(export("graphml"))
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    assert len(list(graphml.iter(f"{ns}node"))) == nodes
    assert len(list(graphml.iter(f"{ns}edge"))) == edges


def test_networkx_reads_both_network_files(registry: dict[str, Any], tmp_path: Any) -> None:
    networkx = pytest.importorskip("networkx")
    nodes, edges = _graph_sizes(registry)
    (tmp_path / "g.gexf").write_bytes(export("gexf"))
    (tmp_path / "g.graphml").write_bytes(export("graphml"))
    for graph in (
        networkx.read_gexf(tmp_path / "g.gexf"),
        networkx.read_graphml(tmp_path / "g.graphml"),
    ):
        assert graph.is_directed()
        assert (graph.number_of_nodes(), graph.number_of_edges()) == (nodes, edges)
        awkward = graph.nodes[f"org-{registry['awkward'].pk}"]
        assert awkward["country"] == "FR" and awkward["latitude"] == pytest.approx(45.76)


@pytest.mark.parametrize(
    ("format_name", "kind"),
    [(name, kind) for name, exporter in EXPORTERS.items() for kind in exporter.kinds],
)
def test_every_format_exports_an_empty_selection(db: None, format_name: str, kind: str) -> None:
    data = export(format_name, kind, q="nothing matches this")
    if format_name in ("json", "popolo", "kumu", "jsonld", "dcat"):
        json.loads(data)
    elif format_name in ("gexf", "graphml"):
        ET.fromstring(data)
    elif format_name == "jsonl":
        assert len(data.splitlines()) == 1
    else:
        assert data
