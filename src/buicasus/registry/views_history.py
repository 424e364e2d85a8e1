"""The audit trail of a record, shaped for the history page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy

from buicasus.registry import services
from buicasus.registry.models import AuditEntry

# Audit keys that are not model fields (written by merges and imports).
_KEYS = {"merged": gettext_lazy("Merged organisation")}


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class HistoryRow:
    entry: AuditEntry
    changes: list[Change]
    subject: str  # empty when the entry is about the record itself, else what it touched


def _field(model: type[Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _plain(value: Any, field: Any = None) -> Any:
    """A stored value as a reader sees it: choice labels, yes/no, lists joined."""
    if value is None:
        return None
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    choices = dict(getattr(field, "flatchoices", None) or [])
    if choices and isinstance(value, str | int) and value in choices:
        return str(choices[value])
    if isinstance(value, list | tuple):
        return ", ".join(str(_plain(v)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    return value


def history_rows(record: Model) -> list[HistoryRow]:
    """Each audit entry of `record`, newest first, with per-field old → new values."""
    own = type(record)
    rows = []
    for entry in services.history(record):
        model: type[Model] = own
        subject = ""
        if entry.model != own._meta.model_name:
            model = apps.get_model("registry", entry.model)
            subject = f"{capfirst(model._meta.verbose_name)}: {entry.object_repr}"
        changes = []
        for name, pair in sorted((entry.changes or {}).items()):
            old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
            field = _field(model, name)
            label = str(field.verbose_name) if field is not None else str(_KEYS.get(name, name))
            changes.append(Change(label, _plain(old, field), _plain(new, field)))
        rows.append(HistoryRow(entry, changes, subject))
    return rows
