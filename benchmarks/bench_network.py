"""Network analysis at scale: the pure computations on 100,000 actors and 500,000 ties (in
memory, no database), the accuracy of sampled betweenness, and the service with and without its
cache on a database of 5,000 organisations.

Prints seconds per step, totals, peak memory (resident set size of the process) and the load
average (the machine is shared); asserts nothing. Sizes: BENCH_NODES, BENCH_EDGES, BENCH_DB_ORGS.
Runs on a throw-away SQLite database in a temporary folder (or on DATABASE_URL when set to a
scratch PostgreSQL database).
"""

from __future__ import annotations

import os
import random
import resource
import tempfile
import time

os.environ.setdefault("DEBUG", "true")
if "BUICASUS_DATA_DIR" not in os.environ:
    os.environ["BUICASUS_DATA_DIR"] = tempfile.mkdtemp(prefix="buicasus-bench-network-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buicasus.settings")

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402

from buicasus.core import network  # noqa: E402
from buicasus.core.network import EdgeRecord, NodeRecord  # noqa: E402
from buicasus.core.network_betweenness import betweenness  # noqa: E402
from buicasus.core.network_figure import network_svg  # noqa: E402

NODES = int(os.environ.get("BENCH_NODES", "100000"))
EDGES = int(os.environ.get("BENCH_EDGES", "500000"))
DB_ORGS = int(os.environ.get("BENCH_DB_ORGS", "5000"))
COUNTRIES = ("ES", "FR", "LV", "SE", "DE", "IT", "PL", "PT")
TYPES = (
    "association-ngo", "social-enterprise", "cooperative", "foundation", "municipality-region",
    "public-agency", "university-research", "private-company", "support-intermediary",
)  # fmt: skip
GROUP = 200  # organisations per synthetic cluster


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def synthetic(n: int, m: int, seed: int = 1) -> tuple[list[NodeRecord], list[EdgeRecord]]:
    """Clusters of GROUP organisations of one country; 85 % of ties inside a cluster, the rest
    to anyone, endpoints drawn with a skew so a few organisations gather many ties."""
    rng = random.Random(seed)
    nodes = [
        NodeRecord(i, f"Org {i}", rng.choice(TYPES), COUNTRIES[(i // GROUP) % len(COUNTRIES)])
        for i in range(n)
    ]
    edges = []
    for _ in range(m):
        a = int(n * rng.random() ** 1.6)
        if rng.random() < 0.85:
            base = a - a % GROUP
            b = base + int(min(GROUP, n - base) * rng.random() ** 1.6)
        else:
            b = int(n * rng.random() ** 1.6)
        kind = network.CO_PARTICIPATION if rng.random() < 0.4 else "partners-with"
        edges.append(EdgeRecord(a, b, kind))
    return nodes, edges


def timed(label: str, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    """Run `fn` and print wall-clock and CPU seconds: on a busy shared machine the CPU time
    is the better estimate of what the step costs on an idle one."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    wall, used = time.perf_counter() - started, time.process_time() - cpu
    print(f"  {label:<34} {wall:8.2f} s wall {used:8.2f} s CPU", flush=True)
    return result


def in_memory() -> None:
    print(f"Pure computations, {NODES:,} nodes / {EDGES:,} edge records ({load()})")
    nodes, edges = timed("generate records", synthetic, NODES, EDGES)
    started, cpu = time.perf_counter(), time.process_time()
    graph = timed("build graph", network.build_graph, nodes, edges)
    print(f"  graph: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges")
    result = timed("analyse (all metrics)", network.analyse, graph, clock=time.process_time)
    for step, seconds in result.summary.timings.items():
        print(f"    {step:<32} {'':8}        {seconds:8.2f} s CPU")
    timed("figure SVG (top 150)", network_svg, graph, max_nodes=150)
    total, total_cpu = time.perf_counter() - started, time.process_time() - cpu
    s = result.summary
    print(
        f"  → {s.community_count:,} communities ({s.community_method}), betweenness "
        f"{s.betweenness_method}, {s.isolated:,} isolated, {s.cross_border_ties:,} cross-border"
    )
    print(f"  TOTAL build + analyse + figure     {total:8.2f} s wall {total_cpu:8.2f} s CPU")
    print(f"  peak RSS {peak_mb():,.0f} MB")
    print(f"  ({load()})\n")


def accuracy(n: int = 5000, m: int = 25000) -> None:
    print(f"Sampled vs exact betweenness on {n:,} nodes / {m:,} edge records")
    nodes, edges = synthetic(n, m, seed=2)
    graph = network.build_graph(nodes, edges)
    exact = timed("exact (all sources)", betweenness, graph)
    order = list(exact)
    truth = np.array([exact[k] for k in order])
    top = set(sorted(order, key=exact.__getitem__, reverse=True)[:20])
    for k in (64, 256, 1024):
        estimate = timed(f"sampled k={k}", betweenness, graph, pivots=k, seed=42)
        values = np.array([estimate[x] for x in order])
        ranks = np.argsort(np.argsort(values)), np.argsort(np.argsort(truth))
        rho = float(np.corrcoef(*ranks)[0, 1])
        found = set(sorted(order, key=estimate.__getitem__, reverse=True)[:20])
        big = truth > np.quantile(truth, 0.99)
        error = float(np.median(np.abs(values[big] - truth[big]) / truth[big]))
        print(
            f"    Spearman {rho:.3f}; top-20 overlap {len(top & found)}/20; median relative "
            f"error on the top 1 % {error:.1%}"
        )
    timed("networkx k=64, for comparison", nx.betweenness_centrality, graph, k=64, seed=42)
    print()


def database() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse

    from buicasus.network import services
    from buicasus.registry.models import (
        Country,
        Initiative,
        InitiativeRole,
        Organisation,
        OrganisationTie,
        Term,
    )
    from buicasus.registry.reference import load_reference

    print(f"Service on {connection.vendor}, {DB_ORGS:,} organisations ({load()})")
    timed("import the URL configuration", reverse, "network:index")  # not network's cost
    call_command("migrate", verbosity=0)
    load_reference()
    rng = random.Random(3)
    countries = {c.code: c for c in Country.objects.filter(code__in=COUNTRIES[:4])}
    types = list(Term.objects.filter(vocabulary__key="actor-type"))
    tie_types = list(Term.objects.filter(vocabulary__key="tie-type"))
    roles = list(Term.objects.filter(vocabulary__key="initiative-role"))
    codes = sorted(countries)
    started = time.perf_counter()
    orgs = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bench org {i}",
            actor_type=rng.choice(types),
            country=countries[codes[i % 4]],
            published=True,
        )
        for i in range(DB_ORGS)
    )
    inits = Initiative.objects.bulk_create(
        Initiative(title=f"Bench initiative {i}", country=countries[codes[i % 4]], published=True)
        for i in range(DB_ORGS // 4)
    )
    pairs = {(rng.choice(orgs).pk, rng.choice(orgs).pk) for _ in range(DB_ORGS * 3)}
    OrganisationTie.objects.bulk_create(
        (
            OrganisationTie(source_id=a, target_id=b, tie_type=rng.choice(tie_types))
            for a, b in pairs
            if a != b
        ),
        batch_size=2000,
    )
    links = {(rng.choice(inits).pk, rng.choice(orgs).pk) for _ in range(DB_ORGS)}
    InitiativeRole.objects.bulk_create(
        (
            InitiativeRole(initiative_id=i, organisation_id=o, role=rng.choice(roles))
            for i, o in links
        ),
        batch_size=2000,
    )
    ties, memberships = OrganisationTie.objects.count(), InitiativeRole.objects.count()
    seconds = time.perf_counter() - started
    print(f"  seeded in {seconds:.1f} s: {ties:,} ties, {memberships:,} roles")
    timed("data_version()", services.data_version)
    timed("network_summary(None) cold", services.network_summary, None)
    timed("network_summary(None) cached", services.network_summary, None)
    timed("network_summary('LV') cold", services.network_summary, "LV")
    timed("network_summary('LV') cached", services.network_summary, "LV")
    timed("graph_view (cached metrics)", services.graph_view, None, None)
    timed("network_figure_svg(None)", services.network_figure_svg, None)
    OrganisationTie.objects.create(source=orgs[0], target=orgs[1], tie_type=tie_types[0])
    timed("network_summary after a new tie", services.network_summary, None)
    print(f"  peak RSS {peak_mb():,.0f} MB ({load()})")


if __name__ == "__main__":
    in_memory()
    accuracy()
    database()
