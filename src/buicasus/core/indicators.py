"""Registry indicators of an ecosystem: the pure arithmetic behind them.

The analysis app counts records in the database and hands plain numbers to these functions; the
formulas live here so they are unit-tested without Django and reused by pages, API and reports.

Conventions:
- A value that cannot be computed is `None` and shown as "unknown", never as zero: a country
  without a population figure has no "actors per million", a country without initiatives has no
  share of replicated initiatives.
- Shares are fractions between 0 and 1 (pages show them as percentages).
- Funding diversity is Shannon's index over the *number of funding records per source*, divided by
  the logarithm of the number of sources in the funding-source vocabulary (not of the sources
  observed): 0 when every funding comes from one source, 1 when every source of the vocabulary
  funds equally many. Counts rather than amounts, because most records carry no amount; the
  same index over amounts (EUR only) is given beside it as a detail.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# Evidence levels counted as "established evidence" (the upper half of the evidence ladder).
ESTABLISHED_EVIDENCE = ("good-practice", "best-practice")


@dataclass(frozen=True)
class Indicator:
    """One indicator as pages, API and reports show it.

    `value` is `None` when unknown; `unit` is a short code (`per-million`, `share`, `index`,
    `count`, `ratio`); `detail` holds the breakdown (counts by type or stage …); `evidence_url`
    points at the registry list the figure was counted from.
    """

    code: str
    label: str
    value: float | None
    unit: str
    detail: dict[str, Any] = field(default_factory=dict)
    evidence_url: str = ""


@dataclass(frozen=True)
class RegistryFacts:
    """Counts taken from the registry for one country (published, visible records only)."""

    country: str
    population: int | None
    actors_by_type: Mapping[str, int]
    initiatives: int
    initiatives_by_stage: Mapping[str, int]  # "" = no stage recorded
    initiatives_by_evidence: Mapping[str, int]  # "" = no evidence level recorded
    replicated_or_scaled: int
    funding_counts: Mapping[str, int]  # funding-source code → number of funding records
    funding_amounts: Mapping[str, float]  # funding-source code → sum of EUR amounts
    funding_vocabulary_size: int
    ties: int
    cross_sector_ties: int


def per_million(count: int, population: int | None) -> float | None:
    """`count` per million inhabitants; unknown without a (positive) population."""
    if not population or population <= 0:
        return None
    return count * 1_000_000 / population


def share(part: int, whole: int) -> float | None:
    """`part / whole`, unknown when there is nothing to share."""
    if whole <= 0:
        return None
    return part / whole


def shannon_evenness(weights: Iterable[float], categories: int) -> float | None:
    """Shannon's index of `weights` divided by ln(`categories`), between 0 and 1.

    Zero and negative weights are ignored. Unknown when there is no positive weight or fewer
    than two possible categories (the index cannot be normalised).
    """
    positive = [w for w in weights if w > 0]
    total = sum(positive)
    if total <= 0 or categories < 2:
        return None
    entropy = -sum((w / total) * math.log(w / total) for w in positive)
    return min(1.0, max(0.0, entropy / math.log(categories)))


def median(values: Iterable[float | None]) -> float | None:
    """The median of the known values, or `None` when none is known."""
    known = sorted(v for v in values if v is not None)
    if not known:
        return None
    middle = len(known) // 2
    if len(known) % 2:
        return known[middle]
    return (known[middle - 1] + known[middle]) / 2


def std_dev(values: Sequence[float | None]) -> float | None:
    """Population standard deviation of the known values (`None` for fewer than two)."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return None
    mean = sum(known) / len(known)
    return math.sqrt(sum((v - mean) ** 2 for v in known) / len(known))


def actors_per_million(facts: RegistryFacts) -> tuple[float | None, dict[str, float | None]]:
    """All actors, and actors of each type, per million inhabitants."""
    total = sum(facts.actors_by_type.values())
    by_type = {code: per_million(n, facts.population) for code, n in facts.actors_by_type.items()}
    return per_million(total, facts.population), by_type


def established_evidence_share(facts: RegistryFacts) -> float | None:
    """Share of initiatives with a recorded evidence level that reach good or best practice."""
    known = sum(n for code, n in facts.initiatives_by_evidence.items() if code)
    good = sum(facts.initiatives_by_evidence.get(code, 0) for code in ESTABLISHED_EVIDENCE)
    return share(good, known)


def funding_diversity(facts: RegistryFacts) -> tuple[float | None, float | None]:
    """Normalised Shannon index over funding records per source, and over EUR amounts."""
    size = facts.funding_vocabulary_size
    by_count = shannon_evenness(facts.funding_counts.values(), size)
    by_amount = shannon_evenness(facts.funding_amounts.values(), size)
    return by_count, by_amount


@dataclass(frozen=True)
class IndicatorValue:
    """An indicator's figures before the app adds its translated label and evidence link."""

    code: str
    value: float | None
    unit: str
    detail: dict[str, Any]


def compute(facts: RegistryFacts) -> list[IndicatorValue]:
    """Every registry indicator of one country, in display order."""
    total_actors, by_type = actors_per_million(facts)
    by_count, by_amount = funding_diversity(facts)
    stage_known = sum(n for code, n in facts.initiatives_by_stage.items() if code)
    evidence_known = sum(n for code, n in facts.initiatives_by_evidence.items() if code)
    return [
        IndicatorValue(
            "actors-per-million",
            total_actors,
            "per-million",
            {
                "population": facts.population,
                "actors": sum(facts.actors_by_type.values()),
                "counts": dict(facts.actors_by_type),
                "by_type": by_type,
            },
        ),
        IndicatorValue(
            "initiatives-per-million",
            per_million(facts.initiatives, facts.population),
            "per-million",
            {"population": facts.population, "initiatives": facts.initiatives},
        ),
        IndicatorValue(
            "initiatives-by-stage",
            float(facts.initiatives),
            "count",
            {
                "counts": {c: n for c, n in facts.initiatives_by_stage.items() if c},
                "unknown": facts.initiatives_by_stage.get("", 0),
                "known": stage_known,
            },
        ),
        IndicatorValue(
            "established-evidence",
            established_evidence_share(facts),
            "share",
            {
                "counts": {c: n for c, n in facts.initiatives_by_evidence.items() if c},
                "unknown": facts.initiatives_by_evidence.get("", 0),
                "known": evidence_known,
            },
        ),
        IndicatorValue(
            "replicated-share",
            share(facts.replicated_or_scaled, facts.initiatives),
            "share",
            {"replicated_or_scaled": facts.replicated_or_scaled, "initiatives": facts.initiatives},
        ),
        IndicatorValue(
            "funding-diversity",
            by_count,
            "index",
            {
                "sources": len([n for n in facts.funding_counts.values() if n > 0]),
                "fundings": sum(facts.funding_counts.values()),
                "counts": dict(facts.funding_counts),
                "by_amount": by_amount,
                "vocabulary_size": facts.funding_vocabulary_size,
            },
        ),
        IndicatorValue(
            "cross-sector-ties",
            share(facts.cross_sector_ties, facts.ties),
            "share",
            {"ties": facts.ties, "cross_sector": facts.cross_sector_ties},
        ),
    ]
