"""The search page: one box over organisations and initiatives, facets beside the results.

Without JavaScript the form submits as a plain GET; with htmx, typing, ticking a facet or
changing page replaces the results and the facets together and keeps the URL shareable.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from buicasus.search.params import parse_params
from buicasus.search.results import search_results
from buicasus.web.htmx import page_or_fragment


def search_page(request: HttpRequest) -> HttpResponse:
    params = parse_params(request.GET)
    page = search_results(request.user, params)
    context = {"result": page, "params": params}
    return page_or_fragment(request, "search/search.html", "search/partials/results.html", context)
