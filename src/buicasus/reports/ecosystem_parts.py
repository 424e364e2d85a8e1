"""The analysis parts of a report: network figure and summary (network app), registry
indicators and SWOT (analysis app). Those apps always ship with the reports, so they are
imported plainly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from buicasus.analysis import profiles
from buicasus.analysis import services as analysis
from buicasus.analysis.wording import indicator_text
from buicasus.core.swot import QUADRANTS
from buicasus.network import services as network
from buicasus.reports.tallies import number

# --- network ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkPart:
    svg: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    brokers: list[str] = field(default_factory=list)
    computed_at: datetime | None = None


def _shown(value: Any, unit: str = "") -> str:
    if value is None:
        return _("unknown")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return number(value)
    if isinstance(value, float):
        # The decimals of the network page, so that both print the same figures.
        return number(100 * value, 1) + " %" if unit == "share" else number(value, 4)
    if isinstance(value, (list, tuple, set, dict)):
        return number(len(value))
    return str(value)


def network_part(user: Any, codes: list[str]) -> NetworkPart:
    """The network of the report's country (one code) or of all countries (several), as
    `user` may see it (the network app's summary and figure)."""
    code = codes[0] if len(codes) == 1 else None
    summary = network.network_summary(code, user=user)
    facts = [
        (_("organisations in the network"), _shown(summary.nodes)),
        (_("links"), _shown(summary.edges)),
        (_("density"), _shown(summary.density)),
        (_("connected components"), _shown(summary.components)),
        (_("isolated organisations"), _shown(summary.isolated)),
        (_("links across sectors"), _shown(summary.cross_sector_share, "share")),
        (_("cross-border ties"), _shown(summary.cross_border_ties)),
        (_("communities"), _shown(summary.community_count)),
    ]
    brokers = [f"{b.label} ({b.country})" for b in summary.brokers[:5]]
    return NetworkPart(
        svg=network.network_figure_svg(code, user=user),
        facts=facts,
        brokers=brokers,
        computed_at=summary.computed_at,
    )


# --- indicators and SWOT ------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    label: str
    value: str
    evidence_url: str


@dataclass(frozen=True)
class SwotLine:
    text: str
    origin: str
    link: str


@dataclass(frozen=True)
class CountryAnalysis:
    code: str
    name: str
    indicators: list[IndicatorRow] = field(default_factory=list)
    swot: dict[str, list[SwotLine]] = field(default_factory=dict)
    swot_note: str = ""


def _swot_lines(table: Any, quadrant: str) -> list[SwotLine]:
    """The shown (not dismissed) lines of one quadrant, with their evidence links."""
    out = []
    for line in table.quadrants.get(quadrant, []):
        link = str(line.evidence_url or "")
        out.append(SwotLine(line.text, line.origin, link if link.startswith(("http", "/")) else ""))
    return out


def analysis_parts(user: Any, countries: list[tuple[str, str]], lang: str) -> list[CountryAnalysis]:
    """Registry indicators and SWOT table of each (code, name), from the analysis app.

    The SWOT is built on self-assessment scores, so it is shown only where the analysis app
    lets `user` see the country's scores (`user=None`: the trusted CLI)."""
    parts = []
    for code, name in countries:
        # The value as the analysis page writes it (its own wording), so both show the same.
        rows = [
            IndicatorRow(str(i.label), indicator_text(i.value, i.unit), str(i.evidence_url or ""))
            for i in analysis.registry_indicators(code, user=user)
        ]
        swot: dict[str, list[SwotLine]] = {}
        swot_note = ""
        if not profiles.can_see_scores(user, code):
            swot_note = _("The SWOT table is shown to members of the platform only.")
        else:
            table = analysis.swot(code, user=user, lang=lang)
            swot = {q: _swot_lines(table, q) for q in QUADRANTS}
        parts.append(CountryAnalysis(code, name, rows, swot, swot_note=swot_note))
    return parts
