"""Strengths, weaknesses, opportunities and threats derived from a country's figures.

Pure rules over plain values: the self-assessed dimension scores (0–10) of the country and of
the other countries, the registry indicators, and the disagreement flags of the self-assessment.
Each rule yields `Line`s with a **stable key** (rule family + subject, e.g.
`score-strength:culture`) so that editors' rewordings and dismissals, stored by key, stay
attached when the figures change and the lines are derived again. The app turns `rule` and
`params` into translated text and
`evidence` into a link.

Rules and their thresholds (all named below):

Strengths / weaknesses from the self-assessment (`origin="score"`):
- strength: a dimension at least `OWN_MEAN_MARGIN` (1 point) above the country's own mean over
  its dimensions **and** above the other countries' median on it (when other countries have a
  score there; otherwise the own-mean test alone decides);
- weakness: symmetric, at least 1 point below the own mean and below the others' median;
- a dimension at least `PEER_MARGIN` (1.5 points) above (below) the others' median is also a
  strength (weakness) even when it is close to the country's own mean.
Strengths / weaknesses from the registry (`origin="indicator"`): an indicator whose direction is
known (`INDICATOR_DIRECTION`) at least `INDICATOR_RATIO` (25 %) above (below) the median of the
other countries that have a value for it; needs at least `MIN_PEERS` such countries.
Opportunities:
- latent capacity: a registry indicator is a strength while a dimension it speaks to
  (`links`, given by the app) is self-assessed as a weakness, or below the own mean;
- peer learning: on a weak dimension, another country scores at least `PEER_LEARNING_GAP`
  (2 points) higher: a partner for transfer and mentoring;
- momentum: a dimension rose by at least `CHANGE_MARGIN` (1 point) since the previous campaign.
Threats:
- contested view: each dimension the self-assessment flags for disagreement between
  stakeholder groups (`origin="disagreement"`);
- few replicated initiatives: under `LOW_REPLICATION` (10 %) of at least `MIN_INITIATIVES`
  initiatives are replicated or scaled;
- funding concentration: funding diversity under `LOW_FUNDING_DIVERSITY` (0.3);
- decline: a dimension fell by at least `CHANGE_MARGIN` since the previous campaign.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from buicasus.core.indicators import median

Quadrant = Literal["strength", "weakness", "opportunity", "threat"]
Origin = Literal["score", "indicator", "disagreement", "manual"]
QUADRANTS: tuple[Quadrant, ...] = ("strength", "weakness", "opportunity", "threat")

OWN_MEAN_MARGIN = 1.0
PEER_MARGIN = 1.5
INDICATOR_RATIO = 0.25
MIN_PEERS = 1
PEER_LEARNING_GAP = 2.0
CHANGE_MARGIN = 1.0
LOW_REPLICATION = 0.10
MIN_INITIATIVES = 5
LOW_FUNDING_DIVERSITY = 0.3
MIN_FUNDINGS = 3

# +1: more is better. Indicators absent here (plain counts) are not judged.
INDICATOR_DIRECTION: dict[str, int] = {
    "actors-per-million": 1,
    "initiatives-per-million": 1,
    "established-evidence": 1,
    "replicated-share": 1,
    "funding-diversity": 1,
    "cross-sector-ties": 1,
    "network-density": 1,
}


@dataclass(frozen=True)
class Disagreement:
    """A dimension on which stakeholder groups' means differ by `gap` points or more."""

    dimension: str
    gap: float | None = None
    high_group: str = ""
    low_group: str = ""


@dataclass(frozen=True)
class CountryFacts:
    """What the rules know of one country."""

    country: str
    scores: Mapping[str, float | None] = field(default_factory=dict)  # dimension → mean 0–10
    indicators: Mapping[str, float | None] = field(default_factory=dict)
    disagreements: Sequence[Disagreement] = ()
    previous_scores: Mapping[str, float | None] = field(default_factory=dict)
    counts: Mapping[str, int] = field(default_factory=dict)  # "initiatives", "fundings"


@dataclass(frozen=True)
class Evidence:
    """Where a line's figures can be checked: the `scores` of a dimension, an `indicator`, the
    `comparison` with other countries, or the `change` between campaigns."""

    kind: Literal["scores", "indicator", "comparison", "change"]
    ref: str


@dataclass(frozen=True)
class Line:
    key: str
    quadrant: Quadrant
    origin: Origin
    rule: str
    params: dict[str, float | str]
    evidence: Evidence


def own_mean(scores: Mapping[str, float | None]) -> float | None:
    known = [v for v in scores.values() if v is not None]
    return sum(known) / len(known) if known else None


def _score_lines(subject: CountryFacts, others: Sequence[CountryFacts]) -> list[Line]:
    lines: list[Line] = []
    mean = own_mean(subject.scores)
    if mean is None:
        return lines
    for dim, value in subject.scores.items():
        if value is None:
            continue
        peers = median(o.scores.get(dim) for o in others)
        above_own, below_own = value >= mean + OWN_MEAN_MARGIN, value <= mean - OWN_MEAN_MARGIN
        params: dict[str, float | str] = {"dimension": dim, "score": value, "own_mean": mean}
        if peers is not None:
            params["peer_median"] = peers
        strength = (above_own and (peers is None or value > peers)) or (
            peers is not None and value >= peers + PEER_MARGIN
        )
        weakness = (below_own and (peers is None or value < peers)) or (
            peers is not None and value <= peers - PEER_MARGIN
        )
        if strength:
            rule = "score-above-mean" if above_own else "score-above-peers"
            lines.append(
                Line(
                    f"score-strength:{dim}",
                    "strength",
                    "score",
                    rule,
                    params,
                    Evidence("scores", dim),
                )
            )
        elif weakness:
            rule = "score-below-mean" if below_own else "score-below-peers"
            lines.append(
                Line(
                    f"score-weakness:{dim}",
                    "weakness",
                    "score",
                    rule,
                    params,
                    Evidence("scores", dim),
                )
            )
    return lines


def _indicator_lines(subject: CountryFacts, others: Sequence[CountryFacts]) -> list[Line]:
    lines: list[Line] = []
    for code, direction in INDICATOR_DIRECTION.items():
        value = subject.indicators.get(code)
        peer_values = [o.indicators.get(code) for o in others]
        known = [v for v in peer_values if v is not None]
        if value is None or len(known) < MIN_PEERS:
            continue
        peers = median(known)
        if peers is None or peers <= 0:
            continue
        ratio = value / peers
        params: dict[str, float | str] = {"indicator": code, "value": value, "peer_median": peers}
        if ratio >= 1 + INDICATOR_RATIO:
            quadrant: Quadrant = "strength" if direction > 0 else "weakness"
        elif ratio <= 1 - INDICATOR_RATIO:
            quadrant = "weakness" if direction > 0 else "strength"
        else:
            continue
        rule = "indicator-above-peers" if ratio > 1 else "indicator-below-peers"
        lines.append(
            Line(
                f"indicator-{quadrant}:{code}",
                quadrant,
                "indicator",
                rule,
                params,
                Evidence("indicator", code),
            )
        )
    return lines


def _opportunities(
    subject: CountryFacts,
    others: Sequence[CountryFacts],
    found: Sequence[Line],
    links: Mapping[str, Sequence[str]],
) -> list[Line]:
    lines: list[Line] = []
    mean = own_mean(subject.scores)
    strong_indicators = {
        line.params["indicator"]: line
        for line in found
        if line.origin == "indicator" and line.quadrant == "strength"
    }
    weak_dims = {
        str(line.params["dimension"]) for line in found if line.key.startswith("score-weakness:")
    }
    for code, line in strong_indicators.items():
        for dim in links.get(str(code), ()):
            score = subject.scores.get(dim)
            if score is None:
                continue
            if dim in weak_dims or (mean is not None and score < mean):
                lines.append(
                    Line(
                        f"latent-capacity:{code}:{dim}",
                        "opportunity",
                        "indicator",
                        "latent-capacity",
                        {**line.params, "dimension": dim, "score": score},
                        Evidence("indicator", str(code)),
                    )
                )
    for dim in sorted(weak_dims):
        score = subject.scores.get(dim)
        if score is None:
            continue
        ahead = sorted(
            (o for o in others if (o.scores.get(dim) or 0) >= score + PEER_LEARNING_GAP),
            key=lambda o: (-(o.scores.get(dim) or 0), o.country),
        )
        if ahead:
            lines.append(
                Line(
                    f"peer-learning:{dim}",
                    "opportunity",
                    "score",
                    "peer-learning",
                    {
                        "dimension": dim,
                        "score": score,
                        "countries": ",".join(o.country for o in ahead[:3]),
                    },
                    Evidence("comparison", dim),
                )
            )
    lines += _changes(subject, rising=True)
    return lines


def _changes(subject: CountryFacts, *, rising: bool) -> list[Line]:
    lines: list[Line] = []
    for dim, value in subject.scores.items():
        before = subject.previous_scores.get(dim)
        if value is None or before is None:
            continue
        change = value - before
        params: dict[str, float | str] = {
            "dimension": dim,
            "score": value,
            "previous": before,
            "change": change,
        }
        if rising and change >= CHANGE_MARGIN:
            lines.append(
                Line(
                    f"momentum:{dim}",
                    "opportunity",
                    "score",
                    "momentum",
                    params,
                    Evidence("change", dim),
                )
            )
        elif not rising and change <= -CHANGE_MARGIN:
            lines.append(
                Line(
                    f"decline:{dim}", "threat", "score", "decline", params, Evidence("change", dim)
                )
            )
    return lines


def _threats(subject: CountryFacts) -> list[Line]:
    lines: list[Line] = []
    for flag in subject.disagreements:
        params: dict[str, float | str] = {
            "dimension": flag.dimension,
            "high_group": flag.high_group,
            "low_group": flag.low_group,
        }
        if flag.gap is not None:
            params["gap"] = flag.gap
        lines.append(
            Line(
                f"disagreement:{flag.dimension}",
                "threat",
                "disagreement",
                "contested-view",
                params,
                Evidence("scores", flag.dimension),
            )
        )
    replicated = subject.indicators.get("replicated-share")
    initiatives = subject.counts.get("initiatives", 0)
    if replicated is not None and replicated < LOW_REPLICATION and initiatives >= MIN_INITIATIVES:
        lines.append(
            Line(
                "few-replicated",
                "threat",
                "indicator",
                "few-replicated",
                {"indicator": "replicated-share", "value": replicated, "initiatives": initiatives},
                Evidence("indicator", "replicated-share"),
            )
        )
    diversity = subject.indicators.get("funding-diversity")
    fundings = subject.counts.get("fundings", 0)
    if diversity is not None and diversity < LOW_FUNDING_DIVERSITY and fundings >= MIN_FUNDINGS:
        lines.append(
            Line(
                "funding-concentration",
                "threat",
                "indicator",
                "funding-concentration",
                {"indicator": "funding-diversity", "value": diversity, "fundings": fundings},
                Evidence("indicator", "funding-diversity"),
            )
        )
    lines += _changes(subject, rising=False)
    return lines


def derive(
    subject: CountryFacts,
    others: Sequence[CountryFacts] = (),
    *,
    links: Mapping[str, Sequence[str]] | None = None,
) -> list[Line]:
    """Every derived line for `subject`, compared with `others` (the subject itself is skipped
    if present), grouped by quadrant in SWOT order, each key once."""
    peers = [o for o in others if o.country != subject.country]
    found = _score_lines(subject, peers) + _indicator_lines(subject, peers)
    found += _opportunities(subject, peers, found, links or {})
    found += _threats(subject)
    seen: set[str] = set()
    unique = []
    for line in found:
        if line.key not in seen:
            seen.add(line.key)
            unique.append(line)
    order = {q: i for i, q in enumerate(QUADRANTS)}
    return sorted(unique, key=lambda line: order[line.quadrant])
