"""Registry pages shared by every list: the dashboard, the country switcher, and small helpers
the organisation, initiative, relationship and review views build on."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, ProtectedError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buicasus.accounts import permissions
from buicasus.accounts.policy import policy_for
from buicasus.reference.models import Country, NutsRegion
from buicasus.registry import services
from buicasus.web.pages import safe_next

M = TypeVar("M", bound=Model)


# --- helpers used by the other view modules -----------------------------------------------


def require_contributor(user: Any) -> list[str]:
    """Codes of the countries where the user may propose records; 403 when there are none."""
    codes = permissions.countries_with(user, permissions.Role.CONTRIBUTOR)
    if not codes:
        raise PermissionDenied
    return codes


def viewable(user: Any, model: type[M], pk: int) -> M:
    """The record, or 404 when it does not exist or the user may not see it."""
    record = model._default_manager.select_related("country").filter(pk=pk).first()
    if record is None or not policy_for(model).allows(user, record):
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
    return policy_for(record).allows(user, record, "history")


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
