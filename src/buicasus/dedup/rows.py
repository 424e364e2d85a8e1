"""Rows as plain values, and back: what lets a merge be undone exactly.

A merge records rows as `{attname: value}` dicts in JSON fields (`MergeRecord`); an undo turns
them back into Python values through each field's `to_python` and inserts them with their ids.
Provenance stamps (created/updated at/by) are written without a save, because a save would stamp
them anew and the audit signals would attribute them to the undoing user.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from django.apps import apps
from django.db.models import Field, Model

STAMPS = ("updated_at", "updated_by_id")
CREATION = ("created_at", "created_by_id")


def row(obj: Model) -> dict[str, Any]:
    """Every column of a row by attribute name (`country_id`), ready for a JSON field."""
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def values(model: type[Model], data: dict[str, Any]) -> dict[str, Any]:
    """`row` values as they came back from JSON, as Python values again."""
    fields: dict[str, Field] = {f.attname: f for f in model._meta.concrete_fields}
    return {k: fields[k].to_python(v) for k, v in data.items() if k in fields}


def stamp(obj: Model) -> dict[str, Any]:
    """The row's last-change stamp (empty for models without one)."""
    return {name: getattr(obj, name) for name in STAMPS if hasattr(obj, name)}


def recreate(model: type[Model], data: dict[str, Any]) -> Model:
    """Insert a recorded row again, with its id, every column and its original stamps."""
    fields = values(model, data)
    obj = model(**fields)
    obj.save(force_insert=True)
    stamps = {k: fields[k] for k in (*STAMPS, *CREATION) if k in fields}
    if stamps:
        model._default_manager.filter(pk=obj.pk).update(**stamps)
    return obj


def restamp(obj: Model, recorded: list[dict[str, Any]], was: dict[str, Any]) -> None:
    """After an undo moved `obj` back, give it the stamp it had before the merge — provided it
    still had the merge's (`was`, read before the undo saved it): a later edit keeps its own."""
    before, after = (values(type(obj), s) for s in recorded)
    if was == after:
        type(obj)._default_manager.filter(pk=obj.pk).update(**before)


def dependents(
    model: type[Model], handled: Collection[type[Model]] = ()
) -> Iterator[tuple[type[Model], Field]]:
    """Foreign keys of other models onto `model`, except `handled` and this app's own.

    For organisations this finds the importer's source records (and whatever later apps add)
    without naming them, so a merge moves them too.
    """
    for rel in model._meta.get_fields(include_hidden=True):
        if not rel.auto_created or rel.concrete or not (rel.one_to_many or rel.one_to_one):
            continue
        other = rel.related_model
        if other in handled or other._meta.app_label == "dedup":  # type: ignore[union-attr]
            continue
        yield other, rel.field  # type: ignore[misc, union-attr]


def model_named(label: str) -> type[Model] | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None
