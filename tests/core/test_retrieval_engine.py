"""The fused ranking on hand-made vectors, and the lexical side and metrics."""

from __future__ import annotations

import numpy as np

from buicasus.core.encoder import l2_normalise
from buicasus.core.retrieval_engine import VectorSet, Weights, plain_semantic, rank
from buicasus.core.retrieval_lexical import query_terms, rank_by_terms
from buicasus.core.retrieval_metrics import mrr, ndcg, recall, summarise


def _docs() -> VectorSet:
    # Documents 0-2 in group 0, 3 (two passages) in group 1.
    vectors = l2_normalise([[1, 0.1, 0], [0.9, 0.3, 0], [0.8, 0, 0.4], [0, 1, 0], [0.3, 0.1, 1]])
    return VectorSet(
        ids=np.array([10, 11, 12, 13]),
        groups=np.array([0, 0, 0, 1]),
        passages=vectors,
        owners=np.array([0, 1, 2, 3, 3]),
        whole=vectors[:4],
    )


def test_rank_fuses_semantic_and_lexical_and_respects_filters() -> None:
    docs = _docs()
    query = l2_normalise([[0.2, 0.1, 1.0]])[0]
    ranking = rank(query, docs, weights=Weights(lexical=0, concept=0, shrink=1e9))
    assert ranking.order[0] == 3  # its second passage fits best
    assert ranking.best_passage is not None and ranking.best_passage[3] == 4
    lexical = rank(query, docs, lexical=[1], weights=Weights(lexical=5, concept=0))
    assert lexical.order[0] == 1 and lexical.lexical_rank == {1: 1}
    allowed = np.array([True, True, True, False])
    filtered = rank(query, docs, allowed=allowed, weights=Weights(concept=0))
    assert 3 not in filtered.order
    assert plain_semantic(query, docs)[0] == 2


def test_lexical_terms_and_ranking() -> None:
    terms = query_terms(
        "Les entrepreneurs immigrés veulent développer leur entreprise et la réseau"
    )
    assert terms[:3] == ["entrep", "immigr", "veulen"]
    assert "les" not in terms and len(set(terms)) == len(terms)
    ranked = rank_by_terms({"rare": {"a"}, "common": {"a", "b", "c"}}, n_docs=10)
    assert ranked[0] == "a"


def test_metrics() -> None:
    judged = {"a": 2, "b": 1}
    assert ndcg(["a", "b"], judged) == 1.0
    assert 0 < ndcg(["x", "b", "a"], judged) < 1
    assert mrr(["x", "b"], judged) == 0.5 and mrr([], judged) == 0.0
    assert recall(["a", "x"], judged) == 0.5
    assert summarise([(["a", "b"], judged)]) == {"ndcg@10": 1.0, "mrr": 1.0, "recall@10": 1.0}
