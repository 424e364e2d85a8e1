"""Registry pages shared by every list: the dashboard, the country switcher, and small helpers
the organisation, initiative, relationship and review views build on."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Model, ProtectedError, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buicasus.accounts import permissions
from buicasus.registry import services
from buicasus.registry.models import Country, NutsRegion

M = TypeVar("M", bound=Model)


# --- helpers used by the other view modules -----------------------------------------------


def is_htmx(request: HttpRequest) -> bool:
    """A fragment request from htmx (history restores want the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request"])
    return response


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` parameter when it points back into this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def paginate(request: HttpRequest, qs: QuerySet[Any]) -> Page:
    return Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def list_data(request: HttpRequest) -> dict[str, Any]:
    """The filter parameters of a list, with the session's country as default."""
    data: dict[str, Any] = request.GET.dict()
    if "country" not in request.GET:
        data["country"] = request.session.get("country", "")
    return data


def sees_unpublished(user: Any) -> bool:
    """Whether the user reads unpublished records somewhere (and so filters by status)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(permissions.countries_with(user, permissions.Role.VIEWER))


def require_contributor(user: Any) -> list[str]:
    """Codes of the countries where the user may propose records; 403 when there are none."""
    codes = permissions.countries_with(user, permissions.Role.CONTRIBUTOR)
    if not codes:
        raise PermissionDenied
    return codes


def viewable(user: Any, model: type[M], pk: int) -> M:
    """The record, or 404 when it does not exist or the user may not see it."""
    record = model._default_manager.select_related("country").filter(pk=pk).first()
    if record is None or not permissions.can_view(user, record):
        raise Http404
    return record


def initial_country(request: HttpRequest, codes: list[str]) -> dict[str, str]:
    """A new record's country: the session's, else the user's only one."""
    chosen = request.session.get("country", "")
    if chosen in codes:
        return {"country": chosen}
    return {"country": codes[0] if len(codes) == 1 else ""}


def limit_countries(form: Any, codes: list[str]) -> None:
    """Offer only the countries (and their NUTS regions) the user may write in. Validation
    still accepts any code, so a refusal is a 403 from the service, not "unknown country"."""
    current = getattr(form.instance, "country_id", None)
    allowed = Country.objects.filter(code__in=codes) | Country.objects.filter(pk=current)
    countries = list(allowed.distinct().order_by("code"))
    field = form.fields["country"]
    field.widget.choices = [("", field.empty_label or "")] + [(c.code, c.name()) for c in countries]
    for name in ("region", "regions"):
        if name not in form.fields:
            continue
        regions = NutsRegion.objects.filter(country__in=countries).order_by("code")
        groups: dict[str, list[tuple[str, str]]] = {}
        for region in regions.select_related("country"):
            groups.setdefault(region.country.name(), []).append((region.code, str(region)))
        empty = [("", "---------")] if name == "region" else []
        form.fields[name].widget.choices = empty + list(groups.items())


def delete_or_explain(request: HttpRequest, record: Any) -> bool:
    """Deletes the record; when other records protect it (a pilot's source, say), says which
    and returns False instead of failing."""
    try:
        services.delete_record(request.user, record)
    except ProtectedError as exc:
        users = ", ".join(sorted({str(o) for o in exc.protected_objects})[:5])
        message = _("It cannot be deleted while other records use it: %(users)s.")
        messages.error(request, message % {"users": users})
        return False
    return True


def can_see_history(user: Any, record: Model) -> bool:
    return permissions.can_change(user, record) or permissions.can_read_unpublished(
        user, permissions.record_country(record)
    )


# --- pages ---------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: what the reader may see, counted by country and by actor type."""
    counts = services.dashboard_counts(request.user)
    return render(request, "registry/home.html", {"counts": counts})


@require_POST
def set_country(request: HttpRequest) -> HttpResponse:
    """Remember a country for this session; lists use it as their default filter."""
    code = request.POST.get("country", "").strip().upper()
    if code and Country.objects.filter(code=code).exists():
        request.session["country"] = code
    else:
        request.session.pop("country", None)
    target = urlsplit(safe_next(request, "/"))
    query = [(k, v) for k, v in parse_qsl(target.query) if k not in {"country", "page"}]
    return HttpResponseRedirect(urlunsplit(("", "", target.path, urlencode(query), "")))
