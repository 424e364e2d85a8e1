"""Where the page's vectors come from: an in-memory snapshot of every stored embedding (exact
search, while the registry is small) or the approximate HNSW index in the data folder (above
`settings.ANN_THRESHOLD` vectors).

Both are tied to a **signature** of the stored embeddings (model, count, sum of ids, latest
update). A snapshot or index whose signature differs from the database's is out of step: the
snapshot is reloaded; the index takes the rows changed since it was written (removing the old
vectors of those initiatives first) and is rebuilt from scratch when that does not bring it in
step (deletions). Nothing is ever answered from vectors that disagree with the database.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Sum

from buicasus.core.encoder import Encoder, Vectors
from buicasus.core.retrieval_engine import VectorSet, best_passages
from buicasus.semantic.models import InitiativeEmbedding
from buicasus.semantic.pipeline import group_of, vector_set
from buicasus.semantic.reference import Reference

KEY_BITS = 5  # ANN key = initiative id << 5 | passage number (passages ≤ 13)
SAMPLE_PER_GROUP = 400  # documents per calibration group kept to estimate score statistics
ROWS = ("initiative_id", "language", "chars", "vectors")


def signature(model: str) -> str:
    """The state of the stored embeddings of `model`, as one string."""
    agg = InitiativeEmbedding.objects.filter(model=model).aggregate(
        n=Count("initiative_id"), s=Sum("initiative_id"), m=Max("updated_at")
    )
    stamp = agg["m"].isoformat() if agg["m"] else ""
    return f"{model}|{agg['n']}|{agg['s'] or 0}|{stamp}"


def stored_count(model: str) -> int:
    return InitiativeEmbedding.objects.filter(model=model).count()


def load_rows(rows: Any, ref: Reference, dim: int) -> VectorSet:
    ids, langs, chars, mats = [], [], [], []
    for pk, lang, n, blob in rows:
        ids.append(int(pk))
        langs.append(lang or None)
        chars.append(int(n))
        mats.append(np.frombuffer(bytes(blob), dtype=np.float32).reshape(-1, dim))
    return vector_set(ids, langs, chars, mats, ref, dim)


@dataclass
class Snapshot:
    signature: str
    vectors: VectorSet
    row_of: dict[int, int] = field(default_factory=dict)


_lock = threading.Lock()
_snapshots: dict[str, Snapshot] = {}


def snapshot(encoder: Encoder, ref: Reference) -> Snapshot:
    """Every stored embedding of the encoder in memory (reloaded when the database changed)."""
    sig = signature(encoder.name)
    with _lock:
        current = _snapshots.get(encoder.name)
        if current is None or current.signature != sig:
            rows = InitiativeEmbedding.objects.filter(model=encoder.name).order_by("initiative_id")
            vs = load_rows(rows.values_list(*ROWS).iterator(chunk_size=2000), ref, encoder.dim)
            current = Snapshot(sig, vs, {int(i): r for r, i in enumerate(vs.ids)})
            _snapshots[encoder.name] = current
        return current


# --- the approximate index -----------------------------------------------------------------


def index_paths(model: str) -> tuple[Path, Path]:
    folder = Path(settings.DATA_DIR) / "semantic"
    return folder / f"ann-{model}.usearch", folder / f"ann-{model}.json"


@dataclass
class AnnIndex:
    index: Any
    meta: dict[str, Any]
    sample: VectorSet

    def stats(self, query: Vectors, shrink: float) -> dict[int, tuple[float, float, int]]:
        """Per calibration group, the mean and deviation of the need's best-passage scores on
        the kept sample (and the group's true size)."""
        raw, _rows = best_passages(query, self.sample)
        sizes: dict[str, int] = self.meta.get("group_sizes", {})
        out: dict[int, tuple[float, float, int]] = {}
        for group in np.unique(self.sample.groups):
            values = raw[self.sample.groups == group]
            out[int(group)] = (
                float(values.mean()),
                float(values.std()),
                int(sizes.get(str(group), len(values))),
            )
        return out


_ann: dict[str, AnnIndex] = {}


def _new_index(dim: int) -> Any:
    from usearch.index import Index

    # Degree 32 and a broad build: at 1M vectors recall@10 against exact search was 0.985
    # (0.894 with degree 16 and 128), for about three times the build time
    # (benchmarks/bench_matching.py).
    return Index(
        ndim=dim, metric="ip", dtype="f32", connectivity=32, expansion_add=200, expansion_search=96
    )


def _add_rows(index: Any, vs: VectorSet) -> None:
    if not len(vs.passages):
        return
    counts = np.bincount(vs.owners, minlength=len(vs.ids))
    numbers = np.concatenate([np.arange(c) for c in counts]) if len(counts) else np.zeros(0)
    keys = (vs.ids[vs.owners].astype(np.uint64) << np.uint64(KEY_BITS)) | numbers.astype(np.uint64)
    index.add(keys, vs.passages, threads=2)


def _sample(encoder: Encoder, ref: Reference) -> tuple[VectorSet, dict[str, int]]:
    rows = list(
        InitiativeEmbedding.objects.filter(model=encoder.name).values_list(
            "initiative_id", "language", "chars"
        )
    )
    by_group: dict[int, list[int]] = {}
    for pk, lang, n in rows:
        by_group.setdefault(group_of(lang or None, n), []).append(pk)
    rng = np.random.default_rng(0)
    chosen: list[int] = []
    for ids in by_group.values():
        take = min(len(ids), SAMPLE_PER_GROUP)
        chosen += [int(i) for i in rng.choice(ids, size=take, replace=False)]
    sample_rows = InitiativeEmbedding.objects.filter(model=encoder.name, initiative_id__in=chosen)
    vs = load_rows(sample_rows.values_list(*ROWS), ref, encoder.dim)
    return vs, {str(g): len(ids) for g, ids in by_group.items()}


def rebuild_index(encoder: Encoder, ref: Reference, progress: Any = None) -> AnnIndex:
    """Build the approximate index from every stored embedding and save it with its meta."""
    sig = signature(encoder.name)
    index = _new_index(encoder.dim)
    rows = InitiativeEmbedding.objects.filter(model=encoder.name).order_by("initiative_id")
    batch: list[Any] = []
    for row in rows.values_list(*ROWS).iterator(chunk_size=5000):
        batch.append(row)
        if len(batch) == 5000:
            _add_rows(index, load_rows(batch, ref, encoder.dim))
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        _add_rows(index, load_rows(batch, ref, encoder.dim))
        if progress:
            progress(len(batch))
    sample, sizes = _sample(encoder, ref)
    meta = {
        "signature": sig,
        "model": encoder.name,
        "vectors": int(len(index)),
        "group_sizes": sizes,
    }
    _save(index, meta, encoder.name)
    ann = AnnIndex(index, meta, sample)
    _ann[encoder.name] = ann
    return ann


def _save(index: Any, meta: dict[str, Any], model: str) -> None:
    path, meta_path = index_paths(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    index.save(str(tmp))
    tmp.replace(path)
    meta_path.write_text(json.dumps(meta), encoding="utf-8")


def in_step(model: str) -> bool | None:
    """Whether the saved index matches the database (None: there is no index)."""
    path, meta_path = index_paths(model)
    if not path.exists() or not meta_path.exists():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    return bool(meta.get("signature") == signature(model))


def ann_index(encoder: Encoder, ref: Reference, *, rebuild: bool = True) -> AnnIndex | None:
    """The approximate index, loaded from the data folder, brought in step or rebuilt.

    With `rebuild=False` (searches) nothing is built: None when there is no index yet, and an
    index that new vectors cannot bring in step (records were deleted) is used as it is, with
    the new vectors added: its extra vectors name initiatives the caller no longer finds among
    its candidates. The embedding task rebuilds it."""
    with _lock:
        sig = signature(encoder.name)
        ann = _ann.get(encoder.name)
        if ann is None:
            path, meta_path = index_paths(encoder.name)
            if path.exists() and meta_path.exists():
                from usearch.index import Index

                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                ann = AnnIndex(Index.restore(str(path)), meta, _sample(encoder, ref)[0])
        if ann is not None and ann.meta.get("signature") != sig:
            caught = _catch_up(ann, encoder, ref, sig)
            if caught is not None or rebuild:
                ann = caught
        if ann is None:
            if not rebuild:
                return None
            ann = rebuild_index(encoder, ref)
        _ann[encoder.name] = ann
        return ann


def _catch_up(ann: AnnIndex, encoder: Encoder, ref: Reference, sig: str) -> AnnIndex | None:
    """Apply the embeddings written since the index was saved; None when that is not enough
    (something was deleted): the caller rebuilds."""
    stamp = ann.meta["signature"].rsplit("|", 1)[-1]
    changed = InitiativeEmbedding.objects.filter(model=encoder.name)
    if stamp:
        changed = changed.filter(updated_at__gt=stamp)
    rows = list(changed.values_list(*ROWS))
    for pk, *_rest in rows:
        for number in range(1 << KEY_BITS):
            key = (int(pk) << KEY_BITS) | number
            if ann.index.contains(key):
                ann.index.remove(key)
            elif number > 0:
                break
    _add_rows(ann.index, load_rows(rows, ref, encoder.dim))
    expected = (
        InitiativeEmbedding.objects.filter(model=encoder.name).aggregate(p=Sum("passage_count"))[
            "p"
        ]
        or 0
    )
    if len(ann.index) != expected:
        return None
    ann.meta["signature"] = sig
    ann.meta["vectors"] = int(len(ann.index))
    _save(ann.index, ann.meta, encoder.name)
    return ann
