"""Combining rankings and calibrating scores, for the matcher.

- `rrf`: reciprocal rank fusion (Cormack et al., 2009), weighted: each ranking gives a document
  `weight / (k + rank)`; robust because it ignores the scales of the scores fused.
- `calibrate`: z-normalises a query's scores within groups of documents (language, length), so
  the best Swedish paragraph and the best French title are compared by how far each stands
  above its own crowd, not by raw cosine, which favours the query's language and short texts.
  Small groups borrow strength from the whole (shrinkage), so a 6-document group is not
  normalised on noise.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

RRF_K = 60


def rrf(
    rankings: Sequence[tuple[Sequence[Hashable], float]], k: int = RRF_K
) -> dict[Hashable, float]:
    """`{document: fused score}` from (ranked documents, weight) pairs, best first each."""
    fused: dict[Hashable, float] = {}
    for ranked, weight in rankings:
        for rank, doc in enumerate(ranked, start=1):
            fused[doc] = fused.get(doc, 0.0) + weight / (k + rank)
    return fused


def calibrate(
    scores: npt.NDArray[np.float32],
    groups: npt.NDArray[np.int64],
    shrink: float = 30.0,
    stats: Mapping[int, tuple[float, float, int]] | None = None,
) -> npt.NDArray[np.float32]:
    """Scores z-normalised within their group; a group of n documents uses
    `(n·μ_g + s·μ) / (n + s)` (and likewise σ) with s = `shrink`, μ/σ over all documents.

    `stats` may give (mean, sd, n) per group measured elsewhere (e.g. on a sample, when only the
    top candidates of a large index are scored); otherwise they come from `scores` itself.
    """
    finite = np.isfinite(scores)
    if not finite.any():
        return np.zeros_like(scores)
    overall_mean = float(scores[finite].mean())
    overall_sd = float(scores[finite].std()) or 1.0
    out = np.zeros_like(scores, dtype=np.float32)
    for group in np.unique(groups):
        mask = groups == group
        if stats is not None and int(group) in stats:
            mean, sd, n = stats[int(group)]
        else:
            values = scores[mask & finite]
            n = len(values)
            mean = float(values.mean()) if n else overall_mean
            sd = float(values.std()) if n > 1 else overall_sd
        weight = n / (n + shrink)
        mean = weight * mean + (1 - weight) * overall_mean
        sd = weight * sd + (1 - weight) * overall_sd
        out[mask] = (scores[mask] - mean) / (sd or 1.0)
    out[~finite] = -np.inf
    return out


def to_unit(z: float) -> float:
    """A calibrated score as a 0–1 fit (a logistic squash centred two deviations up)."""
    return float(1.0 / (1.0 + np.exp(-(z - 2.0) * 1.5)))
