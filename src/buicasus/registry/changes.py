"""The one change event: "records of this kind changed", sent once per transaction, on commit.

Every write path announces here, whatever it bypasses: the ORM (forms, API, admin and services
that save models registered with `track`) through model signals, bulk paths (import, undo,
merge, restore) by calling `announce` with the ids they wrote. Listeners — search indexing,
embeddings, the network's data version, caches — connect to `records_changed` and never get
called by hand, so a new write path or a new listener needs no change anywhere else.

Within one transaction every announcement is merged into one batch, sent after the commit as
one signal per (kind, action) in which each record appears once, with the strongest thing said
of it (deleted, then created, then changed); a transaction that rolls back sends nothing.
Outside a transaction (autocommit) the batch is sent at once.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

CREATED, CHANGED, DELETED = "created", "changed", "deleted"
ACTIONS = (CREATED, CHANGED, DELETED)

# sender: the kind (str); keyword arguments: ids (frozenset[int]), action (one of ACTIONS).
records_changed = Signal()


# When one transaction says several things of a record, the strongest is announced.
_RANK = {CHANGED: 0, CREATED: 1, DELETED: 2}


@dataclass
class _Batch:
    """What one transaction announced (kind → record id → action), sent by its commit hook
    as one signal per (kind, action), so each record reaches each listener once."""

    pending: dict[str, dict[int, str]] = field(default_factory=dict)
    sent: bool = False

    def add(self, kind: str, ids: set[int], action: str) -> None:
        known = self.pending.setdefault(kind, {})
        for pk in ids:
            before = known.get(pk)
            if before is None or _RANK[action] > _RANK[before]:
                known[pk] = action

    def __call__(self) -> None:
        pending, self.pending, self.sent = self.pending, {}, True
        for kind in sorted(pending):
            for action in ACTIONS:
                ids = frozenset(pk for pk, done in pending[kind].items() if done == action)
                if ids:
                    records_changed.send(sender=kind, ids=ids, action=action)


_local = threading.local()


def _add_to_transaction(kind: str, action: str, ids: set[int]) -> None:
    """Add to the batch of the transaction in progress, registering its commit hook on first
    use (after the ids are in: a hook may run at once).

    Only a weak reference is kept here: Django's list of commit hooks holds the batch, so
    when the transaction (or the savepoint that registered the hook) rolls back, the hook and
    the batch go away together and the next announcement starts a fresh one.
    """
    ref: weakref.ref[_Batch] | None = getattr(_local, "batch", None)
    batch = ref() if ref is not None else None
    if batch is not None and not batch.sent:
        batch.add(kind, ids, action)
        return
    batch = _Batch()
    batch.add(kind, ids, action)
    _local.batch = weakref.ref(batch)
    transaction.on_commit(batch)


def announce(kind: str, ids: Iterable[int | None], action: str = CHANGED) -> None:
    """Say that records of `kind` with these ids were created, changed or deleted."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}: use one of {', '.join(ACTIONS)}")
    wanted = {int(i) for i in ids if i is not None}
    if not wanted:
        return
    if not transaction.get_connection().in_atomic_block:
        records_changed.send(sender=kind, ids=frozenset(wanted), action=action)
        return
    _add_to_transaction(kind, action, wanted)


# --- models whose ORM writes announce themselves ---------------------------------------------


@dataclass(frozen=True)
class _Tracked:
    kind: str | None  # the model's own kind, or None for rows that only change their parents
    parents: tuple[tuple[str, str], ...]  # (foreign key attname, kind of the record it names)


_TRACKED: dict[type[models.Model], _Tracked] = {}


def _parents(spec: _Tracked, instance: models.Model) -> None:
    for attname, kind in spec.parents:
        announce(kind, [getattr(instance, attname, None)], CHANGED)


def _saved(sender: type[models.Model], instance: models.Model, created: bool, **kw: Any) -> None:
    if kw.get("raw"):
        return
    spec = _TRACKED[sender]
    if spec.kind is not None:
        announce(spec.kind, [instance.pk], CREATED if created else CHANGED)
    _parents(spec, instance)


def _deleted(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    spec = _TRACKED[sender]
    if spec.kind is not None:
        announce(spec.kind, [instance.pk], DELETED)
    _parents(spec, instance)


def _links(
    sender: Any, instance: models.Model, action: str, model: Any, pk_set: Any, **kw: Any
) -> None:
    """A many-to-many link of a tracked record changed, from either side of the relation."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    own = _TRACKED.get(type(instance))
    if own is not None and own.kind is not None:
        announce(own.kind, [instance.pk], CHANGED)
    other = _TRACKED.get(model)
    if other is not None and other.kind is not None and pk_set:
        announce(other.kind, pk_set, CHANGED)


def track(
    model: type[models.Model],
    *,
    kind: str | None = None,
    parents: dict[str, str] | None = None,
) -> None:
    """Announce the ORM writes of `model`: as changes of its own `kind` (default: the model's
    name; pass `parents` only for dependent rows) and as changes of the records its foreign
    keys name (`parents`: field name → kind), e.g. a funding changes its initiative."""
    parent_specs = tuple(
        (model._meta.get_field(name).attname, parent_kind)
        for name, parent_kind in (parents or {}).items()
    )
    own = kind if kind is not None else (None if parents else model._meta.model_name)
    _TRACKED[model] = _Tracked(own, parent_specs)
    uid = f"changes-{model._meta.label_lower}"
    post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-save")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-delete")
    for m2m in model._meta.many_to_many:
        through = m2m.remote_field.through
        m2m_changed.connect(_links, sender=through, dispatch_uid=f"changes-m2m-{through}")


def tracked_kinds() -> set[str]:
    """Kinds some registered model announces (for checks and documentation)."""
    kinds = {spec.kind for spec in _TRACKED.values() if spec.kind}
    kinds.update(kind for spec in _TRACKED.values() for _a, kind in spec.parents)
    return kinds
