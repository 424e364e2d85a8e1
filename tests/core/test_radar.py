"""Radar SVG: well-formed, escaped, one shape per series, gaps for missing values, no CSS."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET

import pytest

from buicasus.core.radar import PALETTE, radar_svg

SVG = "{http://www.w3.org/2000/svg}"
AXES = ["Culture", "Finance", "Markets", "Skills", "Impact"]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_standalone_svg_with_title_desc_and_viewbox() -> None:
    root = parse(radar_svg(AXES, [("Spain", [5, 6, 7, 8, 9])], title="Profiles"))
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox", "").startswith("0 0 560 ")
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Profiles"
    assert "Spain: Culture 5; Finance 6" in root.find(f"{SVG}desc").text
    assert root.find(f"{SVG}desc").get("id") == desc_id


def test_no_css_script_or_external_reference() -> None:
    svg = radar_svg(AXES, [("A", [1, 2, 3, 4, 5]), ("B", [None, 2, 3, 4, 5])], title="T")
    for forbidden in ("<style", "class=", "style=", "<script", "href", "url(", "@import"):
        assert forbidden not in svg


def test_rings_and_axes() -> None:
    root = parse(radar_svg(AXES, [("A", [1, 2, 3, 4, 5])]))
    assert len(root.findall(f"{SVG}g[@aria-hidden='true']/{SVG}circle")) == 5  # rings 2, 4 … 10
    assert len(root.findall(f"{SVG}line")) == len(AXES) + 1  # axes + one legend line
    ring_values = [t.text for t in root.findall(f"{SVG}text") if t.get("font-size") == "9"]
    assert ring_values == ["0", "2", "4", "6", "8", "10"]


def test_one_filled_polygon_per_complete_series_in_palette_colours() -> None:
    root = parse(radar_svg(AXES, [("A", [1, 2, 3, 4, 5]), ("B", [5, 4, 3, 2, 1])]))
    shapes = [g.find(f"{SVG}polygon") for g in root.findall(f"{SVG}g[@aria-label]")]
    assert [s.get("stroke") for s in shapes] == [PALETTE[0], PALETTE[1]]
    assert shapes[1].get("stroke-dasharray")  # the second series is also dashed
    assert all(s.get("fill-opacity") == "0.12" for s in shapes)


def test_values_sit_on_the_scale() -> None:
    root = parse(radar_svg(["N", "E", "S"], [("A", [10, 0, 5])], size=400))
    polygon = root.find(f"{SVG}g[@aria-label='A']/{SVG}polygon")
    points = [tuple(map(float, p.split(","))) for p in polygon.get("points").split()]
    (x0, y0), (x1, y1), (x2, y2) = points
    radius = 400 / 2 - 400 * 0.21
    assert x0 == pytest.approx(240) and x1 == pytest.approx(240)  # 0 sits at the centre
    assert y1 - y0 == pytest.approx(radius, abs=0.1)  # 10 is the outer ring
    assert abs(y2 - y1) == pytest.approx(radius / 2 * 0.5, abs=0.1)  # 5 at 120°: half radius


def test_missing_values_are_gaps_without_fill() -> None:
    root = parse(
        radar_svg(AXES, [("Latvia", [3, None, 5, 6, 2])], missing_text="{n} axes without score")
    )
    group = root.find(f"{SVG}g[@aria-label='Latvia']")
    assert group.find(f"{SVG}polygon[@fill-opacity]") is None
    lines = group.findall(f"{SVG}polyline")
    # 5,6,2 then wraps to 3: one broken outline around the missing Finance axis
    assert len(lines) == 1 and len(lines[0].get("points").split()) == 4
    markers = [m for m in group if m.tag != f"{SVG}polyline"]
    assert len(markers) == 4
    legend = [t.text for t in root.findall(f"{SVG}text") if t.text and "Latvia" in t.text]
    assert legend == ["Latvia (1 axes without score)"]
    assert "Finance –" in root.find(f"{SVG}desc").text


def test_isolated_value_is_a_marker_only() -> None:
    root = parse(radar_svg(AXES, [("X", [None, 4, None, None, None])]))
    group = root.find(f"{SVG}g[@aria-label='X']")
    assert group.findall(f"{SVG}polyline") == []
    assert len(list(group)) == 1


def test_text_is_escaped() -> None:
    svg = radar_svg(['R&D <lab> "x"'], [('A & "B"', [4])], title="<b>T</b>")
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "<b>T</b>"
    assert "<b>" not in svg and "&lt;lab&gt;" in svg
    assert root.find(f"{SVG}g[@aria-label]").get("aria-label") == 'A & "B"'


def test_long_labels_wrap_into_lines() -> None:
    root = parse(
        radar_svg(["Skills and business-development support", "B", "C"], [("A", [1, 2, 3])])
    )
    label = next(t for t in root.findall(f"{SVG}text") if t.find(f"{SVG}tspan") is not None)
    assert len(label.findall(f"{SVG}tspan")) >= 2


def test_values_are_clamped() -> None:
    root = parse(radar_svg(["A", "B", "C"], [("S", [15, -2, 5])], size=400))
    polygon = root.find(f"{SVG}g[@aria-label='S']/{SVG}polygon")
    ys = [float(p.split(",")[1]) for p in polygon.get("points").split()]
    assert min(ys) >= 30 - 0.1  # no point beyond the outer ring (top at title+label room)


def test_refuses_series_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="2 values for 3 axes"):
        radar_svg(["A", "B", "C"], [("S", [1, 2])])
    with pytest.raises(ValueError):
        radar_svg([], [])


def test_weasyprint_renders_it_without_warnings(caplog: pytest.LogCaptureFixture) -> None:
    weasyprint = pytest.importorskip("weasyprint")
    svg = radar_svg(AXES, [("A", [1, 2, None, 4, 5]), ("B", [5, 4, 3, 2, 1])], title="T")
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = weasyprint.HTML(string=f"<html><body>{svg}</body></html>").write_pdf()
    assert pdf.startswith(b"%PDF")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
