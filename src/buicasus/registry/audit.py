"""The one audit trail: every create, update and delete of the records apps register here.

Apps call `register(Model, owners=...)` from their `AppConfig.ready()`; model signals then
write an `AuditEntry` in the same transaction as the change (the old values are read before the
save), so pages, API, admin, CLI and services are all covered. Paths that bypass the ORM (the
importer's `executemany`, reference loads) write through `BulkAudit` or `record`, with the same
entry shape and the same value conversion (`json_value`). Entries about dependent rows (an
initiative's fundings, a pilot's sessions) are linked through `AuditLink` to the records named
by their `owners` foreign keys, so those records' history pages show them.

The acting user comes from `accounts.current_user`, set by middleware, API auth or `acting_as`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from buicasus.accounts.current_user import get_current_user
from buicasus.core.json_values import json_value
from buicasus.registry import changes
from buicasus.registry.bulk import IdAllocator, Table
from buicasus.registry.models import AuditAction, AuditEntry, AuditLink

__all__ = [
    "AuditAction",
    "BulkAudit",
    "IGNORED",
    "audited_models",
    "record",
    "register",
]

# Bookkeeping columns left out of an entry's changes: the entry itself says who and when.
IGNORED = frozenset({"created_at", "updated_at", "created_by", "updated_by"})
_OLD = "_audit_old_values"
_EMPTY = (None, "", [], {})


@dataclass(frozen=True)
class _Audited:
    owners: tuple[str, ...]  # foreign keys naming the records whose history shows an entry


_AUDITED: dict[type[models.Model], _Audited] = {}


def audited_models() -> tuple[type[models.Model], ...]:
    """Every model whose changes the trail records (for checks and the privacy register)."""
    return tuple(_AUDITED)


def _owner_links(model: type[models.Model], instance: Any) -> list[tuple[str, str]]:
    spec = _AUDITED.get(model)
    links = []
    for name in spec.owners if spec else ():
        field = model._meta.get_field(name)
        owner_id = getattr(instance, field.attname, None)
        if owner_id is not None and field.related_model is not None:
            links.append((field.related_model._meta.model_name or "", str(owner_id)))
    return links


def record(
    model: str,
    object_id: Any,
    text: str,
    action: str,
    changes: dict[str, Any],
    *,
    owners: Iterable[tuple[str, Any]] = (),
    user: Any = None,
) -> AuditEntry:
    """Write one entry now (and its links to the `owners`' histories).

    `user` defaults to the acting user; an anonymous user is recorded as nobody.
    """
    acting = user if user is not None else get_current_user()
    if acting is not None and not getattr(acting, "is_authenticated", False):
        acting = None
    entry = AuditEntry.objects.create(
        model=model,
        object_id=str(object_id),
        object_repr=str(text)[:300],
        action=action,
        changes=json_value(changes),
        user=acting,
    )
    links = [AuditLink(entry=entry, model=m, object_id=str(i)) for m, i in owners]
    if links:
        AuditLink.objects.bulk_create(links)
    return entry


# --- ORM writes: signals ---------------------------------------------------------------------


def _fields(instance: models.Model) -> list[models.Field]:
    return [
        f for f in instance._meta.concrete_fields if f.name not in IGNORED and not f.primary_key
    ]


def _raw_values(instance: models.Model) -> dict[str, Any]:
    return {f.name: getattr(instance, f.attname) for f in _fields(instance)}


def _display(field: models.Field, raw: Any) -> Any:
    """What a history page shows for a stored value: the text of a related record."""
    if raw is None:
        return None
    if field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=raw).first()
        return str(related) if related is not None else f"#{raw}"
    return json_value(raw)


def _write(instance: models.Model, action: str, changes: dict[str, Any]) -> None:
    record(
        instance._meta.model_name or "",
        instance.pk,
        str(instance),
        action,
        changes,
        owners=_owner_links(type(instance), instance),
    )


def _before_save(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    user = get_current_user()
    if user is not None and getattr(user, "is_authenticated", False):
        if hasattr(instance, "updated_by_id"):
            instance.updated_by = user  # type: ignore[attr-defined]
        adding = instance._state.adding
        if adding and hasattr(instance, "created_by_id") and instance.created_by_id is None:  # type: ignore[attr-defined]
            instance.created_by = user  # type: ignore[attr-defined]
    if kw.get("raw") or instance._state.adding or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    setattr(instance, _OLD, _raw_values(old) if old is not None else None)


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kw: Any
) -> None:
    if kw.get("raw"):
        return
    new = _raw_values(instance)
    by_name = {f.name: f for f in _fields(instance)}
    if created:
        changes = {k: [None, _display(by_name[k], v)] for k, v in new.items() if v not in _EMPTY}
        _write(instance, AuditAction.CREATE, changes)
        return
    old = getattr(instance, _OLD, None) or {}
    changes = {
        k: [_display(by_name[k], old.get(k)), _display(by_name[k], v)]
        for k, v in new.items()
        if old.get(k) != v
    }
    if changes:
        _write(instance, AuditAction.UPDATE, changes)


def _after_delete(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    by_name = {f.name: f for f in _fields(instance)}
    changes = {
        k: [_display(by_name[k], v), None]
        for k, v in _raw_values(instance).items()
        if v not in _EMPTY
    }
    _write(instance, AuditAction.DELETE, changes)


def _links_changed(
    sender: Any, instance: models.Model, action: str, pk_set: Any, model: Any, **kw: Any
) -> None:
    """A many-to-many field of an audited record changed (from its own side)."""
    if action not in {"post_add", "post_remove", "post_clear"} or type(instance) not in _AUDITED:
        return
    field = next((f for f in instance._meta.many_to_many if f.remote_field.through is sender), None)
    if field is None:
        return
    labels = sorted(str(o) for o in model._default_manager.filter(pk__in=pk_set or []))
    if action == "post_add":
        change: list[Any] = [None, labels]
    elif action == "post_remove":
        change = [labels, None]
    else:
        change = ["*", None]
    if labels or action == "post_clear":
        _write(instance, AuditAction.UPDATE, {field.name: change})


def register(model: type[models.Model], *, owners: Iterable[str] = ()) -> None:
    """Audit every ORM create, update and delete of `model` and its many-to-many fields.

    `owners`: names of foreign keys whose records' history pages should show the entries
    (a funding's initiative, a session's pilot).
    """
    _AUDITED[model] = _Audited(tuple(owners))
    uid = f"audit-{model._meta.label_lower}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre")
    post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-post")
    post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}-del")
    for m2m in model._meta.many_to_many:
        through = m2m.remote_field.through
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"audit-m2m-{through}")


# --- bulk writes -----------------------------------------------------------------------------


class BulkAudit:
    """The entries of a bulk write (an import), written in bulk on `flush`.

    Same entries as the signals write: `created` lists the values a record came with,
    `updated` the changed fields' old and new values; `owners` are (model, id) of the records
    whose history should show the entry. Values go through `json_value`. Since a bulk write
    bypasses the model signals, `flush` also announces the change event for every record it
    audited and for their owners, which is how search and embeddings hear of an import.
    """

    def __init__(
        self,
        connection: BaseDatabaseWrapper,
        now: dt.datetime,
        user_id: int | None,
        ids: IdAllocator,
    ) -> None:
        self.ids = ids
        self.user_id = user_id
        self.entries = Table(AuditEntry, connection, now)
        self.links = Table(AuditLink, connection, with_pk=False)
        self.pending: list[dict[str, Any]] = []
        self.pending_links: list[tuple[int, str, str]] = []  # (entry index, model, object id)

    def add(
        self,
        model: str,
        object_id: int,
        text: str,
        action: str,
        changes: dict[str, Any],
        owners: tuple[tuple[str, int], ...] = (),
    ) -> None:
        self.pending.append(
            {
                "model": model,
                "object_id": str(object_id),
                "object_repr": text[:300],
                "action": action,
                "changes": json_value(changes),
                "user_id": self.user_id,
            }
        )
        index = len(self.pending) - 1
        for owner_model, owner_id in owners:
            self.pending_links.append((index, owner_model, str(owner_id)))

    def created(self, model: str, object_id: int, text: str, changes: dict[str, Any], **kw: Any):
        self.add(model, object_id, text, AuditAction.CREATE, changes, **kw)

    def updated(self, model: str, object_id: int, text: str, changes: dict[str, Any], **kw: Any):
        self.add(model, object_id, text, AuditAction.UPDATE, changes, **kw)

    def deleted(self, model: str, object_id: int, text: str, changes: dict[str, Any], **kw: Any):
        self.add(model, object_id, text, AuditAction.DELETE, changes, **kw)

    def flush(self) -> None:
        if not self.pending:
            return
        ids = self.ids(AuditEntry, len(self.pending))
        for pk, row in zip(ids, self.pending, strict=True):
            row["id"] = pk
        self.entries.insert(self.pending)
        self.links.insert(
            {"entry_id": ids[index], "model": model, "object_id": object_id}
            for index, model, object_id in self.pending_links
        )
        announced: dict[tuple[str, str], list[int]] = {}
        for row in self.pending:
            key = (row["model"], _ANNOUNCED_AS[row["action"]])
            announced.setdefault(key, []).append(int(row["object_id"]))
        for _index, model, object_id in self.pending_links:
            announced.setdefault((model, changes.CHANGED), []).append(int(object_id))
        for (model, action), object_ids in announced.items():
            changes.announce(model, object_ids, action)
        self.pending, self.pending_links = [], []


_ANNOUNCED_AS = {
    AuditAction.CREATE: changes.CREATED,
    AuditAction.UPDATE: changes.CHANGED,
    AuditAction.DELETE: changes.DELETED,
    AuditAction.LOAD: changes.CHANGED,
}
