"""What differs between SQLite and PostgreSQL in the search index: the full-text table, how a
text query is written, how a list of numbers is passed, and the collation of the name sort.

Everything else (documents, combinations, tags, counts) is plain tables shared by both, and
the text itself is tokenised in Python (`core.search_query`), so both engines see the same
tokens: FTS5 with the `ascii` tokenizer only splits on the spaces between them, and PostgreSQL
receives a ready-made `tsvector` (no parser, no dictionary, no locale).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from buicasus.core.search_query import ParsedQuery, to_fts5, to_tsquery, tsvector_literal
from buicasus.search.models import DOC

# SQLite's FTS5 table is not a Django model: its name lives here only.
FTS_TABLE = "search_fts"


@dataclass(frozen=True)
class TextMatch:
    """`FROM {source} WHERE {condition}` selects the documents searched (text matches, or
    documents with a tag), whose id is `{id}`; adding `{sort_join}` to the FROM makes
    `{sort_key}` available for ordering. `source_params` belong to `source`, `params` to
    `condition`."""

    source: str
    condition: str
    params: list[Any]
    id: str
    sort_join: str
    sort_key: str
    source_params: list[Any] = field(default_factory=list)


class Backend:
    vendor = ""
    sort_collate = ""
    # Joins onto the text matches: SQLite must read the full-text index first (CROSS JOIN
    # fixes the order), PostgreSQL's planner chooses well from its statistics.
    outer_join = "JOIN"

    def in_list(self, expr: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """`expr IN values` with the whole list as one parameter."""
        raise NotImplementedError

    def match(
        self, query: ParsedQuery, *, title_only: bool = False, not_title: bool = False
    ) -> TextMatch:
        """Documents matching `query`; `title_only`: every clause in the titles; `not_title`:
        the matches that are not title matches (the second tier of relevance)."""
        raise NotImplementedError

    def count_values(self, expr: str, from_where: str, params: list[Any]) -> list[tuple[int, int]]:
        """(value, rows) of an integer expression over `FROM … WHERE …`: a GROUP BY."""
        sql = f"SELECT {expr}, count(*) {from_where} GROUP BY {expr}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(int(v), int(n)) for v, n in cursor.fetchall()]

    def insert_documents(self, cursor: Any, rows: list[tuple[Any, ...]]) -> None:
        """Rows: (id, combo, kind, record_id, sort_key, created_by_id, title, body)."""
        raise NotImplementedError

    def delete_documents(self, cursor: Any, ids: list[int]) -> None:
        raise NotImplementedError

    def clear_text(self, cursor: Any) -> None:
        """Empty the full-text index (the document table is emptied by the caller)."""


class SQLiteBackend(Backend):
    vendor = "sqlite"
    outer_join = "CROSS JOIN"

    def in_list(self, expr: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        # One JSON parameter however long the list: SQLite caps the number of parameters.
        return f"{expr} IN (SELECT value FROM json_each(%s))", [json.dumps(list(values))]

    def match(
        self, query: ParsedQuery, *, title_only: bool = False, not_title: bool = False
    ) -> TextMatch:
        expression = to_fts5(query, "title" if title_only else None)
        if not_title:
            expression = f"({expression}) NOT {to_fts5(query, 'title')}"
        return TextMatch(
            source=f"{FTS_TABLE} f",
            condition=f"f.{FTS_TABLE} MATCH %s",
            params=[expression],
            id="f.rowid",
            sort_join=f"JOIN {DOC} d ON d.id = f.rowid",
            sort_key="d.sort_key",
        )

    def count_values(self, expr: str, from_where: str, params: list[Any]) -> list[tuple[int, int]]:
        """SQLite groups by sorting; for a few hundred values over many rows, concatenating
        them and counting in Python takes about a third less time."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT group_concat({expr}) {from_where}", params)
            joined = cursor.fetchone()[0]
        if not joined:
            return []
        return [(int(v), n) for v, n in Counter(str(joined).split(",")).items()]

    def insert_documents(self, cursor: Any, rows: list[tuple[Any, ...]]) -> None:
        cursor.executemany(
            f"INSERT INTO {DOC} (id, combo, kind, record_id, sort_key, created_by_id) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [row[:6] for row in rows],
        )
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",
            [(row[0], row[6], row[7]) for row in rows],
        )

    def delete_documents(self, cursor: Any, ids: list[int]) -> None:
        if not ids:
            return
        sql, params = self.in_list("id", ids)
        cursor.execute(f"DELETE FROM {DOC} WHERE {sql}", params)
        # One statement per row: FTS5 finds a rowid by equality, not within an IN list.
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(i,) for i in ids])

    def clear_text(self, cursor: Any) -> None:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")


class PostgresBackend(Backend):
    vendor = "postgresql"
    sort_collate = ' COLLATE "C"'

    def in_list(self, expr: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        return f"{expr} = ANY(%s)", [list(values)]

    def match(
        self, query: ParsedQuery, *, title_only: bool = False, not_title: bool = False
    ) -> TextMatch:
        expression = to_tsquery(query, "A" if title_only else "")
        if not_title:
            expression = f"({expression}) & !({to_tsquery(query, 'A')})"
        return TextMatch(
            source=f"{DOC} f",
            condition="f.tsv @@ %s::tsquery",
            params=[expression],
            id="f.id",
            sort_join="",
            sort_key="f.sort_key",
        )

    def insert_documents(self, cursor: Any, rows: list[tuple[Any, ...]]) -> None:
        cursor.executemany(
            f"INSERT INTO {DOC} (id, combo, kind, record_id, sort_key, created_by_id, tsv) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s::tsvector)",
            [(*row[:6], tsvector_literal([(row[6], "A"), (row[7], "D")])) for row in rows],
        )

    def delete_documents(self, cursor: Any, ids: list[int]) -> None:
        if ids:
            cursor.execute(f"DELETE FROM {DOC} WHERE id = ANY(%s)", [ids])


def current() -> Backend:
    """The backend of the default database connection."""
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    if connection.vendor == "postgresql":
        return PostgresBackend()
    raise NotImplementedError(f"search does not support the {connection.vendor} database")
