"""Small static SVG charts for reports: horizontal bars with their labels and values.

Standalone SVG documents with inline styles and explicit fonts, so a browser and WeasyPrint draw
them alike. Numbers arrive already formatted in the reader's locale; this module only draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

BAR_COLOUR = "#1f6f8b"  # a blue with 5.7:1 contrast on white; tests look for it in the PDF
TRACK_COLOUR = "#e8eef1"
TEXT_COLOUR = "#1b1b1b"
FONT = "DejaVu Sans, Noto Sans, Liberation Sans, sans-serif"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    shown: str  # the value as the reader reads it ("1 234", "1,234", "1.234")


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart_svg(
    bars: Sequence[Bar],
    *,
    title: str,
    width: int = 640,
    colour: str = BAR_COLOUR,
    label_chars: int = 34,
) -> str:
    """Horizontal bars, one row each, longest bar = largest value. The title is the chart's
    accessible name (`<title>`, `aria-label`); the page's heading shows it, so it is not drawn.
    Callers show "no data" themselves instead of an empty chart."""
    row, top, label_w, value_w = 22, 4, 250, 60
    height = top + row * max(len(bars), 1) + 8
    bar_w = width - label_w - value_w - 12
    peak = max((b.value for b in bars), default=0) or 1
    label = escape(title, {'"': "&quot;"})
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{label}" '
        f'font-family="{FONT}" font-size="12" fill="{TEXT_COLOUR}">',
        f"<title>{escape(title)}</title>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    for i, bar in enumerate(bars):
        y = top + i * row
        length = round(bar_w * bar.value / peak, 1)
        out.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">'
            f"{escape(_truncate(bar.label, label_chars))}</text>"
        )
        out.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="16" fill="{TRACK_COLOUR}"/>'
        )
        if length > 0:
            out.append(
                f'<rect x="{label_w}" y="{y + 3}" width="{length}" height="16" fill="{colour}"/>'
            )
        out.append(f'<text x="{label_w + bar_w + 6}" y="{y + 15}">{escape(bar.shown)}</text>')
    out.append("</svg>")
    return "\n".join(out)
