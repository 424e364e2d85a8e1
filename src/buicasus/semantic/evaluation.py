"""`buicasus eval matching` and `buicasus eval encoder`: quality of the matcher on labelled sets.

The corpus is loaded into an isolated **in-memory store** (never the user's database): its
passages are embedded (through a cache in the data folder, so a second run is fast), its text is
indexed for the lexical side with the same tokenisation and scoring as the registry's search
(`core.search_query`, `core.retrieval_lexical`), and every query runs through the same steps as
the page (`pipeline.prepare_need`, `pipeline.vector_set`, `core.retrieval_engine.rank`).

Systems reported: `engine` (everything), `semantic` (plain e5: cosine with the whole text, the
reference baseline) and `lexical` (the full-text side alone).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from buicasus.core.encoder import Encoder
from buicasus.core.retrieval import LANGUAGES, detect_language, document_text, passages
from buicasus.core.retrieval_engine import Weights, plain_semantic, rank
from buicasus.core.retrieval_lexical import query_terms, rank_by_terms
from buicasus.core.retrieval_metrics import summarise
from buicasus.core.search_query import index_tokens
from buicasus.semantic.encoders import CachedEncoder, get_encoder
from buicasus.semantic.pipeline import prepare_need, vector_set
from buicasus.semantic.reference import reference

SYSTEMS = ("engine", "semantic", "lexical")


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{number}: not JSON ({exc})") from exc


@dataclass
class MemoryLexicon:
    """An inverted index of prefixes over the corpus: the lexical side of the isolated store,
    answering like the registry's search does for `term*`."""

    postings: dict[str, set[int]]
    n_docs: int

    @classmethod
    def build(cls, texts: list[str]) -> MemoryLexicon:
        postings: dict[str, set[int]] = {}
        for row, text in enumerate(texts):
            for token in set(index_tokens(text)):
                for n in range(3, min(len(token), 6) + 1):
                    postings.setdefault(token[:n], set()).add(row)
        return cls(postings, len(texts))

    def rank(self, need: str) -> list[int]:
        matches = {t: self.postings.get(t, set()) for t in query_terms(need)}
        return [int(r) for r in rank_by_terms(matches, self.n_docs)]


def cache_path(encoder: Encoder) -> Path:
    return Path(settings.DATA_DIR) / "semantic" / f"eval-cache-{encoder.name}.npz"


def evaluate_matching(
    corpus: Path,
    queries: Path,
    *,
    k: int = 10,
    weights: Weights | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Metrics of the three systems on a corpus and its judged queries."""
    say = progress or (lambda _m: None)
    docs = list(read_jsonl(corpus))
    judged = list(read_jsonl(queries))
    encoder = CachedEncoder(get_encoder(), cache_path(get_encoder()))
    ref = reference(encoder)
    ids = [str(d["id"]) for d in docs]
    texts = [document_text(d.get("title", ""), d.get("description", "")) for d in docs]
    langs = [
        d.get("lang") if d.get("lang") in LANGUAGES else detect_language(t)
        for d, t in zip(docs, texts, strict=True)
    ]
    say(f"embedding {len(docs)} documents")
    matrices = []
    for start in range(0, len(docs), 256):
        part = docs[start : start + 256]
        pieces = [passages(d.get("title", ""), d.get("description", "")) for d in part]
        flat = encoder.encode_passages([p for ps in pieces for p in ps])
        offset = 0
        for ps in pieces:
            matrices.append(flat[offset : offset + len(ps)])
            offset += len(ps)
        encoder.save()
    vs = vector_set(
        list(range(len(docs))), langs, [len(t) for t in texts], matrices, ref, encoder.dim
    )
    lexicon = MemoryLexicon.build(texts)
    runs: dict[str, list[tuple[list[str], dict[str, int]]]] = {s: [] for s in SYSTEMS}
    for q in judged:
        need = prepare_need(q["text"], encoder, ref)
        lexical = lexicon.rank(need.text)
        ranking = rank(
            need.vector,
            vs,
            lexical=lexical,
            query_profile=need.profile,
            weights=weights or Weights(),
        )
        relevant = {str(d): int(g) for d, g in q.get("relevant", {}).items()}
        runs["engine"].append(([ids[i] for i in ranking.order], relevant))
        runs["semantic"].append(([ids[int(i)] for i in plain_semantic(need.raw, vs)], relevant))
        runs["lexical"].append(([ids[i] for i in lexical], relevant))
    encoder.save()
    result: dict[str, Any] = {s: summarise(runs[s], k) for s in SYSTEMS}
    result["queries"] = len(judged)
    return result


def evaluate_encoder(folder: Path, *, limit: int | None = None) -> dict[str, dict[str, float]]:
    """Tatoeba bitext retrieval: for each language, accuracy xx→en and en→xx (nearest
    neighbour by cosine among the 1,000 lines), passages encoded without prefix difference."""
    encoder = get_encoder()
    results: dict[str, dict[str, float]] = {}
    for path in sorted(folder.glob("tatoeba.*-eng.eng")):
        code = path.name.split(".")[1].split("-")[0]
        other = folder / f"tatoeba.{code}-eng.{code}"
        english = path.read_text(encoding="utf-8").splitlines()[:limit]
        foreign = other.read_text(encoding="utf-8").splitlines()[:limit]
        a = encoder.encode_passages(foreign)
        b = encoder.encode_passages(english)
        sims = a @ b.T
        truth = np.arange(len(a))
        results[code] = {
            f"{code}->eng": round(float((sims.argmax(axis=1) == truth).mean()), 4),
            f"eng->{code}": round(float((sims.argmax(axis=0) == truth).mean()), 4),
        }
    return results
