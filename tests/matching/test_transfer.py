"""Facts gathered from the registry for each transferability component."""

from __future__ import annotations

from typing import Any

import pytest

from buicasus.core import transferability as tr
from buicasus.matching import transfer
from tests.matching import builders
from tests.registry.factories import initiative, organisation, term

pytestmark = pytest.mark.django_db


def _by_key(components: list[tr.Component]) -> dict[str, tr.Component]:
    return {c.key: c for c in components}


def test_components_of_a_documented_initiative(make_user: Any) -> None:
    source = builders.documented_initiative("ES")
    source.regions.set([builders.region("ES51", "ES")])
    builders.gdp("ES51", 32_000)
    builders.gdp("LV006", 32_000)
    organisation("LV", actor_type=term("actor-type", "cooperative"))
    target = transfer.Target(country="LV", region="LV006", budget=50_000.0)
    comps = _by_key(transfer.components_for(None, {source.pk: 0.8}, target)[source.pk])
    assert list(comps) == list(tr.COMPONENTS)
    assert comps["problem_fit"].value == 0.8
    assert comps["evidence"].value == 0.75
    assert comps["essentials"].value == 1.0
    ease = comps["ease"]
    assert ease.value == pytest.approx((1.0 + 0.5) / 2)
    assert ease.reasons[0].code == "ease.types_from_country"
    assert ease.reasons[0].params["have"] == ("cooperative",)
    assert ease.reasons[1].code == "ease.budget_short"
    assert comps["context"].value == 1.0


def test_spread_counts_visible_replications_and_their_other_countries() -> None:
    source = initiative("FR", title="Source")
    initiative("FR", title="Copy at home", replicated_from=source)
    initiative("ES", title="Copy in Spain", replicated_from=source)
    initiative("SE", title="Hidden copy", replicated_from=source, published=False)
    comps = _by_key(transfer.components_for(None, {source.pk: 0.5}, transfer.Target())[source.pk])
    assert comps["spread"].reasons[0] == tr.Reason("spread.abroad", {"count": 2, "countries": 1})


def test_ease_uses_the_legal_forms_the_need_lists() -> None:
    source = builders.documented_initiative("ES")
    target = transfer.Target(country="LV", types=("association-ngo",))
    comps = _by_key(transfer.components_for(None, {source.pk: 0.5}, target)[source.pk])
    reason = comps["ease"].reasons[0]
    assert reason.code == "ease.types_from_need"
    assert reason.params["lacking"] == ("cooperative",)
    assert comps["ease"].value == 0.0


def test_context_falls_back_up_the_nuts_tree_and_is_unknown_without_figures() -> None:
    source = initiative("ES")
    source.regions.set([builders.region("ES511", "ES")])
    builders.gdp("ES51", 30_000)
    builders.gdp("LV", 15_000)
    target = transfer.Target(country="LV", region="LV006")
    context = _by_key(transfer.components_for(None, {source.pk: 0.5}, target)[source.pk])["context"]
    assert context.value == pytest.approx(0.5)
    fallbacks = {r.params["asked"]: r.params["used"] for r in context.reasons[1:]}
    assert fallbacks == {"ES511": "ES51", "LV006": "LV"}
    unknown = transfer.components_for(None, {source.pk: 0.5}, transfer.Target(country="SE"))
    assert _by_key(unknown[source.pk])["context"].value is None


def test_ranked_redistributes_unknown_weights_and_drops_hidden_initiatives() -> None:
    shown = builders.documented_initiative("ES")
    hidden = initiative("FR", published=False)
    similarities = {shown.pk: 0.9, hidden.pk: 0.9}
    comps = transfer.components_for(None, similarities, transfer.Target(country="SE"))
    payload = {
        "hits": [
            {
                "initiative": pk,
                "similarity": 0.9,
                "passage": "",
                "components": [transfer.component_json(c) for c in comps[pk]],
            }
            for pk in similarities
        ]
    }
    matches = transfer.ranked(None, payload, tr.normalise_weights(tr.DEFAULT_WEIGHTS))
    assert [m.initiative.pk for m in matches] == [shown.pk]
    assert matches[0].scored.redistributed == ("context",)
    assert matches[0].scored.applied["context"] == 0.0


def test_component_json_round_trip_keeps_tuples() -> None:
    comp = tr.essentials(tr.Documentation(0, True, 0, 1, False, 0))
    back = transfer.component_from_json(transfer.component_json(comp))
    assert back == comp
