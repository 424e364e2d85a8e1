"""SWOT derivation rules: thresholds, stable keys, evidence, quadrant order."""

from __future__ import annotations

import pytest

from buicasus.core import swot
from buicasus.core.swot import CountryFacts, Disagreement, Line


def keys(lines: list[Line]) -> list[str]:
    return [line.key for line in lines]


def by_key(lines: list[Line]) -> dict[str, Line]:
    return {line.key: line for line in lines}


ES = CountryFacts("ES", scores={"culture": 8.0, "finance": 3.0, "markets": 5.0, "skills": 4.0})
LV = CountryFacts("LV", scores={"culture": 5.0, "finance": 6.0, "markets": 5.0, "skills": 4.0})
FR = CountryFacts("FR", scores={"culture": 6.0, "finance": 7.0, "markets": 5.0, "skills": 4.0})


def test_strength_and_weakness_against_own_mean_and_peer_median() -> None:
    lines = by_key(swot.derive(ES, [LV, FR]))
    # own mean 5.0; culture 8 ≥ 6 and > peers' median 5.5
    strength = lines["score-strength:culture"]
    assert (strength.quadrant, strength.origin, strength.rule) == (
        "strength",
        "score",
        "score-above-mean",
    )
    assert strength.params == {
        "dimension": "culture",
        "score": 8.0,
        "own_mean": 5.0,
        "peer_median": 5.5,
    }
    assert strength.evidence == swot.Evidence("scores", "culture")
    assert lines["score-weakness:finance"].rule == "score-below-mean"
    assert "score-strength:markets" not in lines and "score-weakness:skills" not in lines


def test_above_own_mean_but_below_peers_is_not_a_strength() -> None:
    subject = CountryFacts("SE", scores={"a": 6.0, "b": 4.0, "c": 5.0})
    peers = [CountryFacts("X", scores={"a": 7.0}), CountryFacts("Y", scores={"a": 8.0})]
    assert "score-strength:a" not in keys(swot.derive(subject, peers))
    assert "score-strength:a" in keys(swot.derive(subject, []))  # alone: own mean decides


def test_exactly_one_point_above_the_mean_counts() -> None:
    subject = CountryFacts("SE", scores={"a": 6.0, "b": 4.0})  # mean 5
    assert {"score-strength:a", "score-weakness:b"} <= set(keys(swot.derive(subject)))
    close = CountryFacts("SE", scores={"a": 5.9, "b": 4.1})
    assert keys(swot.derive(close)) == []


def test_far_above_peers_is_a_strength_even_near_own_mean() -> None:
    subject = CountryFacts("SE", scores={"a": 7.0, "b": 7.0})
    peers = [CountryFacts("X", scores={"a": 5.0, "b": 7.0})]
    line = by_key(swot.derive(subject, peers))["score-strength:a"]
    assert line.rule == "score-above-peers" and line.params["peer_median"] == 5.0
    low = CountryFacts("SE", scores={"a": 3.0, "b": 3.0})
    assert by_key(swot.derive(low, peers))["score-weakness:b"].rule == "score-below-peers"


def test_missing_scores_are_skipped() -> None:
    subject = CountryFacts("SE", scores={"a": None, "b": 8.0, "c": 4.0})
    assert set(keys(swot.derive(subject))) == {"score-strength:b", "score-weakness:c"}
    assert swot.derive(CountryFacts("SE", scores={"a": None})) == []


def test_indicators_against_the_others_median() -> None:
    subject = CountryFacts("SE", indicators={"replicated-share": 0.5, "funding-diversity": 0.2})
    peers = [
        CountryFacts("X", indicators={"replicated-share": 0.3, "funding-diversity": 0.5}),
        CountryFacts("Y", indicators={"replicated-share": 0.4, "funding-diversity": None}),
    ]
    lines = by_key(swot.derive(subject, peers))
    strong = lines["indicator-strength:replicated-share"]
    assert strong.params["peer_median"] == pytest.approx(0.35)
    assert strong.evidence == swot.Evidence("indicator", "replicated-share")
    weak = lines["indicator-weakness:funding-diversity"]
    assert weak.rule == "indicator-below-peers" and weak.params["peer_median"] == 0.5


def test_indicator_close_to_median_or_unjudged_gives_nothing() -> None:
    subject = CountryFacts("SE", indicators={"replicated-share": 0.4, "initiatives-by-stage": 50})
    peers = [CountryFacts("X", indicators={"replicated-share": 0.35, "initiatives-by-stage": 5})]
    assert swot.derive(subject, peers) == []
    assert swot.derive(subject, []) == []  # no peer, no comparison


def test_latent_capacity_links_a_strong_indicator_to_a_weak_dimension() -> None:
    subject = CountryFacts(
        "SE", scores={"finance": 3.0, "culture": 7.0}, indicators={"funding-diversity": 0.8}
    )
    peers = [CountryFacts("X", scores={"finance": 4.0}, indicators={"funding-diversity": 0.4})]
    lines = by_key(swot.derive(subject, peers, links={"funding-diversity": ["finance", "culture"]}))
    line = lines["latent-capacity:funding-diversity:finance"]
    assert line.quadrant == "opportunity" and line.params["score"] == 3.0
    assert "latent-capacity:funding-diversity:culture" not in lines  # culture is not weak


def test_peer_learning_names_countries_two_points_ahead() -> None:
    lines = by_key(swot.derive(ES, [LV, FR]))
    line = lines["peer-learning:finance"]
    assert line.params["countries"] == "FR,LV"  # highest first
    assert line.evidence == swot.Evidence("comparison", "finance")


def test_disagreement_is_a_threat_with_groups() -> None:
    subject = CountryFacts(
        "SE",
        scores={"a": 5.0},
        disagreements=[Disagreement("a", 4.0, "funder", "initiative")],
    )
    line = by_key(swot.derive(subject))["disagreement:a"]
    assert (line.quadrant, line.origin, line.rule) == ("threat", "disagreement", "contested-view")
    assert line.params["gap"] == 4.0 and line.params["high_group"] == "funder"


def test_few_replicated_and_funding_concentration() -> None:
    subject = CountryFacts(
        "SE",
        indicators={"replicated-share": 0.05, "funding-diversity": 0.1},
        counts={"initiatives": 20, "fundings": 10},
    )
    assert {"few-replicated", "funding-concentration"} <= set(keys(swot.derive(subject)))
    small = CountryFacts(
        "SE",
        indicators={"replicated-share": 0.0, "funding-diversity": 0.0},
        counts={"initiatives": 2, "fundings": 1},
    )
    assert swot.derive(small) == []  # too few records to judge


def test_momentum_and_decline_between_campaigns() -> None:
    subject = CountryFacts(
        "SE",
        scores={"a": 6.0, "b": 4.0, "c": 5.0},
        previous_scores={"a": 4.5, "b": 5.5, "c": 4.5},
    )
    lines = by_key(swot.derive(subject))
    assert lines["momentum:a"].params["change"] == 1.5
    assert lines["decline:b"].quadrant == "threat"
    assert lines["decline:b"].evidence == swot.Evidence("change", "b")
    assert "momentum:c" not in lines


def test_lines_come_in_swot_order_with_unique_keys() -> None:
    subject = CountryFacts(
        "ES",
        scores=ES.scores,
        previous_scores={"culture": 6.0},
        disagreements=[Disagreement("finance", 3.5)],
    )
    lines = swot.derive(subject, [LV, FR, subject])  # the subject among the others is skipped
    quadrants = [line.quadrant for line in lines]
    assert quadrants == sorted(quadrants, key=swot.QUADRANTS.index)
    assert len(set(keys(lines))) == len(lines)
    assert set(quadrants) == set(swot.QUADRANTS)


def test_keys_stay_when_figures_change() -> None:
    before = by_key(swot.derive(ES, [LV, FR]))["score-strength:culture"]
    changed = CountryFacts("ES", scores={**ES.scores, "culture": 9.5})
    after = by_key(swot.derive(changed, [LV, FR]))["score-strength:culture"]
    assert before.key == after.key and before.params != after.params
