"""Translated wording of derived SWOT lines, indicator values and evidence links.

`core.swot` gives each line a rule name and plain parameters; here each rule has one gettext
message with named placeholders, filled with localised numbers and the reader's labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buicasus.core.swot import Line
from buicasus.web.numbers import number

UNITS: dict[str, Any] = {
    "per-million": gettext_lazy("per million inhabitants"),
    "share": gettext_lazy("share"),
    "index": gettext_lazy("index from 0 to 1"),
    "count": gettext_lazy("count"),
    "ratio": gettext_lazy("ratio from 0 to 1"),
}
GROUPS: dict[str, Any] = {
    "public-authority": gettext_lazy("public authorities"),
    "social-economy": gettext_lazy("the social economy"),
    "funder": gettext_lazy("funders"),
    "academia": gettext_lazy("academia"),
    "support-organisation": gettext_lazy("support organisations"),
    "initiative": gettext_lazy("initiatives"),
}


def _fmt(value: float, decimals: int) -> str:
    """Rounded half up, then localised: the one rule of pages and reports."""
    return number(value, decimals)


def score_text(value: float | None) -> str:
    return _("unknown") if value is None else _fmt(value, 1)


def indicator_text(value: float | None, unit: str) -> str:
    """An indicator value as the pages show it; `None` is "unknown", never 0."""
    if value is None:
        return _("unknown")
    if unit == "share":
        return f"{_fmt(value * 100, 0)} %"
    if unit in {"index", "ratio"}:
        return _fmt(value, 2)
    if unit == "count":
        return _fmt(value, 0)
    return _fmt(value, 2 if abs(value) < 10 else 1)


def _messages() -> dict[str, str]:
    return {
        "score-above-mean": _(
            "%(dimension)s is self-assessed at %(score)s, %(diff)s points above the country's "
            "own mean (%(own_mean)s)%(peers)s."
        ),
        "score-above-peers": _(
            "%(dimension)s is self-assessed at %(score)s, well above the other countries' "
            "median (%(peer_median)s)."
        ),
        "score-below-mean": _(
            "%(dimension)s is self-assessed at %(score)s, %(diff)s points below the country's "
            "own mean (%(own_mean)s)%(peers)s."
        ),
        "score-below-peers": _(
            "%(dimension)s is self-assessed at %(score)s, well below the other countries' "
            "median (%(peer_median)s)."
        ),
        "indicator-above-peers": _(
            "%(indicator)s: %(value)s, above the other countries' median (%(peer_median)s)."
        ),
        "indicator-below-peers": _(
            "%(indicator)s: %(value)s, below the other countries' median (%(peer_median)s)."
        ),
        "latent-capacity": _(
            "Latent capacity: the registry shows strong %(indicator)s (%(value)s) while "
            "%(dimension)s is self-assessed low (%(score)s)."
        ),
        "peer-learning": _(
            "%(dimension)s (%(score)s): %(countries)s score at least two points higher, "
            "partners to learn from through transfer and mentoring."
        ),
        "momentum": _(
            "%(dimension)s rose from %(previous)s to %(score)s since the previous campaign."
        ),
        "decline": _(
            "%(dimension)s fell from %(previous)s to %(score)s since the previous campaign."
        ),
        "contested-view": _(
            "Contested view on %(dimension)s: stakeholder groups' means differ by %(gap)s "
            "points (highest: %(high_group)s; lowest: %(low_group)s)."
        ),
        "few-replicated": _(
            "Few initiatives are replicated or scaled: %(value)s of %(initiatives)s initiatives."
        ),
        "funding-concentration": _(
            "Funding depends on few sources: diversity %(value)s on a scale from 0 to 1 "
            "(%(fundings)s funding records)."
        ),
    }


def line_text(
    line: Line,
    dimensions: Mapping[str, str],
    indicators: Mapping[str, tuple[str, str]],
    countries: Mapping[str, str],
) -> str:
    """The derived wording of `line`; `indicators` maps code → (label, unit)."""
    p = line.params
    values: dict[str, str] = {}
    dim = str(p.get("dimension", ""))
    values["dimension"] = dimensions.get(dim, dim)
    for key in ("score", "own_mean", "previous", "gap"):
        if isinstance(p.get(key), int | float):
            values[key] = score_text(float(p[key]))
    code = str(p.get("indicator", ""))
    label, unit = indicators.get(code, (code, "ratio"))
    values["indicator"] = label
    if isinstance(p.get("value"), int | float):
        values["value"] = indicator_text(float(p["value"]), unit)
    peer = p.get("peer_median")
    if isinstance(peer, int | float):
        values["peer_median"] = (
            score_text(float(peer)) if line.origin == "score" else indicator_text(float(peer), unit)
        )
    if isinstance(p.get("score"), int | float) and isinstance(p.get("own_mean"), int | float):
        values["diff"] = score_text(abs(float(p["score"]) - float(p["own_mean"])))
    above = line.rule == "score-above-mean"
    values["peers"] = ""
    if "peer_median" in values and line.rule in {"score-above-mean", "score-below-mean"}:
        values["peers"] = (
            _(" and above the other countries' median (%(median)s)")
            if above
            else _(" and below the other countries' median (%(median)s)")
        ) % {"median": values["peer_median"]}
    values["countries"] = ", ".join(
        countries.get(c, c) for c in str(p.get("countries", "")).split(",") if c
    )
    for key in ("high_group", "low_group"):
        group = str(p.get(key, ""))
        values[key] = str(GROUPS.get(group, group or "–"))
    values.setdefault("gap", "–")
    for key in ("initiatives", "fundings"):
        if isinstance(p.get(key), int | float):
            values[key] = _fmt(float(p[key]), 0)
    message = _messages().get(line.rule, line.rule)
    return message % _Defaults(values)


class _Defaults(dict[str, str]):
    """Placeholders a rule's parameters lack read as "–" rather than raising."""

    def __missing__(self, key: str) -> str:
        return "–"


def evidence(line: Line, country: str, indicator_urls: Mapping[str, str]) -> tuple[str, str]:
    """(URL, link text) where the line's figures can be checked."""
    kind, ref = line.evidence.kind, line.evidence.ref
    page = reverse("analysis:country", args=[country])
    if kind == "indicator":
        return indicator_urls.get(ref, page), _("registry records")
    if kind == "comparison":
        codes = [country, *str(line.params.get("countries", "")).split(",")]
        query = urlencode([("countries", c) for c in codes if c])
        return f"{reverse('analysis:compare')}?{query}", _("comparison")
    if kind == "change":
        return f"{reverse('analysis:compare')}?{urlencode({'country': country})}", _(
            "change between campaigns"
        )
    return f"{page}#dim-{ref}", _("self-assessment scores")
