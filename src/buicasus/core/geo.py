"""Map geometry without a GIS: projections, bounding boxes, simplification, SVG paths, colour
classes and NUTS code arithmetic.

The registry's map is drawn server-side as inline SVG from GISCO's NUTS GeoJSON. Everything that
is plain arithmetic on coordinates and counts lives here, so it is tested without files, Django
or a database (see core/README.md). Coordinates are `(x, y)` tuples: longitude/latitude in
degrees before projection, metres after it, SVG user units once fitted to a frame.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]  # the outer ring first, then its holes
BBox = tuple[float, float, float, float]  # min x, min y, max x, max y

# Radius of the sphere with the GRS80 ellipsoid's area: the spherical form of ETRS89-LAEA.
AUTHALIC_RADIUS = 6_371_007.0
WEB_MERCATOR_RADIUS = 6_378_137.0
# Centre of ETRS89-LAEA (EPSG:3035), the equal-area projection Eurostat uses for Europe.
EUROPE_CENTRE: Point = (10.0, 52.0)
# Longitude/latitude box of continental Europe with its nearby islands (Iceland, Cyprus);
# the outermost regions (Canarias, Açores, Madeira, French overseas) fall outside it.
EUROPE_BBOX: BBox = (-25.0, 34.0, 45.0, 72.0)

# NUTS uses EL for Greece and UK for the United Kingdom where ISO 3166-1 uses GR and GB.
_ISO_TO_NUTS = {"GR": "EL", "GB": "UK"}
_NUTS_TO_ISO = {v: k for k, v in _ISO_TO_NUTS.items()}


# --- projections ---------------------------------------------------------------------------


def laea(lon: float, lat: float, centre: Point = EUROPE_CENTRE) -> Point:
    """Lambert azimuthal equal-area projection (spherical) in metres, y pointing north.

    Equal area matters for a choropleth: a region's ink should match its size, which Web
    Mercator exaggerates by a factor of four between Spain and northern Sweden.
    """
    lam, phi = math.radians(lon), math.radians(lat)
    lam0, phi0 = math.radians(centre[0]), math.radians(centre[1])
    dlam = lam - lam0
    cos_c = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(dlam)
    k = math.sqrt(2.0 / max(1.0 + cos_c, 1e-12))  # the antipode is the only singular point
    x = AUTHALIC_RADIUS * k * math.cos(phi) * math.sin(dlam)
    y = (
        AUTHALIC_RADIUS
        * k
        * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(dlam))
    )
    return (x, y)


def web_mercator(lon: float, lat: float) -> Point:
    """Web Mercator (EPSG:3857) in metres, for clients that overlay tiles on the points."""
    lat = max(min(lat, 85.05112878), -85.05112878)
    x = WEB_MERCATOR_RADIUS * math.radians(lon)
    y = WEB_MERCATOR_RADIUS * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (x, y)


# --- GeoJSON and bounding boxes ------------------------------------------------------------


def polygons_of(geometry: Mapping[str, Any]) -> list[Polygon]:
    """The polygons of a GeoJSON Polygon or MultiPolygon as lists of (lon, lat) rings.

    Raises ValueError for other geometry types, so a wrong file fails with a clear message.
    """
    kind = geometry.get("type")
    coords: Any = geometry.get("coordinates") or []
    if kind == "Polygon":
        parts = [coords]
    elif kind == "MultiPolygon":
        parts = list(coords)
    else:
        raise ValueError(f"expected a Polygon or MultiPolygon, got {kind!r}")
    return [[[(float(p[0]), float(p[1])) for p in ring] for ring in part] for part in parts]


def bbox_of(points: Iterable[Point]) -> BBox:
    """The smallest box holding the points; ValueError when there are none."""
    xs: list[float] = []
    ys: list[float] = []
    for x, y in points:
        xs.append(x)
        ys.append(y)
    if not xs:
        raise ValueError("no points")
    return (min(xs), min(ys), max(xs), max(ys))


def bbox_union(boxes: Iterable[BBox]) -> BBox:
    boxes = list(boxes)
    if not boxes:
        raise ValueError("no boxes")
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def bbox_centre(box: BBox) -> Point:
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


def bbox_contains(box: BBox, point: Point) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def bbox_expand(box: BBox, margin: float) -> BBox:
    return (box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin)


@dataclass(frozen=True)
class Fit:
    """Maps projected metres onto an SVG frame: scale, then offset; SVG's y points down."""

    scale: float
    offset_x: float
    offset_y: float

    def apply(self, point: Point) -> Point:
        return (point[0] * self.scale + self.offset_x, self.offset_y - point[1] * self.scale)


def fit_box(box: BBox, width: float, height: float, padding: float = 0.0) -> Fit:
    """The largest uniform scale that shows `box` inside a width × height frame, centred."""
    w = max(box[2] - box[0], 1e-9)
    h = max(box[3] - box[1], 1e-9)
    scale = min((width - 2 * padding) / w, (height - 2 * padding) / h)
    offset_x = (width - w * scale) / 2 - box[0] * scale
    offset_y = (height + h * scale) / 2 + box[1] * scale
    return Fit(scale, offset_x, offset_y)


# --- simplification and SVG paths ----------------------------------------------------------


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    if length2 == 0.0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))


def simplify_line(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker: drop the points closer than `tolerance` to the simplified line.

    Iterative, so a 10,000-point coastline does not hit Python's recursion limit.
    """
    n = len(points)
    if n < 3 or tolerance <= 0:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        worst, worst_at = 0.0, -1
        for i in range(first + 1, last):
            d = _segment_distance(points[i], points[first], points[last])
            if d > worst:
                worst, worst_at = d, i
        if worst > tolerance:
            keep[worst_at] = True
            stack.append((first, worst_at))
            stack.append((worst_at, last))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def ring_area(ring: Sequence[Point]) -> float:
    """Signed area (shoelace): positive when the ring turns counter-clockwise in y-up axes."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        total += x1 * y2 - x2 * y1
    return total / 2


def simplify_ring(ring: Sequence[Point], tolerance: float) -> Ring | None:
    """A closed ring simplified, still closed (last point equals first) with at least three
    distinct corners; None when it collapses to a sliver at this tolerance.

    Douglas–Peucker needs two fixed ends, so the ring is split at its first point and the
    point farthest from it, and the two halves are simplified separately.
    """
    points = list(ring)
    if len(points) > 1 and points[0] == points[-1]:
        points = points[:-1]
    if len(points) < 3:
        return None
    start = points[0]
    far = max(range(len(points)), key=lambda i: math.dist(start, points[i]))
    first = simplify_line(points[: far + 1], tolerance)
    second = simplify_line([*points[far:], start], tolerance)
    corners = first[:-1] + second[:-1]
    if len(corners) < 3:
        return None
    return [*corners, corners[0]]


def _number(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}" if decimals > 0 else str(round(value))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def path_data(rings: Iterable[Sequence[Point]], decimals: int = 1) -> str:
    """SVG path data for closed rings, rounded and relative: `M12 3.5l4 -1 ... z` per ring.

    Coordinates are rounded first and the deltas taken between rounded values, so the rounding
    never drifts along a long coastline; repeated points after rounding are dropped.
    """
    factor = 10**decimals
    parts: list[str] = []
    for ring in rings:
        grid = [(round(x * factor), round(y * factor)) for x, y in ring]
        if len(grid) > 1 and grid[0] == grid[-1]:
            grid = grid[:-1]
        cleaned = [p for i, p in enumerate(grid) if i == 0 or p != grid[i - 1]]
        if not cleaned:
            continue
        x0, y0 = cleaned[0]
        moves = [f"M{_number(x0 / factor, decimals)} {_number(y0 / factor, decimals)}"]
        if len(cleaned) > 1:
            steps = [
                f"{_number((x - px) / factor, decimals)} {_number((y - py) / factor, decimals)}"
                for (px, py), (x, y) in zip(cleaned, cleaned[1:], strict=False)
            ]
            moves.append("l" + " ".join(steps))
        parts.append("".join(moves) + "z")
    return "".join(parts)


# --- colour classes and legend -------------------------------------------------------------

# ColorBrewer YlGnBu (sequential, colour-blind safe, prints in grey), palest tint left out so
# that "no records" (NO_DATA_COLOUR) stays distinct from the first class.
_YLGNBU = {
    1: ["#41b6c4"],
    2: ["#7fcdbb", "#2c7fb8"],
    3: ["#a1dab4", "#41b6c4", "#225ea8"],
    4: ["#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
    5: ["#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"],
    6: ["#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
}
MAX_CLASSES = max(_YLGNBU)
NO_DATA_COLOUR = "#f0f0f0"
POINT_COLOUR = "#d95f02"  # ColorBrewer Dark2 orange: distinct from blues for every CVD type


def palette(classes: int) -> list[str]:
    """Fill colours for `classes` classes (1 … MAX_CLASSES), lightest first."""
    if not 1 <= classes <= MAX_CLASSES:
        raise ValueError(f"between 1 and {MAX_CLASSES} classes, not {classes}")
    return list(_YLGNBU[classes])


def quantile_breaks(values: Iterable[float], classes: int) -> list[float]:
    """Upper bounds of up to `classes` classes holding about as many values each.

    Ties make fewer classes rather than empty ones; the last bound is the maximum.
    """
    ordered = sorted(values)
    if not ordered or classes < 1:
        return []
    n = len(ordered)
    breaks: list[float] = []
    for i in range(1, classes + 1):
        bound = ordered[math.ceil(i * n / classes) - 1]
        if not breaks or bound > breaks[-1]:
            breaks.append(bound)
    return breaks


def natural_breaks(values: Iterable[float], classes: int) -> list[float]:
    """Upper bounds of Fisher–Jenks natural-breaks classes (least within-class variance).

    Runs over the distinct values weighted by how often each occurs: counts repeat a lot, so
    a thousand regions usually have a few dozen distinct counts and the O(k·m²) search is cheap.
    """
    tally: dict[float, int] = {}
    for v in values:
        tally[v] = tally.get(v, 0) + 1
    xs = sorted(tally)
    m = len(xs)
    if m == 0 or classes < 1:
        return []
    if m <= classes:
        return xs
    ws = [tally[x] for x in xs]
    cw, cs, cq = [0.0], [0.0], [0.0]  # prefix sums of weight, weight·x, weight·x²
    for x, w in zip(xs, ws, strict=True):
        cw.append(cw[-1] + w)
        cs.append(cs[-1] + w * x)
        cq.append(cq[-1] + w * x * x)

    def cost(i: int, j: int) -> float:  # values i … j inclusive, 0-based
        w = cw[j + 1] - cw[i]
        s = cs[j + 1] - cs[i]
        return cq[j + 1] - cq[i] - s * s / w

    inf = float("inf")
    best = [[inf] * m for _ in range(classes)]
    start = [[0] * m for _ in range(classes)]
    for j in range(m):
        best[0][j] = cost(0, j)
    for c in range(1, classes):
        for j in range(c, m):
            for i in range(c, j + 1):
                total = best[c - 1][i - 1] + cost(i, j)
                if total < best[c][j]:
                    best[c][j], start[c][j] = total, i
    bounds: list[float] = []
    j = m - 1
    for c in range(classes - 1, -1, -1):
        bounds.append(xs[j])
        j = start[c][j] - 1
    return sorted(bounds)


def classify(value: float, breaks: Sequence[float]) -> int:
    """Index of the class holding `value`: the first whose upper bound is ≥ value."""
    for i, bound in enumerate(breaks):
        if value <= bound:
            return i
    return len(breaks) - 1


@dataclass(frozen=True)
class LegendEntry:
    low: float
    high: float
    colour: str
    regions: int


def legend(
    values: Iterable[float], breaks: Sequence[float], colours: Sequence[str]
) -> list[LegendEntry]:
    """One entry per class that holds values: the smallest and largest value in it (so integer
    counts read "4–10", not "3.5–10"), its colour and how many regions fall in it."""
    members: dict[int, list[float]] = {}
    for v in values:
        members.setdefault(classify(v, breaks), []).append(v)
    return [
        LegendEntry(min(members[i]), max(members[i]), colours[i], len(members[i]))
        for i in range(len(breaks))
        if i in members
    ]


# --- NUTS codes ----------------------------------------------------------------------------


def nuts_level(code: str) -> int:
    """NUTS codes nest by prefix: two letters for the country (0), one character per level."""
    return len(code) - 2


def nuts_ancestor(code: str, level: int) -> str | None:
    """The region at `level` containing `code` (itself at its own level); None when `code` is
    coarser than `level` and so lies in no single region of that level."""
    if not 0 <= level <= 3 or nuts_level(code) < level:
        return None
    return code[: level + 2]


def roll_up(counts: Mapping[str, int], level: int) -> dict[str, int]:
    """Counts per NUTS code summed into their regions at `level`.

    Right when each record sits in one region (organisations); records spread over several
    regions (initiatives) must be counted distinct per region before they get here.
    """
    result: dict[str, int] = {}
    for code, n in counts.items():
        ancestor = nuts_ancestor(code, level)
        if ancestor is not None:
            result[ancestor] = result.get(ancestor, 0) + n
    return result


def iso_to_nuts(country: str) -> str:
    """ISO 3166-1 alpha-2 → NUTS level-0 code (GR → EL, GB → UK)."""
    return _ISO_TO_NUTS.get(country, country)


def nuts_to_iso(code: str) -> str:
    """NUTS level-0 code (or the country part of any NUTS code) → ISO 3166-1 alpha-2."""
    return _NUTS_TO_ISO.get(code[:2], code[:2])
