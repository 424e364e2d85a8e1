"""The audit trail of a record, shaped for the history page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model

from buicasus.registry import services
from buicasus.registry.models import AuditEntry


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class HistoryRow:
    entry: AuditEntry
    changes: list[Change]


def _field_label(model: type[Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _plain(value: Any) -> Any:
    """Lists (many-to-many changes) shown as one comma-separated text."""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return value


def history_rows(record: Model) -> list[HistoryRow]:
    """Each audit entry of `record`, newest first, with per-field old → new values."""
    model = type(record)
    rows = []
    for entry in services.history(record):
        changes = []
        for name, pair in sorted((entry.changes or {}).items()):
            old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
            changes.append(Change(_field_label(model, name), _plain(old), _plain(new)))
        rows.append(HistoryRow(entry, changes))
    return rows
