"""Embeddings follow the change event: initiatives created or whose text changed are marked
as waiting, and a worker is asked to embed them (`tasks.queue_embedding`); nothing is encoded
here. Deletions need nothing but the index: embeddings cascade, and the approximate index,
when used, is brought in step by the same task rather than by a search."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from buicasus.registry.changes import CREATED, DELETED, records_changed
from buicasus.semantic import store
from buicasus.semantic.embeddings import mark_changed
from buicasus.semantic.encoders import encoder_name
from buicasus.semantic.tasks import queue_embedding


def initiatives_changed(ids: frozenset[int], action: str) -> None:
    """What embeddings do when initiatives changed (once per record and commit)."""
    if action == DELETED:
        if store.stored_count(encoder_name()) > settings.ANN_THRESHOLD:
            queue_embedding()
        return
    if action == CREATED or mark_changed(ids):
        queue_embedding()


def _heard(sender: str, ids: frozenset[int], action: str, **kw: Any) -> None:
    if sender == "initiative":
        initiatives_changed(ids, action)


def connect() -> None:
    """Called once from the app's `ready()`."""
    records_changed.connect(_heard, dispatch_uid="semantic-records-changed")
