"""Network analysis on small graphs whose answers are known by hand."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

from buicasus.core import network
from buicasus.core.network import (
    CO_PARTICIPATION,
    EdgeRecord,
    NetworkSummary,
    NodeRecord,
    analyse,
    blau,
    build_graph,
    co_participation_edges,
)


def node(pk: int, kind: str = "ngo", country: str = "LV") -> NodeRecord:
    return NodeRecord(pk, f"Org {pk}", kind, country)


def bowtie() -> nx.Graph:
    """Two triangles of NGOs (LV) and social enterprises (EE) joined through a public body
    (node 7, LV): every path between the two sides passes through 7."""
    nodes = [node(i, "ngo", "LV") for i in (1, 2, 3)] + [
        node(i, "social-enterprise", "EE") for i in (4, 5, 6)
    ]
    nodes += [node(7, "public-agency", "LV"), node(8, "foundation", "SE")]  # 8 is isolated
    edges = [EdgeRecord(a, b, "partners-with") for a, b in [(1, 2), (2, 3), (1, 3), (4, 5)]]
    edges += [EdgeRecord(a, b, "funds") for a, b in [(5, 6), (4, 6), (3, 7), (7, 4)]]
    return build_graph(nodes, edges)


def test_build_graph_merges_parallel_records_and_skips_unknown_ends() -> None:
    graph = build_graph(
        [node(1), node(2)],
        [
            EdgeRecord(1, 2, "partners-with"),
            EdgeRecord(2, 1, "funds"),
            EdgeRecord(1, 2, CO_PARTICIPATION, 3.0),
            EdgeRecord(1, 9, "funds"),
            EdgeRecord(1, 1, "funds"),
        ],
    )
    assert graph.number_of_edges() == 1
    assert graph[1][2]["weight"] == 5.0
    assert graph[1][2]["kinds"] == {"partners-with", "funds", CO_PARTICIPATION}


def test_co_participation_weights_count_shared_initiatives() -> None:
    edges = co_participation_edges([(10, 1, True), (10, 2, False), (11, 1, False), (11, 2, True)])
    assert edges == [EdgeRecord(1, 2, CO_PARTICIPATION, 2.0)]


def test_large_initiatives_become_a_star_around_their_leads() -> None:
    members = [(1, org, org == 5) for org in range(1, 8)]
    edges = co_participation_edges(members, max_clique=4)
    assert {(e.source, e.target) for e in edges} == {(1, 5), (2, 5), (3, 5), (4, 5), (5, 6), (5, 7)}
    # No lead: the star centres on the lowest id.
    edges = co_participation_edges([(1, org, False) for org in range(1, 7)], max_clique=4)
    assert {(e.source, e.target) for e in edges} == {(1, o) for o in range(2, 7)}
    small = co_participation_edges([(1, org, False) for org in range(1, 5)], max_clique=4)
    assert len(small) == 6  # a full clique up to the cap


def test_blau_index() -> None:
    assert blau([]) == 0.0
    assert blau([4]) == 0.0
    assert blau([1, 1]) == pytest.approx(0.5)
    assert blau([1, 1, 1, 1]) == pytest.approx(0.75)


def test_bowtie_metrics() -> None:
    graph = bowtie()
    result = analyse(graph)
    summary, metrics = result.summary, result.metrics
    assert (summary.nodes, summary.edges) == (8, 8)
    assert summary.density == pytest.approx(8 / 28)
    assert (summary.components, summary.largest_component, summary.isolated) == (2, 7, 1)
    assert result.isolated == (8,)
    # Cross-sector: 3–7 (ngo–public) and 7–4 (public–social enterprise).
    assert summary.cross_sector_share == pytest.approx(2 / 8)
    # Cross-border: only 7 (LV) – 4 (EE).
    assert summary.cross_border_ties == 1
    assert [(p.a, p.b, p.ties) for p in summary.cross_border_pairs] == [("EE", "LV", 1)]
    assert metrics[7].degree == 2
    assert metrics[7].degree_centrality == pytest.approx(2 / 7)
    expected = nx.betweenness_centrality(graph)
    for pk, value in expected.items():
        assert metrics[pk].betweenness == pytest.approx(value)
    # 7 lies on every path between {1,2,3} and {4,5,6}: 9 pairs plus 3→4 … over (n-1)(n-2)=42.
    assert metrics[7].betweenness == pytest.approx(2 * 9 / 42)
    top = summary.brokers[0]
    assert top.id == 7
    assert top.neighbour_types == ("ngo", "social-enterprise")
    assert top.brokerage == pytest.approx(metrics[7].betweenness * 0.5)
    # Nodes 1, 2 only see NGOs: never brokers.
    assert {b.id for b in summary.brokers} == {3, 4, 7}
    assert summary.betweenness_method == "exact"
    assert summary.community_method == "louvain"


def test_communities_split_the_bowtie_into_its_triangles() -> None:
    summary = analyse(bowtie()).summary
    sizes = [c.size for c in summary.communities]
    assert sum(sizes) == 8
    assert summary.community_count == 3
    first = summary.communities[0]
    assert first.id == 1 and first.size == 4  # one triangle with node 7
    assert summary.communities[-1].size == 1  # the isolated foundation


def test_focus_limits_brokers_and_isolated_to_the_country() -> None:
    graph = bowtie()
    lv = {n for n, d in graph.nodes(data=True) if d["country"] == "LV"}
    result = analyse(graph, country="LV", focus=lv)
    assert result.isolated == ()
    assert {b.id for b in result.summary.brokers} == {3, 7}
    assert result.summary.country == "LV"


def test_empty_and_tiny_graphs() -> None:
    empty = analyse(build_graph([], [])).summary
    assert (empty.nodes, empty.edges, empty.density, empty.components) == (0, 0, 0.0, 0)
    one = analyse(build_graph([node(1)], [])).summary
    assert (one.nodes, one.isolated, one.cross_sector_share) == (1, 1, 0.0)


def test_sampled_betweenness_above_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = nx.barabasi_albert_graph(400, 2, seed=1)
    nx.set_node_attributes(graph, "ngo", "actor_type")
    nx.set_node_attributes(graph, "LV", "country")
    nx.set_node_attributes(graph, "x", "label")
    for u, v in graph.edges():
        graph[u][v].update(weight=1.0, kinds={"funds"})
    monkeypatch.setattr(network, "BETWEENNESS_BUDGET", 200 * graph.number_of_edges())
    monkeypatch.setattr(network, "MIN_PIVOTS", 100)
    values, method = network.node_betweenness(graph)
    assert method == "sampled, k=200"
    exact = nx.betweenness_centrality(graph)
    top_exact = sorted(exact, key=exact.__getitem__, reverse=True)[:5]
    top_sampled = sorted(values, key=values.__getitem__, reverse=True)[:10]
    assert set(top_exact) <= set(top_sampled)
    assert values == network.node_betweenness(graph)[0]  # fixed seed: same figures again


def test_pivot_count_spends_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(network, "BETWEENNESS_BUDGET", 1_000_000)
    monkeypatch.setattr(network, "MIN_PIVOTS", 50)
    assert network.pivot_count(100, 10_000) is None  # 100 × 10,000 fits: exact
    assert network.pivot_count(1_000, 10_000) == 100
    assert network.pivot_count(1_000, 100_000) == 50  # never fewer than MIN_PIVOTS


def test_label_propagation_above_the_louvain_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = nx.Graph()
    for a, b in itertools.combinations(range(5), 2):
        graph.add_edge(a, b, weight=1.0)
        graph.add_edge(a + 10, b + 10, weight=1.0)
    graph.add_edge(0, 10, weight=1.0)
    monkeypatch.setattr(network, "LOUVAIN_LIMIT", 5)
    found, method = network.communities(graph)
    assert method == "label-propagation"
    assert sorted(map(sorted, found)) == [list(range(5)), list(range(10, 15))]


def test_summary_round_trips_through_json_values() -> None:
    summary = analyse(bowtie()).summary
    again = NetworkSummary.from_dict(summary.to_dict())
    assert again == summary
