"""The matcher's ranking, on vectors already loaded: used alike by the page (vectors from the
database or the approximate index) and by the evaluation (an in-memory corpus).

Signals, each a ranking of documents, fused by weighted reciprocal rank fusion:

1. **semantic**: cosine of the language-centred need vector with each language-centred passage
   vector, best passage per document, then z-normalised within the document's group (language
   × length), so that scores are compared across languages and text lengths fairly;
2. **lexical**: the registry's full-text evidence (computed by the caller, as a ranking);
3. **concepts**: the cosine of language-neutral concept profiles (similarity to the shared
   vocabularies' terms, averaged over their five language labels), plus terms asked for.

`plain_semantic` is the reference system: raw cosine with the whole text, nothing else.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from buicasus.core.fusion import calibrate, rrf
from buicasus.core.retrieval import max_by_owner, top_k

Array = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Weights:
    """How much each signal counts in the fusion, and how the semantic score is formed.

    Defaults chosen on both development sets (see docs/matching.md): per-group calibration
    (`shrink` finite) hurt the real-operations set, so scores are only standardised globally;
    lexical evidence counts little and only re-orders semantic candidates, because across
    languages shared words are mostly accidental; two feedback documents (Rocchio) help a
    one-line need reach the vocabulary of long descriptions.
    """

    semantic: float = 1.0
    lexical: float = 0.1
    concept: float = 0.5  # only where records are classified or the need names terms
    shrink: float = math.inf  # calibration within groups off (z over all documents)
    depth: int = 100  # how deep each ranking enters the fusion
    feedback: int = 2  # pseudo-relevance feedback: best documents folded into the need
    feedback_weight: float = 0.5
    lexical_within: bool = True  # lexical evidence only re-orders semantic candidates


@dataclass
class VectorSet:
    """Documents as the ranking sees them: ids, calibration group, passage vectors (already
    language-centred) with their owner (row index into `ids`), whole-text raw vectors (for the
    plain reference system), concept profiles (or None)."""

    ids: Ints
    groups: Ints
    passages: Array
    owners: Ints
    whole: Array
    profiles: Array | None = None
    stats: dict[int, tuple[float, float, int]] | None = None


@dataclass
class Ranking:
    """The fused order (row indices into `VectorSet.ids`) with each signal's evidence."""

    order: list[int]
    fused: dict[int, float]
    semantic: Array  # calibrated (z) per document
    raw: Array  # best-passage cosine per document
    concept: Array | None
    lexical_rank: dict[int, int] = field(default_factory=dict)
    best_passage: Ints | None = None


def plain_semantic(query_raw: Array, docs: VectorSet) -> Ints:
    """Rows ranked by raw cosine of the need with each whole text (the reference system)."""
    return top_k(docs.whole @ query_raw, len(docs.ids))


def best_passages(query: Array, docs: VectorSet) -> tuple[Array, Ints]:
    """Per document: best passage cosine and which passage row gave it."""
    scores = (docs.passages @ query).astype(np.float32)
    best = max_by_owner(scores, docs.owners, len(docs.ids))
    # The first passage row of each document that reaches its best score.
    hit = scores >= best[docs.owners] - 1e-7
    rows = np.full(len(docs.ids), -1, dtype=np.int64)
    for row in np.nonzero(hit)[0][::-1]:
        rows[docs.owners[row]] = row
    return best, rows


def rank(
    query: Array,
    docs: VectorSet,
    *,
    lexical: Sequence[int] = (),
    query_profile: Array | None = None,
    weights: Weights = Weights(),
    allowed: npt.NDArray[np.bool_] | None = None,
) -> Ranking:
    """Fuse the signals for one need (`query`: language-centred vector; `lexical`: rows
    ranked by the full-text search; `allowed`: rows passing the filters)."""
    raw, rows = best_passages(query, docs)
    z = calibrate(raw, docs.groups, weights.shrink, docs.stats)
    keep = np.ones(len(docs.ids), dtype=bool) if allowed is None else allowed
    if weights.feedback and len(docs.ids) > weights.feedback:
        # Rocchio: the need plus the best passages of its first results, searched again.
        first = top_k(np.where(keep, z, -np.inf).astype(np.float32), weights.feedback)
        extra = docs.passages[rows[first]].mean(axis=0)
        query = query + weights.feedback_weight * extra
        query = (query / (np.linalg.norm(query) or 1.0)).astype(np.float32)
        raw, rows = best_passages(query, docs)
        z = calibrate(raw, docs.groups, weights.shrink, docs.stats)
    z_kept = np.where(keep, z, -np.inf).astype(np.float32)
    depth = weights.depth
    signals: list[tuple[Sequence[Hashable], float]] = [
        ([int(i) for i in top_k(z_kept, depth) if np.isfinite(z_kept[i])], weights.semantic)
    ]
    if weights.lexical_within:
        pool = set(signals[0][0])
        lexical_kept = [int(i) for i in lexical if int(i) in pool][:depth]
    else:
        lexical_kept = [int(i) for i in lexical if keep[i]][:depth]
    if lexical_kept and weights.lexical:
        signals.append((lexical_kept, weights.lexical))
    concept = None
    if query_profile is not None and docs.profiles is not None and weights.concept:
        concept = (docs.profiles @ query_profile).astype(np.float32)
        c_kept = np.where(keep, concept, -np.inf).astype(np.float32)
        signals.append(([int(i) for i in top_k(c_kept, depth) if c_kept[i] > 0], weights.concept))
    fused = {int(k): v for k, v in rrf(signals).items()}  # type: ignore[call-overload]
    order = sorted(fused, key=lambda i: (-fused[i], -float(z[i])))
    return Ranking(
        order=order,
        fused=fused,
        semantic=z,
        raw=raw,
        concept=concept,
        lexical_rank={r: n for n, r in enumerate(lexical_kept, start=1)},
        best_passage=rows,
    )
