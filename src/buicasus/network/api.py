"""JSON API of the network app, mounted at /api/v1/network.

`GET /graph` gives the interactive view's elements (Cytoscape format, best-connected nodes
first, sampled above `max_nodes`), `GET /summary` the figures, `GET /export?format=gexf` the
whole analysed network as a file. Reads are open: anonymous callers see the network of the
published, approved records, token holders what they may see. `country` is an ISO code: that
country's organisations and the foreign organisations linked to them.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from buicasus.accounts.api import OPTIONAL_AUTH_DOC, READ_AUTH
from buicasus.network import exports, services
from buicasus.registry.api_common import READ_ERRORS, ErrorDetail

router = Router(tags=["network"])
MAX_VIEW_NODES = 5000


class CountryQuery(Schema):
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code; none: all.")


class GraphQuery(CountryQuery):
    actor_type: list[str] = Field(
        default_factory=list, description="Actor type codes; nodes of other types are left out."
    )
    max_nodes: int = Field(
        services.VIEW_LIMIT,
        ge=1,
        le=MAX_VIEW_NODES,
        description="Above this, the best-connected nodes only (by degree).",
    )


class ExportQuery(CountryQuery):
    format: Literal["gexf", "graphml", "kumu"] = "gexf"


class ElementData(Schema):
    data: dict[str, Any]


class GraphOut(Schema):
    country: str | None
    actor_types: list[str]
    total_nodes: int = Field(description="Organisations matching the filters.")
    shown_nodes: int
    sampled: bool = Field(description="True when only the best-connected nodes are shown.")
    computed_at: str
    nodes: list[ElementData]
    edges: list[ElementData]


class BrokerOut(Schema):
    id: int
    label: str
    actor_type: str
    country: str
    degree: int
    betweenness: float
    neighbour_types: list[str]
    brokerage: float


class CommunityOut(Schema):
    id: int
    size: int
    actor_types: list[tuple[str, int]]
    countries: list[tuple[str, int]]


class CountryPairOut(Schema):
    a: str
    b: str
    ties: int


class SummaryOut(Schema):
    country: str | None
    nodes: int
    edges: int
    density: float
    components: int
    largest_component: int
    isolated: int
    cross_sector_share: float
    cross_border_ties: int
    cross_border_pairs: list[CountryPairOut]
    communities: list[CommunityOut]
    community_count: int
    community_method: str
    brokers: list[BrokerOut]
    betweenness_method: str
    computed_at: str | None
    seconds: float
    data_version: str
    timings: dict[str, float]


def _country(query: CountryQuery) -> str | None:
    try:
        return services.clean_country(query.country)
    except services.NetworkError as exc:
        raise HttpError(400, str(exc)) from exc


@router.get(
    "/graph",
    url_name="network-graph",
    response={200: GraphOut, 400: ErrorDetail, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def graph(request: HttpRequest, query: Query[GraphQuery]) -> dict[str, Any]:
    """Nodes (with degree, betweenness, brokerage, community) and edges for the network view."""
    country = _country(query)
    try:
        types = services.clean_actor_types(query.actor_type)
    except services.NetworkError as exc:
        raise HttpError(400, str(exc)) from exc
    return services.graph_view(request.user, country, actor_types=types, max_nodes=query.max_nodes)


@router.get(
    "/summary",
    url_name="network-summary",
    response={200: SummaryOut, 400: ErrorDetail, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def summary(request: HttpRequest, query: Query[CountryQuery]) -> dict[str, Any]:
    """Size, density, components, isolated actors, cross-sector and cross-border ties,
    communities and top brokers (cached; recomputed when the registry changes)."""
    result = services.network_summary(_country(query), user=request.user)
    return result.to_dict()


@router.get(
    "/export",
    url_name="network-export",
    response={200: None, 400: ErrorDetail, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def export(request: HttpRequest, query: Query[ExportQuery]) -> HttpResponse:
    """The analysed network as GEXF, GraphML or Kumu JSON, with each node's metrics."""
    country = _country(query)
    chosen, blocks = exports.export(request.user, country, query.format)
    return exports.streaming_response(chosen, blocks, country)
