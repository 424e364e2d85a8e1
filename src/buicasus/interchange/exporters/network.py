"""GEXF and GraphML: the ecosystem as a directed network for Gephi, Cytoscape or networkx.

Nodes are organisations and initiatives (`kind`), with their type, place, dates and provenance;
edges are roles (organisation → initiative, labelled lead, partner …), ties (source → target,
labelled with the tie type) and replications (copy → original, `replicated-from`). An edge is
written only when both of its ends are in the export.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator

from django.utils.translation import gettext_lazy as _

from buicasus.core.graph_files import Attribute, Edge, GraphMeta, Node, gexf, graphml
from buicasus.core.standard_records import Record
from buicasus.interchange.exporters.base import encoded, register
from buicasus.interchange.services import Selection

NODE_ATTRIBUTES = (
    Attribute("kind"),
    Attribute("type"),
    Attribute("country"),
    Attribute("region"),
    Attribute("city"),
    Attribute("latitude", "double"),
    Attribute("longitude", "double"),
    Attribute("founding_year", "integer"),
    Attribute("stage"),
    Attribute("policy_fields"),
    Attribute("start_date"),
    Attribute("end_date"),
    Attribute("website"),
    Attribute("url"),
    Attribute("source_name"),
    Attribute("licence"),
)
EDGE_ATTRIBUTES = (
    Attribute("kind"),
    Attribute("type"),
    Attribute("start_date"),
    Attribute("end_date"),
    Attribute("source_name"),
    Attribute("licence"),
)


def _node(record: Record) -> Node:
    f, provenance = record["fields"], record.get("provenance") or {}
    common = {
        "kind": record["kind"],
        "country": f.get("country"),
        "website": f.get("website"),
        "url": provenance.get("url"),
        "source_name": provenance.get("source_name"),
        "licence": provenance.get("licence"),
    }
    if record["kind"] == "organisation":
        values = {
            **common,
            "type": f.get("actor_type"),
            "region": f.get("region"),
            "city": f.get("city"),
            "latitude": f.get("latitude"),
            "longitude": f.get("longitude"),
            "founding_year": f.get("founding_year"),
        }
        return Node(record["source_id"], f.get("name", ""), values)
    values = {
        **common,
        "type": "initiative",
        "region": "; ".join(f.get("regions") or []),
        "stage": f.get("stage"),
        "policy_fields": "; ".join(f.get("policy_fields") or []),
        "start_date": f.get("start_date"),
        "end_date": f.get("end_date"),
    }
    return Node(record["source_id"], f.get("title", ""), values)


def _edge(record: Record) -> Edge:
    provenance = record.get("provenance") or {}
    if record["kind"] == "role":
        ends, code = (record["organisation"], record["initiative"]), record["role"]
    else:
        ends, code = (record["source"], record["target"]), record["tie_type"]
    values = {
        "kind": record["kind"],
        "type": code,
        "start_date": record.get("start_date"),
        "end_date": record.get("end_date"),
        "source_name": provenance.get("source_name"),
        "licence": provenance.get("licence"),
    }
    return Edge(record["source_id"], ends[0], ends[1], code, values)


def _network(selection: Selection) -> tuple[Iterator[Node], Iterable[Edge]]:
    """Nodes first; replications are collected while the initiatives stream by (one pair of
    ids each), then written with the roles and ties."""
    replications: list[Edge] = []

    def initiatives() -> Iterator[Node]:
        for record in selection.initiative_records():
            if record.get("replicated_from"):
                sid, parent = record["source_id"], record["replicated_from"]
                edge_id = f"{sid}/replicated-from/{parent}"
                values = {"kind": "replication", "type": "replicated-from"}
                replications.append(Edge(edge_id, sid, parent, "replicated-from", values))
            yield _node(record)

    nodes = itertools.chain((_node(r) for r in selection.organisation_records()), initiatives())
    edges = itertools.chain(
        (_edge(r) for r in selection.role_records()),
        (_edge(r) for r in selection.tie_records()),
        replications,
    )
    return nodes, edges


def _meta(selection: Selection) -> GraphMeta:
    filters = ", ".join(f"{k}={v}" for k, v in sorted(selection.filters.items()))
    description = f"BuiCaSuS ecosystem network ({selection.kind})" + (
        f", filtered by {filters}" if filters else ""
    )
    return GraphMeta("BuiCaSuS", description, selection.generated_at.date().isoformat())


def _write(selection: Selection, writer: Callable[..., Iterator[str]]) -> Iterator[bytes]:
    nodes, edges = _network(selection)
    pieces = writer(
        nodes,
        edges,
        node_attributes=NODE_ATTRIBUTES,
        edge_attributes=EDGE_ATTRIBUTES,
        meta=_meta(selection),
    )
    return encoded(pieces)


@register(
    "gexf",
    label=_("GEXF network (Gephi)"),
    extension="gexf",
    media_type="application/gexf+xml",
)
def export_gexf(selection: Selection) -> Iterator[bytes]:
    return _write(selection, gexf)


@register(
    "graphml",
    label=_("GraphML network (Cytoscape, yEd, networkx)"),
    extension="graphml",
    media_type="application/graphml+xml",
)
def export_graphml(selection: Selection) -> Iterator[bytes]:
    return _write(selection, graphml)
