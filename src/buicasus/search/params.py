"""What a search asks for, read the same way from a page's query string and from the API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from buicasus.search.facets import KINDS, ORDER

SORTS = ("relevance", "name", "newest")
MAX_PAGE_SIZE = 200
# Results beyond this rank are not paged through: past it a reader refines the search instead.
# 100,000 keeps page 500 (rank 12,500) well inside and every offset bounded.
MAX_WINDOW = 100_000


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: Mapping[str, frozenset[str]] = field(default_factory=dict)
    region: str = ""
    sort: str = "relevance"
    page: int = 1
    page_size: int = 25

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def kind(self) -> str:
        kinds = self.filters.get("kind", frozenset())
        return next(iter(kinds)) if len(kinds) == 1 else ""


def _positive(value: Any, default: int, ceiling: int | None = None) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return default
    if number < 1:
        return default
    return min(number, ceiling) if ceiling else number


def _values(data: Any, name: str) -> list[str]:
    """All values of a parameter: repeated (`country=ES&country=FR`) or comma-separated."""
    raw = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
    if isinstance(raw, str):
        raw = [raw]
    found: list[str] = []
    for item in raw or []:
        found += [v.strip() for v in str(item).split(",") if v.strip()]
    return found


def parse_params(data: Any) -> SearchParams:
    """A query string (a QueryDict or a dict of lists) → `SearchParams`. Lenient like a page
    must be: an unknown sort or an impossible page falls back to the default."""
    filters: dict[str, frozenset[str]] = {}
    for name in ORDER:
        if name == "region":
            continue
        values = _values(data, name)
        if name == "kind":
            values = [v for v in values if v in KINDS]
        elif name == "country":
            values = [v.upper() for v in values]
        if values:
            filters[name] = frozenset(values)
    region = _first(data, "region").upper()[:5]
    sort = _first(data, "sort") or "relevance"
    return SearchParams(
        q=_first(data, "q").strip(),
        filters=filters,
        region=region if len(region) >= 3 else "",
        sort=sort if sort in SORTS else "relevance",
        page=_positive(_first(data, "page"), 1),
        page_size=_positive(_first(data, "page_size"), settings.PAGE_SIZE, MAX_PAGE_SIZE),
    )


def _first(data: Any, name: str) -> str:
    value = data.get(name, "")
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "")
