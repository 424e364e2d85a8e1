"""JSON API of the network app, mounted at /api/v1/network.

`GET /graph` gives the interactive view's elements (Cytoscape format, best-connected nodes
first, sampled above `max_nodes`), `GET /summary` the figures, `GET /export?format=gexf` the
whole analysed network as a file. Reads are open: anonymous callers see the network of the
published, approved records, token holders what they may see. `country` is an ISO code: that
country's organisations and the foreign organisations linked to them.

Reads answer from the stored analysis and never compute it: when the registry changed since,
they answer the previous one (`current: false`) while a worker recomputes it; when it was
never computed, 202 with the recompute job. `POST /recompute` asks for a recompute (202) and
`GET /recompute` follows it.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from buicasus.accounts.api import OPTIONAL_AUTH_DOC, READ_AUTH, WRITE_AUTH
from buicasus.jobs.api import JobOut, job_out
from buicasus.jobs.models import Job
from buicasus.network import exports, services, tasks
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
    current: bool = Field(
        True, description="False: the registry changed since; a recompute is under way."
    )
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
    current: bool = Field(
        True, description="False: the registry changed since; a recompute is under way."
    )


class RecomputeOut(JobOut):
    poll_url: str = Field(description="GET it to follow the recompute.")


def _country(query: CountryQuery) -> str | None:
    try:
        return services.clean_country(query.country)
    except services.NetworkError as exc:
        raise HttpError(400, str(exc)) from exc


def _accepted(country: str | None, job: Job) -> Status:
    """202 with the recompute job and where to follow it."""
    poll = reverse("api:network-recompute-status") + "?" + urlencode({"country": country or ""})
    return Status(202, {**job_out(job), "poll_url": poll})


ACCEPTED = {202: RecomputeOut}


@router.get(
    "/graph",
    url_name="network-graph",
    response={200: GraphOut, **ACCEPTED, 400: ErrorDetail, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def graph(request: HttpRequest, query: Query[GraphQuery]) -> Any:
    """Nodes (with degree, betweenness, brokerage, community) and edges for the network view;
    202 with the recompute job when the network was never computed."""
    country = _country(query)
    try:
        types = services.clean_actor_types(query.actor_type)
    except services.NetworkError as exc:
        raise HttpError(400, str(exc)) from exc
    snapshot, job = tasks.current_or_requested(request.user, country, metrics=False)
    if snapshot is None and job is not None:
        return _accepted(country, job)
    with tasks.reading_stored():
        view = services.graph_view(
            request.user, country, actor_types=types, max_nodes=query.max_nodes
        )
    return {**view, "current": job is None}


@router.get(
    "/summary",
    url_name="network-summary",
    response={200: SummaryOut, **ACCEPTED, 400: ErrorDetail, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def summary(request: HttpRequest, query: Query[CountryQuery]) -> Any:
    """Size, density, components, isolated actors, cross-sector and cross-border ties,
    communities and top brokers (stored; recomputed by a worker when the registry changes)."""
    country = _country(query)
    snapshot, job = tasks.current_or_requested(request.user, country, metrics=False)
    if snapshot is None and job is not None:
        return _accepted(country, job)
    return {**(snapshot.summary if snapshot else {}), "current": job is None}


@router.get(
    "/export",
    url_name="network-export",
    response={200: None, **ACCEPTED, 400: ErrorDetail, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def export(request: HttpRequest, query: Query[ExportQuery]) -> Any:
    """The analysed network as GEXF, GraphML or Kumu JSON, with each node's metrics."""
    country = _country(query)
    snapshot, job = tasks.current_or_requested(request.user, country, metrics=False)
    if snapshot is None and job is not None:
        return _accepted(country, job)
    with tasks.reading_stored():
        chosen, blocks = exports.export(request.user, country, query.format)
    return exports.streaming_response(chosen, blocks, country)


@router.post(
    "/recompute",
    url_name="network-recompute",
    response={202: RecomputeOut, 400: ErrorDetail, 401: ErrorDetail},
    auth=WRITE_AUTH,
)
def recompute(request: HttpRequest, query: Query[CountryQuery]) -> Status:
    """Ask a background worker to recompute the network the caller sees (one recompute per
    network waits at a time: asking again returns the same job)."""
    country = _country(query)
    return _accepted(country, tasks.request_recompute(request.user, country, again=True))


@router.get(
    "/recompute",
    url_name="network-recompute-status",
    response={200: JobOut, 400: ErrorDetail, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def recompute_status(request: HttpRequest, query: Query[CountryQuery]) -> Any:
    """The latest recompute of the network the caller sees: queued, running (done of total),
    succeeded or failed (with the error)."""
    job = tasks.latest_job(request.user, _country(query))
    if job is None:
        raise HttpError(404, _("No recompute of this network was asked for."))
    return job_out(job)
