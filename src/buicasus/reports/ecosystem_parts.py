"""The analysis parts of a report: network figure and summary (network app), registry
indicators and SWOT (analysis app).

Those apps are looked up by name (`_service`) so that a platform without one of them still
builds its reports: the section then says "not available" instead of failing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from buicasus.reports.tallies import number

QUADRANTS = ("strengths", "weaknesses", "opportunities", "threats")


def _service(module: str, name: str) -> Callable[..., Any] | None:
    """`module.name` when that app provides it, else None."""
    try:
        found = importlib.import_module(module)
    except ImportError:
        return None
    function = getattr(found, name, None)
    return function if callable(function) else None


def not_available() -> str:
    return _("Not available: this part of the platform is not installed.")


# --- network ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkPart:
    svg: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    brokers: list[str] = field(default_factory=list)
    computed_at: datetime | None = None
    note: str = ""


def _shown(value: Any, unit: str = "") -> str:
    if value is None:
        return _("unknown")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return number(value)
    if isinstance(value, float):
        return number(100 * value, 0) + " %" if unit == "share" else number(value, 3)
    if isinstance(value, (list, tuple, set, dict)):
        return number(len(value))
    return str(value)


def network_part(user: Any, codes: list[str]) -> NetworkPart:
    """The network of the report's country (one code) or of all countries (several), as
    `user` may see it (network app, contract 4)."""
    summary_of = _service("buicasus.network.services", "network_summary")
    figure_of = _service("buicasus.network.services", "network_figure_svg")
    if summary_of is None or figure_of is None:
        return NetworkPart(note=not_available())
    code = codes[0] if len(codes) == 1 else None
    summary = summary_of(code, user=user)
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
        svg=figure_of(code, user=user),
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
    indicators_note: str = ""
    swot_note: str = ""


def _indicator_value(indicator: Any) -> str:
    value, unit = getattr(indicator, "value", None), getattr(indicator, "unit", "")
    if value is None:
        return _("unknown")
    if unit == "share":
        return number(100 * float(value), 0) + " %"
    if unit == "count":
        return number(int(value))
    if unit == "per-million":
        return number(float(value), 1)
    return number(float(value), 2)


def _swot_lines(table: Any, quadrant: str) -> list[SwotLine]:
    """The shown (not dismissed) lines of one quadrant, with their evidence links."""
    out = []
    for line in table.quadrants.get(quadrant, []):
        link = str(line.evidence_url or "")
        out.append(SwotLine(line.text, line.origin, link if link.startswith(("http", "/")) else ""))
    return out


def analysis_parts(user: Any, countries: list[tuple[str, str]], lang: str) -> list[CountryAnalysis]:
    """Registry indicators and SWOT table of each (code, name) (analysis app, contract 3).

    The SWOT is built on self-assessment scores, so it is shown only where the analysis app
    lets `user` see the country's scores (`user=None`: the trusted CLI)."""
    indicators_of = _service("buicasus.analysis.services", "registry_indicators")
    swot_of = _service("buicasus.analysis.services", "swot")
    may_see = _service("buicasus.analysis.profiles", "can_see_scores")
    parts = []
    for code, name in countries:
        rows: list[IndicatorRow] = []
        swot: dict[str, list[SwotLine]] = {}
        swot_note = "" if swot_of else not_available()
        if indicators_of is not None:
            rows = [
                IndicatorRow(str(i.label), _indicator_value(i), str(i.evidence_url or ""))
                for i in indicators_of(code, user=user)
            ]
        if swot_of is not None:
            if may_see is not None and not may_see(user, code):
                swot_note = _("The SWOT table is shown to members of the platform only.")
            else:
                table = swot_of(code, user=user, lang=lang)
                swot = {q: _swot_lines(table, q) for q in QUADRANTS}
        parts.append(
            CountryAnalysis(
                code,
                name,
                rows,
                swot,
                indicators_note="" if indicators_of else not_available(),
                swot_note=swot_note,
            )
        )
    return parts
