"""The standard readers: canonical records with rows, and clear errors on broken files."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from buicasus.interchange.readers import STANDARD_READERS, FormatError
from tests.interchange.helpers import export


def read(name: str, path: Path) -> list[dict[str, Any]]:
    return list(STANDARD_READERS[name](path))


def test_rows_are_positions_in_the_file(registry: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "r.json").write_bytes(export("json", "organisations"))
    (tmp_path / "r.jsonl").write_bytes(export("jsonl", "organisations"))
    from_json, from_lines = (
        read("buicasus-json", tmp_path / "r.json"),
        read("buicasus-json", tmp_path / "r.jsonl"),
    )
    assert [r["row"] for r in from_json[:3]] == [1, 2, 3]
    assert [r["row"] for r in from_lines[:3]] == [2, 3, 4]  # line 1 describes the file
    assert [r["source_id"] for r in from_json] == [r["source_id"] for r in from_lines]


def test_an_hsds_package_reads_from_a_zip_a_folder_or_its_descriptor(
    registry: dict[str, Any], tmp_path: Path
) -> None:
    package = tmp_path / "p.zip"
    package.write_bytes(export("hsds", "organisations"))
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder)
    from_zip = read("hsds", package)
    assert from_zip == read("hsds", folder) == read("hsds", folder / "datapackage.json")
    assert from_zip[0]["row"] == 2  # organization.csv line 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("buicasus-json", b'{"records": [', r"b.json, row 1: not valid JSON"),
        ("buicasus-json", b'{"records": [{"kind": "person", "source_id": "1"}]}', r"row 1, kind"),
        ("buicasus-json", b'{"records": [{"kind": "tie"}]}', r"row 1, source_id: no source_id"),
        (
            "buicasus-json",
            b'{"format": "buicasus"}\n{"kind": "tie", "source_id": "x"}\n{oops\n',
            r"b.json, row 3: not valid JSON",
        ),
        ("buicasus-json", "{}".encode("utf-16"), "not UTF-8"),
        (
            "popolo",
            b'{"organizations": [{"name": "x"}]}',
            r"b.json: organizations, row 1, id: no id",
        ),
        ("popolo", b"[1, 2]", r"b.json: a Popolo file"),
        ("kumu", b'{"elements": "none"}', r"b.json: a Kumu file"),
        ("hsds", b"not a zip", r"b.json: not an HSDS zip"),
    ],
)
def test_broken_files_name_file_row_and_field(
    db: None, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / "b.json"
    path.write_bytes(content)
    with pytest.raises(FormatError, match=message):
        read(name, path)


def test_missing_files_and_tables(db: None, tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="no such file"):
        read("popolo", tmp_path / "nowhere.json")
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "nothing")
    with pytest.raises(FormatError, match=r"empty.zip: no organization table"):
        read("hsds", empty)


def test_foreign_codes_are_mapped_to_the_registry_vocabulary(db: None, tmp_path: Path) -> None:
    popolo = tmp_path / "p.json"
    popolo.write_text(
        json.dumps(
            {
                "organizations": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
                "memberships": [
                    {
                        "member": {"@type": "Organization", "id": "a"},
                        "organization_id": "b",
                        "role": "funds",
                    },
                    {"member_id": "b", "organization_id": "a", "role": "treasurer"},
                ],
            }
        )
    )
    ties = [r for r in read("popolo", popolo) if r["kind"] == "tie"]
    assert [t["tie_type"] for t in ties] == ["funds", "member-of"]
    kumu = tmp_path / "k.json"
    kumu.write_text(
        json.dumps(
            {
                "elements": [{"label": "A"}, {"label": "P", "type": "Project"}],
                "connections": [{"from": "A", "to": "P", "type": "sponsor"}],
            }
        )
    )
    (role,) = [r for r in read("kumu", kumu) if r["kind"] == "role"]
    assert role["role"] == "partner"
