"""The map page (/map/) and its SVG download: parse the choices, call `services.choropleth`,
render. The page works without JavaScript; htmx only swaps the results when a filter changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buicasus.accounts import permissions
from buicasus.core import geo
from buicasus.maps import services
from buicasus.maps.forms import MapForm, filter_form
from buicasus.maps.geometry import MapUnavailable
from buicasus.web.htmx import is_htmx, page_or_fragment
from buicasus.web.pages import list_data

KIND_LABELS = MapForm.base_fields["kind"].choices
LIST_URLS = {
    "organisations": "registry:organisation-list",
    "initiatives": "registry:initiative-list",
}


@dataclass(frozen=True)
class RegionRow:
    """A drawn region as the SVG and the table show it."""

    code: str
    name: str
    path: str
    count: int
    colour: str
    href: str
    label: str


def count_label(kind: str, count: int) -> str:
    if kind == "organisations":
        text = ngettext("%(count)d organisation", "%(count)d organisations", count)
    else:
        text = ngettext("%(count)d initiative", "%(count)d initiatives", count)
    return str(text) % {"count": count}


def points_svg(markers: services.Markers) -> SafeString:
    """The point markers as SVG, built here rather than in the template: a map carries up to
    MAX_POINT_MARKERS of them and the template language costs ~0.3 ms per marker."""
    labels: dict[int, str] = {}
    parts = []
    for m in markers.items:
        if m.pk:
            href = reverse("registry:organisation-detail", args=[m.pk])
            parts.append(
                format_html(
                    '<a href="{}" class="point"><title>{}</title>'
                    '<circle cx="{}" cy="{}" r="3.5"/></a>',
                    href,
                    m.name,
                    m.x,
                    m.y,
                )
            )
            continue
        if m.count not in labels:
            labels[m.count] = ngettext(
                "%(count)d organisation at this place",
                "%(count)d organisations at this place",
                m.count,
            ) % {"count": m.count}
        radius = 5 if m.count < 10 else 7 if m.count < 100 else 9
        parts.append(
            format_html(
                '<circle class="cluster" cx="{}" cy="{}" r="{}"><title>{}</title></circle>',
                m.x,
                m.y,
                radius,
                labels[m.count],
            )
        )
    return mark_safe("\n".join(parts))  # every part went through format_html


def _query(params: dict[str, Any], **extra: Any) -> str:
    merged = {**{k: str(v) for k, v in params.items()}, **extra}
    merged.setdefault("country", "")  # an explicit "all countries" beats the session default
    return urlencode({k: v for k, v in merged.items() if v is not None})


def map_context(request: HttpRequest) -> dict[str, Any]:
    """Forms, the choropleth and the links, shared by the page, its htmx fragment and the SVG."""
    data = list_data(request)
    map_form = MapForm(data)
    kind, level, classes = map_form.choices()
    staff = permissions.sees_unpublished(request.user)
    filters = filter_form(kind, data, staff=staff)
    params = services.clean_params({**filters.params(), "region": data.get("region", "")})
    list_url = reverse(LIST_URLS[kind])
    choices = {"kind": kind, "level": level, "classes": classes}
    unregioned = {k: v for k, v in params.items() if k != "region"}
    context: dict[str, Any] = {
        "map_form": map_form,
        "form": filters,
        **choices,
        "region_filter": params.get("region", ""),
        "region_in_form": "region" in filters.fields,
        "staff": staff,
        "list_href": f"{list_url}?{_query(params)}",
        "svg_href": f"{reverse('maps:svg')}?{_query(params, **choices)}",
        "all_regions_href": f"?{_query(unregioned, **choices)}",
        "kinds": [
            {
                "kind": value,
                "label": label,
                "current": value == kind,
                "href": "?" + _query(_shared(params), kind=value, level=level),
            }
            for value, label in KIND_LABELS
        ],
        "no_data_colour": geo.NO_DATA_COLOUR,
        "point_colour": geo.POINT_COLOUR,
    }
    try:
        result = services.choropleth(request.user, kind, level, params, classification=classes)
    except MapUnavailable as exc:
        context["unavailable"] = str(exc)
        return context
    rows = [
        RegionRow(
            r.code,
            r.name,
            r.path,
            r.count,
            r.colour,
            f"{list_url}?{_query(r.list_query)}",
            _("%(name)s (%(code)s): %(count)s")
            % {"name": r.name, "code": r.code, "count": count_label(kind, r.count)},
        )
        for r in result.regions
    ]
    context.update(
        {
            "map": result,
            "rows": rows,
            "table_rows": sorted(rows, key=lambda r: (-r.count, r.name)),
            "svg_height": result.drawing.height + 18,
            "total_label": count_label(kind, result.total),
            "points_svg": points_svg(result.markers),
        }
    )
    return context


def _shared(params: dict[str, Any]) -> dict[str, Any]:
    """Filters both kinds understand, kept when switching between them."""
    return {k: v for k, v in params.items() if k in {"q", "country", "region"}}


def map_page(request: HttpRequest) -> HttpResponse:
    context = map_context(request)
    context["oob"] = is_htmx(request)
    return page_or_fragment(request, "maps/map.html", "maps/partials/map_results.html", context)


def map_svg(request: HttpRequest) -> HttpResponse:
    """The same map as a standalone SVG file, for reports and slides."""
    context = map_context(request)
    if "map" not in context:
        return HttpResponse(context["unavailable"], status=503, content_type="text/plain")
    context["standalone"] = True
    response = render(request, "maps/partials/map_svg.html", context)
    response["Content-Type"] = "image/svg+xml; charset=utf-8"
    response["Content-Disposition"] = 'inline; filename="buicasus-map.svg"'
    return response
