"""Network services: which records make the network, the cache and its invalidation."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from buicasus.core.network import CO_PARTICIPATION
from buicasus.network import services
from buicasus.network.models import NetworkSnapshot
from tests.network.conftest import role, tie
from tests.registry.factories import initiative, organisation


def names(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["data"]["label"]: n["data"] for n in view["nodes"]}


def edge_pairs(view: dict[str, Any]) -> dict[frozenset[str], list[str]]:
    label = {n["data"]["id"]: n["data"]["label"] for n in view["nodes"]}
    return {
        frozenset((label[e["data"]["source"]], label[e["data"]["target"]])): e["data"]["kinds"]
        for e in view["edges"]
    }


def test_public_network_has_ties_and_co_participation(eco: dict[str, Any]) -> None:
    view = services.graph_view(None, "LV")
    nodes = names(view)
    assert {"Nettest A", "Nettest B", "Nettest C", "Nettest D", "Nettest G"} <= set(nodes)
    assert not any("Hidden" in name for name in nodes)
    pairs = edge_pairs(view)
    assert pairs[frozenset({"Nettest A", "Nettest C"})] == [CO_PARTICIPATION]
    assert pairs[frozenset({"Nettest B", "Nettest C"})] == ["funds"]
    assert nodes["Nettest D"]["external"] is True  # the ES partner of an LV organisation
    assert nodes["Nettest C"]["degree"] == 3
    assert view["sampled"] is False


def test_country_summary_counts_cross_border_ties_and_isolated(eco: dict[str, Any]) -> None:
    before = services.network_summary("LV")
    assert before.country == "LV"
    assert before.cross_border_ties >= 1
    assert ("ES", "LV") in {(p.a, p.b) for p in before.cross_border_pairs}
    snapshot = services.snapshot_for(None, "LV")
    assert eco["G"].pk in snapshot.metrics["isolated"]
    assert eco["D"].pk not in snapshot.metrics["isolated"]
    brokers = {b.label for b in before.brokers}
    assert "Nettest C" in brokers  # links an NGO, a social enterprise and a foreign partner


def test_summary_is_cached_until_the_registry_changes(eco: dict[str, Any]) -> None:
    first = services.network_summary(None)
    again = services.network_summary(None)
    assert again.computed_at == first.computed_at
    assert NetworkSnapshot.objects.filter(scope="public", country="").count() == 1
    tie(eco["A"], eco["G"], "member-of")
    changed = services.network_summary(None)
    assert changed.computed_at != first.computed_at
    assert changed.edges == first.edges + 1
    assert changed.isolated == first.isolated - 1
    assert NetworkSnapshot.objects.filter(scope="public", country="").count() == 1


def test_publishing_a_record_invalidates_the_cache(eco: dict[str, Any]) -> None:
    first = services.network_summary("LV")
    eco["F"].published = True
    eco["F"].save()
    second = services.network_summary("LV")
    assert second.nodes == first.nodes + 1
    assert second.edges == first.edges + 1


def test_each_reader_sees_their_own_network(eco: dict[str, Any], make_user: Any) -> None:
    lv_editor = make_user("editor", "LV")
    lv_view = names(services.graph_view(lv_editor, None))
    assert "Nettest Hidden F" in lv_view
    assert "Nettest Hidden E" not in lv_view  # unpublished, in another country
    es_viewer = make_user("viewer", "ES")
    es_view = names(services.graph_view(es_viewer, None))
    assert "Nettest Hidden E" in es_view and "Nettest Hidden F" not in es_view
    admin = make_user("admin")
    assert {"Nettest Hidden E", "Nettest Hidden F"} <= set(names(services.graph_view(admin, None)))
    assert services.visibility_scope(admin) == "all"
    assert services.visibility_scope(None) == "public"
    assert services.visibility_scope(make_user()) == "public"
    scopes = set(NetworkSnapshot.objects.values_list("scope", flat=True))
    assert services.visibility_scope(lv_editor) in scopes
    assert services.visibility_scope(lv_editor) != services.visibility_scope(es_viewer)


def test_large_initiatives_link_as_a_star(
    eco: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "MAX_CLIQUE", 3)
    big = initiative("LV", title="Nettest programme")
    lead = organisation("LV", name="Nettest Lead")
    others = [organisation("LV", name=f"Nettest member {i}") for i in range(4)]
    role(lead, big, "lead")
    for other in others:
        role(other, big)
    pairs = edge_pairs(services.graph_view(None, "LV"))
    members = {f"Nettest member {i}" for i in range(4)}
    assert all(frozenset({"Nettest Lead", m}) in pairs for m in members)
    assert frozenset({"Nettest member 0", "Nettest member 1"}) not in pairs


def test_the_view_samples_the_best_connected_nodes(eco: dict[str, Any]) -> None:
    view = services.graph_view(None, "LV", max_nodes=2)
    assert view["sampled"] is True
    assert view["shown_nodes"] == 2
    assert view["total_nodes"] > 2
    # C has three links; A and B two each, and A comes first by id.
    assert set(names(view)) == {"Nettest A", "Nettest C"}


def test_the_view_filters_by_actor_type(eco: dict[str, Any]) -> None:
    types = services.clean_actor_types(["social-enterprise"])
    view = services.graph_view(None, "LV", actor_types=types)
    assert {"Nettest B", "Nettest D"} <= set(names(view))
    assert {n["actor_type"] for n in names(view).values()} == {"social-enterprise"}
    with pytest.raises(services.NetworkError, match="actor_type"):
        services.clean_actor_types(["no-such-type"])


def test_unknown_country_is_refused_by_name(db: None) -> None:
    with pytest.raises(services.NetworkError, match="country"):
        services.network_summary("QQ")


def test_figure_is_a_standalone_svg(eco: dict[str, Any]) -> None:
    svg = services.network_figure_svg("LV", max_nodes=3)
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    circles = root.findall(".//{http://www.w3.org/2000/svg}circle")
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert "Nettest A" in titles and "Nettest C" in titles
    assert len(circles) >= 3
    assert "style=" not in svg and "<style" not in svg


def test_data_version_moves_with_every_kind_of_change(eco: dict[str, Any]) -> None:
    first = services.data_version()
    assert services.data_version() == first
    eco["G"].name = "Nettest G renamed"
    eco["G"].save()
    second = services.data_version()
    assert second != first
    eco["I"].roles.first().delete()
    assert services.data_version() != second
