"""The lexical side of matching: a need statement → prefix terms → documents ranked by the
summed rarity (idf) of the terms they contain.

A need is a sentence, not a search: the registry's search requires every word, which a
sentence never satisfies, so each content word is looked up on its own and the matches are
scored like BM25 without term frequencies (the full-text indexes report membership, not
counts). Words are cut to a prefix of `STEM` letters, a crude stemmer that works the same in
all five languages (`entrepreneurs` and `entreprendre` share `entrep`).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping

from buicasus.core.search_query import MIN_PREFIX, STOPWORDS, index_tokens

STEM = 6
MAX_TERMS = 24
# A term found in more than this share of the documents says little; it is not scored.
MAX_SHARE = 0.2


def query_terms(text: str) -> list[str]:
    """Distinct folded prefixes of the need's content words, in order of appearance."""
    seen: list[str] = []
    for token in index_tokens(text):
        if token in STOPWORDS or len(token) < max(MIN_PREFIX, 4) or token.isdigit():
            continue
        stem = token[:STEM]
        if stem not in seen:
            seen.append(stem)
    return seen[:MAX_TERMS]


def rank_by_terms(matches: Mapping[str, Collection[Hashable]], n_docs: int) -> list[Hashable]:
    """Documents ranked by Σ idf of the terms they match (ties: more terms, then first seen)."""
    scores: dict[Hashable, float] = {}
    for _term, docs in matches.items():
        df = len(docs)
        if not df or df > MAX_SHARE * max(n_docs, 1) and n_docs > 50:
            continue
        idf = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
        for doc in docs:
            scores[doc] = scores.get(doc, 0.0) + idf
    return sorted(scores, key=lambda d: -scores[d])
