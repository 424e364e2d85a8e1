"""Pure map geometry: projections, boxes, simplification, SVG paths, classes, NUTS codes."""

from __future__ import annotations

import math

import pytest

from buicasus.core import geo


def close(a: tuple[float, float], b: tuple[float, float], tol: float = 1e-6) -> bool:
    return math.isclose(a[0], b[0], abs_tol=tol) and math.isclose(a[1], b[1], abs_tol=tol)


# --- projections ---------------------------------------------------------------------------


def test_laea_centre_is_the_origin() -> None:
    assert close(geo.laea(10.0, 52.0), (0.0, 0.0))


def test_laea_along_the_central_meridian_is_the_chord_distance() -> None:
    # Ten degrees north of the centre: ρ = 2R·sin(5°), straight up.
    expected = 2 * geo.AUTHALIC_RADIUS * math.sin(math.radians(5))
    assert close(geo.laea(10.0, 62.0), (0.0, expected), tol=1e-3)
    assert math.isclose(expected, 1_110_539.7, abs_tol=0.5)


def test_laea_known_points_of_the_equatorial_aspect() -> None:
    # Centred on (0°, 0°), a point a quarter turn away lies at chord distance R·√2.
    r2 = geo.AUTHALIC_RADIUS * math.sqrt(2)
    assert close(geo.laea(90.0, 0.0, (0.0, 0.0)), (r2, 0.0), tol=1e-3)
    assert close(geo.laea(0.0, 90.0, (0.0, 0.0)), (0.0, r2), tol=1e-3)


def test_laea_is_symmetric_about_the_central_meridian() -> None:
    west, east = geo.laea(5.0, 48.0), geo.laea(15.0, 48.0)
    assert close(west, (-east[0], east[1]), tol=1e-6)
    assert geo.laea(-3.7, 40.4)[0] < 0 < geo.laea(18.07, 59.33)[0]  # Madrid west, Stockholm east


def test_laea_preserves_area() -> None:
    # A small 0.1° cell keeps its true spherical area wherever it lies.
    def area(lon: float, lat: float) -> float:
        corners = [(lon, lat), (lon + 0.1, lat), (lon + 0.1, lat + 0.1), (lon, lat + 0.1)]
        ring = [geo.laea(*c) for c in corners]
        return abs(geo.ring_area([*ring, ring[0]]))

    def true_area(lat: float) -> float:
        r = geo.AUTHALIC_RADIUS
        phi1, phi2 = math.radians(lat), math.radians(lat + 0.1)
        return r * r * math.radians(0.1) * (math.sin(phi2) - math.sin(phi1))

    for lon, lat in [(-15.0, 28.0), (10.0, 52.0), (25.0, 67.0)]:
        assert math.isclose(area(lon, lat), true_area(lat), rel_tol=1e-4)


def test_web_mercator_known_points() -> None:
    assert close(geo.web_mercator(0.0, 0.0), (0.0, 0.0))
    assert math.isclose(geo.web_mercator(180.0, 0.0)[0], 20_037_508.34, abs_tol=0.01)
    assert math.isclose(geo.web_mercator(0.0, 85.05112878)[1], 20_037_508.34, abs_tol=1.0)
    assert geo.web_mercator(0.0, 90.0) == geo.web_mercator(0.0, 85.05112878)  # clamped


# --- GeoJSON and boxes ---------------------------------------------------------------------


def test_polygons_of_polygon_and_multipolygon() -> None:
    square = [[[0, 0], [1, 0], [1, 1], [0, 0]]]
    assert geo.polygons_of({"type": "Polygon", "coordinates": square}) == [
        [[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]]
    ]
    multi = geo.polygons_of({"type": "MultiPolygon", "coordinates": [square, square]})
    assert len(multi) == 2
    with pytest.raises(ValueError, match="LineString"):
        geo.polygons_of({"type": "LineString", "coordinates": []})


def test_boxes() -> None:
    box = geo.bbox_of([(1, 5), (3, -2), (-1, 0)])
    assert box == (-1, -2, 3, 5)
    assert geo.bbox_union([box, (0, 0, 10, 1)]) == (-1, -2, 10, 5)
    assert geo.bbox_centre((0, 0, 4, 2)) == (2, 1)
    assert geo.bbox_contains(box, (0, 0)) and not geo.bbox_contains(box, (4, 0))
    assert geo.bbox_expand((0, 0, 1, 1), 1) == (-1, -1, 2, 2)
    with pytest.raises(ValueError):
        geo.bbox_of([])


def test_fit_box_maps_corners_into_the_frame_with_y_down() -> None:
    fit = geo.fit_box((0, 0, 200, 100), 400, 400, padding=10)
    assert math.isclose(fit.scale, 1.9)
    low_left, top_right = fit.apply((0, 0)), fit.apply((200, 100))
    assert close(low_left, (10, 295)) and close(top_right, (390, 105))  # centred vertically


# --- simplification and paths --------------------------------------------------------------


def test_simplify_line_drops_collinear_points() -> None:
    line = [(0.0, 0.0), (1.0, 0.01), (2.0, 0.0), (3.0, 5.0)]
    assert geo.simplify_line(line, 0.1) == [(0.0, 0.0), (2.0, 0.0), (3.0, 5.0)]
    assert geo.simplify_line(line, 0) == line


def noisy_circle(n: int = 400) -> list[tuple[float, float]]:
    ring = [
        (
            100 * math.cos(2 * math.pi * i / n) + (0.2 if i % 2 else -0.2),
            100 * math.sin(2 * math.pi * i / n),
        )
        for i in range(n)
    ]
    return [*ring, ring[0]]


def test_simplify_ring_keeps_a_closed_ring() -> None:
    ring = noisy_circle()
    simple = geo.simplify_ring(ring, 1.0)
    assert simple is not None
    assert simple[0] == simple[-1]
    assert 4 <= len(simple) < len(ring) / 4
    assert math.isclose(abs(geo.ring_area(simple)), abs(geo.ring_area(ring)), rel_tol=0.05)


def test_simplify_ring_accepts_an_unclosed_ring_and_closes_it() -> None:
    simple = geo.simplify_ring([(0, 0), (10, 0), (10, 10), (0, 10)], 0.5)
    assert simple == [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]


def test_simplify_ring_reports_a_collapsed_sliver() -> None:
    assert geo.simplify_ring([(0, 0), (10, 0.01), (20, 0), (0, 0)], 1.0) is None
    assert geo.simplify_ring([(0, 0), (1, 1)], 1.0) is None


def test_ring_area_sign_and_size() -> None:
    ccw = [(0, 0), (2, 0), (2, 3), (0, 3), (0, 0)]
    assert geo.ring_area(ccw) == 6
    assert geo.ring_area(list(reversed(ccw))) == -6


def test_path_data_is_relative_rounded_and_closed() -> None:
    d = geo.path_data([[(0.04, 10.0), (10.26, 10.0), (10.26, 0.0), (0.04, 10.0)]], decimals=1)
    assert d == "M0 10l10.3 0 0 -10z"
    two = geo.path_data([[(0, 0), (1, 0), (1, 1), (0, 0)], [(5, 5), (6, 5), (6, 6), (5, 5)]])
    assert two.count("M") == 2 and two.count("z") == 2


def test_path_data_does_not_drift() -> None:
    # Many tiny steps: the last absolute position must equal the rounded original.
    ring = [(i * 0.33, 0.0) for i in range(1000)] + [(329.67, 5.0)]
    d = geo.path_data([ring], decimals=1)
    steps = d[d.index("l") + 1 : -1].split(" ")
    x = float(d[1 : d.index(" ")]) + sum(float(v) for v in steps[0::2])
    assert math.isclose(x, 329.7, abs_tol=1e-9)


def test_path_data_drops_repeated_points() -> None:
    assert geo.path_data([[(0, 0), (0.01, 0), (1, 0), (1, 1), (0, 0)]]) == "M0 0l1 0 0 1z"


# --- classes -------------------------------------------------------------------------------


def test_quantile_breaks() -> None:
    assert geo.quantile_breaks([1, 2, 3, 4, 5, 6, 7, 8], 4) == [2, 4, 6, 8]
    assert geo.quantile_breaks([1, 1, 1, 1, 9], 4) == [1, 9]  # ties merge classes
    assert geo.quantile_breaks([], 3) == []


def test_natural_breaks_finds_the_clusters() -> None:
    values = [1, 1, 2, 10, 11, 12, 50, 52]
    assert geo.natural_breaks(values, 3) == [2, 12, 52]
    assert geo.natural_breaks([3, 3, 7], 5) == [3, 7]  # fewer distinct values than classes
    assert geo.natural_breaks([], 3) == []


def test_natural_breaks_weights_repeated_values() -> None:
    # Many regions with 1 and one outlier: the outlier gets a class of its own.
    assert geo.natural_breaks([1] * 50 + [2] * 10 + [100], 2) == [2, 100]


def test_classify() -> None:
    breaks = [2, 12, 52]
    assert [geo.classify(v, breaks) for v in (1, 2, 3, 12, 13, 52, 99)] == [0, 0, 1, 1, 2, 2, 2]


def test_legend_uses_the_values_in_each_class() -> None:
    values = [1, 1, 2, 10, 11, 12, 50, 52]
    breaks = geo.natural_breaks(values, 3)
    entries = geo.legend(values, breaks, geo.palette(3))
    assert [(e.low, e.high, e.regions) for e in entries] == [(1, 2, 3), (10, 12, 3), (50, 52, 2)]
    assert [e.colour for e in entries] == geo.palette(3)


def test_palette_is_sequential_and_distinct_from_no_data() -> None:
    for n in range(1, geo.MAX_CLASSES + 1):
        colours = geo.palette(n)
        assert len(colours) == len(set(colours)) == n
        assert geo.NO_DATA_COLOUR not in colours
        lightness = [sum(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in colours]
        assert lightness == sorted(lightness, reverse=True)  # lightest first
    with pytest.raises(ValueError):
        geo.palette(geo.MAX_CLASSES + 1)


# --- NUTS ----------------------------------------------------------------------------------


def test_nuts_levels_and_ancestors() -> None:
    assert [geo.nuts_level(c) for c in ("FR", "FR1", "FR10", "FR101")] == [0, 1, 2, 3]
    assert geo.nuts_ancestor("FR101", 1) == "FR1"
    assert geo.nuts_ancestor("FR101", 3) == "FR101"
    assert geo.nuts_ancestor("FR1", 2) is None
    assert geo.nuts_ancestor("FR1", 7) is None


def test_roll_up_nests_by_prefix() -> None:
    counts = {"FR101": 2, "FR102": 1, "FR10": 4, "FR1": 8, "ES300": 1}
    assert geo.roll_up(counts, 0) == {"FR": 15, "ES": 1}
    assert geo.roll_up(counts, 1) == {"FR1": 15, "ES3": 1}
    assert geo.roll_up(counts, 2) == {"FR10": 7, "ES30": 1}
    assert geo.roll_up(counts, 3) == {"FR101": 2, "FR102": 1, "ES300": 1}


def test_country_codes() -> None:
    assert geo.iso_to_nuts("GR") == "EL" and geo.iso_to_nuts("FR") == "FR"
    assert geo.nuts_to_iso("EL30") == "GR" and geo.nuts_to_iso("UKI") == "GB"
    assert geo.nuts_to_iso("LV006") == "LV"
