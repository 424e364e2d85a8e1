"""A static SVG drawing of a network, for reports (WeasyPrint) and downloads.

The figure shows the `max_nodes` organisations of highest degree (ties broken by id) and the
links among them, placed by a spring layout with a fixed seed (the same data always give the
same picture), circles sized by degree and coloured by actor type, with a legend. Every style
is an inline attribute, so a browser and WeasyPrint draw it alike and no stylesheet is needed.
Labels (title, legend entries, the caption) come from the caller, already translated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from xml.sax.saxutils import escape

import networkx as nx

# Okabe–Ito palette (colour-blind safe), then two neutral tones for the rest.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#999999",
    "#6A3D9A",
)
OTHER_COLOUR = "#BBBBBB"
SEED = 7


def type_colours(types: list[str]) -> dict[str, str]:
    """A colour per actor type, the most frequent types first; beyond the palette: grey."""
    return {t: PALETTE[i] if i < len(PALETTE) else OTHER_COLOUR for i, t in enumerate(types)}


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
    caption: str = "",
    empty_text: str = "No links to draw.",
) -> str:
    """A standalone SVG of the busiest part of `graph` (nodes carry `label`, `actor_type`)."""
    labels = dict(type_labels or {})
    chosen = top_nodes(graph, max_nodes)
    sub = graph.subgraph(chosen)
    counts: dict[str, int] = {}
    for node in chosen:
        kind = str(graph.nodes[node]["actor_type"])
        counts[kind] = counts.get(kind, 0) + 1
    types = sorted(counts, key=lambda t: (-counts[t], t))
    colours = type_colours(types)
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
        parts.extend(_drawing(sub, colours, width, top, plot_h))
    y = top + plot_h + 14
    for i, kind in enumerate(types):
        x = 12 + (i % 2) * (width / 2)
        row_y = y + (i // 2) * 18
        text = f"{labels.get(kind, kind)} ({counts[kind]})"
        parts.append(
            f'<circle cx="{x + 5:.0f}" cy="{row_y - 4}" r="5" fill="{colours[kind]}"/>'
            f'<text x="{x + 15:.0f}" y="{row_y}" font-size="11" fill="#222222">'
            f"{escape(text)}</text>"
        )
    if caption:
        parts.append(
            f'<text x="12" y="{height - 8}" font-size="10" fill="#555555">{escape(caption)}</text>'
        )
    parts.append("</svg>")
    return "".join(p for p in parts if p)


def _drawing(
    sub: nx.Graph, colours: Mapping[str, str], width: int, top: int, plot_h: int
) -> list[str]:
    """Edges then nodes, positions scaled into the plot area with a margin."""
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
        colour = colours[str(sub.nodes[node]["actor_type"])]
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{colour}">'
            f"<title>{escape(str(sub.nodes[node]['label']))}</title></circle>"
        )
    parts.append("</g>")
    return parts
