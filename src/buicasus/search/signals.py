"""The search index listens to the registry's change event: whatever wrote the records (pages,
API, admin, import, undo, merge), the index is brought up to date once per transaction, after
it commits."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models.signals import post_migrate

from buicasus.registry import changes
from buicasus.search.backends import FTS_TABLE
from buicasus.search.indexing import MODELS, reindex
from buicasus.search.models import DOC


def _records_changed(sender: str, ids: frozenset[int], **kw: Any) -> None:
    if sender in MODELS:
        reindex(sender, sorted(ids))


def _cleared_database(sender: Any, **kw: Any) -> None:
    """After `flush` (tests) the document table is empty but SQLite's FTS5 table, which Django
    does not know about, is not: empty it too so stale rows cannot match."""
    using = kw.get("using") or "default"
    if getattr(sender, "label", "") != "search" or using != connection.alias:
        return
    if connection.vendor != "sqlite":
        return
    table = DOC
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        if FTS_TABLE not in names or table not in names:
            return
        cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")
        if cursor.fetchone() is None:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")


def connect() -> None:
    """Called once from the app's `ready()`."""
    changes.records_changed.connect(_records_changed, dispatch_uid="search-records-changed")
    post_migrate.connect(_cleared_database, dispatch_uid="search-flush")
