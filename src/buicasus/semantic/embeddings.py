"""Embeddings of initiatives: computed in batches, stored, never recomputed for unchanged text.

A stored embedding is current when its `model` is the encoder's name and its `text_hash` the
fingerprint of the initiative's text now. Saves reach here through a signal, batched per
transaction (`schedule`, run on commit); imports call `schedule` once per batch (or leave it to
`buicasus embed`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from django.db import connection, transaction

from buicasus.core.encoder import Encoder
from buicasus.core.retrieval import detect_language, document_text, passages, text_hash
from buicasus.registry.models import Initiative
from buicasus.semantic.encoders import get_encoder
from buicasus.semantic.models import InitiativeEmbedding

BATCH = 64
# Above this many initiatives changed in one transaction, embeddings are left to
# `buicasus embed` instead of delaying the commit hook (e5 reads about 50 short texts a second).
ON_COMMIT_LIMIT = 2_000
FIELDS = ("id", "title", "description", "description_language")


def fingerprint(encoder: Encoder, title: str, description: str) -> str:
    """What an embedding was made from: encoder and text (and the passage rule's version)."""
    return text_hash(encoder.name, "p1", title, description)


def _chunks(ids: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def ensure_embeddings(
    initiative_ids: Iterable[int] | None = None,
    *,
    batch_size: int = BATCH,
    progress: Callable[[int], None] | None = None,
    encoder: Encoder | None = None,
) -> int:
    """Embed the given initiatives (None: all) whose stored vectors are missing or stale;
    returns how many were (re)computed. Unchanged texts cost one hash, no encoding."""
    encoder = encoder or get_encoder()
    if initiative_ids is None:
        ids = list(Initiative.objects.order_by("id").values_list("id", flat=True))
    else:
        ids = sorted({int(i) for i in initiative_ids})
    done = 0
    for chunk in _chunks(ids, max(1, batch_size)):
        rows = list(Initiative.objects.filter(id__in=chunk).values_list(*FIELDS))
        stored = dict(
            InitiativeEmbedding.objects.filter(
                initiative_id__in=chunk, model=encoder.name
            ).values_list("initiative_id", "text_hash")
        )
        stale = [r for r in rows if stored.get(r[0]) != fingerprint(encoder, r[1], r[2])]
        if stale:
            _write(encoder, stale)
            done += len(stale)
        if progress:
            progress(len(chunk))
    return done


def _write(encoder: Encoder, rows: list[tuple[Any, ...]]) -> None:
    pieces = [passages(title, description) for _id, title, description, _lang in rows]
    flat = encoder.encode_passages([p for ps in pieces for p in ps])
    offset = 0
    objects = []
    for (pk, title, description, lang), ps in zip(rows, pieces, strict=True):
        matrix = np.ascontiguousarray(flat[offset : offset + len(ps)], dtype=np.float32)
        offset += len(ps)
        text = document_text(title, description)
        objects.append(
            InitiativeEmbedding(
                initiative_id=pk,
                model=encoder.name,
                text_hash=fingerprint(encoder, title, description),
                language=(lang or "")[:2].lower() or (detect_language(text) or ""),
                chars=len(text),
                passage_count=len(ps),
                vectors=matrix.tobytes(),
            )
        )
    with transaction.atomic():
        InitiativeEmbedding.objects.filter(
            initiative_id__in=[o.initiative_id for o in objects]
        ).delete()
        InitiativeEmbedding.objects.bulk_create(objects)


_local = threading.local()


@contextmanager
def left_to_embed_command() -> Iterator[None]:
    """Saves and imports inside do not embed on commit: for bulk loads that `buicasus embed`
    follows (it skips unchanged texts, so running it again is cheap)."""
    _local.left_to_command = True
    try:
        yield
    finally:
        _local.left_to_command = False


def _run_pending() -> None:
    ids: set[int] = getattr(_local, "pending", set())
    _local.pending = set()
    if ids and len(ids) <= ON_COMMIT_LIMIT:
        ensure_embeddings(ids)


def schedule(initiative_ids: Iterable[int]) -> None:
    """Embed these initiatives when the current transaction commits, in one batch however
    many saves it held (each save adds to a pending set; the first commit hook drains it, the
    others find it empty). Batches above `ON_COMMIT_LIMIT` are left to `buicasus embed`, and
    the index status reports them as missing meanwhile."""
    wanted = {int(i) for i in initiative_ids if i is not None}
    if not wanted or getattr(_local, "left_to_command", False):
        return
    if not any(hook[1] is _run_pending for hook in connection.run_on_commit):
        # No hook waits in this transaction: what is pending belonged to a transaction that
        # rolled back (its hooks were dropped), so it must not count against this one.
        _local.pending = set()
    pending: set[int] = getattr(_local, "pending", set())
    _local.pending = pending | wanted
    transaction.on_commit(_run_pending)
