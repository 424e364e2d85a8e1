"""A static SVG drawing of a network, for reports (WeasyPrint) and downloads.

The figure shows the `max_nodes` organisations of highest degree (ties broken by id) and the
links among them, placed by a spring layout with a fixed seed (the same data always give the
same picture), circles sized by degree and coloured by actor type, with a legend. Every style
is an inline attribute, so a browser and WeasyPrint draw it alike and no stylesheet is needed.
Labels (title, legend entries, the caption) come from the caller, already translated.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from xml.sax.saxutils import escape

import networkx as nx

# The one palette of actor types, for this figure and the interactive view (which gets it from
# `type_colours` through the page). Paul Tol's "muted" scheme, then three Okabe–Ito colours
# (orange, vermilion, black): twelve colours that stay apart for readers with red-green or
# blue-yellow colour blindness as well (`tests/network/test_colours.py` measures it). Types
# not yet classified, and any beyond the twelve, are pale grey: no colour of their own.
PALETTE = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#E69F00",
    "#D55E00",
    "#000000",
)
OTHER_COLOUR = "#BBBBBB"
UNCLASSIFIED = "unclassified"
SEED = 7
# Isolated organisations are drawn in rows under the connected ones, each name cut to fit its
# cell: a spring layout piles them on each other at the edge of the plot.
LABEL_SIZE = 9
CHAR_WIDTH = 0.6  # of the font size: a generous average for sans-serif text
ISOLATED_CELL = 120
ISOLATED_ROW = 16
MAX_ISOLATED_ROWS = 4


def type_colours(codes: Iterable[str]) -> dict[str, str]:
    """A colour per actor type code, the codes in alphabetical order, so a type keeps its colour
    whichever types a view shows; "unclassified" and codes beyond the palette: grey."""
    ordered = sorted(c for c in set(codes) if c != UNCLASSIFIED)
    colours = {c: PALETTE[i] if i < len(PALETTE) else OTHER_COLOUR for i, c in enumerate(ordered)}
    return colours | {UNCLASSIFIED: OTHER_COLOUR}


def top_nodes(graph: nx.Graph, limit: int) -> list[int]:
    """The `limit` nodes of highest degree, ties broken by smallest id."""
    ranked = sorted(graph.degree(), key=lambda nd: (-nd[1], nd[0]))
    return [int(node) for node, _deg in ranked[:limit]]


def network_svg(
    graph: nx.Graph,
    *,
    max_nodes: int = 150,
    width: int = 640,
    height: int = 480,
    title: str = "",
    type_labels: Mapping[str, str] | None = None,
    colours: Mapping[str, str] | None = None,
    caption: str = "",
    empty_text: str = "No links to draw.",
) -> str:
    """A standalone SVG of the busiest part of `graph` (nodes carry `label`, `actor_type`).

    `colours` (type code → colour, from `type_colours` over the whole vocabulary) keeps each
    type's colour the same as in the interactive view; without it, from the types drawn."""
    labels = dict(type_labels or {})
    chosen = top_nodes(graph, max_nodes)
    sub = graph.subgraph(chosen)
    counts: dict[str, int] = {}
    for node in chosen:
        kind = str(graph.nodes[node]["actor_type"])
        counts[kind] = counts.get(kind, 0) + 1
    types = sorted(counts, key=lambda t: (-counts[t], t))
    palette = dict(colours) if colours is not None else type_colours(types)
    legend_rows = math.ceil(len(types) / 2)
    top = 30 if title else 8
    plot_h = height - top - 18 * legend_rows - (22 if caption else 8)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" font-family="sans-serif">',
        f"<title>{escape(title)}</title>" if title else "",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#FFFFFF"/>',
    ]
    if title:
        parts.append(
            f'<text x="{width / 2:.0f}" y="20" text-anchor="middle" font-size="14"'
            f' font-weight="bold" fill="#222222">{escape(title)}</text>'
        )
    if not chosen:
        parts.append(
            f'<text x="{width / 2:.0f}" y="{top + plot_h / 2:.0f}" text-anchor="middle"'
            f' font-size="12" fill="#555555">{escape(empty_text)}</text>'
        )
    else:
        parts.extend(_drawing(sub, palette, width, top, plot_h))
    y = top + plot_h + 14
    for i, kind in enumerate(types):
        x = 12 + (i % 2) * (width / 2)
        row_y = y + (i // 2) * 18
        text = f"{labels.get(kind, kind)} ({counts[kind]})"
        parts.append(
            f'<circle cx="{x + 5:.0f}" cy="{row_y - 4}" r="5"'
            f' fill="{palette.get(kind, OTHER_COLOUR)}"/>'
            f'<text x="{x + 15:.0f}" y="{row_y}" font-size="11" fill="#222222">'
            f"{escape(text)}</text>"
        )
    if caption:
        parts.append(
            f'<text x="12" y="{height - 8}" font-size="10" fill="#555555">{escape(caption)}</text>'
        )
    parts.append("</svg>")
    return "".join(p for p in parts if p)


def _fit(text: str, room: float, size: float = LABEL_SIZE) -> str:
    """`text` cut (with an ellipsis) to at most `room` pixels at `size`."""
    most = max(1, int(room / (size * CHAR_WIDTH)))
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _isolated_rows(
    nodes: list[int], sub: nx.Graph, colours: Mapping[str, str], width: int, top: int
) -> list[str]:
    """Isolated organisations in a grid from `top`, one cell each, names cut to their cell."""
    margin = 16
    columns = max(1, int((width - 2 * margin) // ISOLATED_CELL))
    parts = ['<g class="isolated" stroke="none">']
    for i, node in enumerate(nodes):
        x = margin + (i % columns) * ISOLATED_CELL
        y = top + (i // columns) * ISOLATED_ROW + 8
        colour = colours.get(str(sub.nodes[node]["actor_type"]), OTHER_COLOUR)
        label = str(sub.nodes[node]["label"])
        parts.append(
            f'<circle cx="{x + 3}" cy="{y - 3}" r="3" fill="{colour}"><title>{escape(label)}'
            f'</title></circle><text x="{x + 9}" y="{y}" font-size="{LABEL_SIZE}"'
            f' fill="#222222">{escape(_fit(label, ISOLATED_CELL - 14))}</text>'
        )
    parts.append("</g>")
    return parts


def _drawing(
    sub: nx.Graph, colours: Mapping[str, str], width: int, top: int, plot_h: int
) -> list[str]:
    """Edges then nodes, positions scaled into the plot area with a margin; isolated nodes
    in rows beneath, in id order, at most `MAX_ISOLATED_ROWS` of them (the caption and the
    isolated-organisations page give the rest)."""
    degrees = dict(sub.degree())
    columns = max(1, int((width - 32) // ISOLATED_CELL))
    lonely = {int(n) for n, d in degrees.items() if d == 0} if len(sub) > 1 else set()
    isolated = sorted(lonely)[: columns * MAX_ISOLATED_ROWS]
    strip = math.ceil(len(isolated) / columns) * ISOLATED_ROW if isolated else 0
    connected = sub.subgraph(n for n in sub.nodes if int(n) not in lonely)
    parts = _connected_drawing(connected, colours, width, top, plot_h - strip)
    if isolated:
        parts.extend(_isolated_rows(isolated, sub, colours, width, top + plot_h - strip))
    return parts


def _connected_drawing(
    sub: nx.Graph, colours: Mapping[str, str], width: int, top: int, plot_h: int
) -> list[str]:
    if not len(sub):
        return []
    positions = nx.spring_layout(sub, seed=SEED, weight=None) if len(sub) > 1 else {}
    if len(sub) == 1:
        positions = {next(iter(sub.nodes)): (0.0, 0.0)}
    xs = [float(p[0]) for p in positions.values()]
    ys = [float(p[1]) for p in positions.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    margin = 16

    def place(node: int) -> tuple[float, float]:
        px, py = positions[node]
        x = margin + (float(px) - min(xs)) / span_x * (width - 2 * margin)
        y = top + margin + (float(py) - min(ys)) / span_y * (plot_h - 2 * margin)
        return (x, y) if len(sub) > 1 else (width / 2, top + plot_h / 2)

    placed = {int(n): place(int(n)) for n in sub.nodes}
    degrees = dict(sub.degree())
    biggest = max(degrees.values(), default=1) or 1
    parts = ['<g stroke="#888888" stroke-opacity="0.5" stroke-width="0.7">']
    for u, v in sorted(sub.edges()):
        (x1, y1), (x2, y2) = placed[int(u)], placed[int(v)]
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>')
    parts.append('</g><g stroke="#FFFFFF" stroke-width="0.8">')
    for node in sorted(placed):
        x, y = placed[node]
        radius = 3 + 7 * math.sqrt(degrees[node] / biggest)
        colour = colours.get(str(sub.nodes[node]["actor_type"]), OTHER_COLOUR)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{colour}">'
            f"<title>{escape(str(sub.nodes[node]['label']))}</title></circle>"
        )
    parts.append("</g>")
    return parts
