"""Radar (spider) charts of dimension scores as standalone SVG strings.

The same string is inlined in pages and embedded in the PDF report (WeasyPrint), so it uses
presentation attributes only: no `<style>`, no CSS classes, no script, no external reference,
no `dominant-baseline` (WeasyPrint ignores it; vertical placement uses `dy`). Every text is
XML-escaped.

Drawing rules:
- One axis per dimension, clockwise from the top; rings every `max_value / 5` (0–10: 2, 4 … 10),
  labelled along the upward axis.
- One outline per series, in the Okabe–Ito colour-blind-safe palette, each series also with its
  own dash pattern and marker shape so it stays distinguishable in greyscale print.
- A `None` value (no score on that dimension) is a **gap**: the outline is broken on either side
  of that axis and not filled, because a filled shape would claim a score of zero there. The
  legend says how many axes have no score (`missing_text`).
- Values are clamped to 0 … `max_value`.
"""

from __future__ import annotations

import hashlib
import math
import textwrap
from collections.abc import Sequence
from xml.sax.saxutils import escape

# Okabe & Ito (2008), "Color Universal Design": distinguishable under every common colour-vision
# deficiency. Yellow (#F0E442) is left out: too pale on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 2", "1 2", "10 4")
MARKERS = ("circle", "square", "triangle", "diamond")
TEXT_COLOUR = "#222222"
GRID_COLOUR = "#b8b8b8"
FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
RINGS = 5
LABEL_WIDTH = 18  # characters per line of an axis label
LEGEND_ROW = 20
SIDE_ROOM = 40  # extra width on each side for the labels of left and right axes


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _value_text(value: float | None) -> str:
    return "–" if value is None else _num(value)


def series_colour(index: int) -> str:
    """The colour of the `index`-th series (palette repeats past its length)."""
    return PALETTE[index % len(PALETTE)]


def _points(coords: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in coords)


def _marker(shape: str, x: float, y: float, colour: str, tip: str) -> str:
    title = f"<title>{escape(tip)}</title>"
    common = f'fill="{colour}" stroke="#ffffff" stroke-width="1"'
    if shape == "square":
        box = f'x="{_num(x - 3.5)}" y="{_num(y - 3.5)}" width="7" height="7"'
        return f"<rect {box} {common}>{title}</rect>"
    if shape == "triangle":
        pts = _points([(x, y - 4.5), (x + 4.5, y + 3.5), (x - 4.5, y + 3.5)])
        return f'<polygon points="{pts}" {common}>{title}</polygon>'
    if shape == "diamond":
        pts = _points([(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)])
        return f'<polygon points="{pts}" {common}>{title}</polygon>'
    return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4" {common}>{title}</circle>'


def _runs(values: Sequence[float | None]) -> list[list[int]]:
    """Indices of consecutive known values, joined across the wrap from last to first axis."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, value in enumerate(values):
        if value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(i)
    if current:
        runs.append(current)
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == len(values) - 1:
        runs[0] = runs.pop() + runs[0]
    return runs


def radar_svg(
    axes: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    size: int = 480,
    max_value: float = 10,
    title: str = "",
    missing_text: str = "axes without a value: {n}",
) -> str:
    """A standalone SVG radar chart of `series` (name, one value per axis) over `axes`.

    `missing_text` is the legend note for a series with gaps (`{n}` = number of axes without a
    value); pass it translated. Raises `ValueError` when a series does not have one value per
    axis or there is no axis.
    """
    if not axes:
        raise ValueError("a radar chart needs at least one axis")
    for name, values in series:
        if len(values) != len(axes):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(axes)} axes")
    digest = hashlib.sha1(repr((list(axes), [(n, list(v)) for n, v in series], title)).encode())
    uid = "radar-" + digest.hexdigest()[:10]
    width = size + 2 * SIDE_ROOM
    margin = max(70.0, size * 0.21)
    radius = size / 2 - margin
    title_height = 30 if title else 8
    label_room = 44.0
    cx = width / 2
    cy = title_height + label_room + radius
    chart_bottom = cy + radius + label_room
    height = chart_bottom + len(series) * LEGEND_ROW + 8
    n = len(axes)

    def point(axis: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * axis / n
        r = radius * max(0.0, min(value, max_value)) / max_value
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    desc_parts = [
        f"{name}: " + "; ".join(f"{a} {_value_text(v)}" for a, v in zip(axes, values, strict=True))
        for name, values in series
    ]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {_num(height)}" '
        f'width="{width}" height="{_num(height)}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" font-family="{FONT}" font-size="12">',
        f'<title id="{uid}-title">{escape(title or "Radar chart")}</title>',
        f'<desc id="{uid}-desc">{escape(" | ".join(desc_parts))}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{_num(height)}" fill="#ffffff"/>',
    ]
    if title:
        out.append(
            f'<text x="{_num(cx)}" y="20" text-anchor="middle" font-size="15" '
            f'font-weight="bold" fill="{TEXT_COLOUR}">{escape(title)}</text>'
        )
    # rings and their values
    out.append('<g fill="none" aria-hidden="true">')
    for ring in range(1, RINGS + 1):
        r = radius * ring / RINGS
        out.append(
            f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{_num(r)}" stroke="{GRID_COLOUR}" '
            f'stroke-width="{1.2 if ring == RINGS else 0.7}"/>'
        )
    out.append("</g>")
    for i in range(n):
        x, y = point(i, max_value)
        out.append(
            f'<line x1="{_num(cx)}" y1="{_num(cy)}" x2="{_num(x)}" y2="{_num(y)}" '
            f'stroke="{GRID_COLOUR}" stroke-width="0.7"/>'
        )
    for ring in range(0, RINGS + 1):
        value = max_value * ring / RINGS
        out.append(
            f'<text x="{_num(cx + 3)}" y="{_num(cy - radius * ring / RINGS - 2)}" font-size="9" '
            f'fill="#555555">{_num(value)}</text>'
        )
    # axis labels
    for i, label in enumerate(axes):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = cx + (radius + 10) * cos, cy + (radius + 10) * sin
        anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
        lines = textwrap.wrap(label, LABEL_WIDTH) or [""]
        line_height = 13
        if sin < -0.3:  # above the chart: the last line sits on the axis end
            y -= (len(lines) - 1) * line_height + 2
        elif sin > 0.3:
            y += 10
        else:
            y -= (len(lines) - 1) * line_height / 2 - 4
        spans = "".join(
            f'<tspan x="{_num(x)}" dy="{0 if k == 0 else line_height}">{escape(text)}</tspan>'
            for k, text in enumerate(lines)
        )
        out.append(
            f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" fill="{TEXT_COLOUR}">'
            f"<title>{escape(label)}</title>{spans}</text>"
        )
    # series
    for s, (name, values) in enumerate(series):
        colour, dash = series_colour(s), DASHES[s % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        points = {i: point(i, v) for i, v in enumerate(values) if v is not None}
        out.append(f'<g aria-label="{_attr(name)}">')
        if len(points) == n and n >= 3:
            coords = _points(list(points.values()))
            out.append(
                f'<polygon points="{coords}" fill="{colour}" fill-opacity="0.12" '
                f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
            )
        else:
            for run in _runs(values):
                if len(run) < 2:
                    continue
                coords = _points([points[i] for i in run])
                out.append(
                    f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash_attr}/>'
                )
        shape = MARKERS[s % len(MARKERS)]
        for i, (x, y) in points.items():
            out.append(
                _marker(shape, x, y, colour, f"{name} — {axes[i]}: {_value_text(values[i])}")
            )
        out.append("</g>")
    # legend
    for s, (name, values) in enumerate(series):
        colour, dash = series_colour(s), DASHES[s % len(DASHES)]
        y = chart_bottom + s * LEGEND_ROW + 10
        x = 16.0
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        missing = sum(1 for v in values if v is None)
        text = name + (f" ({missing_text.replace('{n}', str(missing))})" if missing else "")
        out.append(
            f'<line x1="{_num(x)}" y1="{_num(y)}" x2="{_num(x + 28)}" y2="{_num(y)}" '
            f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
        )
        out.append(_marker(MARKERS[s % len(MARKERS)], x + 14, y, colour, name))
        out.append(
            f'<text x="{_num(x + 36)}" y="{_num(y + 4)}" fill="{TEXT_COLOUR}">{escape(text)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)
