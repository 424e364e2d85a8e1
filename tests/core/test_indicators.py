"""Registry indicator formulas: unknown is never zero, shares and Shannon evenness."""

from __future__ import annotations

import math

import pytest

from buicasus.core import indicators as ind
from buicasus.core.indicators import RegistryFacts


def facts(**overrides: object) -> RegistryFacts:
    values: dict[str, object] = {
        "country": "LV",
        "population": 2_000_000,
        "actors_by_type": {"social-enterprise": 6, "foundation": 2},
        "initiatives": 10,
        "initiatives_by_stage": {"idea": 3, "impact": 5, "": 2},
        "initiatives_by_evidence": {"innovation": 2, "good-practice": 3, "best-practice": 1, "": 4},
        "replicated_or_scaled": 4,
        "funding_counts": {"esf": 3, "national": 1},
        "funding_amounts": {"esf": 900.0, "national": 100.0},
        "funding_vocabulary_size": 8,
        "ties": 5,
        "cross_sector_ties": 2,
    }
    values.update(overrides)
    return RegistryFacts(**values)  # type: ignore[arg-type]


def by_code(f: RegistryFacts) -> dict[str, ind.IndicatorValue]:
    return {v.code: v for v in ind.compute(f)}


def test_per_million_is_unknown_without_population() -> None:
    assert ind.per_million(5, None) is None
    assert ind.per_million(5, 0) is None
    assert ind.per_million(5, 2_000_000) == 2.5


def test_actors_per_million_total_and_by_type() -> None:
    value = by_code(facts())["actors-per-million"]
    assert value.value == 4.0
    assert value.detail["by_type"] == {"social-enterprise": 3.0, "foundation": 1.0}
    assert value.detail["counts"] == {"social-enterprise": 6, "foundation": 2}


def test_missing_population_gives_unknown_not_zero() -> None:
    values = by_code(facts(population=None))
    assert values["actors-per-million"].value is None
    assert values["actors-per-million"].detail["by_type"] == {
        "social-enterprise": None,
        "foundation": None,
    }
    assert values["initiatives-per-million"].value is None


def test_share_is_unknown_for_an_empty_whole() -> None:
    assert ind.share(0, 0) is None
    assert ind.share(1, 4) == 0.25
    values = by_code(facts(initiatives=0, replicated_or_scaled=0, ties=0, cross_sector_ties=0))
    assert values["replicated-share"].value is None
    assert values["cross-sector-ties"].value is None


def test_stage_and_evidence_breakdowns_keep_unknown_apart() -> None:
    values = by_code(facts())
    stage = values["initiatives-by-stage"]
    assert stage.value == 10
    assert stage.detail == {"counts": {"idea": 3, "impact": 5}, "unknown": 2, "known": 8}
    evidence = values["established-evidence"]
    assert evidence.value == pytest.approx(4 / 6)  # of the 6 with a level, 4 good or best
    assert evidence.detail["unknown"] == 4


def test_replicated_and_cross_sector_shares() -> None:
    values = by_code(facts())
    assert values["replicated-share"].value == 0.4
    assert values["cross-sector-ties"].value == 0.4


def test_shannon_evenness_bounds() -> None:
    assert ind.shannon_evenness([5], 8) == 0.0
    assert ind.shannon_evenness([1] * 8, 8) == pytest.approx(1.0)
    assert ind.shannon_evenness([], 8) is None
    assert ind.shannon_evenness([0, 0], 8) is None
    assert ind.shannon_evenness([3, 1], 1) is None
    two_equal = ind.shannon_evenness([2, 2], 8)
    assert two_equal == pytest.approx(math.log(2) / math.log(8))


def test_funding_diversity_over_counts_with_amounts_beside() -> None:
    value = by_code(facts())["funding-diversity"]
    p = [0.75, 0.25]
    expected = -sum(x * math.log(x) for x in p) / math.log(8)
    assert value.value == pytest.approx(expected)
    q = [0.9, 0.1]
    assert value.detail["by_amount"] == pytest.approx(
        -sum(x * math.log(x) for x in q) / math.log(8)
    )
    assert value.detail["sources"] == 2 and value.detail["fundings"] == 4


def test_funding_diversity_unknown_without_fundings() -> None:
    value = by_code(facts(funding_counts={}, funding_amounts={}))["funding-diversity"]
    assert value.value is None and value.detail["by_amount"] is None


def test_median_and_std_dev_skip_unknown() -> None:
    assert ind.median([3.0, None, 1.0, 2.0]) == 2.0
    assert ind.median([4.0, 1.0, None, 2.0, 3.0]) == 2.5
    assert ind.median([None]) is None
    assert ind.std_dev([2.0, 4.0, None]) == 1.0
    assert ind.std_dev([2.0, None]) is None


def test_indicator_order_is_stable() -> None:
    assert [v.code for v in ind.compute(facts())] == [
        "actors-per-million",
        "initiatives-per-million",
        "initiatives-by-stage",
        "established-evidence",
        "replicated-share",
        "funding-diversity",
        "cross-sector-ties",
    ]
