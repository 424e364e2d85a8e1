"""Embeddings of initiatives: computed in batches, stored, never recomputed for unchanged text.

A stored embedding is current when its `model` is the encoder's name and its `text_hash` the
fingerprint of the initiative's text now. No request computes one: the change event marks
initiatives whose text changed (`mark_changed`), and the background task of `semantic.tasks`
embeds every initiative without a current embedding (`pending_ids`). Until then a stale vector
keeps serving the old text, and an initiative without any is matched on its words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np
from django.db import transaction

from buicasus.core.encoder import Encoder
from buicasus.core.retrieval import detect_language, document_text, passages, text_hash
from buicasus.registry.models import Initiative
from buicasus.semantic.encoders import encoder_name, get_encoder
from buicasus.semantic.models import InitiativeEmbedding

BATCH = 64
STALE = ""  # the text hash of an embedding whose initiative's text changed since
FIELDS = ("id", "title", "description", "description_language")


def fingerprint(encoder: Encoder | str, title: str, description: str) -> str:
    """What an embedding was made from: encoder (or its name) and text (and the passage
    rule's version)."""
    name = encoder if isinstance(encoder, str) else encoder.name
    return text_hash(name, "p1", title, description)


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


def mark_changed(initiative_ids: Iterable[int]) -> set[int]:
    """Of these initiatives, those that need embedding: without a current embedding, or whose
    text no longer matches theirs (marked stale here: their vector serves until replaced).
    Costs a hash per initiative; the encoder is not loaded."""
    ids = sorted({int(i) for i in initiative_ids})
    name = encoder_name()
    wanted: set[int] = set()
    for chunk in _chunks(ids, 2_000):
        stored = dict(
            InitiativeEmbedding.objects.filter(initiative_id__in=chunk, model=name).values_list(
                "initiative_id", "text_hash"
            )
        )
        stale = []
        for pk, title, description in Initiative.objects.filter(id__in=chunk).values_list(
            "id", "title", "description"
        ):
            have = stored.get(pk)
            if have is None:
                wanted.add(pk)
            elif have != fingerprint(name, title, description):
                wanted.add(pk)
                stale.append(pk)
        if stale:
            # `update` leaves `updated_at` alone: the vectors did not change, the index holds.
            InitiativeEmbedding.objects.filter(initiative_id__in=stale).update(text_hash=STALE)
    return wanted


def pending_ids(model: str | None = None) -> list[int]:
    """Initiatives without a current embedding of the model: none yet, another model's, or
    marked stale."""
    name = model or encoder_name()
    current = InitiativeEmbedding.objects.filter(model=name).exclude(text_hash=STALE)
    missing = Initiative.objects.exclude(id__in=current.values("initiative_id"))
    return list(missing.order_by("id").values_list("id", flat=True))


def pending_count(ids: Iterable[int] | None = None, model: str | None = None) -> int:
    """How many initiatives (of `ids`, or all) wait for an embedding of the model."""
    name = model or encoder_name()
    current = InitiativeEmbedding.objects.filter(model=name).exclude(text_hash=STALE)
    if ids is None:
        return Initiative.objects.count() - current.count()
    wanted = {int(i) for i in ids}
    have = 0
    for chunk in _chunks(sorted(wanted), 10_000):
        have += current.filter(initiative_id__in=chunk).count()
    return len(wanted) - have


def without_vectors(ids: Iterable[int], model: str | None = None) -> set[int]:
    """Of these initiatives, those with no vector of the model at all (a stale one counts:
    it still serves)."""
    name = model or encoder_name()
    wanted = {int(i) for i in ids}
    have: set[int] = set()
    for chunk in _chunks(sorted(wanted), 10_000):
        have.update(
            InitiativeEmbedding.objects.filter(model=name, initiative_id__in=chunk).values_list(
                "initiative_id", flat=True
            )
        )
    return wanted - have
