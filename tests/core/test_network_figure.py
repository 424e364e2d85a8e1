"""The static network figure: a standalone, escaped SVG of the busiest nodes, with a legend."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx

from buicasus.core.network_figure import PALETTE, network_svg, top_nodes, type_colours

SVG = "{http://www.w3.org/2000/svg}"


def graph() -> nx.Graph:
    g = nx.Graph()
    kinds = ["ngo", "ngo", "ngo", "public", "funder", "ngo"]
    for i, kind in enumerate(kinds):
        g.add_node(i, label=f"Org <{i}> & co", actor_type=kind)
    g.add_edges_from([(0, 1), (0, 2), (0, 3), (1, 2), (3, 4)])
    return g


def test_top_nodes_by_degree_then_id() -> None:
    assert top_nodes(graph(), 3) == [0, 1, 2]
    assert top_nodes(graph(), 0) == []


def test_colours_follow_code_order_and_unclassified_is_grey() -> None:
    colours = type_colours([f"t{i:02d}" for i in range(len(PALETTE) + 2)] + ["unclassified"])
    assert colours["t00"] == PALETTE[0]
    assert colours[f"t{len(PALETTE) + 1:02d}"] == "#BBBBBB"
    assert colours["unclassified"] == "#BBBBBB"


def test_svg_is_well_formed_with_nodes_edges_and_legend() -> None:
    svg = network_svg(
        graph(),
        max_nodes=4,
        title="Réseau <LV>",
        type_labels={"ngo": "NGO", "public": "Public body"},
        caption="Top 4",
    )
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Réseau <LV>"
    lines = root.findall(f".//{SVG}line")
    assert len(lines) == 4  # edges among nodes 0-3: 0-1, 0-2, 0-3, 1-2
    titles = {t.text for t in root.iter(f"{SVG}title")}
    assert "Org <3> & co" in titles and "Org <4> & co" not in titles
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "NGO (3)" in texts and "Public body (1)" in texts and "Top 4" in texts
    assert "style" not in svg


def test_empty_graph_says_so() -> None:
    svg = network_svg(nx.Graph(), empty_text="Nothing here")
    assert "Nothing here" in svg
    ET.fromstring(svg)


def test_same_data_same_picture() -> None:
    assert network_svg(graph()) == network_svg(graph())
