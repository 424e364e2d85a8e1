"""htmx requests: a page answers with a fragment when htmx asks for one, the full page else."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def is_htmx(request: HttpRequest) -> bool:
    """A fragment request from htmx. A history restore (back button after the cache expired)
    sends the header too but wants the whole page."""
    headers = request.headers
    return bool(
        headers.get("HX-Request") == "true" and headers.get("HX-History-Restore-Request") != "true"
    )


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """Mark a response whose body depends on the htmx header, so caches keep both."""
    patch_vary_headers(response, ["HX-Request"])
    return response


def page_or_fragment(
    request: HttpRequest, page: str, fragment: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render `fragment` for htmx and `page` otherwise, varying on the header."""
    template = fragment if is_htmx(request) else page
    return vary_on_htmx(render(request, template, context, status=status))
