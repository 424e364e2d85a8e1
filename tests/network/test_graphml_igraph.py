"""The network's own GraphML export (page and CLI) opens in igraph with typed attributes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import igraph
from django.core.management import call_command
from django.test import Client
from django.urls import reverse


def test_network_graphml_opens_in_igraph(eco: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "cli.graphml"
    call_command(
        "network", "export", "--format", "graphml", "--out", str(out), stderr=io.StringIO()
    )
    page = tmp_path / "page.graphml"
    response = Client().get(reverse("network:download", args=["graphml"]))
    page.write_bytes(b"".join(response.streaming_content))
    for path in (out, page):
        graph = igraph.Graph.Read_GraphML(str(path))
        labels = set(graph.vs["label"])
        assert "Nettest C" in labels and "Nettest Hidden E" not in labels
        assert all(isinstance(d, float) and d >= 0 for d in graph.vs["degree"])
