"""Keeping the search index in step with the registry.

`reindex(kind, ids)` is the one entry point: the listener of the registry's change event
(`signals.py`) calls it once per committed transaction with the records it changed, whatever
path wrote them, and `buicasus search-reindex` for everything. Each chunk is written in one
transaction. A record that no longer exists leaves the index; one that does is rewritten whole:
documents, tags and full-text rows are deleted and inserted again with `executemany`, and the
counts of combinations and tags are adjusted by the difference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Model

from buicasus.registry.models import Initiative, Organisation
from buicasus.search import backends, combos
from buicasus.search.documents import Reader
from buicasus.search.facets import Combo, Tag
from buicasus.search.models import COMBO_BITS, COMBO_MASK, DOC, KIND_CODES, TAG, TAG_COUNT

CHUNK = 5000  # records per savepoint; ids travel as one JSON or array parameter
MODELS: dict[str, type[Model]] = {"organisation": Organisation, "initiative": Initiative}


class _Run:
    """State of one `reindex` call: the reader, known combinations and tags, next sequence."""

    def __init__(self) -> None:
        self.backend = backends.current()
        self.reader = Reader(self.backend)
        self.known: dict[Combo, int] = {}
        self.tag_ids: dict[Tag, int] = {}
        self.next_seq: int | None = None

    def seq(self, cursor: Any) -> int:
        """The next sequence number (a new document is the newest one)."""
        if self.next_seq is None:
            cursor.execute(f"SELECT max(id) FROM {DOC}")
            top = cursor.fetchone()[0]
            self.next_seq = (int(top) >> COMBO_BITS) + 1 if top is not None else 1
        seq = self.next_seq
        self.next_seq = seq + 1
        return seq


def _existing(cursor: Any, run: _Run, kind: int, ids: list[int]) -> dict[int, int]:
    sql, params = run.backend.in_list("record_id", ids)
    cursor.execute(f"SELECT record_id, id FROM {DOC} WHERE kind = %s AND {sql}", [kind, *params])
    return {int(r): int(d) for r, d in cursor.fetchall()}


def _index_chunk(run: _Run, kind: str, ids: list[int]) -> int:
    """Rewrite the documents of these records; returns how many records are indexed."""
    sources = run.reader.read(kind, ids)
    kind_code = KIND_CODES[kind]
    with transaction.atomic(), connection.cursor() as cursor:
        existing = _existing(cursor, run, kind_code, ids)
        old_ids = sorted(existing.values())
        combo_delta: Counter[int] = Counter()
        tag_delta: Counter[tuple[int, int]] = Counter()
        if old_ids:
            sql, params = run.backend.in_list("doc_id", old_ids)
            cursor.execute(f"SELECT doc_id, tag FROM {TAG} WHERE {sql}", params)
            for doc_id, tag in cursor.fetchall():
                tag_delta[(int(doc_id) & COMBO_MASK, int(tag))] -= 1
            cursor.execute(f"DELETE FROM {TAG} WHERE {sql}", params)
            run.backend.delete_documents(cursor, old_ids)
            for old in old_ids:
                combo_delta[old & COMBO_MASK] -= 1
        known = combos.resolve({s.combo for s in sources.values()}, run.known)
        tag_ids = combos.resolve_tags((t for s in sources.values() for t in s.tags), run.tag_ids)
        documents, tags = [], []
        for record_id in ids:
            source = sources.get(record_id)
            if source is None:
                continue
            combo_id = known[source.combo]
            old = existing.get(record_id)
            seq = old >> COMBO_BITS if old is not None else run.seq(cursor)
            doc_id = (seq << COMBO_BITS) | combo_id
            documents.append(
                (
                    doc_id,
                    combo_id,
                    kind_code,
                    record_id,
                    source.sort_key,
                    source.created_by_id,
                    source.title,
                    source.body,
                )
            )
            combo_delta[combo_id] += 1
            for tag_id in sorted({tag_ids[t] for t in source.tags}):
                tags.append((doc_id, tag_id))
                tag_delta[(combo_id, tag_id)] += 1
        run.backend.insert_documents(cursor, documents)
        if tags:
            cursor.executemany(f"INSERT INTO {TAG} (doc_id, tag) VALUES (%s, %s)", tags)
        _apply_counts(cursor, combo_delta, tag_delta)
    return len(documents)


def _apply_counts(
    cursor: Any, combo_delta: Counter[int], tag_delta: Counter[tuple[int, int]]
) -> None:
    changes = [(delta, combo) for combo, delta in sorted(combo_delta.items()) if delta]
    if changes:
        cursor.executemany(f"UPDATE {combos.COMBOS} SET n = n + %s WHERE id = %s", changes)
    tag_changes = [(combo, tag, d) for (combo, tag), d in sorted(tag_delta.items()) if d]
    if tag_changes:
        cursor.executemany(
            f"INSERT INTO {TAG_COUNT} (combo, tag, n) VALUES (%s, %s, %s) "
            f"ON CONFLICT (combo, tag) DO UPDATE SET n = {TAG_COUNT}.n + excluded.n",
            tag_changes,
        )


def _chunks(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _all_ids(kind: str, size: int) -> Iterator[list[int]]:
    """Every record id of a kind, in chunks, followed by the ids of indexed records that no
    longer exist (so that they leave the index)."""
    model = MODELS[kind]
    last = 0
    while True:
        ids = list(
            model._default_manager.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            break
        yield ids
        last = ids[-1]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT record_id FROM {DOC} WHERE kind = %s AND record_id NOT IN "
            f"(SELECT id FROM {model._meta.db_table})",
            [KIND_CODES[kind]],
        )
        gone = [int(r[0]) for r in cursor.fetchall()]
    yield from _chunks(gone, size)


def reindex(
    kind: str,
    ids: list[int] | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Bring the index of `kind` ("organisation" or "initiative") up to date for the records
    `ids` (None: all of them, and drop the documents of deleted records).

    Returns the number of records now indexed among those visited. `progress` is called with
    the number of records visited after each chunk.
    """
    if kind not in MODELS:
        raise ValueError(f"unknown kind {kind!r}: use one of {', '.join(MODELS)}")
    run = _Run()
    done = 0
    chunks = _all_ids(kind, CHUNK) if ids is None else _chunks(ids, CHUNK)
    for chunk in chunks:
        done += _index_chunk(run, kind, chunk)
        if progress is not None:
            progress(len(chunk))
    return done


def count_records(kind: str) -> int:
    """How many records of `kind` a full reindex visits (for progress bars)."""
    return MODELS[kind]._default_manager.count()


def clear() -> None:
    """Empty the index (documents, tags, text and counts); combinations are kept."""
    backend = backends.current()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in (DOC, TAG, TAG_COUNT):
            cursor.execute(f"DELETE FROM {table}")
        backend.clear_text(cursor)
        cursor.execute(f"UPDATE {combos.COMBOS} SET n = 0 WHERE n <> 0")
