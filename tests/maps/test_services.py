"""Counting records per NUTS region: nesting, distinct initiatives, visibility, filters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from buicasus.maps import geometry, services
from tests.maps.conftest import Q

pytestmark = pytest.mark.django_db
ANON = AnonymousUser()


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (0, {"FR": 6, "LV": 1}),
        (1, {"FR1": 4, "FRE": 1, "LV0": 1}),
        (2, {"FR10": 3, "FRE1": 1, "LV00": 1}),
        (3, {"FR101": 2, "FRE11": 1, "LV006": 1}),
    ],
)
def test_organisations_count_in_their_region_and_every_region_containing_it(
    orgs: dict[str, Any], level: int, expected: dict[str, int]
) -> None:
    assert services.counts_by_code(ANON, "organisations", level, Q) == expected


@pytest.mark.parametrize(("level", "unplaced"), [(0, 0), (1, 1), (2, 2), (3, 3)])
def test_records_without_a_region_this_fine_are_reported(
    orgs: dict[str, Any], level: int, unplaced: int
) -> None:
    assert services.unplaced_count(ANON, "organisations", level, Q) == unplaced


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (0, {"FR": 2, "ES": 1}),
        (1, {"FR1": 2, "ES3": 2}),
        (2, {"FR10": 2, "ES30": 1}),
        (3, {"FR101": 2, "FR102": 1, "ES300": 1}),
    ],
)
def test_an_initiative_counts_once_per_region_it_touches(
    inits: dict[str, Any], level: int, expected: dict[str, int]
) -> None:
    assert services.counts_by_code(ANON, "initiatives", level, Q) == expected


@pytest.mark.parametrize(("level", "unplaced"), [(0, 0), (1, 0), (2, 1), (3, 1)])
def test_initiatives_without_fine_regions_are_unplaced(
    inits: dict[str, Any], level: int, unplaced: int
) -> None:
    # "coarse" is only in ES3; the unpublished one is not counted at all
    counted = services.tally(ANON, "initiatives", level, Q)
    assert (counted.total, counted.unplaced) == (3, unplaced)


def test_anonymous_counts_only_published_records(
    orgs: dict[str, Any], inits: dict[str, Any], make_user: Callable[..., Any]
) -> None:
    assert services.counts_by_code(ANON, "organisations", 3, Q)["LV006"] == 1
    editor = make_user("editor", "LV")
    assert services.counts_by_code(editor, "organisations", 3, Q)["LV006"] == 2
    assert services.counts_by_code(ANON, "initiatives", 3, Q)["FR101"] == 2
    fr_editor = make_user("editor", "FR")
    assert services.counts_by_code(fr_editor, "initiatives", 3, Q)["FR101"] == 3


def test_counts_take_the_list_filters(orgs: dict[str, Any], inits: dict[str, Any]) -> None:
    by_type = services.counts_by_code(ANON, "organisations", 1, {**Q, "actor_type": "cooperative"})
    assert by_type == {"FR1": 1}
    assert services.counts_by_code(ANON, "organisations", 2, {**Q, "country": "LV"}) == {"LV00": 1}
    by_field = services.counts_by_code(ANON, "initiatives", 3, {**Q, "policy_field": "employment"})
    assert by_field == {"FR101": 1, "FR102": 1}


def test_region_filter_is_a_nuts_prefix(orgs: dict[str, Any]) -> None:
    params = services.clean_params({**Q, "region": "fr10"})
    assert params["region"] == "FR10"
    assert services.counts_by_code(ANON, "organisations", 3, params) == {"FR101": 2}
    assert "region" not in services.clean_params({"region": "FR10'; drop"})


def test_region_counts_have_names_and_skip_empty_regions(orgs: dict[str, Any]) -> None:
    rows = services.region_counts(ANON, "organisations", 2, Q)
    assert [(r.code, r.level, r.count) for r in rows] == [
        ("FR10", 2, 3),
        ("FRE1", 2, 1),
        ("LV00", 2, 1),
    ]
    assert rows[0].name.startswith("Ile-de-France") or rows[0].name.startswith("Île")
    level0 = services.region_counts(ANON, "organisations", 0, Q)
    assert [(r.code, r.name) for r in level0] == [("FR", "France"), ("LV", "Latvia")]


def test_drawn_countries(orgs: dict[str, Any]) -> None:
    assert services.drawn_countries(ANON, "organisations", {"country": "lv"}) == ("LV",)
    drawn = services.drawn_countries(ANON, "organisations", {})
    assert {"FR", "LV"} <= set(drawn)


def test_points_only_for_records_with_coordinates(orgs: dict[str, Any]) -> None:
    count, rows = services.points_page(ANON, Q, 1, 100)
    assert count == 3
    assert {name for _pk, name, _lat, _lon in rows} == {
        "Maptest Paris A",
        "Maptest Lille",
        "Maptest Rīga",
    }


def test_markers_are_placed_on_the_drawing(orgs: dict[str, Any]) -> None:
    drawing = geometry.drawing(str(geometry.nuts_folder()), 2, ("FR", "LV"))
    found = services.markers(ANON, Q, drawing)
    assert (found.total, found.off_map, found.not_drawn) == (3, 0, 0)
    assert sorted(m.name for m in found.items) == [
        "Maptest Lille",
        "Maptest Paris A",
        "Maptest Rīga",
    ]
    for marker in found.items:
        assert 0 <= marker.x <= drawing.width and 0 <= marker.y <= drawing.height


def test_markers_off_the_drawn_area_are_counted(orgs: dict[str, Any]) -> None:
    drawing = geometry.drawing(str(geometry.nuts_folder()), 2, ("LV",))
    found = services.markers(ANON, Q, drawing)
    assert [m.name for m in found.items] == ["Maptest Rīga"]
    assert (found.total, found.off_map) == (3, 2)


def test_nearby_points_merge_into_one_marker(db: None) -> None:
    from tests.registry.factories import organisation

    for i in range(3):
        organisation("LV", name=f"Maptest cluster {i}", latitude=56.95, longitude=24.1 + i * 1e-4)
    drawing = geometry.drawing(str(geometry.nuts_folder()), 3, ("LV",))
    found = services.markers(ANON, Q, drawing)
    assert found.total == 3
    assert [(m.count, m.pk) for m in found.items] == [(3, None)]


def test_markers_beyond_the_cap_are_counted(
    orgs: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "MAX_POINT_MARKERS", 1)
    drawing = geometry.drawing(str(geometry.nuts_folder()), 2, ("FR", "LV"))
    found = services.markers(ANON, Q, drawing)
    assert (len(found.items), found.not_drawn) == (1, 2)


def test_choropleth_colours_and_legend(orgs: dict[str, Any]) -> None:
    result = services.choropleth(ANON, "organisations", 3, {**Q, "country": "FR"})
    by_code = {r.code: r for r in result.regions}
    assert by_code["FR101"].count == 2 and by_code["FRE11"].count == 1
    assert by_code["FR101"].colour != by_code["FRE11"].colour
    assert by_code["FR102"].colour == "#f0f0f0"  # no records
    assert [(e.low, e.high) for e in result.legend] == [(1, 1), (2, 2)]
    assert result.total == 6 and result.unplaced == 3
    assert by_code["FR101"].list_query == {"q": "Maptest", "country": "FR", "region": "FR101"}


def test_level0_links_to_the_country(orgs: dict[str, Any]) -> None:
    result = services.choropleth(ANON, "organisations", 0, Q)
    france = next(r for r in result.regions if r.code == "FR")
    assert france.name == "France"
    assert france.list_query == {"q": "Maptest", "country": "FR"}
