"""JSON API routes of the search app, mounted by `buicasus.api` at /api/v1/search.

The handler reads the query string with the same parser as the page and calls the same service,
so the API answers exactly what `/search/` shows; the schema below documents and checks it.
"""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from buicasus.accounts.api import OPTIONAL_AUTH_DOC, READ_AUTH
from buicasus.registry.api_common import MAX_PAGE, READ_ERRORS
from buicasus.search.params import MAX_PAGE_SIZE, parse_params
from buicasus.search.results import SearchPage, search_results

router = Router(tags=["search"])


class SearchQuery(Schema):
    q: str = Field(
        "",
        max_length=500,
        description='Words (all must match), prefixes (`innov*`), phrases (`"social enterprise"`); '
        "accents, case and inflection (en, fr, es, sv, lv) do not matter. When no record has "
        "every word, the records with the most of them are returned and `partial` is true.",
    )
    kind: list[Literal["organisation", "initiative"]] = Field(default_factory=list)
    country: list[str] = Field(default_factory=list, description="ISO 3166-1 codes, e.g. ES.")
    region: str = Field("", description="A NUTS code; its sub-regions are included.")
    actor_type: list[str] = Field(default_factory=list)
    policy_field: list[str] = Field(default_factory=list)
    stage: list[str] = Field(default_factory=list)
    evidence_level: list[str] = Field(default_factory=list)
    sdg: list[str] = Field(default_factory=list)
    esf_objective: list[str] = Field(default_factory=list)
    fund: list[str] = Field(default_factory=list, description="Funding-source codes, e.g. esf.")
    language: list[str] = Field(default_factory=list, description="Content languages, e.g. sv.")
    sort: Literal["relevance", "name", "newest"] = "relevance"
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(settings.PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class HitOut(Schema):
    kind: str
    id: int
    title: str
    title_html: str = Field(description="The title, HTML-escaped, matched words in <mark>.")
    snippet_html: str = Field(description="A passage, HTML-escaped, matched words in <mark>.")
    url: str
    country: str
    category: str = Field(description="Actor type or stage, in the reader's language.")
    published: bool
    review_status: str
    details: list[str] = Field(
        description="Place, funding sources and dates, in the reader's language: what tells "
        "apart records of the same title."
    )


class FacetValueOut(Schema):
    code: str
    label: str
    count: int
    selected: bool


class FacetOut(Schema):
    name: str
    label: str
    values: list[FacetValueOut]


class SearchOut(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    q: str
    sort: str
    notices: list[str]
    partial: bool = Field(
        description="No record matched every word or phrase: the results are the records "
        "matching the most of them (`matched_words` of `query_words`)."
    )
    matched_words: int = Field(description="How many of the words or phrases each result has.")
    query_words: int = Field(description="Words and phrases searched for (common words left out).")
    results: list[HitOut]
    facets: list[FacetOut]
    region_path: list[FacetValueOut] = Field(
        description="The selected region and the levels above it."
    )


def page_payload(page: SearchPage) -> dict[str, Any]:
    """The API's view of a search page (also used by tests to compare with the page)."""
    return {
        "count": page.total,
        "page": page.params.page,
        "page_size": page.params.page_size,
        "pages": page.pages,
        "q": page.params.q,
        "sort": page.params.sort,
        "notices": page.notices,
        "partial": page.partial,
        "matched_words": page.matched_words,
        "query_words": page.query_words,
        "results": [{**hit.__dict__, "title_html": str(hit.title_html)} for hit in page.hits],
        "facets": page.facets,
        "region_path": page.regions,
    }


@router.get(
    "",
    response={200: SearchOut, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def search(request: HttpRequest, filters: Query[SearchQuery]) -> dict[str, Any]:
    """Organisations and initiatives matching words and facets, with facet counts.

    Facet values of one facet are alternatives (any of them), facets combine (all of them);
    each facet's counts ignore its own selection. Repeat a parameter for several values.
    """
    return page_payload(search_results(request.user, parse_params(request.GET)))
