"""The report's map: the maps app's choropleth of organisations, for the report's countries.

`maps.services.choropleth` draws one country or every country holding records; a transnational
report needs exactly its own countries, so this module puts the same pieces together
(`geometry.drawing`, `services.tally`, the same breaks and palette) and renders the maps app's
own SVG template, standalone. Point markers are left out: at print size they hide the regions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import ngettext

from buicasus.core import geo
from buicasus.maps import geometry, services
from buicasus.reference.models import Country, NutsRegion

# NUTS level drawn: 2 by default; 3 where a country has fewer than this many NUTS 2 regions
# (Latvia is one NUTS 2 region, six NUTS 3 ones). A transnational report draws countries when
# most of its organisations have no region that fine, rather than a map of empty regions.
FEW_REGIONS = 4


@dataclass(frozen=True)
class RegionRow:
    """A drawn region as the maps app's SVG template reads it."""

    code: str
    name: str
    path: str
    count: int
    colour: str
    href: str
    label: str


@dataclass(frozen=True)
class MapFigure:
    svg: str
    legend_html: str
    level: int
    total: int
    unplaced: int


def map_level(codes: list[str]) -> int:
    if len(codes) == 1:
        regions = NutsRegion.objects.filter(country__code=codes[0], level=2).count()
        if regions < FEW_REGIONS:
            return 3
    return 2


def organisation_map(user: Any, codes: list[str]) -> MapFigure:
    """Organisations per NUTS region in `codes`. Raises `geometry.MapUnavailable` when the
    boundary files are missing."""
    level = map_level(codes)
    params: dict[str, Any] = {"country": codes[0]} if len(codes) == 1 else {}
    nuts = tuple(sorted(geo.iso_to_nuts(c) for c in codes))
    counted = services.tally(user, "organisations", level, params)
    if len(codes) > 1:
        by_country = services.tally(user, "organisations", 0, params).counts
        in_report = sum(by_country.get(code, 0) for code in nuts)
        placed = sum(n for code, n in counted.counts.items() if code[:2] in nuts)
        if 2 * placed < in_report:
            level, counted = 0, services.tally(user, "organisations", 0, params)
    drawing = geometry.drawing(str(geometry.nuts_folder()), level, nuts)
    names = {shape.code: shape.name for shape in drawing.shapes}
    if level == 0:  # the reader's language rather than GISCO's names (Latvija, Sverige)
        names.update({geo.iso_to_nuts(c.code): c.name() for c in Country.objects.all()})
    values = [counted.counts.get(shape.code, 0) for shape in drawing.shapes]
    positive = [float(v) for v in values if v > 0]
    classes = min(services.CLASSES, len(set(positive)))
    breaks = geo.natural_breaks(positive, classes) if classes else []
    colours = geo.palette(len(breaks)) if breaks else []
    rows = [
        RegionRow(
            shape.code,
            names[shape.code],
            shape.path,
            n,
            colours[geo.classify(n, breaks)] if n > 0 else geo.NO_DATA_COLOUR,
            "#",
            ngettext(
                "%(name)s (%(code)s): %(count)d organisation",
                "%(name)s (%(code)s): %(count)d organisations",
                n,
            )
            % {"name": names[shape.code], "code": shape.code, "count": n},
        )
        for shape, n in zip(drawing.shapes, values, strict=True)
    ]
    legend = geo.legend([v for v in values if v > 0], breaks, colours) if breaks else []
    figure = services.Choropleth(
        kind="organisations",
        level=level,
        drawing=drawing,
        regions=[],
        legend=legend,
        markers=services.Markers([], 0, 0, 0),
        total=counted.total,
        unplaced=counted.unplaced,
    )
    context = {
        "map": figure,
        "rows": rows,
        "kind": "organisations",
        "standalone": True,
        "svg_height": drawing.height + 18,
        "no_data_colour": geo.NO_DATA_COLOUR,
        "point_colour": geo.POINT_COLOUR,
        "points_svg": "",
    }
    return MapFigure(
        svg=render_to_string("maps/partials/map_svg.html", context),
        legend_html=render_to_string("maps/partials/map_legend.html", context),
        level=level,
        total=counted.total,
        unplaced=counted.unplaced,
    )
