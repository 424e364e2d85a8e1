"""`buicasus.limits`: the checks every app's uploads share, each refusal naming its setting."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from buicasus import limits
from buicasus.limits import FileRefused


def test_sizes_and_archives(settings: Any, tmp_path: Path) -> None:
    settings.IMPORT_MAX_BYTES = 10
    limits.check_size(10, "a.pdf")
    with pytest.raises(FileRefused, match="BUICASUS_IMPORT_MAX_BYTES") as caught:
        limits.check_size(11, "a.pdf")
    assert caught.value.file == "a.pdf"
    settings.UPLOAD_MAX_UNPACKED_BYTES, settings.UPLOAD_MAX_ARCHIVE_MEMBERS = 1000, 2
    path = tmp_path / "a.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 1001)
    with pytest.raises(FileRefused, match="inflates to 1,001 bytes.*1,000.*UNPACKED_BYTES"):
        limits.check_archive(path, "a.docx")
    with zipfile.ZipFile(path, "w") as archive:
        for name in "abc":
            archive.writestr(name, b"")
    with pytest.raises(FileRefused, match="holds 3 files.*ARCHIVE_MEMBERS"):
        limits.check_archive(path, "a.docx")
    path.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty archive is fine
    limits.check_archive(path, "a.docx")
    path.write_bytes(b"not a zip")
    with pytest.raises(FileRefused, match="not a readable zip"):
        limits.check_archive(path, "a.docx")


def test_depth_nodes_and_numbers(settings: Any) -> None:
    settings.UPLOAD_MAX_DEPTH, settings.MAPPING_MAX_NODES = 3, 10
    limits.check_depth({"a": [1, {"b": 2}]}, "f.json")
    with pytest.raises(FileRefused, match="nested more than 3 levels.*UPLOAD_MAX_DEPTH"):
        limits.check_depth({"a": [{"b": []}]}, "f.json")
    with pytest.raises(FileRefused, match="UPLOAD_MAX_DEPTH"):
        limits.load_json("[" * 100_000 + "]" * 100_000, "f.json")
    shared = [1, 2, 3]
    assert limits.count_nodes({"a": shared}, "m.yaml") == 6  # the dict, a key, a list, 3 items
    with pytest.raises(FileRefused, match="more than 10 values.*MAPPING_MAX_NODES"):
        limits.count_nodes([shared, shared, shared], "m.yaml")
    loop: list[Any] = []
    loop.append(loop)
    settings.MAPPING_MAX_NODES = 1000
    with pytest.raises(FileRefused, match="UPLOAD_MAX_DEPTH"):
        limits.count_nodes(loop, "m.yaml")
    assert not limits.is_finite(float("nan")) and not limits.is_finite(Decimal("-Infinity"))
    assert limits.is_finite(1.5) and limits.is_finite("NaN") and limits.is_finite(Decimal(2))
