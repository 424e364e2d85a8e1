"""Map operations used by the page, the SVG download and the API alike.

Counts come from the registry's own visible-and-filtered querysets (`registry.services`), so the
map shows exactly the records the list shows the same reader with the same filters. They are
grouped in the database — by country at NUTS level 0, by the first `level + 2` characters of the
NUTS code otherwise — because NUTS codes nest by prefix: a record in FR101 counts in FR10, FR1
and FR. An initiative spread over several regions is counted once per region it touches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Avg, Count, Exists, F, Min, OuterRef, QuerySet
from django.db.models.functions import Floor, Substr

from buicasus.core import geo
from buicasus.maps import geometry
from buicasus.reference.models import Country, NutsRegion
from buicasus.registry import services as registry
from buicasus.registry.models import Initiative, Organisation

Kind = Literal["organisations", "initiatives"]
KINDS: tuple[Kind, ...] = ("organisations", "initiatives")
CLASSES = 5  # colour classes at most; fewer when there are fewer distinct counts
NUTS_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
MAX_POINT_MARKERS = 1200
POINT_GRID = 6.0  # SVG units per cell when nearby points merge into one marker


@dataclass(frozen=True)
class RegionCount:
    code: str
    name: str
    level: int
    count: int


@dataclass(frozen=True)
class Marker:
    """One or more organisations at (about) the same place; `pk`/`name` when just one."""

    x: float
    y: float
    count: int
    pk: int | None
    name: str


@dataclass(frozen=True)
class Markers:
    """The markers drawn, and how many geolocated organisations the map could not show."""

    items: list[Marker]
    total: int  # organisations with coordinates matching the filters
    off_map: int  # of those, outside every frame
    not_drawn: int  # of those, in cells beyond MAX_POINT_MARKERS (the least busy ones)


@dataclass(frozen=True)
class MapRegion:
    code: str
    name: str
    path: str
    count: int
    colour: str
    list_query: dict[str, str]


@dataclass(frozen=True)
class Choropleth:
    """A drawn map with its counts, classes and markers, ready for a template."""

    kind: Kind
    level: int
    drawing: geometry.Drawing
    regions: list[MapRegion]
    legend: list[geo.LegendEntry]
    markers: Markers
    total: int
    unplaced: int


def clean_params(params: dict[str, Any]) -> dict[str, Any]:
    """Drop a malformed `region` (the filter is a NUTS prefix) and empty values."""
    cleaned = {k: v for k, v in params.items() if v not in (None, "")}
    region = str(cleaned.get("region", "")).upper()
    if region and NUTS_CODE.match(region):
        cleaned["region"] = region
    else:
        cleaned.pop("region", None)
    return cleaned


def records(user: Any, kind: Kind, params: dict[str, Any]) -> QuerySet[Any]:
    """The visible records of `kind` after the list filters."""
    if kind == "organisations":
        return registry.filter_organisations(registry.visible_organisations(user), params)
    return registry.filter_initiatives(registry.visible_initiatives(user), params)


@dataclass(frozen=True)
class Tally:
    """Records per region of one level, how many match the filters, and how many of those
    have no region that fine (so the map cannot place them)."""

    counts: dict[str, int]
    total: int
    unplaced: int


def tally(user: Any, kind: Kind, level: int, params: dict[str, Any]) -> Tally:
    """Counts per NUTS region of `level` (level 0: per country, by NUTS country code).

    Organisations take one GROUP BY over the first `level + 2` characters of their region's
    code: the groups of that length are regions, the shorter ones and NULL are the records the
    map cannot place. Initiatives may sit in several regions, so they are counted distinct per
    region and their total is counted apart.
    """
    qs = records(user, kind, params).order_by()
    if level == 0:
        # filter_initiatives joins many-to-many tables, which may repeat an initiative
        rows = qs.values_list("country__code").annotate(
            n=Count("pk", distinct=kind == "initiatives")
        )
        counts = {geo.iso_to_nuts(code): n for code, n in rows}
        total = sum(counts.values()) if kind == "organisations" else qs.count()
        return Tally(counts, total, 0)
    if kind == "organisations":
        rows = (
            qs.annotate(prefix=Substr("region__code", 1, level + 2))
            .values_list("prefix")
            .annotate(n=Count("pk"))
        )
        all_rows = list(rows)
        counts = {p: n for p, n in all_rows if p and len(p) == level + 2}
        total = sum(n for _p, n in all_rows)
        return Tally(counts, total, total - sum(counts.values()))
    links = Initiative.regions.through.objects.filter(
        initiative__in=qs.values("pk"), nutsregion__level__gte=level
    ).order_by()
    if level == 3:  # leaves: each (initiative, region) link is already distinct
        codes = dict(NutsRegion.objects.filter(level=3).values_list("pk", "code"))
        by_region = links.values_list("nutsregion_id").annotate(n=Count("pk"))
        per_region = {codes[region_id]: n for region_id, n in by_region}
    else:
        by_prefix = (
            links.annotate(prefix=Substr("nutsregion__code", 1, level + 2))
            .values_list("prefix")
            .annotate(n=Count("initiative_id", distinct=True))
        )
        per_region = dict(by_prefix)
    # An anti-join, not "NOT IN": both SQLite and PostgreSQL probe the link table's index.
    linked = Initiative.regions.through.objects.filter(
        initiative=OuterRef("pk"), nutsregion__level__gte=level
    )
    unplaced = qs.filter(~Exists(linked)).count()
    return Tally(per_region, qs.count(), unplaced)


def counts_by_code(user: Any, kind: Kind, level: int, params: dict[str, Any]) -> dict[str, int]:
    """Records per NUTS region of `level`; see `tally`."""
    return tally(user, kind, level, params).counts


def unplaced_count(user: Any, kind: Kind, level: int, params: dict[str, Any]) -> int:
    """Records with no region as fine as `level`, which the map cannot place."""
    return tally(user, kind, level, params).unplaced


def region_counts(user: Any, kind: Kind, level: int, params: dict[str, Any]) -> list[RegionCount]:
    """Regions holding at least one visible record, with their names from the registry."""
    return named_counts(tally(user, kind, level, clean_params(params)).counts, level)


def named_counts(counts: dict[str, int], level: int) -> list[RegionCount]:
    """Counts per code as `RegionCount`s, by code, with the registry's names."""
    if level == 0:
        names = _country_names()
    else:
        names = dict(NutsRegion.objects.filter(code__in=list(counts)).values_list("code", "name"))
    return [
        RegionCount(code, names.get(code, code), level, n)
        for code, n in sorted(counts.items())
        if n > 0
    ]


def _country_names() -> dict[str, str]:
    return {geo.iso_to_nuts(c.code): c.name() for c in Country.objects.all()}


def drawn_countries(user: Any, kind: Kind, params: dict[str, Any]) -> tuple[str, ...]:
    """NUTS codes of the countries to draw: the filtered one, else those holding records the
    reader can see (whatever the other filters, so the map does not jump while filtering),
    else every country of the registry."""
    if params.get("country"):
        return (geo.iso_to_nuts(str(params["country"]).upper()),)
    visible = (
        registry.visible_organisations(user)
        if kind == "organisations"
        else registry.visible_initiatives(user)
    )
    holding = Country.objects.filter(Exists(visible.filter(country=OuterRef("pk"))))
    codes = list(holding.values_list("code", flat=True)) or list(
        Country.objects.values_list("code", flat=True)
    )
    return tuple(sorted(geo.iso_to_nuts(c) for c in codes))


def point_queryset(user: Any, params: dict[str, Any]) -> QuerySet[Organisation]:
    """Visible, filtered organisations that have both coordinates."""
    qs = records(user, "organisations", params)
    return qs.filter(latitude__isnull=False, longitude__isnull=False)


def markers(user: Any, params: dict[str, Any], drawing: geometry.Drawing) -> Markers:
    """Point markers for the drawing, merged per grid cell, busiest cells first.

    Cells are grouped in the database (a grid of about POINT_GRID units at the main frame's
    scale), so a million geolocated organisations cost one GROUP BY, not a million rows, and
    the page never carries more than MAX_POINT_MARKERS markers.
    """
    if not drawing.frames:
        return Markers([], 0, 0, 0)
    units_per_degree = drawing.main.fit.scale * 111_195.0  # metres per degree of latitude
    step = max(POINT_GRID / units_per_degree, 1e-4)
    cells = (
        point_queryset(user, params)
        .order_by()
        .annotate(cy=Floor(F("latitude") / step), cx=Floor(F("longitude") / step))
        .values("cy", "cx")
        .annotate(n=Count("pk"), lat=Avg("latitude"), lon=Avg("longitude"), pk_=Min("pk"))
        .order_by("-n", "cy", "cx")
    )
    found: list[Marker] = []
    total = off_map = not_drawn = 0
    for cell in cells:
        total += cell["n"]
        where = drawing.place(cell["lon"], cell["lat"])
        if where is None:
            off_map += cell["n"]
        elif len(found) >= MAX_POINT_MARKERS:
            not_drawn += cell["n"]
        else:
            pk = cell["pk_"] if cell["n"] == 1 else None
            found.append(Marker(round(where[0], 1), round(where[1], 1), cell["n"], pk, ""))
    single = [m.pk for m in found if m.pk]
    names = dict(Organisation.objects.filter(pk__in=single).values_list("pk", "name"))
    named = [Marker(m.x, m.y, m.count, m.pk, names.get(m.pk, "")) if m.pk else m for m in found]
    return Markers(named, total, off_map, not_drawn)


def _breaks(values: list[int], classification: str) -> list[float]:
    positive = [float(v) for v in values if v > 0]
    classes = min(CLASSES, len(set(positive)))
    if classes == 0:
        return []
    if classification == "quantile":
        return geo.quantile_breaks(positive, classes)
    return geo.natural_breaks(positive, classes)


def region_link(kind: Kind, level: int, code: str, params: dict[str, Any]) -> dict[str, str]:
    """The list filters a region links to: the map's filters with this region (a country at
    level 0, since records without a region still belong to their country)."""
    query = {k: str(v) for k, v in params.items() if k not in {"region", "level", "kind"}}
    if level == 0:
        query["country"] = geo.nuts_to_iso(code)
        if params.get("region"):
            query["region"] = str(params["region"])
    else:
        query["region"] = code
    return query


def choropleth(
    user: Any,
    kind: Kind,
    level: int,
    params: dict[str, Any],
    *,
    classification: str = "natural",
) -> Choropleth:
    """Everything the map page shows. Raises `geometry.MapUnavailable` without boundaries."""
    params = clean_params(params)
    countries = drawn_countries(user, kind, params)
    drawing = geometry.drawing(str(geometry.nuts_folder()), level, countries)
    counted = tally(user, kind, level, params)
    values = [counted.counts.get(shape.code, 0) for shape in drawing.shapes]
    breaks = _breaks(values, classification)
    colours = geo.palette(len(breaks)) if breaks else []
    regions = [
        MapRegion(
            shape.code,
            shape.name,
            shape.path,
            n,
            colours[geo.classify(n, breaks)] if n > 0 else geo.NO_DATA_COLOUR,
            region_link(kind, level, shape.code, params),
        )
        for shape, n in zip(drawing.shapes, values, strict=True)
    ]
    if level == 0:  # the reader's language rather than GISCO's Latin-script names
        names = _country_names()
        regions = [
            MapRegion(r.code, names.get(r.code, r.name), r.path, r.count, r.colour, r.list_query)
            for r in regions
        ]
    legend = geo.legend([v for v in values if v > 0], breaks, colours) if breaks else []
    found = markers(user, params, drawing) if kind == "organisations" else Markers([], 0, 0, 0)
    return Choropleth(
        kind=kind,
        level=level,
        drawing=drawing,
        regions=regions,
        legend=legend,
        markers=found,
        total=counted.total,
        unplaced=counted.unplaced,
    )


def points_page(
    user: Any, params: dict[str, Any], page: int, page_size: int
) -> tuple[int, list[tuple[int, str, float, float]]]:
    """One page of geolocated organisations (id, name, latitude, longitude), by id."""
    qs = point_queryset(user, clean_params(params)).order_by("pk")
    start = (page - 1) * page_size
    rows = qs.values_list("pk", "name", "latitude", "longitude")[start : start + page_size]
    return qs.count(), list(rows)
