"""What list and form pages share: filters defaulting to the session's country, pagination,
and the address to return to after a form."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def list_data(request: HttpRequest) -> dict[str, Any]:
    """The filter parameters of a list, with the session's country as default."""
    data: dict[str, Any] = request.GET.dict()
    if "country" not in request.GET:
        data["country"] = request.session.get("country", "")
    return data


def paginate(request: HttpRequest, qs: QuerySet[Any]) -> Page:
    return Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` parameter when it points back into this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
