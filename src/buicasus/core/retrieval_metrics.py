"""Ranking metrics of the matching evaluation: nDCG@k (graded), MRR, recall@k."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def ndcg(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    """Graded nDCG@k: gain = grade, log2 discount; the ideal uses every judged document."""
    dcg = sum(relevant.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def mrr(ranked: Sequence[str], relevant: Mapping[str, int]) -> float:
    """Reciprocal rank of the first document with grade ≥ 1 (0 when none is ranked)."""
    for i, d in enumerate(ranked):
        if relevant.get(d, 0) >= 1:
            return 1.0 / (i + 1)
    return 0.0


def recall(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    """Share of the grade ≥ 1 documents found in the top k."""
    wanted = {d for d, g in relevant.items() if g >= 1}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def summarise(
    runs: Sequence[tuple[Sequence[str], Mapping[str, int]]], k: int = 10
) -> dict[str, float]:
    """Mean nDCG@k, MRR and recall@k over (ranking, judgments) pairs."""
    n = len(runs) or 1
    return {
        f"ndcg@{k}": round(sum(ndcg(r, j, k) for r, j in runs) / n, 4),
        "mrr": round(sum(mrr(r, j) for r, j in runs) / n, 4),
        f"recall@{k}": round(sum(recall(r, j, k) for r, j in runs) / n, 4),
    }
