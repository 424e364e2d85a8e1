"""NUTS 2021 boundaries read once from GISCO GeoJSON and drawn into SVG frames.

Reading and projecting a megabyte of GeoJSON takes far longer than a page may, so both the
parsed files and the finished drawings (per level and set of countries) are kept in memory by
`lru_cache`; a request only looks them up. The arithmetic is in `buicasus.core.geo`.

Layout: one main frame fitted to the drawn countries' European territory, and below it a strip
of insets, one per outermost region (Canarias, Açores, Madeira, the French overseas regions) that
belongs to a drawn country: drawn in place they would stretch the map to the Caribbean.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

from buicasus.config import project_path
from buicasus.core import geo

LEVELS = (0, 1, 2, 3)
WIDTH = 800.0
MAX_HEIGHT = 760.0
PADDING = 16.0
INSET_HEIGHT = 110.0  # including its label
INSET_LABEL = 14.0
INSET_GAP = 8.0
TOLERANCE = 0.35  # simplification, in SVG units (≈ pixels at full width)
MIN_RING_AREA = 0.6  # islands and holes smaller than this (square units) are left out
FILE_NAME = "NUTS_RG_20M_2021_4326_LEVL_{level}.geojson"


class MapUnavailable(Exception):
    """The boundary files are missing or unreadable; the message names the file."""


@dataclass(frozen=True)
class Feature:
    code: str
    name: str
    country: str  # NUTS country code (EL, not GR)
    polygons: tuple[geo.Polygon, ...]  # lon/lat


@dataclass(frozen=True)
class Inset:
    """An outermost region drawn in its own box, with the lon/lat box it covers."""

    key: str
    label: str
    country: str
    lonlat: geo.BBox


@dataclass(frozen=True)
class Frame:
    """Where a projection lands in the SVG: main map or an inset."""

    key: str
    label: str
    x: float
    y: float
    width: float
    height: float
    centre: geo.Point
    fit: geo.Fit
    lonlat: geo.BBox  # the lon/lat area this frame shows, to place points

    def project(self, lon: float, lat: float) -> geo.Point:
        x, y = self.fit.apply(geo.laea(lon, lat, self.centre))
        return (x + self.x, y + self.y)


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    path: str


@dataclass(frozen=True)
class Drawing:
    """Everything the SVG template needs that does not depend on the counts."""

    level: int
    width: float
    height: float
    frames: tuple[Frame, ...]
    shapes: tuple[Shape, ...]
    outlines: tuple[Shape, ...] = ()  # country borders over the regions (levels 1–3)

    @property
    def main(self) -> Frame:
        return self.frames[0]

    @property
    def insets(self) -> tuple[Frame, ...]:
        return self.frames[1:]

    def place(self, lon: float, lat: float) -> geo.Point | None:
        """SVG position of a point, in the first frame that shows it; None when off the map."""
        for frame in self.frames:
            if geo.bbox_contains(frame.lonlat, (lon, lat)):
                x, y = frame.project(lon, lat)
                if frame.x <= x <= frame.x + frame.width and frame.y <= y <= frame.y + frame.height:
                    return (x, y)
        return None


def nuts_folder() -> Path:
    return project_path("BUICASUS_NUTS_DIR")


# --- reading -------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def load_level(folder: str, level: int) -> tuple[Feature, ...]:
    """The features of one NUTS level, parsed once per process."""
    path = Path(folder) / FILE_NAME.format(level=level)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise MapUnavailable(_("Boundary file %(path)s not found.") % {"path": path}) from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise MapUnavailable(
            _("Boundary file %(path)s is not readable GeoJSON: %(error)s")
            % {"path": path, "error": exc}
        ) from exc
    features: list[Feature] = []
    for number, item in enumerate(doc.get("features", []) if isinstance(doc, dict) else [], 1):
        try:
            props = item["properties"]
            code = str(props["NUTS_ID"])
            polygons = tuple(geo.polygons_of(item["geometry"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise MapUnavailable(
                _("Boundary file %(path)s, feature %(number)d: %(error)s")
                % {"path": path, "number": number, "error": exc}
            ) from exc
        name = str(props.get("NAME_LATN") or props.get("NUTS_NAME") or code).strip()
        country = str(props.get("CNTR_CODE") or code[:2])
        features.append(Feature(code, name, country, polygons))
    if not features:
        raise MapUnavailable(_("Boundary file %(path)s holds no regions.") % {"path": path})
    return tuple(features)


def _in_europe(polygon: geo.Polygon) -> bool:
    return geo.bbox_contains(geo.EUROPE_BBOX, geo.bbox_centre(geo.bbox_of(polygon[0])))


@lru_cache(maxsize=4)
def outermost_regions(folder: str) -> tuple[Inset, ...]:
    """One inset per NUTS 2 region whose land lies outside Europe's box, in file order."""
    insets = []
    for feature in load_level(folder, 2):
        outside = [p for p in feature.polygons if not _in_europe(p)]
        if outside:
            box = geo.bbox_union(geo.bbox_of(p[0]) for p in outside)
            insets.append(Inset(feature.code, feature.name, feature.country, box))
    return tuple(insets)


# --- drawing -------------------------------------------------------------------------------


def _inset_of(polygon: geo.Polygon, insets: Iterable[Inset]) -> Inset | None:
    centre = geo.bbox_centre(geo.bbox_of(polygon[0]))
    for inset in insets:
        if geo.bbox_contains(geo.bbox_expand(inset.lonlat, 0.5), centre):
            return inset
    return None


def _placed_parts(feature: Feature, insets: list[Inset]) -> list[tuple[str, geo.Polygon]]:
    """Each polygon of `feature` with the key of the frame it is drawn in; land outside
    Europe's box with no inset of its own is left out rather than stretching the main frame."""
    parts = []
    for polygon in feature.polygons:
        if _in_europe(polygon):
            parts.append(("main", polygon))
            continue
        inset = _inset_of(polygon, insets)
        if inset is not None:
            parts.append((inset.key, polygon))
    return parts


def _frames(
    folder: str, features: list[Feature], countries: tuple[str, ...]
) -> tuple[list[Frame], dict[str, list[tuple[str, geo.Polygon]]]]:
    """The frames, and each feature's polygons tagged with the frame they are drawn in."""
    insets = [i for i in outermost_regions(folder) if i.country in countries]
    placed: dict[str, list[tuple[str, geo.Polygon]]] = {}
    used: dict[str, Inset] = {}
    main_boxes: list[geo.BBox] = []
    by_key = {i.key: i for i in insets}
    for feature in features:
        parts = _placed_parts(feature, insets)
        placed[feature.code] = parts
        for key, polygon in parts:
            if key == "main":
                main_boxes.append(geo.bbox_of(geo.laea(*p) for p in polygon[0]))
            else:
                used[key] = by_key[key]
    if not main_boxes:  # only overseas land drawn: show Europe's box, empty, as the main frame
        west, south, east, north = geo.EUROPE_BBOX
        corners = ((west, south), (east, north), (west, north), (east, south))
        main_boxes = [geo.bbox_of(geo.laea(lon, lat) for lon, lat in corners)]
    box = geo.bbox_union(main_boxes)
    box_w, box_h = box[2] - box[0], box[3] - box[1]
    scale = min((WIDTH - 2 * PADDING) / box_w, (MAX_HEIGHT - 2 * PADDING) / box_h)
    main_h = box_h * scale + 2 * PADDING
    fit = geo.fit_box(box, WIDTH, main_h, PADDING)
    main_lonlat = geo.EUROPE_BBOX
    frames = [Frame("main", "", 0.0, 0.0, WIDTH, main_h, geo.EUROPE_CENTRE, fit, main_lonlat)]
    chosen = [i for i in insets if i.key in used]
    if chosen:
        n = len(chosen)
        inset_w = min(160.0, (WIDTH - INSET_GAP * (n - 1)) / n)
        for index, inset in enumerate(chosen):
            centre = geo.bbox_centre(inset.lonlat)
            west, south, east, north = inset.lonlat
            projected = [
                geo.laea(lon, lat, centre)
                for lon, lat in ((west, south), (east, north), (west, north), (east, south))
            ]
            body_h = INSET_HEIGHT - INSET_LABEL
            inset_fit = geo.fit_box(geo.bbox_of(projected), inset_w, body_h, 6.0)
            frames.append(
                Frame(
                    inset.key,
                    inset.label,
                    index * (inset_w + INSET_GAP),
                    main_h + INSET_GAP + INSET_LABEL,
                    inset_w,
                    body_h,
                    centre,
                    inset_fit,
                    geo.bbox_expand(inset.lonlat, 0.5),
                )
            )
    return frames, placed


def _shape_path(parts: list[tuple[str, geo.Polygon]], frames: dict[str, Frame]) -> str:
    """One feature's rings in SVG units, simplified; tiny islands and holes are dropped, but a
    feature always keeps its largest ring, so every region stays visible and clickable."""
    kept: list[geo.Ring] = []
    largest: tuple[float, geo.Ring] = (-1.0, [])
    for key, polygon in parts:
        frame = frames[key]
        for ring in polygon:
            svg_ring = [frame.project(lon, lat) for lon, lat in ring]
            area = abs(geo.ring_area(svg_ring))
            if area > largest[0]:
                largest = (area, svg_ring)
            if area < MIN_RING_AREA:
                continue
            simple = geo.simplify_ring(svg_ring, TOLERANCE)
            if simple is not None:
                kept.append(simple)
    if not kept and largest[1]:
        kept = [largest[1]]
    return geo.path_data(kept, decimals=1)


@lru_cache(maxsize=64)
def drawing(folder: str, level: int, countries: tuple[str, ...]) -> Drawing:
    """The regions of `countries` (NUTS country codes) at `level`, fitted and simplified.

    Cached per (folder, level, countries): the registry draws a handful of combinations.
    """
    if level not in LEVELS:
        raise ValueError(f"NUTS level {level} does not exist")
    features = [f for f in load_level(folder, level) if f.country in countries]
    if not features:
        return Drawing(level, WIDTH, 200.0, (), ())
    frames, placed = _frames(folder, features, countries)
    by_key = {f.key: f for f in frames}
    shapes = tuple(
        Shape(f.code, f.name, _shape_path(placed[f.code], by_key))
        for f in sorted(features, key=lambda f: f.code)
    )
    outlines: tuple[Shape, ...] = ()
    if level > 0:
        insets = [i for i in outermost_regions(folder) if i.key in by_key]
        outlines = tuple(
            Shape(f.code, f.name, _shape_path(_placed_parts(f, insets), by_key))
            for f in load_level(folder, 0)
            if f.country in countries
        )
    last = frames[-1]
    height = last.y + last.height
    return Drawing(level, WIDTH, round(height, 1), tuple(frames), shapes, outlines)
