"""JSON API of the map at /api/v1/map: counts per NUTS region and geolocated organisations.

Both take the list endpoints' filters (and `region`, a NUTS prefix) and see what the caller may
see, so a client can draw the same map as the page. Points come as a GeoJSON FeatureCollection
(RFC 7946: coordinates are [longitude, latitude]) with the paging members alongside.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from buicasus.accounts.api import OPTIONAL_AUTH_DOC, READ_AUTH
from buicasus.maps import services
from buicasus.registry.api_common import MAX_PAGE, READ_ERRORS

router = Router(tags=["maps"])
MAX_POINTS_PAGE = 5000


class OrganisationMapFilters(Schema):
    q: str | None = Field(None, description="Words in the name, city or description.")
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code, e.g. FR.")
    region: str | None = Field(
        None, description="NUTS code; the region and its sub-regions (prefix match)."
    )
    actor_type: str | None = None
    published: bool | None = None
    review_status: Literal["approved", "proposed", "rejected"] | None = None


class MapFilters(OrganisationMapFilters):
    """Filters of both lists: each kind ignores the other's (`stage` means nothing to an
    organisation)."""

    stage: str | None = None
    evidence_level: str | None = None
    policy_field: str | None = None
    esf_objective: str | None = None
    sdg: str | None = None
    target_group: str | None = None
    method: str | None = None


class RegionQuery(MapFilters):
    kind: Literal["organisations", "initiatives"] = "organisations"
    level: int = Field(2, ge=0, le=3, description="NUTS level: 0 countries … 3 small regions.")


class RegionCountOut(Schema):
    code: str = Field(description="NUTS 2021 code (EL for Greece at level 0).")
    name: str
    level: int
    count: int


class RegionCountsOut(Schema):
    kind: str
    level: int
    total: int = Field(description="Records matching the filters.")
    unplaced: int = Field(description="Of those, records with no region at this level.")
    regions: list[RegionCountOut] = Field(description="Regions holding records, by code.")


class PointGeometry(Schema):
    type: Literal["Point"] = "Point"
    coordinates: list[float] = Field(description="[longitude, latitude]")


class PointProperties(Schema):
    id: int
    name: str
    lat: float
    lon: float
    url: str


class PointFeature(Schema):
    type: Literal["Feature"] = "Feature"
    id: int
    geometry: PointGeometry
    properties: PointProperties


class PointCollection(Schema):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    count: int
    page: int
    page_size: int
    features: list[PointFeature]


class PointQuery(OrganisationMapFilters):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(1000, ge=1, le=MAX_POINTS_PAGE)


@router.get(
    "/regions",
    response={200: RegionCountsOut, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def region_counts(request: HttpRequest, query: Query[RegionQuery]) -> dict[str, Any]:
    """Records per NUTS region at `level`; a record counts in its region and every region
    containing it. Anonymous callers count published, approved records only."""
    params = query.model_dump(exclude={"kind", "level"}, exclude_none=True)
    params = services.clean_params(params)
    counted = services.tally(request.user, query.kind, query.level, params)
    return {
        "kind": query.kind,
        "level": query.level,
        "total": counted.total,
        "unplaced": counted.unplaced,
        "regions": services.named_counts(counted.counts, query.level),
    }


@router.get(
    "/points",
    response={200: PointCollection, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def points(request: HttpRequest, query: Query[PointQuery]) -> dict[str, Any]:
    """Organisations with coordinates, as GeoJSON points, one page at a time (by id)."""
    params = query.model_dump(exclude={"page", "page_size"}, exclude_none=True)
    count, rows = services.points_page(request.user, params, query.page, query.page_size)
    features = [
        {
            "type": "Feature",
            "id": pk,
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "id": pk,
                "name": name,
                "lat": lat,
                "lon": lon,
                "url": reverse("registry:organisation-detail", args=[pk]),
            },
        }
        for pk, name, lat, lon in rows
    ]
    return {
        "type": "FeatureCollection",
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "features": features,
    }
