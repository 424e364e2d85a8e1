"""The stored combinations of facet codes and tag names, and each process's copy of them.

Both are few (small vocabularies: hundreds to a few thousands for millions of records) and
never change once written, so every process keeps them in memory. A `generation` value, changed
in the same transaction that adds some, tells a process when its copy is out of date; a
rolled-back transaction rolls the generation back too, so a copy never holds rows that vanished.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import connection

from buicasus.search.facets import Combo, Tag
from buicasus.search.models import (
    COMBO_MASK,
    KIND_CODES,
    KIND_NAMES,
    SearchCombo,
    SearchState,
    SearchTagName,
)

COMBOS = SearchCombo._meta.db_table
TAG_NAMES = SearchTagName._meta.db_table
STATE = SearchState._meta.db_table
_COLUMNS = (
    "id, kind, country, published, review_status, actor_type, stage, evidence_level, languages"
)
_lock = threading.Lock()
_cache: dict[str, Any] = {"generation": None, "combos": {}, "tags": {}}


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split()) if text else frozenset()


def _from_row(row: tuple[Any, ...]) -> Combo:
    return Combo(
        kind=KIND_NAMES[int(row[1])],
        country=str(row[2]),
        published=bool(row[3]),
        review_status=str(row[4]),
        actor_type=str(row[5]),
        stage=str(row[6]),
        evidence_level=str(row[7]),
        languages=_codes(str(row[8])),
    )


def _generation() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {STATE} WHERE name = %s", ["generation"])
        row = cursor.fetchone()
    return row[0] if row else None


def _load(refresh: bool) -> dict[str, Any]:
    generation = _generation()
    with _lock:
        if refresh or generation != _cache["generation"]:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {_COLUMNS} FROM {COMBOS}")
                combos = {int(row[0]): _from_row(row) for row in cursor.fetchall()}
                cursor.execute(f"SELECT id, facet, code, parent FROM {TAG_NAMES}")
                tags = {int(i): (int(f), str(c), str(p)) for i, f, c, p in cursor.fetchall()}
            _cache.update(generation=generation, combos=combos, tags=tags)
        return dict(_cache)


def all_combos(*, refresh: bool = False) -> dict[int, Combo]:
    """Every stored combination by id, reloaded when another transaction added some."""
    combos: dict[int, Combo] = _load(refresh)["combos"]
    return combos


def all_tags(*, refresh: bool = False) -> dict[int, Tag]:
    """Every tag (facet number, code, parent) by id."""
    tags: dict[int, Tag] = _load(refresh)["tags"]
    return tags


def resolve_tags(tags: Iterable[Tag], known: dict[Tag, int]) -> dict[Tag, int]:
    """Ids of tags, adding the missing ones (`known`: the caller's cache for one run)."""
    wanted = [t for t in set(tags) if t not in known]
    if not wanted:
        return known
    with connection.cursor() as cursor:
        found = _lookup_tags(cursor, wanted)
        missing = [t for t in wanted if t not in found]
        if missing:
            cursor.executemany(
                f"INSERT INTO {TAG_NAMES} (facet, code, parent) VALUES (%s, %s, %s) "
                "ON CONFLICT (facet, code) DO NOTHING",
                missing,
            )
            found.update(_lookup_tags(cursor, missing))
            _bump_generation(cursor)
    known.update(found)
    return known


def _lookup_tags(cursor: Any, tags: list[Tag]) -> dict[Tag, int]:
    """Ids of tags by (facet, code); a region's parent follows from its code."""
    ids: dict[tuple[int, str], int] = {}
    for facet in {t[0] for t in tags}:
        codes = sorted({t[1] for t in tags if t[0] == facet})
        for start in range(0, len(codes), 500):
            chunk = codes[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT id, code FROM {TAG_NAMES} WHERE facet = %s AND code IN ({marks})",
                [facet, *chunk],
            )
            ids.update({(facet, str(code)): int(i) for i, code in cursor.fetchall()})
    return {t: ids[(t[0], t[1])] for t in tags if (t[0], t[1]) in ids}


def resolve(combos: Iterable[Combo], known: dict[Combo, int]) -> dict[Combo, int]:
    """Ids of combinations, adding the missing ones; `known` is a cache the caller keeps for
    the length of one indexing run (inside its transaction)."""
    wanted = {c.key(): c for c in combos if c not in known}
    if not wanted:
        return known
    with connection.cursor() as cursor:
        found = _lookup(cursor, list(wanted))
        missing = [combo for key, combo in wanted.items() if key not in found]
        if missing:
            cursor.executemany(
                f"INSERT INTO {COMBOS} (key, kind, country, published, review_status, "
                "actor_type, stage, evidence_level, languages, n) VALUES "
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, 0) ON CONFLICT (key) DO NOTHING",
                [_values(key, c) for key, c in wanted.items() if key not in found],
            )
            found.update(_lookup(cursor, [key for key in wanted if key not in found]))
            _bump_generation(cursor)
    for key, combo_id in found.items():
        if combo_id > COMBO_MASK:
            raise OverflowError("more facet combinations than the document id can carry")
        known[wanted[key]] = combo_id
    return known


def _lookup(cursor: Any, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(f"SELECT key, id FROM {COMBOS} WHERE key IN ({marks})", chunk)
        found.update({str(k): int(i) for k, i in cursor.fetchall()})
    return found


def _values(key: str, c: Combo) -> tuple[Any, ...]:
    return (
        key,
        KIND_CODES[c.kind],
        c.country,
        c.published,
        c.review_status,
        c.actor_type,
        c.stage,
        c.evidence_level,
        " ".join(sorted(c.languages)),
    )


def _bump_generation(cursor: Any) -> None:
    value = uuid.uuid4().hex
    cursor.execute(
        f"INSERT INTO {STATE} (name, value) VALUES (%s, %s) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        ["generation", value],
    )
