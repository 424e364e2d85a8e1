"""The search service behind the page, the API and the benchmark: `search(user, params)`.

One search is a handful of queries whose cost grows with the matching rows, not the registry:

1. **Combination counts.** With words, one GROUP BY on `id & 0xFFFFFF` over the full-text
   matches gives the matches per combination of single-valued facet codes (the combination is
   packed into the document id, so no row is looked up). Without words, the stored counts are
   read. Totals, visibility and those facets' counts follow in Python (`facets.count`).
2. **Tag counts** (regions, policy fields, SDGs, ESF+ objectives, funds): one GROUP BY joining
   the matches to their tags, plus one per selected tag facet (whose own selection it ignores).
   Without words and filters they come from stored counts too.
3. **The page.** Relevance puts matches whose titles contain every clause first, then the rest,
   each newest first. Both engines give identical orders. On SQLite both tiers come out of the
   FTS5 index in id order, so page 500 skips 12,475 index entries and sorts nothing; PostgreSQL
   collects the matches from its GIN index and keeps the top of a sort. "Newest" is id order
   too; "name" sorts the matches by their folded title. Offsets stop at `MAX_WINDOW`.

When no record the reader sees matches every word of a query of several, the search falls back
to the best partial matches: the records matching as many of the words as any record does
(`ParsedQuery.at_least`), and says so (`Outcome.query.partial`).

Visibility is the registry's permission policy (`registry.policies`), evaluated on combinations
(which carry country, publication and review state) plus the reader's own records; it applies to
every count as well as to the results, so nothing unpublished leaks through a facet.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from buicasus.core.search_query import ParsedQuery, parse_query, partial_groups
from buicasus.registry.policies import INITIATIVES, ORGANISATIONS
from buicasus.search import backends, combos
from buicasus.search.backends import Backend, TextMatch
from buicasus.search.facets import TAGS, Combo, FacetCounts, Tag, allowed, count
from buicasus.search.models import COMBO_MASK, DOC, TAG, TAG_COUNT
from buicasus.search.params import MAX_WINDOW, SearchParams

REGION = TAGS["region"]
# A partial query spells out every choice of words; past this many it is not tried.
MAX_PARTIAL_GROUPS = 64
# Without words, below this share of the index the filtered documents are fetched through the
# combination index and sorted; above it the index is read in order and filtered on the fly.
BROWSE_INDEX_SHARE = 0.02
SQL = tuple[str, list[Any]]


@dataclass
class Outcome:
    """What the search found, before labels and snippets are added (see `results`)."""

    params: SearchParams
    query: ParsedQuery
    counts: FacetCounts
    tags: dict[str, dict[str, int]]  # tag facet → code → count (regions: one level)
    doc_ids: list[int]
    notices: list[str] = field(default_factory=list)
    # Seconds spent per step, for benchmarks and profiling.
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.counts.total

    @property
    def pages(self) -> int:
        return math.ceil(min(self.total, MAX_WINDOW) / self.params.page_size)


POLICIES = {"organisation": ORGANISATIONS, "initiative": INITIATIVES}


def visibility(user: Any, known: dict[int, Combo]) -> tuple[set[int], set[int]]:
    """The combinations whose records `user` sees, and those whose records they see only when
    they created them: the registry's policy, read from the values a combination carries."""
    visible: set[int] = set()
    mine: set[int] = set()
    for combo_id, combo in known.items():
        seen = {
            "country": [combo.country],
            "published": [combo.published],
            "review_status": [combo.review_status],
        }
        policy = POLICIES[combo.kind]
        if policy.allows_values(user, _lookup(seen)):
            visible.add(combo_id)
        elif policy.allows_values(user, _lookup({**seen, "created_by_id": [user.pk]})):
            mine.add(combo_id)
    return visible, mine


def _lookup(values: dict[str, list[Any]]) -> Callable[[str], list[Any]]:
    return lambda path: values.get(path, [])


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


TagFilters = dict[int, list[int]]  # tag facet number → ids of the selected tags (any will do)
EVERYTHING = TextMatch(f"{DOC} f", "1 = 1", [], "f.id", "", "f.sort_key")


@dataclass
class _Search:
    """One search in progress: what it may see, what it filters, where it reads."""

    backend: Backend
    params: SearchParams
    query: ParsedQuery
    combos: dict[int, Combo]
    tags: dict[int, Tag]
    visible: set[int]
    own: list[int]  # documents visible only because the reader created them
    tag_filters: TagFilters  # region included
    allowed: list[int] = field(default_factory=list)  # visible combinations passing filters
    own_allowed: list[int] = field(default_factory=list)
    sizes: dict[int, int] = field(default_factory=dict)  # matching documents per combination
    tag_sizes: dict[int, int] = field(default_factory=dict)  # documents per selected tag facet

    def source(self, filters: TagFilters) -> tuple[TextMatch, TagFilters]:
        """The rows to read, and the tag filters left to check on them: the text matches;
        without words, the documents carrying the selected values of the most selective tag
        facet (read from the tag index), else every document."""
        if not self.query.empty:
            return self.backend.match(self.query), filters
        if not filters:
            return EVERYTHING, filters
        driver = min(filters, key=lambda f: (self.tag_sizes.get(f, 0), f))
        ids = filters[driver]
        inside, extra = self.backend.in_list("tag", ids)
        distinct = "DISTINCT " if len(ids) > 1 else ""
        m = TextMatch(
            source=f"(SELECT {distinct}doc_id AS id FROM {TAG} WHERE {inside}) f",
            condition="1 = 1",
            params=[],
            id="f.id",
            sort_join=f"JOIN {DOC} d ON d.id = f.id",
            sort_key="d.sort_key",
            source_params=extra,
        )
        return m, {f: c for f, c in filters.items() if f != driver}

    def tag_sql(self, doc_id: str, filters: TagFilters) -> SQL:
        """EXISTS conditions for selected tag values (any value of a facet will do)."""
        parts, params = [], []
        for number, (_facet, ids) in enumerate(sorted(filters.items())):
            alias = f"tf{number}"
            inside, extra = self.backend.in_list(f"{alias}.tag", ids)
            parts.append(
                f"EXISTS (SELECT 1 FROM {TAG} {alias} WHERE {alias}.doc_id = {doc_id} AND {inside})"
            )
            params += extra
        return " AND ".join(parts), params

    def visible_sql(self, doc_id: str, combo_expr: str | None = None) -> SQL:
        """Visible and passing the combination filters; callers skip the query when no
        document can pass (`self.nothing`)."""
        parts, params = [], []
        if self.allowed:
            expr = combo_expr or f"({doc_id} & {COMBO_MASK})"
            sql, extra = self.backend.in_list(expr, self.allowed)
            parts.append(sql)
            params += extra
        if self.own_allowed:
            sql, extra = self.backend.in_list(doc_id, self.own_allowed)
            parts.append(sql)
            params += extra
        return "(" + " OR ".join(parts) + ")", params

    @property
    def nothing(self) -> bool:
        return not self.allowed and not self.own_allowed

    def statement(
        self, m: TextMatch, what: str, conditions: list[SQL], tail: str = "", join: str = ""
    ) -> SQL:
        """`SELECT what FROM source join WHERE source condition AND conditions tail`."""
        sql = f"SELECT {what} FROM {m.source} {join} WHERE {m.condition}"
        params = [*m.source_params, *m.params]
        for condition, extra in conditions:
            if condition:
                sql += f" AND {condition}"
                params += extra
        return sql + tail, params

    def select(
        self, m: TextMatch, what: str, conditions: list[SQL], tail: str = "", join: str = ""
    ) -> list[tuple[Any, ...]]:
        return _rows(*self.statement(m, what, conditions, tail, join))


def _start(user: Any, params: SearchParams) -> _Search:
    known = combos.all_combos()
    tags = combos.all_tags()
    visible, mine = visibility(user, known)
    own: list[int] = []
    if mine:
        rows = _rows(f"SELECT id FROM {DOC} WHERE created_by_id = %s", [user.pk])
        own = sorted(int(r[0]) for r in rows if int(r[0]) & COMBO_MASK in mine)
    by_code = {(facet, code): i for i, (facet, code, _p) in tags.items()}
    selected = {TAGS[n]: codes for n, codes in params.filters.items() if n in TAGS and codes}
    if params.region:
        selected[REGION] = frozenset([params.region])
    # An unknown code is a tag no document has: -1 keeps the filter and matches nothing.
    tag_filters = {
        facet: sorted({by_code.get((facet, code), -1) for code in codes})
        for facet, codes in selected.items()
    }
    query = parse_query(params.q)
    s = _Search(backends.current(), params, query, known, tags, visible, own, tag_filters)
    if query.empty:
        for facet, ids in tag_filters.items():
            sql, extra = s.backend.in_list("tag", ids)
            rows = _rows(f"SELECT sum(n) FROM {TAG_COUNT} WHERE {sql}", extra)
            s.tag_sizes[facet] = int(rows[0][0] or 0)
    return s


# --- counts --------------------------------------------------------------------------------


def _combo_counts(s: _Search) -> dict[int, int]:
    """Visible matching documents per combination, every tag filter applied."""
    filters = s.tag_filters
    if s.query.empty and not filters:
        rows = _rows(f"SELECT id, n FROM {combos.COMBOS} WHERE n > 0", [])
    elif s.query.empty and len(filters) == 1 and len(next(iter(filters.values()))) == 1:
        [(_facet, [tag])] = filters.items()
        rows = _rows(f"SELECT combo, n FROM {TAG_COUNT} WHERE tag = %s AND n > 0", [tag])
    else:
        m, rest = s.source(filters)
        rows = s.select(
            m, f"{m.id} & {COMBO_MASK}, count(*)", [s.tag_sql(m.id, rest)], " GROUP BY 1"
        )
    counts = {int(c): int(n) for c, n in rows if int(c) in s.visible}
    if s.own:
        m, rest = s.source(filters)
        mine = s.select(m, m.id, [s.backend.in_list(m.id, s.own), s.tag_sql(m.id, rest)])
        for (doc_id,) in mine:
            counts[int(doc_id) & COMBO_MASK] = counts.get(int(doc_id) & COMBO_MASK, 0) + 1
    return counts


def _tag_counts(s: _Search) -> dict[str, dict[str, int]]:
    """Counts of tag values: regions one level below the selected one (NUTS 1 when none is),
    and every value of the other tag facets, each ignoring its own selection."""
    names = {number: name for name, number in TAGS.items()}
    result: dict[str, dict[str, int]] = {name: {} for name in TAGS}
    if s.nothing:
        return result
    parent = s.params.region
    # (the facet a query counted alone, without its own selection; tag id; documents)
    counted: list[tuple[int | None, int, int]] = [
        (None, int(tag), int(n)) for tag, n in _values_counted(s, s.tag_filters)
    ]
    for facet in s.tag_filters:
        if facet != REGION:
            others = {f: ids for f, ids in s.tag_filters.items() if f != facet}
            only = [i for i, t in s.tags.items() if t[0] == facet]
            counted += [(facet, int(tag), int(n)) for tag, n in _values_counted(s, others, only)]
    for alone, tag_id, n in counted:
        tag = s.tags.get(tag_id)
        if tag is None or not n:
            continue
        facet, code, up = tag
        if alone is None and (facet in s.tag_filters and facet != REGION):
            continue  # counted by its own query, without its selection
        if facet == REGION and up != parent:
            continue
        bucket = result[names[facet]]
        bucket[code] = bucket.get(code, 0) + n
    return result


def _values_counted(
    s: _Search, filters: TagFilters, only: list[int] | None = None
) -> list[tuple[Any, ...]]:
    """(tag id, documents) over the visible documents passing the combination filters and the
    tag `filters`; `only` restricts the tags counted."""
    if only is not None and not only:
        return []
    if s.query.empty and not filters:
        sql, extra = s.backend.in_list("t.combo", s.allowed or [0])
        restrict, more = s.backend.in_list("t.tag", only) if only else ("1 = 1", [])
        rows = _rows(
            f"SELECT t.tag, sum(t.n) FROM {TAG_COUNT} t WHERE {sql} AND {restrict} GROUP BY t.tag",
            [*extra, *more],
        )
        if s.own_allowed:
            sql, extra = s.backend.in_list("t.doc_id", s.own_allowed)
            rows += _rows(
                f"SELECT t.tag, count(*) FROM {TAG} t WHERE {sql} AND {restrict} GROUP BY t.tag",
                [*extra, *more],
            )
        return rows
    m, rest = s.source(filters)
    join = f"{s.backend.outer_join} {TAG} t ON t.doc_id = {m.id}"
    sql = f"FROM {m.source} {join} WHERE {m.condition}"
    args = [*m.source_params, *m.params]
    conditions = [s.visible_sql(m.id), s.tag_sql(m.id, rest)]
    if only:
        conditions.append(s.backend.in_list("t.tag", only))
    for condition, extra in conditions:
        if condition:
            sql += f" AND {condition}"
            args += extra
    return s.backend.count_values("t.tag", sql, args)


# --- the page ------------------------------------------------------------------------------


def _ordered(
    s: _Search, m: TextMatch, conditions: list[SQL], by_name: bool, limit: int, offset: int
) -> list[int]:
    """One page of the text matches, newest first or by name.

    PostgreSQL would walk the id (or name) index and test every row against the tsquery,
    which is a full scan when matches are rare; the `OFFSET 0` subquery makes it collect the
    matches from the GIN index first and sort only those."""
    key = f"{m.sort_key}{s.backend.sort_collate}, " if by_name else ""
    order = f"{key}{m.id}" if by_name else f"{m.id} DESC"
    page = f" LIMIT {int(limit)} OFFSET {int(offset)}"
    join = m.sort_join if by_name else ""
    if s.backend.vendor != "postgresql":
        return [int(r[0]) for r in s.select(m, m.id, conditions, f" ORDER BY {order}{page}", join)]
    what = f"{m.id} AS id, {m.sort_key} AS sort_key" if by_name else f"{m.id} AS id"
    inner, params = s.statement(m, what, conditions, " OFFSET 0", join)
    outer = 'x.sort_key COLLATE "C", x.id' if by_name else "x.id DESC"
    return [
        int(r[0]) for r in _rows(f"SELECT x.id FROM ({inner}) x ORDER BY {outer}{page}", params)
    ]


def _page_ids(s: _Search) -> list[int]:
    p = s.params
    if s.nothing:
        return []
    if s.query.empty:
        return _browse_ids(s, f" LIMIT {int(p.page_size)} OFFSET {int(p.offset)}")
    if p.sort == "relevance":
        return _relevance_ids(s)
    m, rest = s.source(s.tag_filters)
    conditions = [s.visible_sql(m.id), s.tag_sql(m.id, rest)]
    return _ordered(s, m, conditions, p.sort == "name", p.page_size, p.offset)


def _relevance_ids(s: _Search) -> list[int]:
    """Title matches first, then the other matches, each tier newest first."""
    limit, offset = s.params.page_size, s.params.offset
    first = s.backend.match(s.query, title_only=True)
    conditions = [s.visible_sql(first.id), s.tag_sql(first.id, s.tag_filters)]
    ids = _ordered(s, first, conditions, False, limit, offset)
    if len(ids) == limit:
        return ids
    if ids or offset == 0:
        in_first = offset + len(ids)
    else:
        in_first = int(s.select(first, "count(*)", conditions)[0][0])
    rest = s.backend.match(s.query, not_title=True)
    conditions = [s.visible_sql(rest.id), s.tag_sql(rest.id, s.tag_filters)]
    return ids + _ordered(s, rest, conditions, False, limit - len(ids), max(0, offset - in_first))


def _browse_ids(s: _Search, tail: str) -> list[int]:
    """Without words: newest first (relevance means nothing here) or by name. Documents are
    read from an index in order and filtered on the fly (no lookup, no sort), except when few
    pass the combination filters: then they are fetched through the combination index."""
    m, rest = s.source(s.tag_filters)
    selected = sum(s.sizes.get(c, 0) for c in s.allowed)
    everything = sum(s.sizes.values()) or 1
    few = m is EVERYTHING and (
        s.backend.vendor != "sqlite" or selected <= BROWSE_INDEX_SHARE * everything
    )
    conditions = [s.visible_sql(m.id, "f.combo" if few else None), s.tag_sql(m.id, rest)]
    join = ""
    if s.params.sort == "name":
        order = f" ORDER BY {m.sort_key}{s.backend.sort_collate}, {m.id}"
        join = m.sort_join
    else:
        order = f" ORDER BY {m.id} DESC"
    return [int(r[0]) for r in s.select(m, m.id, conditions, order + tail, join)]


# --- entry point ---------------------------------------------------------------------------


def search(user: Any, params: SearchParams) -> Outcome:
    """Search the registry as `user` sees it (see the module docstring for how)."""
    started = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(step: str) -> None:
        timings[step] = time.perf_counter() - started - sum(timings.values())

    s = _start(user, params)
    notices = list(s.query.notices)
    lap("context")
    counts_by_combo = _combo_counts(s)
    if not _visible_total(s, counts_by_combo):
        counts_by_combo = _partial(s) or counts_by_combo
    if any(c not in s.combos for c in counts_by_combo):
        s.combos, s.tags = combos.all_combos(refresh=True), combos.all_tags()
    s.sizes = counts_by_combo
    counts = count(counts_by_combo, s.combos, params.filters)
    s.allowed = allowed(s.combos, s.visible, params.filters)
    passing = set(allowed(s.combos, {d & COMBO_MASK for d in s.own}, params.filters))
    s.own_allowed = [d for d in s.own if d & COMBO_MASK in passing]
    lap("counts")
    tags = _tag_counts(s)
    lap("tags")
    if params.offset >= MAX_WINDOW:
        notices.append("beyond_window")
        doc_ids: list[int] = []
    else:
        doc_ids = _page_ids(s)
    lap("page")
    return Outcome(params, s.query, counts, tags, doc_ids, notices, timings)


def _visible_total(s: _Search, counts_by_combo: dict[int, int]) -> int:
    """Matches passing the facet filters (the total the reader would see)."""
    known = s.combos
    if any(c not in known for c in counts_by_combo):
        known = combos.all_combos(refresh=True)
    return count(counts_by_combo, known, s.params.filters).total


def _partial(s: _Search) -> dict[int, int] | None:
    """Counts for the largest number of the query's words that some records match, with
    `s.query` set to ask for that many; None (and `s.query` unchanged) when no fewer words
    find anything either, or the query has one word."""
    whole = s.query
    words = len(whole.clauses)
    for minimum in range(words - 1, 0, -1):
        if partial_groups(words, minimum) > MAX_PARTIAL_GROUPS:
            break
        s.query = whole.at_least(minimum)
        counts_by_combo = _combo_counts(s)
        if _visible_total(s, counts_by_combo):
            return counts_by_combo
    s.query = whole
    return None
