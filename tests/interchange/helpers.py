"""Running an exporter in tests."""

from __future__ import annotations

from typing import Any

from buicasus.interchange.exporters import EXPORTERS
from buicasus.interchange.services import select


def export(format_name: str, kind: str = "registry", user: Any = None, **params: str) -> bytes:
    return b"".join(EXPORTERS[format_name].write(select(user, kind, params)))
