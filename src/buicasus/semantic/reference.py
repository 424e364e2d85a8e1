"""What the matcher learns from the shared vocabularies, once per encoder.

The vocabularies carry the same terms in five languages: parallel text. From it come
- the **language means**: the average query and passage vector of each language's labels;
  since the labels say the same things in each language, their difference is language, not
  topic, and removing it makes vectors more language-neutral (centring, `core.retrieval.centre`);
- the **concept vectors**: one per term of the challenge, target-group and method
  vocabularies, the average of its centred labels in all languages.
Both are cached in the data folder by encoder and vocabulary fingerprint.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from django.conf import settings

from buicasus.core.encoder import Encoder, Vectors, l2_normalise
from buicasus.core.retrieval import LANGUAGES, centre, text_hash
from buicasus.registry.models import Term

CONCEPT_VOCABULARIES = ("policy-field", "esf-objective", "sdg", "target-group", "method")
FIXTURES = Path(__file__).resolve().parent.parent / "registry" / "fixtures" / "vocabularies"
TermLabels = tuple[str, str, dict[str, str]]  # (vocabulary key, code, {lang: label})


@dataclass
class Reference:
    query_means: dict[str, Vectors]
    passage_means: dict[str, Vectors]
    concept_keys: list[str]  # "vocabulary:code"
    concepts: Vectors  # (terms, dim)

    def centre_queries(self, vectors: Vectors, languages: list[str | None]) -> Vectors:
        return centre(vectors, languages, self.query_means)

    def centre_passages(self, vectors: Vectors, languages: list[str | None]) -> Vectors:
        return centre(vectors, languages, self.passage_means)


def fixture_terms() -> list[TermLabels]:
    """Every term of the shipped vocabulary files (the reference data, read without the DB)."""
    terms: list[TermLabels] = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for term in data.get("terms", []):
            terms.append((data["key"], str(term["code"]), dict(term.get("labels", {}))))
    return terms


def database_terms() -> list[TermLabels]:
    """Every term of the vocabularies in the database (falls back to the files when empty)."""
    rows = Term.objects.values_list("vocabulary__key", "code", "labels").order_by("id")
    terms = [(k, c, dict(labels or {})) for k, c, labels in rows]
    return terms or fixture_terms()


_cache: dict[str, Reference] = {}
_lock = threading.Lock()


def reference(encoder: Encoder, terms: list[TermLabels] | None = None) -> Reference:
    """The language means and concept vectors for `encoder` (computed once, then cached)."""
    terms = fixture_terms() if terms is None else terms
    parallel = [t for t in terms if all(t[2].get(lang) for lang in LANGUAGES)]
    key = text_hash(encoder.name, *(f"{v}:{c}:{sorted(lab.items())}" for v, c, lab in parallel))
    with _lock:
        if key in _cache:
            return _cache[key]
        path = Path(settings.DATA_DIR) / "semantic" / f"reference-{key[:16]}.npz"
        persist = not encoder.name.startswith("hashing")  # cheap to recompute, not worth a file
        if persist and path.exists():
            with np.load(path) as data:
                ref = _from_arrays(dict(data), parallel)
        else:
            arrays = _compute(encoder, parallel)
            if persist:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(path.stem + ".tmp.npz")
                np.savez(tmp, **arrays)
                tmp.replace(path)
            ref = _from_arrays(arrays, parallel)
        _cache[key] = ref
        return ref


def _compute(encoder: Encoder, parallel: list[TermLabels]) -> dict[str, Vectors]:
    arrays: dict[str, Vectors] = {}
    concept_rows = [i for i, t in enumerate(parallel) if t[0] in CONCEPT_VOCABULARIES]
    total = np.zeros((len(concept_rows), encoder.dim), dtype=np.float32)
    for lang in LANGUAGES:
        labels = [t[2][lang] for t in parallel]
        queries = encoder.encode_queries(labels)
        passages = encoder.encode_passages(labels)
        q_mean = queries.mean(axis=0) if len(labels) else np.zeros(encoder.dim, np.float32)
        p_mean = passages.mean(axis=0) if len(labels) else np.zeros(encoder.dim, np.float32)
        arrays[f"q_{lang}"], arrays[f"p_{lang}"] = q_mean, p_mean
        if concept_rows:
            total += centre(passages[concept_rows], [lang] * len(concept_rows), {lang: p_mean})
    arrays["concepts"] = l2_normalise(total) if concept_rows else total
    return arrays


def _from_arrays(arrays: dict[str, Vectors], parallel: list[TermLabels]) -> Reference:
    keys = [f"{v}:{c}" for v, c, _labels in parallel if v in CONCEPT_VOCABULARIES]
    return Reference(
        query_means={lang: arrays[f"q_{lang}"] for lang in LANGUAGES},
        passage_means={lang: arrays[f"p_{lang}"] for lang in LANGUAGES},
        concept_keys=keys,
        concepts=arrays["concepts"].reshape(len(keys), -1) if keys else arrays["concepts"],
    )
