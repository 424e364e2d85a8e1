"""Actor-type colours: one palette for the interactive view and the static figure, every type
distinguishable (also under simulated colour blindness), and isolated organisations' names in
the static figure never printed over each other."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from django.test import Client
from django.urls import reverse

import buicasus.registry
from buicasus.core.network_figure import CHAR_WIDTH, network_svg, type_colours

SVG = "{http://www.w3.org/2000/svg}"
VOCABULARY = (
    Path(buicasus.registry.__file__).parent / "fixtures" / "vocabularies" / "actor-type.yaml"
)
# Machado, Oliveira and Fernandes (2009), full severity: how the colours look to readers with
# deuteranopia, protanopia and tritanopia.
SIMULATIONS = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "deutan": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "protan": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "tritan": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _lab(colour: str, matrix: Any) -> tuple[float, float, float]:
    """CIELAB (D65) of `colour` as seen through `matrix`."""
    srgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in srgb]
    r, g, b = (
        min(1.0, max(0.0, sum(m * c for m, c in zip(row, linear, strict=True)))) for row in matrix
    )
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _codes() -> list[str]:
    document = yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))
    return [t["code"] for t in document["terms"]]


@pytest.mark.parametrize(("vision", "least"), [("normal", 20), ("deutan", 10), ("protan", 10),
                                                ("tritan", 10)])  # fmt: skip
def test_no_two_actor_types_look_alike(vision: str, least: float) -> None:
    colours = type_colours(_codes())
    assert set(colours) == set(_codes())
    assert len(set(colours.values())) == len(colours)
    labs = {code: _lab(c, SIMULATIONS[vision]) for code, c in colours.items()}
    closest = min(itertools.combinations(labs, 2), key=lambda p: math.dist(labs[p[0]], labs[p[1]]))
    assert math.dist(labs[closest[0]], labs[closest[1]]) >= least, closest


def test_interactive_view_and_static_figure_colour_each_type_alike(
    eco: dict[str, Any],
) -> None:
    client = Client()
    page = client.get(reverse("network:index"), {"country": ""}).content.decode()
    legend = dict(re.findall(r'<li data-type="([^"]+)" data-colour="([^"]+)"', page))
    assert set(legend) == set(_codes())
    figure = client.get(reverse("network:figure"), {"country": ""}).content.decode()
    root = ET.fromstring(figure)
    fills = {
        c.find(f"{SVG}title").text: c.get("fill")
        for c in root.iter(f"{SVG}circle")
        if c.find(f"{SVG}title") is not None
    }
    expected = {
        "Nettest A": legend["association-ngo"],
        "Nettest B": legend["social-enterprise"],
        "Nettest C": legend["public-agency"],
        "Nettest D": legend["social-enterprise"],
    }
    assert {name: fills.get(name) for name in expected} == expected
    assert legend["association-ngo"] != legend["unclassified"]
    assert legend["municipality-region"] != legend["support-intermediary"]


def _box(text: ET.Element) -> tuple[float, float, float, float]:
    size = float(text.get("font-size", "0"))
    x, y = float(text.get("x", "0")), float(text.get("y", "0"))
    return x, y - size, x + len(text.text or "") * size * CHAR_WIDTH, y


def test_isolated_labels_do_not_overlap() -> None:
    graph = nx.Graph()
    for i in range(30):
        graph.add_node(i, label=f"Isolated organisation with a long name number {i}",
                       actor_type="association-ngo")  # fmt: skip
    for i in range(30, 36):
        graph.add_node(i, label=f"Linked {i}", actor_type="foundation")
    graph.add_edges_from([(30, 31), (31, 32), (33, 34), (34, 35), (30, 35)])
    root = ET.fromstring(network_svg(graph, max_nodes=36, colours=type_colours(_codes())))
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "isolated")
    boxes = [_box(t) for t in group.iter(f"{SVG}text")]
    assert len(boxes) >= 20
    for a, b in itertools.combinations(boxes, 2):
        apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
        assert apart, (a, b)
    assert all(0 <= box[0] and box[2] <= 640 and box[3] <= 480 for box in boxes)
    names = [t.text or "" for t in group.iter(f"{SVG}text")]
    assert names[0].startswith("Isolated organ") and names[0].endswith("…")
    # The linked organisations are drawn above the isolated rows.
    top_of_rows = min(box[1] for box in boxes)
    linked = [c for c in root.iter(f"{SVG}circle") if (c.findtext(f"{SVG}title") or "")
              .startswith("Linked")]  # fmt: skip
    assert linked and all(float(c.get("cy", "0")) < top_of_rows for c in linked)
