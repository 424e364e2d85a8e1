"""`buicasus export`: the same files from the command line, never half-written."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_export_a_filtered_list(registry: dict[str, Any], tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    path = tmp_path / "lv.csv"
    call_command(
        "export", "--format", "csv", "--kind", "organisations", "--country", "lv",
        "--actor-type", "foundation", "--output", str(path), stdout=out, stderr=err,
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows and {(r["country"], r["actor_type"]) for r in rows} == {("LV", "foundation")}
    assert f"Wrote {path}" in out.getvalue()
    assert "records" in err.getvalue()  # the progress bar
    assert list(tmp_path.iterdir()) == [path]


def test_export_as_a_user_and_with_links(
    registry: dict[str, Any], tmp_path: Path, make_user: Any
) -> None:
    make_user("admin", username="boss")
    path = tmp_path / "all.json"
    call_command(
        "export", "--format", "json", "--user", "boss", "--base-url", "https://cc.example.org/",
        "--output", str(path), "--quiet", stdout=io.StringIO(),
    )  # fmt: skip
    records = json.loads(path.read_text(encoding="utf-8"))["records"]
    names = {r["fields"].get("name") for r in records if "fields" in r}
    assert registry["hidden"].name in names
    url = records[0]["provenance"]["url"]
    assert url.startswith("https://cc.example.org/organisations/")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "csv", "--kind", "registry"], "cannot hold"),
        (["--format", "json", "--country", "ZZ"], "“ZZ” for the filter “country”"),
        (["--format", "json", "--user", "nobody"], "No user named"),
        (["--format", "json", "--sdg", "99"], "“99”"),
    ],
)
def test_bad_requests_are_clear_errors(
    db: None, tmp_path: Path, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("export", *args, "--output", str(tmp_path / "x"), stdout=io.StringIO())
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_refused(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "export", "--format", "json", "--output", str(tmp_path / "no" / "x.json"),
            "--quiet", stdout=io.StringIO(),
        )  # fmt: skip


def test_a_failure_while_writing_leaves_nothing(
    registry: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from buicasus.interchange.exporters import EXPORTERS

    def broken(selection: Any) -> Any:
        yield b"half"
        raise RuntimeError("disk full")

    monkeypatch.setitem(EXPORTERS, "json", dataclasses.replace(EXPORTERS["json"], write=broken))
    with pytest.raises(RuntimeError):
        call_command(
            "export", "--format", "json", "--output", str(tmp_path / "x.json"), "--quiet",
            stdout=io.StringIO(),
        )  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_target_is_a_clear_error(db: None, tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()  # a folder where the file should go
    with pytest.raises(CommandError, match=r"Cannot write .*taken"):
        call_command(
            "export", "--format", "json", "--output", str(target), "--quiet",
            stdout=io.StringIO(),
        )  # fmt: skip
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]
