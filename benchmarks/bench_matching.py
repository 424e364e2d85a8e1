"""Matching one need against many initiatives with the approximate (HNSW) index.

Synthetic vectors shaped like sentence embeddings (a mixture of 2,000 topic directions plus
noise, L2-normalised, 384 dimensions), the same usearch settings as `semantic.store`
(inner product, f32, M=16, ef_add=128, ef_search=96), and the page's second step: the
candidates rescored and fused by `core.retrieval_engine.rank` with calibration statistics from
a sample. Prints build time and memory, then latency (p50/p95) and recall@10 of the ANN top 10
against exact search (numpy), for 200 needs.

    BENCH_MATCH_N=1000000 .venv/bin/python benchmarks/bench_matching.py

BENCH_MATCH_CENTRES=path.npz takes topic centres from stored e5 vectors (e.g. the evaluation's
cache, `var/semantic/eval-cache-*.npz`); without it centres are random directions, which make
a structureless cloud where every neighbour is nearly as far as any other (HNSW's worst case,
nothing like real embeddings: recall@10 0.30 at 200k).
BENCH_MATCH_EF lists the ef_search values measured (default 96,192,384).
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from buicasus.core.encoder import l2_normalise  # noqa: E402
from buicasus.core.retrieval import top_k  # noqa: E402
from buicasus.core.retrieval_engine import VectorSet, Weights, rank  # noqa: E402

DIM = 384
N = int(os.environ.get("BENCH_MATCH_N", "1000000"))
QUERIES = int(os.environ.get("BENCH_MATCH_QUERIES", "200"))
CANDIDATES = 400
# HNSW graph degree and build breadth (the index the platform keeps uses the same defaults).
CONNECTIVITY = int(os.environ.get("BENCH_MATCH_M", "32"))
EXPANSION_ADD = int(os.environ.get("BENCH_MATCH_EF_ADD", "200"))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic(n: int, rng: np.random.Generator) -> np.ndarray:
    """Vectors around topic centres: real stored e5 vectors when BENCH_MATCH_CENTRES names an
    .npz of them (anisotropic like real embeddings), else random directions; noise of norm
    ~NOISE around each (cosine to its centre ~0.94 at 0.35)."""
    path = os.environ.get("BENCH_MATCH_CENTRES")
    if path:
        with np.load(path) as data:
            centres = l2_normalise(np.stack([data[k] for k in data.files]))
    else:
        centres = l2_normalise(rng.standard_normal((2000, DIM)))
    noise = float(os.environ.get("BENCH_MATCH_NOISE", "0.35"))
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        topic = centres[rng.integers(0, len(centres), m)]
        jitter = rng.standard_normal((m, DIM)).astype(np.float32) * noise / np.sqrt(DIM)
        out[start : start + m] = l2_normalise(topic + jitter)
    return out


def main() -> None:
    from usearch.index import Index

    print(f"load average at start: {os.getloadavg()}; cores: {os.cpu_count()}")
    rng = np.random.default_rng(7)
    vectors = synthetic(N, rng)
    queries = l2_normalise(
        vectors[rng.integers(0, N, QUERIES)]
        + rng.standard_normal((QUERIES, DIM)).astype(np.float32) * 0.05
    )
    before = rss_mb()
    index = Index(
        ndim=DIM,
        metric="ip",
        dtype="f32",
        connectivity=CONNECTIVITY,
        expansion_add=EXPANSION_ADD,
        expansion_search=96,
    )
    print(f"HNSW connectivity {CONNECTIVITY}, expansion_add {EXPANSION_ADD}")
    started = time.perf_counter()
    index.add(np.arange(N, dtype=np.uint64), vectors, threads=2)
    build = time.perf_counter() - started
    print(
        f"built {N:,} vectors in {build:.1f} s ({N / build:,.0f}/s); "
        f"index memory {index.memory_usage / 2**20:,.0f} MiB "
        f"(process peak +{rss_mb() - before:,.0f} MiB)"
    )
    groups = rng.integers(0, 10, N)
    sample_rows = rng.choice(N, min(4000, N), replace=False)
    m = len(sample_rows)
    sample = VectorSet(
        np.arange(m),
        groups[sample_rows],
        vectors[sample_rows],
        np.arange(m),
        vectors[sample_rows],
    )
    exact = [set(top_k(vectors @ q, 10).tolist()) for q in queries]
    for ef in [int(e) for e in os.environ.get("BENCH_MATCH_EF", "96,192,384").split(",")]:
        index.expansion_search = ef
        ann_times, full_times, recalls = [], [], []
        for q, truth in zip(queries, exact, strict=True):
            t0 = time.perf_counter()
            found = index.search(q, CANDIDATES)
            t1 = time.perf_counter()
            keys = np.asarray(found.keys, dtype=np.int64)
            raw = sample.passages @ q
            stats = {
                int(g): (
                    float(raw[sample.groups == g].mean()),
                    float(raw[sample.groups == g].std()),
                    N // 10,
                )
                for g in range(10)
            }
            cands = VectorSet(
                keys, groups[keys], vectors[keys], np.arange(len(keys)), vectors[keys], stats=stats
            )
            rank(q, cands, weights=Weights(concept=0))
            t2 = time.perf_counter()
            ann_times.append((t1 - t0) * 1000)
            full_times.append((t2 - t0) * 1000)
            recalls.append(len(truth & set(keys[:10].tolist())) / 10)
        print(f"ef_search {ef}:")
        for name, times in (
            ("  ANN search (400 candidates)", ann_times),
            ("  ANN + rescoring + fusion", full_times),
        ):
            print(
                f"{name}: p50 {np.percentile(times, 50):.1f} ms, "
                f"p95 {np.percentile(times, 95):.1f} ms"
            )
        print(f"  recall@10 of the ANN top 10 against exact search: {np.mean(recalls):.3f}")
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
