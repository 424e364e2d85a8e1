"""NumPy Brandes betweenness: equal to networkx when exact, deterministic when sampled."""

from __future__ import annotations

import networkx as nx
import pytest

from buicasus.core.network_betweenness import Adjacency, betweenness


@pytest.mark.parametrize(
    "graph",
    [
        nx.karate_club_graph(),
        nx.path_graph(6),
        nx.star_graph(5),
        nx.cycle_graph(7),
        nx.gnp_random_graph(120, 0.05, seed=3),
        nx.Graph([(1, 2), (3, 4), (4, 5), (5, 3), (5, 6)]),
    ],
)
def test_exact_equals_networkx(graph: nx.Graph) -> None:
    graph.add_node("alone")
    ours = betweenness(graph)
    theirs = nx.betweenness_centrality(graph)
    assert ours.keys() == theirs.keys()
    for node, value in theirs.items():
        assert ours[node] == pytest.approx(value, abs=1e-12)


def test_path_middle_by_hand() -> None:
    # 0-1-2: node 1 is on the only path of the one pair (0, 2): 2 / ((n-1)(n-2)) = 1.
    assert betweenness(nx.path_graph(3)) == {0: 0.0, 1: 1.0, 2: 0.0}


def test_tiny_graphs() -> None:
    assert betweenness(nx.Graph()) == {}
    assert betweenness(nx.Graph([(1, 2)])) == {1: 0.0, 2: 0.0}


def test_sampling_is_seeded_and_scaled() -> None:
    graph = nx.barabasi_albert_graph(300, 2, seed=5)
    first = betweenness(graph, pivots=50, seed=1)
    assert betweenness(graph, pivots=50, seed=1) == first
    assert betweenness(graph, pivots=50, seed=2) != first
    exact = betweenness(graph)
    # n / k scaling keeps the estimate on the same scale as the exact values.
    assert sum(first.values()) == pytest.approx(sum(exact.values()), rel=0.35)
    hub = max(exact, key=exact.__getitem__)
    assert hub in sorted(first, key=first.__getitem__, reverse=True)[:3]
    assert betweenness(graph, pivots=1000) == pytest.approx(exact)


def test_adjacency_lists_both_directions_once() -> None:
    adj = Adjacency.of(nx.Graph([("a", "b"), ("b", "c")]))
    position = {node: i for i, node in enumerate(adj.order)}
    b = position["b"]
    neighbours = {adj.order[i] for i in adj.indices[adj.indptr[b] : adj.indptr[b + 1]]}
    assert neighbours == {"a", "c"}
    assert int(adj.indptr[-1]) == 4
