"""GraphML exports open in igraph, whose reader follows the GraphML schema's attribute types
(boolean, int, long, float, double, string): the page, the API and both CLI commands."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import igraph
from django.core.management import call_command
from django.test import Client


def _read(data: bytes, tmp_path: Path) -> igraph.Graph:
    path = tmp_path / "export.graphml"
    path.write_bytes(data)
    return igraph.Graph.Read_GraphML(str(path))


def test_registry_graphml_opens_in_igraph_from_page_api_and_cli(
    registry: dict[str, Any], tmp_path: Path
) -> None:
    client = Client()
    query = {"kind": "registry", "format": "graphml", "country": "FR"}
    page = b"".join(client.get("/export/", query).streaming_content)
    api = b"".join(client.get("/api/v1/export", query).streaming_content)
    out = tmp_path / "cli.graphml"
    call_command(
        "export", "--format", "graphml", "--country", "FR", "--output", str(out), "--quiet",
        stdout=io.StringIO(),
    )  # fmt: skip
    for data in (page, api, out.read_bytes()):
        graph = _read(data, tmp_path)
        awkward = graph.vs.find(label=registry["awkward"].name.replace("\x01", "\ufffd"))
        # The founding year is a number to igraph, not text.
        assert awkward["founding_year"] == 1999
        assert "lead" in set(graph.es["label"])
