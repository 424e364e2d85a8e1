"""`buicasus network compute` and `buicasus network export`."""

from __future__ import annotations

import io
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from buicasus.network.models import NetworkSnapshot


def test_compute_prints_figures_and_timings(eco: dict[str, Any]) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("network", "compute", "--country", "LV", stdout=out, stderr=err)
    text = out.getvalue()
    assert text.startswith("LV: ")
    for step in ("read", "betweenness", "communities", "Total"):
        assert step in text
    assert NetworkSnapshot.objects.filter(scope="public", country="LV").exists()


@pytest.mark.parametrize("name", ["gexf", "graphml", "kumu"])
def test_export_to_a_file(eco: dict[str, Any], tmp_path: Path, name: str) -> None:
    path = tmp_path / f"net.{name}"
    call_command("network", "export", "--format", name, "--out", str(path), stderr=io.StringIO())
    data = path.read_bytes()
    if name == "kumu":
        doc = json.loads(data)
        assert "Nettest C" in {e["label"] for e in doc["elements"]}
    else:
        ET.fromstring(data)
        assert b"Nettest C" in data
    assert b"Hidden" not in data
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_export_to_stdout_with_a_user(
    eco: dict[str, Any], make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    buffer = io.BytesIO()
    fake = io.TextIOWrapper(buffer)
    monkeypatch.setattr(sys, "stdout", fake)
    user = make_user("editor", "LV")
    call_command("network", "export", "--format", "graphml", "--user", user.username)
    root = ET.fromstring(buffer.getvalue())
    assert root.tag.endswith("graphml")
    assert b"Nettest Hidden F" in buffer.getvalue()
    assert b"Nettest Hidden E" not in buffer.getvalue()


def test_errors_name_what_is_wrong(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="country"):
        call_command("network", "compute", "--country", "QQ")
    with pytest.raises(CommandError, match="nobody"):
        call_command("network", "compute", "--user", "nobody")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("network", "export", "--format", "gexf", "--out", str(tmp_path / "x" / "y"))
