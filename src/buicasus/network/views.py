"""Network pages: the interactive view with its tables (/network/), the isolated actors, the
static SVG figure and the downloads. Thin: parse the filters, call `services`, render.

The page works without JavaScript (figures and tables are server-rendered; the tables are
what keyboard and screen-reader users read); `static/network/network.js` draws the Cytoscape
view from `/api/v1/network/graph`, whose address the page passes in a data attribute.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from buicasus.core.network import NetworkSummary
from buicasus.core.network_figure import type_colours
from buicasus.network import exports, services, tasks
from buicasus.network.forms import NetworkFilterForm
from buicasus.reference.models import Country


def _filters(request: HttpRequest) -> tuple[NetworkFilterForm, str | None, list[str]]:
    """The filter form, with the session's country as default (as the list pages)."""
    data: QueryDict = request.GET.copy()
    if "country" not in request.GET:
        data["country"] = request.session.get("country", "")
    form = NetworkFilterForm(data)
    country, types = form.filters()
    return form, country, types


def _query(**params: Any) -> str:
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs += [(key, str(v)) for v in values if v is not None]
    return urlencode(pairs)


def _country_names() -> dict[str, str]:
    return {c.code: c.name() for c in Country.objects.all()}


def _broker_rows(summary: NetworkSummary, labels: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "broker": b,
            "type_label": labels.get(b.actor_type, b.actor_type),
            "types": ", ".join(labels.get(t, t) for t in b.neighbour_types),
            "url": reverse("registry:organisation-detail", args=[b.id]),
        }
        for b in summary.brokers
    ]


def _community_rows(
    summary: NetworkSummary, labels: dict[str, str], countries: dict[str, str]
) -> list[dict[str, Any]]:
    return [
        {
            "community": c,
            "types": ", ".join(f"{labels.get(t, t)} ({n})" for t, n in c.actor_types),
            "countries": ", ".join(f"{countries.get(k, k)} ({n})" for k, n in c.countries),
        }
        for c in summary.communities
    ]


def _recompute_context(request: HttpRequest, country: str | None, job: Any) -> dict[str, Any]:
    """The status block of the recompute a page asked for (None when the network is current)."""
    if job is None:
        return {"job": None}
    query = _query(country=country or "")
    return {
        "job": job,
        "poll_url": reverse("network:status") + "?" + query,
        "refresh_url": request.get_full_path(),
    }


def network_page(request: HttpRequest) -> HttpResponse:
    """Figures and tables of the stored network; when the registry changed since, they show
    while a worker recomputes it, and a status block follows that job."""
    form, country, types = _filters(request)
    snapshot, job = tasks.current_or_requested(request.user, country, metrics=False)
    countries = _country_names()
    context = {
        "form": form,
        "country": country,
        "country_name": countries.get(country or "", ""),
        "summary": None,
        **_recompute_context(request, country, job),
    }
    if snapshot is None:
        return render(request, "network/network.html", context)
    summary = NetworkSummary.from_dict(snapshot.summary)
    labels = services.type_labels()
    scope = _query(country=country or "")
    context |= {
        "summary": summary,
        "brokers": _broker_rows(summary, labels),
        "communities": _community_rows(summary, labels, countries),
        "pairs": [
            {"a": countries.get(p.a, p.a), "b": countries.get(p.b, p.b), "ties": p.ties}
            for p in summary.cross_border_pairs[:20]
        ],
        "cross_sector_percent": round(100 * summary.cross_sector_share, 1),
        "graph_url": reverse("api:network-graph") + "?" + _query(country=country, actor_type=types),
        "figure_url": reverse("network:figure") + "?" + scope,
        "isolated_url": reverse("network:isolated") + "?" + scope,
        "downloads": [
            (name, reverse("network:download", args=[name]) + "?" + scope)
            for name in exports.FORMATS
        ],
        "view_limit": services.VIEW_LIMIT,
        "type_colours": _colours(labels),
    }
    return render(request, "network/network.html", context)


def recompute_status(request: HttpRequest) -> HttpResponse:
    """The status block of the reader's own network recompute, which the page polls. The job
    is found by the reader's visibility scope, so nobody follows another scope's job."""
    _form, country, _types = _filters(request)
    job = tasks.latest_job(request.user, country)
    if job is None:
        return HttpResponse(status=204)
    context = _recompute_context(request, country, job)
    context["refresh_url"] = reverse("network:index") + "?" + _query(country=country or "")
    response = render(request, "jobs/_status.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _colours(labels: dict[str, str]) -> list[dict[str, str]]:
    """A colour per actor type, the legend's and (read from it) the interactive view's: the
    same as the static figure's, from `core.network_figure.type_colours`."""
    colours = type_colours(labels)
    return [
        {"code": code, "label": labels[code], "colour": colours[code]} for code in sorted(labels)
    ]


def isolated_page(request: HttpRequest) -> HttpResponse:
    """Organisations without any tie or shared initiative, a page at a time (from the stored
    network, as the network page)."""
    form, country, _types = _filters(request)
    snapshot, job = tasks.current_or_requested(request.user, country)
    isolated = snapshot.metrics.get("isolated", []) if snapshot is not None else []
    page = Paginator(isolated, 50).get_page(request.GET.get("page"))
    names = services.organisation_names(request.user, page.object_list)
    rows = [
        {"name": names[pk], "url": reverse("registry:organisation-detail", args=[pk])}
        for pk in page.object_list
        if pk in names
    ]
    countries = _country_names()
    context = {
        "form": form,
        "country": country,
        "country_name": countries.get(country or "", _("all countries")),
        "computed": snapshot is not None,
        "page": page,
        "rows": rows,
        "back_url": reverse("network:index") + "?" + _query(country=country or ""),
        **_recompute_context(request, country, job),
    }
    return render(request, "network/isolated.html", context)


def _pending(request: HttpRequest, country: str | None) -> HttpResponse:
    """A file asked for before the network was ever computed: back to the page that follows
    the recompute (303), or 503 with a hint for a program that cannot follow it."""
    if request.headers.get("Accept", "").startswith("text/html"):
        target = reverse("network:index") + "?" + _query(country=country or "")
        return HttpResponseRedirect(target, status=303)
    response = HttpResponse(
        _("The network is being computed; try again in a moment."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "10"
    return response


def figure_svg(request: HttpRequest) -> HttpResponse:
    """The static figure the reports use, as an SVG file."""
    _form, country, _types = _filters(request)
    snapshot, _job = tasks.current_or_requested(request.user, country)
    if snapshot is None:
        return _pending(request, country)
    with tasks.reading_stored():
        svg = services.network_figure_svg(country, user=request.user)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="buicasus-network.svg"'
    return response


def download(request: HttpRequest, format_name: str) -> HttpResponse:
    """The stored network as a file (stale rather than computed in the request)."""
    _form, country, _types = _filters(request)
    if format_name in exports.FORMATS:
        tasks.current_or_requested(request.user, country, metrics=False)
    try:
        with tasks.reading_stored():
            chosen, blocks = exports.export(request.user, country, format_name)
    except services.NetworkPending:
        return _pending(request, country)
    except services.NetworkError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    return exports.streaming_response(chosen, blocks, country)
