"""NUTS boundaries: read once, drawn per level and country set, overseas land in insets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from buicasus.maps import geometry

FOLDER = str(geometry.nuts_folder())


@pytest.mark.parametrize(("level", "features"), [(0, 37), (1, 125), (2, 333), (3, 1512)])
def test_every_level_loads(level: int, features: int) -> None:
    assert len(geometry.load_level(FOLDER, level)) == features


def test_files_are_parsed_once_and_drawings_cached() -> None:
    assert geometry.load_level(FOLDER, 2) is geometry.load_level(FOLDER, 2)
    first = geometry.drawing(FOLDER, 2, ("LV",))
    assert geometry.drawing(FOLDER, 2, ("LV",)) is first


@pytest.mark.parametrize(("level", "regions"), [(0, 1), (1, 14), (2, 27), (3, 101)])
def test_france_has_one_shape_per_region_with_a_path(level: int, regions: int) -> None:
    drawing = geometry.drawing(FOLDER, level, ("FR",))
    assert len(drawing.shapes) == regions
    assert all(re.fullmatch(r"(M[-\d. ]+(l[-\d. ]+)?z)+", s.path) for s in drawing.shapes)


def test_overseas_regions_go_to_insets_and_europe_fills_the_main_frame() -> None:
    drawing = geometry.drawing(FOLDER, 2, ("FR",))
    assert [f.key for f in drawing.insets] == ["FRY1", "FRY2", "FRY3", "FRY4", "FRY5"]
    main = drawing.main
    # Metropolitan France (≈ 1,000 km across) fills the frame: ≥ 0.5 px per km.
    assert main.fit.scale * 1000 >= 0.5
    for inset in drawing.insets:
        assert inset.y >= main.height and inset.x + inset.width <= drawing.width + 0.01
    guyane = next(s for s in drawing.shapes if s.code == "FRY3")
    frame = next(f for f in drawing.insets if f.key == "FRY3")
    xs = [float(v) for v in re.findall(r"M([-\d.]+)", guyane.path)]
    assert all(frame.x <= x <= frame.x + frame.width for x in xs)


def test_spain_gets_the_canaries_inset_only() -> None:
    assert [f.key for f in geometry.drawing(FOLDER, 3, ("ES",)).insets] == ["ES70"]
    assert geometry.drawing(FOLDER, 3, ("LV", "SE")).insets == ()


def test_points_are_placed_in_the_frame_that_shows_them() -> None:
    drawing = geometry.drawing(FOLDER, 2, ("ES", "FR"))
    paris = drawing.place(2.35, 48.85)
    assert paris is not None and paris[1] < drawing.main.height
    reunion = drawing.place(55.45, -21.1)
    frame = next(f for f in drawing.insets if f.key == "FRY4")
    assert reunion is not None and frame.x <= reunion[0] <= frame.x + frame.width
    assert drawing.place(-70.0, -30.0) is None  # Chile: on no frame


def test_country_borders_are_drawn_over_regions() -> None:
    assert len(geometry.drawing(FOLDER, 3, ("ES", "FR")).outlines) == 2
    assert geometry.drawing(FOLDER, 0, ("ES", "FR")).outlines == ()


def test_the_whole_of_europe_stays_light() -> None:
    countries = tuple(sorted({f.country for f in geometry.load_level(FOLDER, 0)}))
    drawing = geometry.drawing(FOLDER, 3, countries)
    assert len(drawing.shapes) == 1512
    assert sum(len(s.path) for s in drawing.shapes) < 400_000


def test_unknown_countries_draw_nothing() -> None:
    assert geometry.drawing(FOLDER, 2, ("XX",)).shapes == ()


def test_missing_folder_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(geometry.MapUnavailable, match="NUTS_RG_20M_2021_4326_LEVL_2.geojson"):
        geometry.load_level(str(tmp_path), 2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not readable GeoJSON"),
        (json.dumps({"type": "FeatureCollection", "features": []}), "holds no regions"),
        (
            json.dumps({"features": [{"properties": {}, "geometry": {"type": "Polygon"}}]}),
            "feature 1",
        ),
        (
            json.dumps(
                {"features": [{"properties": {"NUTS_ID": "XX1"}, "geometry": {"type": "Point"}}]}
            ),
            "feature 1: expected a Polygon",
        ),
    ],
)
def test_broken_files_are_reported_with_their_name(
    tmp_path: Path, content: str, message: str
) -> None:
    (tmp_path / "NUTS_RG_20M_2021_4326_LEVL_1.geojson").write_text(content, encoding="utf-8")
    with pytest.raises(geometry.MapUnavailable, match=message) as info:
        geometry.load_level(str(tmp_path), 1)
    assert "LEVL_1.geojson" in str(info.value)
