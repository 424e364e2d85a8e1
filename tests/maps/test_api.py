"""/api/v1/map: counts per region and GeoJSON points, for the list filters and the caller."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
REGIONS = "/api/v1/map/regions"
POINTS = "/api/v1/map/points"


def test_region_counts_at_each_level(client: Client, orgs: Any) -> None:
    body = client.get(f"{REGIONS}?q=Maptest&level=1").json()
    assert body["kind"] == "organisations" and body["level"] == 1
    assert (body["total"], body["unplaced"]) == (7, 1)
    assert [(r["code"], r["level"], r["count"]) for r in body["regions"]] == [
        ("FR1", 1, 4),
        ("FRE", 1, 1),
        ("LV0", 1, 1),
    ]
    level3 = client.get(f"{REGIONS}?q=Maptest&level=3").json()["regions"]
    assert {r["code"]: r["count"] for r in level3} == {"FR101": 2, "FRE11": 1, "LV006": 1}
    assert {r["code"]: r["name"] for r in level3}["LV006"] == "Rīga"


def test_region_counts_default_to_level_2(client: Client, orgs: Any) -> None:
    body = client.get(f"{REGIONS}?q=Maptest").json()
    assert body["level"] == 2
    assert {r["code"] for r in body["regions"]} == {"FR10", "FRE1", "LV00"}


def test_initiative_counts_and_filters(client: Client, inits: Any) -> None:
    body = client.get(f"{REGIONS}?kind=initiatives&q=Maptest&level=2").json()
    assert {r["code"]: r["count"] for r in body["regions"]} == {"FR10": 2, "ES30": 1}
    filtered = client.get(
        f"{REGIONS}?kind=initiatives&q=Maptest&level=3&policy_field=employment"
    ).json()
    assert {r["code"]: r["count"] for r in filtered["regions"]} == {"FR101": 1, "FR102": 1}
    in_region = client.get(f"{REGIONS}?kind=initiatives&q=Maptest&level=3&region=FR102").json()
    assert in_region["total"] == 1


def test_counts_respect_visibility(
    client: Client, client_for: Callable[..., Client], orgs: Any
) -> None:
    def riga(c: Client) -> int:
        rows = c.get(f"{REGIONS}?q=Maptest&level=3&country=LV").json()["regions"]
        return next(r["count"] for r in rows if r["code"] == "LV006")

    assert riga(client) == 1
    assert riga(client_for("editor", "LV")) == 2
    assert riga(client_for("editor", "FR")) == 1


def test_points_are_a_geojson_feature_collection(client: Client, orgs: Any) -> None:
    body = client.get(f"{POINTS}?q=Maptest").json()
    assert body["type"] == "FeatureCollection"
    assert body["count"] == 3 and body["page"] == 1
    riga = next(f for f in body["features"] if f["properties"]["name"] == "Maptest Rīga")
    assert riga["type"] == "Feature"
    assert riga["geometry"] == {"type": "Point", "coordinates": [24.11, 56.95]}
    assert riga["properties"]["lat"] == 56.95 and riga["properties"]["lon"] == 24.11
    assert riga["id"] == riga["properties"]["id"] == orgs["riga"].pk
    assert riga["properties"]["url"] == orgs["riga"].get_absolute_url()


def test_points_take_filters_and_pages(
    client: Client, client_for: Callable[..., Client], orgs: Any
) -> None:
    assert client.get(f"{POINTS}?q=Maptest&country=LV").json()["count"] == 1
    assert client_for("viewer", "LV").get(f"{POINTS}?q=Maptest&country=LV").json()["count"] == 2
    assert client.get(f"{POINTS}?q=Maptest&region=FR1").json()["count"] == 1
    page2 = client.get(f"{POINTS}?q=Maptest&page=2&page_size=2").json()
    assert (page2["count"], len(page2["features"])) == (3, 1)


@pytest.mark.parametrize(
    "query",
    ["level=4", "level=x", "kind=people", "review_status=maybe"],
)
def test_bad_parameters_are_422(client: Client, query: str) -> None:
    response = client.get(f"{REGIONS}?{query}")
    assert response.status_code == 422
    assert "detail" in response.json()


def test_points_page_size_is_capped(client: Client) -> None:
    assert client.get(f"{POINTS}?page_size=5001").status_code == 422


def test_the_map_routes_are_in_the_openapi_document(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/map/regions" in paths and "/api/v1/map/points" in paths
