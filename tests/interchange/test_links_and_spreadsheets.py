"""Through the `buicasus` command: absolute links from --base-url or BUICASUS_SITE_URL (and a
one-line refusal when neither is set, for formats whose standard wants absolute URIs); CSV
with a byte-order mark for Excel when asked, on the CLI, the page and the API; exported files
readable by the group."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.test import Client

from buicasus.cli import main

BOM = b"\xef\xbb\xbf"


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """`run_from_argv` closes every connection when a command ends, the test's own included
    (PostgreSQL then refuses the rest of the test): keep it open."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


def _run(*args: str) -> None:
    main(["export", *args, "--quiet"])


@pytest.mark.parametrize("format_name", ["popolo", "jsonld", "dcat", "hsds"])
def test_absolute_uri_formats_refuse_without_a_site_address(
    registry: dict[str, Any],
    tmp_path: Path,
    settings: Any,
    capsys: pytest.CaptureFixture[str],
    format_name: str,
) -> None:
    settings.SITE_URL = ""
    out = tmp_path / "x"
    with pytest.raises(SystemExit) as exit_:
        _run("--format", format_name, "--kind", "organisations", "--output", str(out))
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"{format_name} needs absolute links" in err
    assert "--base-url" in err and "BUICASUS_SITE_URL" in err
    assert not list(tmp_path.iterdir())


def test_site_url_setting_is_the_default_base(
    registry: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    settings.SITE_URL = "https://cc.example.org"
    out = tmp_path / "p.json"
    _run("--format", "popolo", "--kind", "organisations", "--output", str(out))
    text = out.read_text(encoding="utf-8")
    links = [
        link["url"]
        for org in json.loads(text)["organizations"]
        for link in org.get("links") or org.get("sources") or []
        if "url" in link
    ]
    assert "/organisations/" in text
    assert '"/organisations/' not in text  # no relative link anywhere
    assert links and all(u.startswith("https://") for u in links)
    assert "https://cc.example.org/organisations/" in text


def test_base_url_option_wins_and_plain_formats_need_none(
    registry: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    settings.SITE_URL = "https://setting.example.org"
    out = tmp_path / "d.jsonld"
    _run("--format", "jsonld", "--base-url", "https://given.example.org/", "--output", str(out))
    text = out.read_text(encoding="utf-8")
    assert "https://given.example.org/organisations/" in text
    assert "setting.example.org" not in text
    settings.SITE_URL = ""
    plain = tmp_path / "o.json"
    _run("--format", "json", "--kind", "organisations", "--output", str(plain))
    assert json.loads(plain.read_text(encoding="utf-8"))["records"]


def test_csv_byte_order_mark_is_opt_in_and_excel_reads_accents(
    registry: dict[str, Any], tmp_path: Path
) -> None:
    plain, marked = tmp_path / "plain.csv", tmp_path / "excel.csv"
    common = ["--format", "csv", "--kind", "organisations", "--country", "FR"]
    _run(*common, "--output", str(plain))
    _run(*common, "--bom", "--output", str(marked))
    assert not plain.read_bytes().startswith(BOM)
    data = marked.read_bytes()
    assert data.startswith(BOM) and not data[3:].startswith(BOM)
    assert data[3:] == plain.read_bytes()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert "name" in rows[0]  # the header is not "\ufeffname"
    assert registry["awkward"].name.split()[0] in {r["name"].split()[0] for r in rows}


def test_exported_files_are_readable_by_the_group(registry: dict[str, Any], tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        out = tmp_path / "o.csv"
        _run("--format", "csv", "--kind", "organisations", "--output", str(out))
    finally:
        os.umask(old)
    mode = stat.S_IMODE(out.stat().st_mode)
    assert mode & stat.S_IRGRP and mode == 0o644


def test_page_and_api_offer_the_byte_order_mark(registry: dict[str, Any]) -> None:
    client = Client()
    page = client.get("/export/", {"kind": "organisations"}).content.decode()
    assert "bom=1" in page and "byte-order mark" in page
    query = {"kind": "organisations", "format": "csv", "country": "FR"}
    for path in ("/export/", "/api/v1/export"):
        plain = b"".join(client.get(path, query).streaming_content)
        marked = b"".join(client.get(path, {**query, "bom": "true"}).streaming_content)
        assert not plain.startswith(BOM)
        assert marked == BOM + plain
