"""The search page: one box over organisations and initiatives, facets beside the results.

Without JavaScript the form submits as a plain GET; with htmx, typing, ticking a facet or
changing page replaces the results and the facets together and keeps the URL shareable.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from buicasus.search.params import parse_params
from buicasus.search.results import search_results


def _fragment(request: HttpRequest) -> bool:
    """An htmx request for the results only (a history restore wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def search_page(request: HttpRequest) -> HttpResponse:
    params = parse_params(request.GET)
    page = search_results(request.user, params)
    context = {"result": page, "params": params}
    template = "search/partials/results.html" if _fragment(request) else "search/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
