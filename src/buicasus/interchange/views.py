"""The export page and the "export what I see" menu of the list pages.

`/export/?kind=organisations&format=csv&country=LV…` downloads; without `format` it shows the
formats for that kind and selection. Parameters are the list filters, so a list's export link
is its own query string plus a format.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from buicasus.interchange.downloads import prepare, streaming_response, wants_bom
from buicasus.interchange.exporters import EXPORTERS
from buicasus.interchange.services import FILTERS, KINDS, ExportError, clean_filters

KIND_LABELS = {
    "organisations": _("Organisations"),
    "initiatives": _("Initiatives"),
    "registry": _("The whole registry"),
}


def export_links(kind: str, filters: dict[str, str]) -> list[dict[str, Any]]:
    """One download link per format that holds `kind`, carrying the filters."""
    base = reverse("interchange:export")
    links = []
    for name, exporter in EXPORTERS.items():
        if kind not in exporter.kinds:
            continue
        query = {"kind": kind, "format": name, **filters}
        links.append(
            {
                "name": name,
                "label": exporter.label,
                "url": f"{base}?{urlencode(query)}",
                "reimportable": exporter.reimportable,
            }
        )
        if exporter.offers_bom:
            links.append(
                {
                    "name": name,
                    "label": _("CSV for Microsoft Excel (UTF-8 with byte-order mark)"),
                    "url": f"{base}?{urlencode({**query, 'bom': '1'})}",
                    "reimportable": exporter.reimportable,
                }
            )
    return links


def list_filters(request: HttpRequest) -> dict[str, str]:
    """The filters a list page applies: its query string, the session's country by default.
    Values a list would drop (unknown codes) are dropped here too."""
    data: dict[str, Any] = {k: v for k, v in request.GET.items() if k in FILTERS}
    if "country" not in request.GET:
        data["country"] = request.session.get("country", "")
    kept: dict[str, str] = {}
    for name, value in data.items():
        try:
            kept.update(clean_filters({name: value}))
        except ExportError:
            continue
    return kept


def export(request: HttpRequest) -> HttpResponse:
    """A download when `format` is given; else the formats for this kind and these filters.
    Every check happens before the first byte, so a refusal is a page, not a broken file."""
    kind = request.GET.get("kind") or "registry"
    format_name = request.GET.get("format", "")
    try:
        if format_name:
            exporter, selection = prepare(
                request.user,
                kind,
                format_name,
                request.GET,
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
            return streaming_response(exporter, selection, bom=wants_bom(request.GET.get("bom")))
        if kind not in KINDS:
            raise ExportError(
                _("Unknown kind “%(kind)s”; use one of %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(KINDS)}
            )
        filters = clean_filters(request.GET)
    except ExportError as exc:
        context = {"error": str(exc), "kinds": _kind_links({})}
        return render(request, "interchange/export.html", context, status=400)
    context = {
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "filters": filters,
        "links": export_links(kind, filters),
        "kinds": _kind_links(filters),
    }
    return render(request, "interchange/export.html", context)


def _kind_links(filters: dict[str, str]) -> list[dict[str, Any]]:
    base = reverse("interchange:export")
    return [
        {"kind": k, "label": label, "url": f"{base}?{urlencode({'kind': k, **filters})}"}
        for k, label in KIND_LABELS.items()
    ]


def menu(request: HttpRequest) -> HttpResponse:
    """The export menu of a list page, redrawn (htmx) when its filters change."""
    kind = request.GET.get("kind", "")
    if kind not in ("organisations", "initiatives"):
        return HttpResponse(status=400)
    return render(
        request, "interchange/export_menu.html", menu_context(kind, list_filters(request))
    )


def menu_context(kind: str, filters: dict[str, str]) -> dict[str, Any]:
    return {
        "kind": kind,
        "filters": filters,
        "links": export_links(kind, filters),
    }
