"""GEXF 1.3 and GraphML writers for the ecosystem network (Gephi, Cytoscape, networkx, yEd).

Both writers stream: they take iterables of nodes and edges and yield the document in pieces,
so a network of a million actors is never held in memory. Nodes come before edges, as both
formats require. Text is escaped for XML, and characters XML 1.0 cannot carry at all (most
control characters) are replaced by U+FFFD, so a stray byte in imported data cannot make the
whole file unreadable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

AttributeType = Literal["string", "integer", "double", "boolean"]
Value = str | int | float | bool | None

# Characters outside the XML 1.0 `Char` production (controls other than tab, LF and CR,
# lone surrogates, U+FFFE and U+FFFF).
# GraphML's `attr.type` names (the schema's `key.type.type`) differ from GEXF's: it has no
# "integer", and igraph refuses a file that declares one.
_GRAPHML_TYPES: dict[AttributeType, str] = {
    "string": "string",
    "integer": "long",
    "double": "double",
    "boolean": "boolean",
}

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Attribute:
    """A typed attribute every node (or every edge) may carry."""

    name: str
    type: AttributeType = "string"


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    values: Mapping[str, Value] = field(default_factory=dict)


@dataclass(frozen=True)
class Edge:
    id: str
    source: str
    target: str
    label: str
    values: Mapping[str, Value] = field(default_factory=dict)


@dataclass(frozen=True)
class GraphMeta:
    """What the file says about itself: creator, description and date (ISO 8601)."""

    creator: str
    description: str
    date: str


def xml_text(value: str) -> str:
    """`value` made safe as XML character data."""
    return escape(_NOT_XML.sub("\ufffd", value))


def xml_attr(value: str) -> str:
    """`value` as a quoted XML attribute, with newlines and tabs kept as character references."""
    cleaned = _NOT_XML.sub("\ufffd", value)
    return quoteattr(cleaned, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _text_of(value: Value, type_: AttributeType) -> str | None:
    """An attribute value as the text both formats store; None when there is none."""
    if value is None or value == "":
        return None
    if type_ == "boolean":
        return "true" if value else "false"
    if type_ == "integer":
        return str(int(value))
    if type_ == "double":
        return repr(float(value))
    return str(value)


def gexf(
    nodes: Iterable[Node],
    edges: Iterable[Edge],
    *,
    node_attributes: Iterable[Attribute],
    edge_attributes: Iterable[Attribute],
    meta: GraphMeta,
) -> Iterator[str]:
    """A directed GEXF 1.3 graph; attribute ids are the attribute names."""
    node_attrs, edge_attrs = list(node_attributes), list(edge_attributes)
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<gexf xmlns="http://gexf.net/1.3" version="1.3">\n'
    yield f"  <meta lastmodifieddate={xml_attr(meta.date)}>\n"
    yield f"    <creator>{xml_text(meta.creator)}</creator>\n"
    yield f"    <description>{xml_text(meta.description)}</description>\n"
    yield "  </meta>\n"
    yield '  <graph defaultedgetype="directed" mode="static">\n'
    for cls, attrs in (("node", node_attrs), ("edge", edge_attrs)):
        yield f'    <attributes class="{cls}">\n'
        for attr in attrs:
            yield (
                f"      <attribute id={xml_attr(attr.name)} title={xml_attr(attr.name)}"
                f' type="{attr.type}"/>\n'
            )
        yield "    </attributes>\n"
    yield "    <nodes>\n"
    for node in nodes:
        yield f"      <node id={xml_attr(node.id)} label={xml_attr(node.label)}>"
        yield _gexf_values(node.values, node_attrs)
        yield "</node>\n"
    yield "    </nodes>\n    <edges>\n"
    for edge in edges:
        yield (
            f"      <edge id={xml_attr(edge.id)} source={xml_attr(edge.source)}"
            f" target={xml_attr(edge.target)} label={xml_attr(edge.label)}>"
        )
        yield _gexf_values(edge.values, edge_attrs)
        yield "</edge>\n"
    yield "    </edges>\n  </graph>\n</gexf>\n"


def _gexf_values(values: Mapping[str, Value], attrs: list[Attribute]) -> str:
    parts = []
    for attr in attrs:
        text = _text_of(values.get(attr.name), attr.type)
        if text is not None:
            parts.append(f"<attvalue for={xml_attr(attr.name)} value={xml_attr(text)}/>")
    return f"<attvalues>{''.join(parts)}</attvalues>" if parts else ""


def graphml(
    nodes: Iterable[Node],
    edges: Iterable[Edge],
    *,
    node_attributes: Iterable[Attribute],
    edge_attributes: Iterable[Attribute],
    meta: GraphMeta,
) -> Iterator[str]:
    """A directed GraphML graph; keys are `n_<name>` for nodes and `e_<name>` for edges, each
    with `attr.name` set to the plain name, and `label` on both (as networkx and yEd read it)."""
    node_attrs = [Attribute("label"), *node_attributes]
    edge_attrs = [Attribute("label"), *edge_attributes]
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
        ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    yield f"  <!-- {xml_text(meta.creator)}, {xml_text(meta.date)} -->\n"
    for prefix, target, attrs in (("n", "node", node_attrs), ("e", "edge", edge_attrs)):
        for attr in attrs:
            yield (
                f'  <key id={xml_attr(f"{prefix}_{attr.name}")} for="{target}"'
                f' attr.name={xml_attr(attr.name)} attr.type="{_GRAPHML_TYPES[attr.type]}"/>\n'
            )
    yield '  <key id="g_description" for="graph" attr.name="description" attr.type="string"/>\n'
    yield '  <graph id="G" edgedefault="directed">\n'
    yield f'    <data key="g_description">{xml_text(meta.description)}</data>\n'
    for node in nodes:
        values = {"label": node.label, **node.values}
        data = _graphml_values(values, node_attrs, "n")
        yield f"    <node id={xml_attr(node.id)}>{data}</node>\n"
    for edge in edges:
        values = {"label": edge.label, **edge.values}
        yield (
            f"    <edge id={xml_attr(edge.id)} source={xml_attr(edge.source)}"
            f" target={xml_attr(edge.target)}>{_graphml_values(values, edge_attrs, 'e')}</edge>\n"
        )
    yield "  </graph>\n</graphml>\n"


def _graphml_values(values: Mapping[str, Value], attrs: list[Attribute], prefix: str) -> str:
    parts = []
    for attr in attrs:
        text = _text_of(values.get(attr.name), attr.type)
        if text is not None:
            parts.append(f"<data key={xml_attr(f'{prefix}_{attr.name}')}>{xml_text(text)}</data>")
    return "".join(parts)
