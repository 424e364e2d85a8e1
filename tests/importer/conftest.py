"""Fixtures for the importer tests: users, canonical records, files written on the fly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def admin(make_user: Callable[..., Any]) -> Any:
    return make_user("admin", username="importer-admin")


@pytest.fixture
def editor_fr(make_user: Callable[..., Any]) -> Any:
    return make_user("editor", "FR")


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """`write("a.csv", "text", encoding="cp1252")` → the path of a new file."""

    def make(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding=encoding)
        return path

    return make
