"""Audit entries for bulk writes, which bypass the registry's signals.

The registry records every change through `post_save` signals (`registry/audit.py`); the
importer writes with `executemany` and so must write the same entries itself, in bulk, so that
each record's history page shows its import: one `create` entry listing the values it came
with, or one `update` entry with the changed fields' old and new values. Entries about
dependent rows (identifiers, fundings, roles) are linked to the records they belong to through
`AuditLink`, as the signals do. Unchanged records get no entry.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from buicasus.importer.bulk import IdAllocator, Table
from buicasus.registry.models import AuditAction, AuditEntry, AuditLink

# Fields the signals leave out of the changes of an entry.
IGNORED = frozenset({"created_at", "updated_at", "created_by", "updated_by"})


def plain(value: Any) -> Any:
    """A value as the audit trail stores it (JSON)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class AuditWriter:
    """Collects entries and writes them (and their links) in bulk on `flush`."""

    def __init__(
        self,
        connection: BaseDatabaseWrapper,
        now: dt.datetime,
        user_id: int | None,
        ids: IdAllocator,
    ) -> None:
        self.connection, self.ids = connection, ids
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
        """One entry; `owners` are (model, id) of the records whose history should show it."""
        self.pending.append(
            {
                "model": model,
                "object_id": str(object_id),
                "object_repr": text[:300],
                "action": action,
                "changes": changes,
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
        self.pending, self.pending_links = [], []
