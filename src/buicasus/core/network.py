"""Social network analysis of an ecosystem: who is central, who brokers between sectors,
which groups form, who stands alone and which ties cross borders.

Input is plain records (`NodeRecord`, `EdgeRecord`); the services read them from the registry.
The graph is undirected and simple: parallel records between two organisations (a tie each way,
a tie and shared initiatives) merge into one edge whose weight is the sum of theirs and whose
`kinds` lists them.

Definitions (what the numbers on the pages and in the reports mean):

- **degree centrality**: neighbours / (n − 1), as networkx.
- **betweenness**: share of shortest paths between other pairs that pass through the node
  (unweighted, normalised as networkx). Exact while nodes × edges stays within
  `BETWEENNESS_BUDGET`, else estimated from as many sampled sources as the budget allows (at
  least `MIN_PIVOTS`), with a fixed seed (`core/network_betweenness.py` says what that costs
  in accuracy).
- **brokerage** (sector brokers): betweenness × Blau diversity of the actor types among the
  node's neighbours (1 − Σ pₜ², 0 when all neighbours share one type). A broker is a node whose
  neighbours span at least two actor types; brokers are ranked by brokerage, then betweenness.
  A node on many shortest paths that links, say, public bodies to social enterprises scores
  high; a hub inside one sector scores 0 however central it is.
- **communities**: Louvain modularity optimisation (weighted, fixed seed) up to
  `LOUVAIN_LIMIT` edges; above it, fast label propagation (weighted, fixed seed), which is
  linear in the edges and about ten times faster at the cost of somewhat lower modularity.
- **isolated**: organisations without any link; **cross-border tie**: an edge whose ends are in
  different countries; **cross-sector share**: edges whose ends have different actor types,
  divided by all edges; **density**: edges / (n (n − 1) / 2).

With `focus` (a country's organisations, analysed with their foreign partners attached),
isolated actors and brokers are counted among the focus nodes only.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from buicasus.core.network_betweenness import betweenness as fast_betweenness

# Sources × edges of one betweenness computation: about 8 s of CPU on the 2-core reference
# machine (benchmarks/bench_network.py: ~2 ms per source on 25,000 edges). Beyond it the
# largest networks still get MIN_PIVOTS sources (256 × 500,000 edges: ~15 s).
BETWEENNESS_BUDGET = 64_000_000
MIN_PIVOTS = 256
LOUVAIN_LIMIT = 50_000
SEED = 42
CO_PARTICIPATION = "co-participation"
TOP_BROKERS = 20
TOP_COMMUNITIES = 20


@dataclass(frozen=True)
class NodeRecord:
    id: int
    label: str
    actor_type: str
    country: str


@dataclass(frozen=True)
class EdgeRecord:
    source: int
    target: int
    kind: str
    weight: float = 1.0


@dataclass(frozen=True)
class NodeMetrics:
    degree: int
    degree_centrality: float
    betweenness: float
    brokerage: float
    community: int


@dataclass(frozen=True)
class Broker:
    id: int
    label: str
    actor_type: str
    country: str
    degree: int
    betweenness: float
    neighbour_types: tuple[str, ...]
    brokerage: float


@dataclass(frozen=True)
class Community:
    """A community (numbered by size, 1 the largest) and its three most common types and
    countries with their counts."""

    id: int
    size: int
    actor_types: tuple[tuple[str, int], ...]
    countries: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class CountryPair:
    a: str
    b: str
    ties: int


@dataclass(frozen=True)
class NetworkSummary:
    """The figures of one network (all countries, or one country with its foreign partners)."""

    country: str | None
    nodes: int
    edges: int
    density: float
    components: int
    largest_component: int
    isolated: int
    cross_sector_share: float
    cross_border_ties: int
    cross_border_pairs: tuple[CountryPair, ...]
    communities: tuple[Community, ...]
    community_count: int
    community_method: str
    brokers: tuple[Broker, ...]
    betweenness_method: str
    computed_at: dt.datetime | None = None
    seconds: float = 0.0
    data_version: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def top_brokers(self) -> tuple[Broker, ...]:
        """The brokers, best first (at most `TOP_BROKERS`); the name the reports use."""
        return self.brokers

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (the cache stores this)."""
        data = asdict(self)
        data["computed_at"] = self.computed_at.isoformat() if self.computed_at else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NetworkSummary:
        values = dict(data)
        values["cross_border_pairs"] = tuple(CountryPair(**p) for p in data["cross_border_pairs"])
        values["communities"] = tuple(
            Community(
                id=c["id"],
                size=c["size"],
                actor_types=tuple((str(k), int(v)) for k, v in c["actor_types"]),
                countries=tuple((str(k), int(v)) for k, v in c["countries"]),
            )
            for c in data["communities"]
        )
        values["brokers"] = tuple(
            Broker(**{**b, "neighbour_types": tuple(b["neighbour_types"])}) for b in data["brokers"]
        )
        when = data.get("computed_at")
        values["computed_at"] = dt.datetime.fromisoformat(when) if when else None
        return cls(**values)


@dataclass(frozen=True)
class Analysis:
    summary: NetworkSummary
    metrics: dict[int, NodeMetrics]
    isolated: tuple[int, ...]


# --- building ------------------------------------------------------------------------------


def co_participation_edges(
    memberships: Iterable[tuple[int, int, bool]], *, max_clique: int = 50
) -> list[EdgeRecord]:
    """Links between organisations that take part in the same initiatives.

    `memberships` are (initiative, organisation, is_lead) triples. Each initiative links its
    organisations pairwise, and the weight of a link is the number of initiatives the pair
    shares. An initiative with more than `max_clique` organisations (a programme with hundreds
    of beneficiaries) would add a clique of tens of thousands of links that says little and
    dominates every metric, so it is linked as a star around its lead organisations instead
    (around its lowest-id organisation when none leads).
    """
    members: dict[int, dict[int, bool]] = defaultdict(dict)
    for initiative, organisation, lead in memberships:
        members[initiative][organisation] = members[initiative].get(organisation, False) or lead
    pairs: Counter[tuple[int, int]] = Counter()
    for orgs in members.values():
        ids = sorted(orgs)
        if len(ids) <= max_clique:
            pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
            continue
        hubs = [o for o in ids if orgs[o]] or ids[:1]
        hub_set = set(hubs)
        pairs.update((min(h, o), max(h, o)) for h in hubs for o in ids if o not in hub_set or o > h)
    return [EdgeRecord(a, b, CO_PARTICIPATION, float(w)) for (a, b), w in sorted(pairs.items())]


def build_graph(nodes: Iterable[NodeRecord], edges: Iterable[EdgeRecord]) -> nx.Graph:
    """The undirected simple graph; edges to unknown nodes and self-loops are left out."""
    graph = nx.Graph()
    for node in nodes:
        graph.add_node(node.id, label=node.label, actor_type=node.actor_type, country=node.country)
    # Merged in a plain dict first: half a million `add_edge` calls through networkx's views
    # cost several times more than one `add_edges_from`.
    known = set(graph.nodes)
    merged: dict[tuple[int, int], tuple[list[float], set[str]]] = {}
    for edge in edges:
        s, t = edge.source, edge.target
        if s == t or s not in known or t not in known:
            continue
        key = (s, t) if s < t else (t, s)
        found = merged.get(key)
        if found is None:
            merged[key] = ([edge.weight], {edge.kind})
        else:
            found[0][0] += edge.weight
            found[1].add(edge.kind)
    graph.add_edges_from(
        (a, b, {"weight": w[0], "kinds": kinds}) for (a, b), (w, kinds) in merged.items()
    )
    return graph


# --- analysing -----------------------------------------------------------------------------


def pivot_count(nodes: int, edges: int) -> int | None:
    """How many sources to sample (None: all of them, i.e. exact).

    One source costs one breadth-first search over every edge, so the work is sources × edges;
    `BETWEENNESS_BUDGET` bounds it. Small networks get exact values, mid-sized ones as many
    pivots as the budget allows, the largest at least `MIN_PIVOTS`.
    """
    affordable = BETWEENNESS_BUDGET // max(edges, 1)
    return None if affordable >= nodes else max(affordable, MIN_PIVOTS)


def node_betweenness(graph: nx.Graph) -> tuple[dict[Hashable, float], str]:
    """Betweenness of every node and how it was computed ("exact" or "sampled, k=…")."""
    k = pivot_count(graph.number_of_nodes(), graph.number_of_edges())
    if k is None:
        return fast_betweenness(graph), "exact"
    return fast_betweenness(graph, pivots=k, seed=SEED), f"sampled, k={k}"


def communities(graph: nx.Graph) -> tuple[list[set[Hashable]], str]:
    """Communities, largest first (ties broken by smallest member), and the method used."""
    if graph.number_of_edges() <= LOUVAIN_LIMIT:
        found = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
        method = "louvain"
    else:
        found = nx.community.fast_label_propagation_communities(graph, weight="weight", seed=SEED)
        method = "label-propagation"
    ordered = sorted((set(c) for c in found), key=lambda c: (-len(c), min(c)))
    return ordered, method


def blau(counts: Iterable[int]) -> float:
    """Blau's diversity index 1 − Σ pᵢ² of a distribution given by counts (0 when empty)."""
    values = list(counts)
    total = sum(values)
    if total == 0:
        return 0.0
    return 1.0 - sum((v / total) ** 2 for v in values)


def _top(counter: Counter[str], k: int = 3) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:k])


def analyse(
    graph: nx.Graph,
    *,
    country: str | None = None,
    focus: Collection[Hashable] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> Analysis:
    """Every metric of the module docstring, with the seconds each step took."""
    timings: dict[str, float] = {}
    started = last = clock()

    def lap(name: str) -> None:
        nonlocal last
        now = clock()
        timings[name] = round(now - last, 3)
        last = now

    in_focus: Callable[[Hashable], bool] = (
        (lambda _n: True) if focus is None else focus.__contains__
    )
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    attrs = graph.nodes
    degree = dict(graph.degree())
    scale = 1.0 / (n - 1) if n > 1 else 0.0
    lap("degree")
    between, between_method = node_betweenness(graph)
    lap("betweenness")
    found, community_method = communities(graph)
    member_of = {node: i for i, members in enumerate(found, start=1) for node in members}
    lap("communities")
    components = [len(c) for c in nx.connected_components(graph)]
    lap("components")
    cross_sector = 0
    pairs: Counter[tuple[str, str]] = Counter()
    for u, v in graph.edges():
        cu, cv = attrs[u]["country"], attrs[v]["country"]
        if attrs[u]["actor_type"] != attrs[v]["actor_type"]:
            cross_sector += 1
        if cu != cv:
            a, b = sorted((cu, cv))
            pairs[(a, b)] += 1
    metrics: dict[int, NodeMetrics] = {}
    brokers: list[Broker] = []
    for node in graph.nodes:
        types = Counter(attrs[x]["actor_type"] for x in graph.adj[node])
        brokerage = between[node] * blau(types.values())
        metrics[int(node)] = NodeMetrics(
            degree[node], degree[node] * scale, between[node], brokerage, member_of[node]
        )
        if len(types) >= 2 and in_focus(node):
            a = attrs[node]
            brokers.append(
                Broker(
                    int(node),
                    a["label"],
                    a["actor_type"],
                    a["country"],
                    degree[node],
                    between[node],
                    tuple(sorted(types)),
                    brokerage,
                )  # fmt: skip
            )
    brokers.sort(key=lambda b: (-b.brokerage, -b.betweenness, b.id))
    isolated = tuple(sorted(int(x) for x in graph.nodes if degree[x] == 0 and in_focus(x)))
    lap("brokers")
    summary = NetworkSummary(
        country=country,
        nodes=n,
        edges=m,
        density=nx.density(graph) if n > 1 else 0.0,
        components=len(components),
        largest_component=max(components, default=0),
        isolated=len(isolated),
        cross_sector_share=cross_sector / m if m else 0.0,
        cross_border_ties=sum(pairs.values()),
        cross_border_pairs=tuple(
            CountryPair(a, b, k)
            for (a, b), k in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        communities=tuple(
            Community(
                i,
                len(members),
                _top(Counter(attrs[x]["actor_type"] for x in members)),
                _top(Counter(attrs[x]["country"] for x in members)),
            )
            for i, members in enumerate(found[:TOP_COMMUNITIES], start=1)
        ),
        community_count=len(found),
        community_method=community_method,
        brokers=tuple(brokers[:TOP_BROKERS]),
        betweenness_method=between_method,
        seconds=round(clock() - started, 3),
        timings=timings,
    )
    return Analysis(summary, metrics, isolated)
