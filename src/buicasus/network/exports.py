"""The analysed network as GEXF, GraphML or Kumu-style JSON, with every node's metrics.

These reuse the interchange app's writers (`core.graph_files` for GEXF and GraphML, the
streaming JSON document of `interchange.exporters.base` for Kumu) rather than writing XML or
JSON again. Unlike the registry exports (`/export/`), whose networks hold organisations and
initiatives with roles as directed edges, these hold the network the analysis sees:
organisations only, one undirected edge per linked pair (`kinds` lists the tie types and
`co-participation`, `weight` sums them), and per node its degree, betweenness, brokerage and
community. Ids are the registry exports' own (`org-42`), so both files can be joined.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from buicasus.core.graph_files import Attribute, Edge, GraphMeta, Node, gexf, graphml
from buicasus.interchange.exporters.base import encoded, json_document
from buicasus.interchange.records import organisation_sid
from buicasus.network import services
from buicasus.registry.models import Organisation

NODE_ATTRIBUTES = (
    Attribute("actor_type"),
    Attribute("country"),
    Attribute("degree", "integer"),
    Attribute("betweenness", "double"),
    Attribute("brokerage", "double"),
    Attribute("community", "integer"),
    Attribute("isolated", "boolean"),
    Attribute("url"),
)
EDGE_ATTRIBUTES = (Attribute("kinds"), Attribute("weight", "double"))
# The shared writers declare directed graphs; the analysed network is undirected.
_UNDIRECTED = {
    '  <graph defaultedgetype="directed" mode="static">\n': (
        '  <graph defaultedgetype="undirected" mode="static">\n'
    ),
    '  <graph id="G" edgedefault="directed">\n': '  <graph id="G" edgedefault="undirected">\n',
}


@dataclass(frozen=True)
class NetworkFormat:
    name: str
    extension: str
    media_type: str
    write: Callable[[nx.Graph, dict[int, dict[str, Any]], str], Iterator[str]]


def _node_values(graph: nx.Graph, metrics: dict[int, dict[str, Any]]) -> Iterator[Node]:
    for pk in sorted(graph.nodes):
        data = graph.nodes[pk]
        yield Node(organisation_sid(pk), data["label"], metrics.get(pk, {}))


def _edges(graph: nx.Graph) -> Iterator[Edge]:
    for u, v in sorted((min(a, b), max(a, b)) for a, b in graph.edges()):
        data = graph[u][v]
        kinds = "; ".join(sorted(data["kinds"]))
        values = {"kinds": kinds, "weight": data["weight"]}
        yield Edge(f"org-{u}/org-{v}", organisation_sid(u), organisation_sid(v), kinds, values)


def _undirected(pieces: Iterable[str]) -> Iterator[str]:
    for piece in pieces:
        yield _UNDIRECTED.get(piece, piece)


def _xml(writer: Callable[..., Iterator[str]]) -> Callable[..., Iterator[str]]:
    def write(graph: nx.Graph, metrics: dict[int, dict[str, Any]], description: str) -> Any:
        meta = GraphMeta("BuiCaSuS", description, timezone.now().date().isoformat())
        pieces = writer(
            _node_values(graph, metrics),
            _edges(graph),
            node_attributes=NODE_ATTRIBUTES,
            edge_attributes=EDGE_ATTRIBUTES,
            meta=meta,
        )
        return _undirected(pieces)

    return write


def _kumu(graph: nx.Graph, metrics: dict[int, dict[str, Any]], description: str) -> Any:
    """Kumu's `elements` + `connections`, typed like the registry's Kumu export."""
    elements = (
        {
            "id": organisation_sid(pk),
            "label": graph.nodes[pk]["label"],
            "type": "Organisation",
            "tags": [graph.nodes[pk]["actor_type"]],
            **metrics.get(pk, {}),
        }
        for pk in sorted(graph.nodes)
    )
    connections = (
        {
            "id": edge.id,
            "from": edge.source,
            "to": edge.target,
            "type": str(edge.values["kinds"]).split("; ")[0],
            "kinds": str(edge.values["kinds"]).split("; "),
            "weight": edge.values["weight"],
            "direction": "undirected",
        }
        for edge in _edges(graph)
    )
    head = {
        "generator": "BuiCaSuS",
        "description": description,
        "generated_at": timezone.now().replace(microsecond=0).isoformat(),
    }
    return json_document(head, [("elements", elements), ("connections", connections)])


FORMATS: dict[str, NetworkFormat] = {
    "gexf": NetworkFormat("gexf", "gexf", "application/gexf+xml", _xml(gexf)),
    "graphml": NetworkFormat("graphml", "graphml", "application/graphml+xml", _xml(graphml)),
    "kumu": NetworkFormat("kumu", "json", "application/json", _kumu),
}


def _metrics(snapshot: Any, graph: nx.Graph) -> dict[int, dict[str, Any]]:
    m = snapshot.metrics
    isolated = set(m.get("isolated", []))
    marker = 987654321
    template = Organisation(pk=marker).get_absolute_url().replace(str(marker), "{}")
    result = {}
    for i, pk in enumerate(m["ids"]):
        if pk in graph:
            result[pk] = {
                "actor_type": m["actor_type"][i],
                "country": m["country"][i],
                "degree": m["degree"][i],
                "betweenness": m["betweenness"][i],
                "brokerage": m["brokerage"][i],
                "community": m["community"][i],
                "isolated": pk in isolated,
                "url": template.format(pk),
            }
    return result


def export(
    user: Any, country: str | None, format_name: str
) -> tuple[NetworkFormat, Iterator[bytes]]:
    """The network of `country` (None: all) as `user` sees it, in `format_name`, streamed.
    Checks come first (`NetworkError` naming the field), before the first byte."""
    chosen = FORMATS.get(format_name)
    if chosen is None:
        raise services.NetworkError(
            _("Unknown value “%(value)s” in the field “format”; use one of %(all)s.")
            % {"value": format_name, "all": ", ".join(FORMATS)}
        )
    snapshot = services.snapshot_for(user, country)
    graph, _focus = services.build(user, country)
    where = country or "all countries"
    description = f"BuiCaSuS ecosystem network ({where}): organisations, ties and co-participation"
    return chosen, encoded(chosen.write(graph, _metrics(snapshot, graph), description))


def filename(chosen: NetworkFormat, country: str | None) -> str:
    day = timezone.now().strftime("%Y%m%d")
    return f"buicasus-network-{(country or 'all').lower()}-{day}.{chosen.extension}"


def streaming_response(
    chosen: NetworkFormat, blocks: Iterator[bytes], country: str | None
) -> StreamingHttpResponse:
    """A streamed attachment, for the page's download links and the API alike."""
    response = StreamingHttpResponse(blocks, content_type=chosen.media_type)
    if chosen.media_type == "application/json":
        response["Content-Type"] = "application/json; charset=utf-8"
    response["Content-Disposition"] = f'attachment; filename="{filename(chosen, country)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
