"""GEXF and GraphML writers: well-formed XML, every node and edge, text that survives."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from buicasus.core.graph_files import Attribute, Edge, GraphMeta, Node, gexf, graphml

GEXF = "{http://gexf.net/1.3}"
GML = "{http://graphml.graphdrawing.org/xmlns}"
AWKWARD = 'A "quoted" <b>&amp;</b>\nline\ttab \x01\x1f end Ā'
META = GraphMeta("BuiCaSuS", "A <test> & more", "2024-01-02")
NODE_ATTRS = [Attribute("kind"), Attribute("lat", "double"), Attribute("year", "integer")]
EDGE_ATTRS = [Attribute("kind"), Attribute("open", "boolean")]


def network() -> tuple[list[Node], list[Edge]]:
    nodes = [
        Node("org-1", AWKWARD, {"kind": "organisation", "lat": 45.5, "year": 2004}),
        Node("ini-1", "Projet", {"kind": "initiative", "lat": None, "year": None}),
    ]
    edges = [Edge("e/1", "org-1", "ini-1", "lead", {"kind": "role", "open": True})]
    return nodes, edges


def parse(pieces: object) -> ET.Element:
    return ET.fromstring("".join(pieces).encode("utf-8"))  # type: ignore[arg-type]


def test_gexf_holds_nodes_edges_and_typed_attributes() -> None:
    nodes, edges = network()
    root = parse(
        gexf(nodes, edges, node_attributes=NODE_ATTRS, edge_attributes=EDGE_ATTRS, meta=META)
    )
    found = root.findall(f"{GEXF}graph/{GEXF}nodes/{GEXF}node")
    assert [n.get("id") for n in found] == ["org-1", "ini-1"]
    assert found[0].get("label") == AWKWARD.replace("\x01", "\ufffd").replace("\x1f", "\ufffd")
    values = {v.get("for"): v.get("value") for v in found[0].iter(f"{GEXF}attvalue")}
    assert values == {"kind": "organisation", "lat": "45.5", "year": "2004"}
    empty_left_out = {v.get("for"): v.get("value") for v in found[1].iter(f"{GEXF}attvalue")}
    assert empty_left_out == {"kind": "initiative"}
    edge = root.find(f"{GEXF}graph/{GEXF}edges/{GEXF}edge")
    assert edge is not None
    assert (edge.get("source"), edge.get("target"), edge.get("label")) == ("org-1", "ini-1", "lead")
    declared = {a.get("id"): a.get("type") for a in root.iter(f"{GEXF}attribute")}
    assert declared["lat"] == "double" and declared["open"] == "boolean"
    assert root.find(f"{GEXF}meta/{GEXF}description").text == "A <test> & more"  # type: ignore[union-attr]


def test_graphml_declares_every_key_it_uses() -> None:
    nodes, edges = network()
    root = parse(
        graphml(nodes, edges, node_attributes=NODE_ATTRS, edge_attributes=EDGE_ATTRS, meta=META)
    )
    keys = {k.get("id") for k in root.findall(f"{GML}key")}
    used = {d.get("key") for d in root.iter(f"{GML}data")}
    assert used <= keys
    node = root.find(f"{GML}graph/{GML}node")
    assert node is not None
    data = {d.get("key"): d.text for d in node.findall(f"{GML}data")}
    assert data["n_label"] == AWKWARD.replace("\x01", "\ufffd").replace("\x1f", "\ufffd")
    assert data["n_year"] == "2004"
    edge = root.find(f"{GML}graph/{GML}edge")
    assert edge is not None and edge.get("source") == "org-1"
    assert {d.get("key"): d.text for d in edge.findall(f"{GML}data")}["e_open"] == "true"


def test_empty_networks_are_well_formed() -> None:
    for writer in (gexf, graphml):
        root = parse(writer([], [], node_attributes=NODE_ATTRS, edge_attributes=[], meta=META))
        assert root.tag.endswith(("gexf", "graphml"))
