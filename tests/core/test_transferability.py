"""The transferability score: components, weights, redistribution of unknowns, ranking."""

from __future__ import annotations

import math

import pytest

from buicasus.core import transferability as tr


def _doc(**changes: object) -> tr.Documentation:
    values: dict[str, object] = {
        "description_chars": 500,
        "outcome_evidence": True,
        "methods": 2,
        "target_groups": 1,
        "website": True,
        "organisations": 3,
    }
    values.update(changes)
    return tr.Documentation(**values)  # type: ignore[arg-type]


def test_default_weights_cover_every_component_and_sum_to_one() -> None:
    assert set(tr.DEFAULT_WEIGHTS) == set(tr.COMPONENTS)
    assert math.isclose(sum(tr.DEFAULT_WEIGHTS.values()), 1.0)
    assert math.isclose(sum(tr.ESSENTIAL_ITEMS.values()), 1.0)


def test_normalise_weights_scales_to_one_and_fills_missing_with_zero() -> None:
    weights = tr.normalise_weights({"problem_fit": 2, "evidence": 1, "context": 1})
    assert weights["problem_fit"] == 0.5
    assert weights["evidence"] == weights["context"] == 0.25
    assert weights["spread"] == weights["ease"] == weights["essentials"] == 0.0


@pytest.mark.parametrize(
    ("weights", "code", "component"),
    [
        ({}, "weights.all_zero", ""),
        (dict.fromkeys(tr.COMPONENTS, 0), "weights.all_zero", ""),
        ({"problem_fit": 1, "ease": -0.5}, "weights.negative", "ease"),
        ({"problem_fit": float("nan")}, "weights.not_a_number", "problem_fit"),
        ({"problem_fit": float("inf")}, "weights.not_a_number", "problem_fit"),
        ({"problem_fit": "lots"}, "weights.not_a_number", "problem_fit"),
        ({"beauty": 1}, "weights.unknown_component", "beauty"),
    ],
)
def test_bad_weights_are_refused_with_a_code(
    weights: dict[str, object], code: str, component: str
) -> None:
    with pytest.raises(tr.WeightsError) as caught:
        tr.normalise_weights(weights)  # type: ignore[arg-type]
    assert caught.value.code == code
    assert caught.value.component == component


def test_problem_fit_bands_and_clamping() -> None:
    assert tr.problem_fit(0.9).reasons[0] == tr.Reason("problem_fit.strong", {"percent": 90})
    assert tr.problem_fit(0.6).reasons[0].code == "problem_fit.partial"
    assert tr.problem_fit(0.1).reasons[0].code == "problem_fit.weak"
    assert tr.problem_fit(1.7).value == 1.0
    assert tr.problem_fit(-0.2).value == 0.0


def test_evidence_follows_the_ladder() -> None:
    values = [tr.evidence(level).value for level in tr.EVIDENCE_LADDER]
    assert values == sorted(values) and values[-1] == 1.0
    best = tr.evidence("best-practice")
    assert best.reasons[0].params == {"level": "best-practice", "rung": 4, "rungs": 4}
    assert tr.evidence(None).value == 0.0
    assert tr.evidence(None).reasons[0].code == "evidence.not_stated"
    assert tr.evidence("rumour").value is None


def test_spread_rewards_other_countries_more_than_home_replications() -> None:
    assert tr.spread(0, 0).value == 0.0
    assert tr.spread(0, 0).reasons[0].code == "spread.none"
    home = tr.spread(2, 0)
    abroad = tr.spread(2, 2)
    assert home.value is not None and abroad.value is not None
    assert math.isclose(home.value, 0.4)
    assert abroad.value == 1.0
    assert home.reasons[0].code == "spread.home_only"
    assert abroad.reasons[0].params == {"count": 2, "countries": 2}


def test_essentials_checklist_names_present_partial_and_missing_items() -> None:
    assert tr.essentials(_doc()).value == 1.0
    thin = tr.essentials(
        _doc(description_chars=150, outcome_evidence=False, website=False, organisations=0)
    )
    assert thin.value is not None
    assert math.isclose(thin.value, 0.125 + 0.15 + 0.15)
    codes = {r.code: r.params["items"] for r in thin.reasons}
    assert codes["essentials.partial"] == ("description",)
    assert codes["essentials.missing"] == ("outcome_evidence", "website", "organisations")
    assert codes["essentials.present"] == ("methods", "target_groups")
    empty = tr.essentials(tr.Documentation(0, False, 0, 0, False, 0))
    assert empty.value == 0.0
    assert [r.code for r in empty.reasons] == ["essentials.missing"]


def test_ease_combines_organisation_types_and_budget() -> None:
    res = tr.Resources(
        required_types=frozenset({"cooperative", "municipality-region"}),
        available_types=frozenset({"cooperative", "association-ngo"}),
        available_from="need",
        budget=50_000.0,
        source_cost=100_000.0,
    )
    comp = tr.ease(res)
    assert comp.value == pytest.approx((0.5 + 0.5) / 2)
    types, budget = comp.reasons
    assert types.code == "ease.types_from_need"
    assert types.params == {"have": ("cooperative",), "lacking": ("municipality-region",)}
    assert budget.code == "ease.budget_short" and budget.params["percent"] == 50


def test_ease_budget_covering_cost_counts_fully_and_unknown_when_nothing_known() -> None:
    rich = tr.ease(tr.Resources(frozenset(), frozenset(), "country", 200.0, 100.0))
    assert rich.value == 1.0
    assert [r.code for r in rich.reasons] == ["ease.types_unknown", "ease.budget_covers"]
    unknown = tr.ease(tr.Resources(frozenset(), frozenset({"foundation"}), "country", None, None))
    assert unknown.value is None
    assert not unknown.known


def test_context_similarity_of_gdp_per_head_with_fallback_reason() -> None:
    riga = tr.Place("LV006", "LV006", 37_900, 2021)
    same = tr.context(riga, tr.Place("LV", "LV", 37_900, 2022))
    assert same.value == 1.0
    far = tr.context(riga, tr.Place("ES511", "ES51", 37_900 / 4, 2021))
    assert far.value == 0.0
    half = tr.context(tr.Place("A", "A", 200, 2020), tr.Place("B", "B", 100, 2020))
    assert half.value == pytest.approx(0.5)
    fallback = [r for r in far.reasons if r.code == "context.fallback"]
    assert fallback == [tr.Reason("context.fallback", {"asked": "ES511", "used": "ES51"})]


def test_context_unknown_names_the_missing_side() -> None:
    comp = tr.context(None, tr.Place("LV", "LV", 1, 2020))
    assert comp.value is None
    assert comp.reasons[0] == tr.Reason("context.unknown", {"missing": ("source",)})


def test_combine_redistributes_the_weight_of_unknown_components() -> None:
    weights = tr.normalise_weights(tr.DEFAULT_WEIGHTS)
    components = [
        tr.problem_fit(0.8),
        tr.evidence("good-practice"),
        tr.spread(0, 0),
        tr.essentials(_doc()),
        tr.Component(tr.EASE, None, ()),
        tr.Component(tr.CONTEXT, None, ()),
    ]
    scored = tr.combine(components, weights)
    assert scored.redistributed == ("ease", "context")
    assert scored.applied["ease"] == scored.applied["context"] == 0.0
    assert math.isclose(sum(scored.applied.values()), 1.0)
    known = 0.35 + 0.15 + 0.10 + 0.10
    expected = (0.35 * 0.8 + 0.15 * 0.75 + 0.10 * 0 + 0.10 * 1.0) / known
    assert scored.score == pytest.approx(expected)
    assert scored.weights == weights


def test_combine_without_any_known_weighted_component_has_no_score() -> None:
    weights = tr.normalise_weights({"context": 1})
    scored = tr.combine([tr.problem_fit(0.9), tr.Component(tr.CONTEXT, None, ())], weights)
    assert scored.score is None
    assert scored.redistributed == ("context",)


def test_rank_orders_by_score_then_fit_and_puts_unknown_scores_last() -> None:
    weights = tr.normalise_weights({"evidence": 1})
    a = tr.combine([tr.problem_fit(0.2), tr.evidence("best-practice")], weights)
    b = tr.combine([tr.problem_fit(0.9), tr.evidence("best-practice")], weights)
    c = tr.combine([tr.problem_fit(0.9), tr.evidence("innovation")], weights)
    d = tr.combine([tr.problem_fit(0.9), tr.Component(tr.EVIDENCE, None, ())], weights)
    order = [ident for ident, _ in tr.rank([(1, a), (2, b), (3, c), (4, d)])]
    assert order == [2, 1, 3, 4]


def test_changing_weights_changes_the_ranking() -> None:
    fit_heavy = tr.normalise_weights({"problem_fit": 1})
    evidence_heavy = tr.normalise_weights({"evidence": 1})
    close = [tr.problem_fit(0.9), tr.evidence("innovation")]
    proven = [tr.problem_fit(0.5), tr.evidence("best-practice")]

    def order(weights: dict[str, float]) -> list[int]:
        items = [(1, tr.combine(close, weights)), (2, tr.combine(proven, weights))]
        return [ident for ident, _ in tr.rank(items)]

    assert order(fit_heavy) == [1, 2]
    assert order(evidence_heavy) == [2, 1]


def test_nuts_ancestors_walks_up_to_the_country() -> None:
    assert tr.nuts_ancestors("lv006") == ["LV006", "LV00", "LV0", "LV"]
    assert tr.nuts_ancestors("ES") == ["ES"]
