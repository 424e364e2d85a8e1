"""Canonical records for the importer tests, valid unless told otherwise."""

from __future__ import annotations

from typing import Any

from buicasus.importer import records


def org(source_id: str, row: int | None = None, **fields: Any) -> dict[str, Any]:
    """An organisation record that is valid unless `fields` say otherwise."""
    values = {"name": f"Organisation {source_id}", "actor_type": "association-ngo", "country": "FR"}
    extra = {k: fields.pop(k) for k in ("identifiers", "errors", "on_duplicate") if k in fields}
    values.update(fields)
    return records.organisation(source_id, values, row=row, **extra)


def initiative(source_id: str, row: int | None = None, **fields: Any) -> dict[str, Any]:
    """An initiative record that is valid unless `fields` say otherwise."""
    values = {"title": f"Initiative {source_id}", "country": "FR"}
    extra = {k: fields.pop(k) for k in ("fundings", "replicated_from") if k in fields}
    values.update(fields)
    return records.initiative(source_id, values, row=row, **extra)
