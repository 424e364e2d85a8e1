"""The lexical side of matching, read from the registry's full-text index (FTS5 on SQLite, a
tsvector on PostgreSQL) through the search app's backend.

The search page requires every word of a query, which a need statement never satisfies; so
each content word's prefix (`core.retrieval_lexical.query_terms`) is matched on its own with
the search app's own query syntax (`term*`), restricted to initiatives, and the matches are
ranked by summed rarity (`rank_by_terms`). Both databases tokenise alike (`core.search_query`),
so both give the same ranking.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import connection

from buicasus.core.retrieval_lexical import MAX_SHARE, query_terms, rank_by_terms
from buicasus.core.search_query import parse_query
from buicasus.search import backends
from buicasus.search.models import DOC, KIND_CODES

INITIATIVE = KIND_CODES["initiative"]


def _initiative_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {DOC} WHERE kind = %s", [INITIATIVE])
        return int(cursor.fetchone()[0])


def _matches(backend: backends.Backend, term: str, limit: int) -> set[int] | None:
    """Initiative ids whose indexed text has a word starting with `term` (None: too many)."""
    query = parse_query(f"{term}*")
    if query.empty:
        return set()
    m = backend.match(query)
    sql = (
        f"SELECT d.record_id FROM {m.source} JOIN {DOC} d ON d.id = {m.id} "
        f"WHERE {m.condition} AND d.kind = %s LIMIT {int(limit) + 1}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*m.source_params, *m.params, INITIATIVE])
        found = {int(r[0]) for r in cursor.fetchall()}
    return None if len(found) > limit else found


def rank(text: str, allowed: Collection[int] | None = None) -> list[int]:
    """Initiative ids ranked by the need's words they contain (filtered to `allowed`)."""
    terms = query_terms(text)
    if not terms:
        return []
    n_docs = _initiative_count()
    if not n_docs:
        return []
    backend = backends.current()
    limit = max(50, int(MAX_SHARE * n_docs))
    matches: dict[str, set[int]] = {}
    for term in terms:
        found = _matches(backend, term, limit)
        if found is not None:
            matches[term] = found
    ranked = [int(d) for d in rank_by_terms(matches, n_docs)]  # type: ignore[call-overload]
    if allowed is not None:
        allowed_set = set(allowed)
        ranked = [d for d in ranked if d in allowed_set]
    return ranked
