"""Writing validated organisations and initiatives: creates, updates, provenance, audit.

Everything goes through `bulk.Table` (`executemany`), per chunk of records. Each created record
gets its registry row, its dependent rows (identifiers; fundings and classification terms), a
`SourceRecord` (its provenance link), an `ImportChange` (so the batch can be undone) and an
audit entry. An updated record gets only the columns that changed, with the old values kept in
its `ImportChange` and shown in its audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

from buicasus.core.json_values import json_value
from buicasus.importer.models import ChangeAction, ImportChange, SourceRecord
from buicasus.importer.records import INITIATIVE, ORGANISATION
from buicasus.importer.validation import INITIATIVE_TERM_LISTS, Cleaned, Lookups
from buicasus.registry.audit import BulkAudit
from buicasus.registry.bulk import IdAllocator, Table, through_table
from buicasus.registry.models import Funding, Initiative, Organisation, OrganisationIdentifier

MODELS: dict[str, type[models.Model]] = {ORGANISATION: Organisation, INITIATIVE: Initiative}
_JSON_TYPES = (str, int, float, bool, list, dict)
LINK_COLUMN = {
    "organisation": "organisation_id",
    "initiative": "initiative_id",
    "role": "initiative_role_id",
    "tie": "organisation_tie_id",
}


def id_runs(ids: list[int]) -> list[tuple[int, int]]:
    """`[4, 5, 6, 9]` → `[(4, 6), (9, 9)]`."""
    runs: list[tuple[int, int]] = []
    for pk in sorted(ids):
        if runs and pk == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], pk)
        else:
            runs.append((pk, pk))
    return runs


@dataclass
class Existing:
    """A source record already imported: its row, registry record and content hash."""

    pk: int
    record_id: int
    content_hash: str
    last_batch_id: int | None


@dataclass
class Item:
    """One canonical record on its way through the import."""

    record: dict[str, Any]
    kind: str
    source_id: str
    row: int
    content_hash: str
    existing: Existing | None = None
    cleaned: Cleaned = field(default_factory=Cleaned)
    record_id: int | None = None
    outcome: str = ""  # new, updated, unchanged, linked, invalid
    # Set by `diff`: the columns and related rows that change, with their old values.
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    current: dict[str, Any] = field(default_factory=dict)
    label: str = ""

    @property
    def text(self) -> str:
        """How the audit trail names the record."""
        values, current = self.cleaned.values, self.current
        return str(
            values.get("name")
            or values.get("title")
            or current.get("name")
            or current.get("title")
            or self.label
        )


def display_plan(model: type[models.Model]) -> dict[str, tuple[str, str | None]]:
    """attname → (field name, related model name or None), for audit values."""
    plan = {}
    for f in model._meta.concrete_fields:
        related = f.related_model._meta.model_name if f.is_relation and f.related_model else None
        plan[f.attname] = (f.name, related)
    return plan


class Writer:
    """Writes one import's organisations and initiatives; see the module docstring."""

    def __init__(
        self,
        connection: BaseDatabaseWrapper,
        *,
        now: dt.datetime,
        user_id: int | None,
        batch_id: int,
        source: str,
        licence: str,
        lookups: Lookups,
    ) -> None:
        self.connection, self.now, self.user_id = connection, now, user_id
        self.batch_id, self.source, self.licence, self.lookups = batch_id, source, licence, lookups
        self.ids = IdAllocator(connection)
        self.audit = BulkAudit(connection, now, user_id, self.ids)
        provenance = {
            "source_name": source,
            "licence": licence,
            "imported_at": now,
            "created_by_id": user_id,
            "updated_by_id": user_id,
        }
        self.tables = {
            kind: Table(model, connection, now, constants=provenance)
            for kind, model in MODELS.items()
        }
        self.identifiers = Table(OrganisationIdentifier, connection, now)
        self.fundings = Table(Funding, connection, now)
        self.source_records = Table(SourceRecord, connection, now)
        constants = {"source_name": source, "licence": licence, "imported_at": now}
        constants.update(first_batch_id=batch_id, last_batch_id=batch_id)
        self.new_source_records = Table(
            SourceRecord, connection, now, with_pk=False, constants=constants
        )
        self.changes = Table(ImportChange, connection, now, with_pk=False)
        self.m2m = {
            name: through_table(Initiative, name, connection)
            for name in (*INITIATIVE_TERM_LISTS, "regions")
        }
        self.display = {kind: display_plan(model) for kind, model in MODELS.items()}
        # Kinds this source has records of, from earlier batches (none: skip the lookups).
        self.known_kinds = set(
            SourceRecord.objects.filter(source_name=source)
            .values_list("kind", flat=True)
            .distinct()
        )
        # The part of a created record's audit entry that is the same for every record.
        self.provenance_changes = {
            "source_name": [None, source],
            "imported_at": [None, json_value(now)],
            **({"licence": [None, licence]} if licence else {}),
        }

    # --- reading what is there ----------------------------------------------------------------

    def existing(self, kind: str, source_ids: list[str]) -> dict[str, Existing]:
        """The source records of this source among `source_ids` (a query per 900 ids, in SQL
        because the ORM's per-parameter work would cost more than the lookup)."""
        if kind not in self.known_kinds:
            return {}  # a first import of this kind from this source: nothing to find
        found: dict[str, Existing] = {}
        table = self.connection.ops.quote_name(SourceRecord._meta.db_table)
        with self.connection.cursor() as cursor:
            for start in range(0, len(source_ids), 900):
                part = source_ids[start : start + 900]
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(
                    f"SELECT source_id, id, {LINK_COLUMN[kind]}, content_hash, last_batch_id "
                    f"FROM {table} WHERE source_name = %s AND kind = %s "
                    f"AND source_id IN ({marks})",
                    [self.source, kind, *part],
                )
                for source_id, pk, record_id, digest, last_batch in cursor.fetchall():
                    found[source_id] = Existing(pk, record_id, digest, last_batch)
        return found

    def load_current(self, kind: str, items: list[Item]) -> None:
        """Fill `item.current` with the record's columns and related rows, to diff against."""
        model = MODELS[kind]
        by_id = {item.existing.record_id: item for item in items if item.existing}
        columns = [f.attname for f in model._meta.concrete_fields]
        for values in model._default_manager.filter(pk__in=list(by_id)).values(*columns):
            by_id[values["id"]].current = values
        ids = list(by_id)
        if kind == ORGANISATION:
            for org_id, scheme_id, value in OrganisationIdentifier.objects.filter(
                organisation_id__in=ids
            ).values_list("organisation_id", "scheme_id", "value"):
                by_id[org_id].current.setdefault("_identifiers", set()).add((scheme_id, value))
            return
        for name, (table, owner, target) in self.m2m.items():
            rows = table.model._default_manager.filter(**{f"{owner}__in": ids})
            for owner_id, target_id in rows.values_list(owner, target):
                by_id[owner_id].current.setdefault(f"_m2m_{name}", set()).add(target_id)
        for init_id, source_id, amount, currency in Funding.objects.filter(
            initiative_id__in=ids
        ).values_list("initiative_id", "source_id", "amount", "currency"):
            by_id[init_id].current.setdefault("_fundings", []).append((source_id, amount, currency))

    def diff(self, kind: str, item: Item) -> None:
        """What an update changes: `item.changes[key] = (old, new)` for columns, m2m fields
        (`_m2m_<name>`), `_identifiers` and `_fundings`."""
        current, cleaned = item.current, item.cleaned
        for attname, new in cleaned.values.items():
            if current.get(attname) != new:
                item.changes[attname] = (current.get(attname), new)
        for name, ids in cleaned.m2m.items():
            old = current.get(f"_m2m_{name}", set())
            if old != set(ids):
                item.changes[f"_m2m_{name}"] = (sorted(old), ids)
        if cleaned.identifiers is not None:
            old = current.get("_identifiers", set())
            if old != set(cleaned.identifiers):
                item.changes["_identifiers"] = (sorted(old), cleaned.identifiers)
        if cleaned.fundings is not None:
            old_f = sorted(current.get("_fundings", []), key=repr)
            if old_f != sorted(cleaned.fundings, key=repr):
                item.changes["_fundings"] = (old_f, cleaned.fundings)

    # --- creating -----------------------------------------------------------------------------

    def create(self, kind: str, items: list[Item]) -> None:
        if not items:
            return
        ids = self.ids(MODELS[kind], len(items))
        rows = []
        display, labels = self.display[kind], self.lookups.labels
        for item, pk in zip(items, ids, strict=True):
            item.record_id = pk
            values = item.cleaned.values
            changes = dict(self.provenance_changes)
            changes["source_record_id"] = [None, item.source_id]
            if "published" not in values:
                changes["published"] = [None, True]
            for attname, value in values.items():
                if value is None or value == "" or value == [] or value == {}:
                    continue
                name, related = display[attname]
                if related:
                    value = labels.get((related, value), value)
                elif type(value) not in _JSON_TYPES:
                    value = json_value(value)
                changes[name] = [None, value]
            for name, target_ids in item.cleaned.m2m.items():
                if target_ids:
                    changes[name] = [None, sorted(str(self.m2m_label(name, t)) for t in target_ids)]
            rows.append({"published": True, **values, "id": pk, "source_record_id": item.source_id})
            self.audit.created(kind, pk, item.text, changes)
        self.tables[kind].insert(rows)
        if kind == ORGANISATION:
            with_ids = [i for i in items if i.cleaned.identifiers]
            if with_ids:
                self.add_identifiers(
                    [(i.record_id, i.text, i.cleaned.identifiers) for i in with_ids]
                )
        else:
            for name in self.m2m:
                self.add_m2m(name, [(i.record_id, i.cleaned.m2m.get(name, [])) for i in items])
            self.add_fundings([(i.record_id, i.text, i.cleaned.fundings or []) for i in items])
        self.add_source_records(kind, items)
        self.created(kind, ids)

    def created(self, kind: str, ids: list[int]) -> None:
        """Changes for created records: one per run of consecutive ids."""
        rows = []
        for first, last in id_runs(ids):
            rows.append(
                {
                    "batch_id": self.batch_id,
                    "kind": kind,
                    "record_id": first,
                    "last_record_id": last if last != first else None,
                    "action": ChangeAction.CREATED,
                }
            )
        self.changes.insert(rows)

    def shown(self, kind: str, attname: str, value: Any) -> Any:
        related = self.display[kind][attname][1]
        if related and value is not None:
            return self.lookups.label(related, value)
        return json_value(value)

    def m2m_label(self, name: str, target_id: int) -> str | None:
        return self.lookups.label("nutsregion" if name == "regions" else "term", target_id)

    def add_identifiers(self, owners: list[tuple[int | None, str, list[tuple[int, str]]]]) -> None:
        pairs = [(org_id, name, s, v) for org_id, name, idents in owners for s, v in idents]
        ids = self.ids(OrganisationIdentifier, len(pairs))
        rows = []
        for pk, (org_id, name, scheme_id, value) in zip(ids, pairs, strict=True):
            rows.append(
                {"id": pk, "organisation_id": org_id, "scheme_id": scheme_id, "value": value}
            )
            scheme = self.lookups.label("term", scheme_id)
            code = self.lookups.codes.get(scheme_id, scheme)
            self.audit.created(
                "organisationidentifier",
                pk,
                f"{code}: {value}",
                {"organisation": [None, name], "scheme": [None, scheme], "value": [None, value]},
                owners=(("organisation", int(org_id or 0)),),
            )
        self.identifiers.insert(rows)

    def add_fundings(
        self, owners: list[tuple[int | None, str, list[tuple[int, Decimal | None, str]]]]
    ) -> None:
        rows_in = [(init_id, title, f) for init_id, title, fundings in owners for f in fundings]
        ids = self.ids(Funding, len(rows_in))
        rows = []
        for pk, (init_id, title, (source_id, amount, currency)) in zip(ids, rows_in, strict=True):
            rows.append(
                {
                    "id": pk,
                    "initiative_id": init_id,
                    "source_id": source_id,
                    "amount": amount,
                    "currency": currency,
                }
            )
            label = self.lookups.label("term", source_id)
            text = f"{label} {amount} {currency}" if amount is not None else str(label)
            changes = {"initiative": [None, title], "source": [None, label]}
            if amount is not None:
                changes["amount"] = [None, str(amount)]
            changes["currency"] = [None, currency]
            self.audit.created(
                "funding", pk, text, changes, owners=(("initiative", int(init_id or 0)),)
            )
        self.fundings.insert(rows)

    def add_m2m(self, name: str, pairs: list[tuple[int | None, list[int]]]) -> None:
        table, owner, target = self.m2m[name]
        table.insert({owner: o, target: t} for o, targets in pairs for t in targets)

    def add_source_records(self, kind: str, items: list[Item]) -> None:
        link = LINK_COLUMN[kind]
        self.new_source_records.insert(
            {
                "kind": kind,
                "source_id": item.source_id,
                "content_hash": item.content_hash,
                link: item.record_id,
            }
            for item in items
        )

    # --- updating -----------------------------------------------------------------------------

    def update(self, kind: str, items: list[Item]) -> None:
        """Write the changes `diff` found; items without changes only get their new hash."""
        groups: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        changed = [i for i in items if i.changes]
        for item in changed:
            assert item.existing is not None
            columns = {a: new for a, (_old, new) in item.changes.items() if not a.startswith("_")}
            columns.update(updated_at=self.now, updated_by_id=self.user_id)
            if item.current.get("source_name") == self.source:
                columns.update(imported_at=self.now, licence=self.licence)
            groups[tuple(sorted(columns))].append((item.existing.record_id, columns))
            self.audit.updated(
                kind, item.existing.record_id, item.text, self.audit_changes(kind, item)
            )
        for attnames, rows in groups.items():
            self.tables[kind].update(attnames, rows)
        self.replace_related(kind, changed)
        self.changes.insert(
            {
                "batch_id": self.batch_id,
                "kind": kind,
                "record_id": i.existing.record_id,  # type: ignore[union-attr]
                "action": ChangeAction.UPDATED,
                "previous": self.previous(i),
            }
            for i in changed
        )
        self.source_records.update(
            ("content_hash", "last_batch_id", "licence", "imported_at"),
            [
                (
                    i.existing.pk,  # type: ignore[union-attr]
                    {
                        "content_hash": i.content_hash,
                        "last_batch_id": self.batch_id if i.changes else i.existing.last_batch_id,  # type: ignore[union-attr]
                        "licence": self.licence,
                        "imported_at": self.now,
                    },
                )
                for i in items
            ],
        )

    def audit_changes(self, kind: str, item: Item) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, (old, new) in item.changes.items():
            if key.startswith("_m2m_"):
                name = key[5:]
                out[name] = [
                    sorted(str(self.m2m_label(name, t)) for t in old) or None,
                    sorted(str(self.m2m_label(name, t)) for t in new) or None,
                ]
            elif key == "_identifiers":
                out["identifier"] = [self.pairs_text(old), self.pairs_text(new)]
            elif key == "_fundings":
                out["funding"] = [self.fundings_text(old), self.fundings_text(new)]
            else:
                out[self.display[kind][key][0]] = [
                    self.shown(kind, key, old),
                    self.shown(kind, key, new),
                ]
        return out

    def pairs_text(self, pairs: list[tuple[int, str]]) -> list[str] | None:
        return [f"{self.lookups.label('term', s)}: {v}" for s, v in pairs] or None

    def fundings_text(self, rows: list[tuple[int, Any, str]]) -> list[str] | None:
        return [
            f"{self.lookups.label('term', s)} {a or ''} {c}".strip() for s, a, c in rows
        ] or None

    def previous(self, item: Item) -> dict[str, Any]:
        """Old values, JSON-ready, for `undo`."""
        existing = item.existing
        assert existing is not None
        out: dict[str, Any] = {
            "fields": {
                k: json_value(old)
                for k, (old, _new) in item.changes.items()
                if not k.startswith("_")
            },
            "source_record": {
                "id": existing.pk,
                "content_hash": existing.content_hash,
                "last_batch": existing.last_batch_id,
            },
            "updated_at": json_value(item.current.get("updated_at")),
        }
        for key, (old, _new) in item.changes.items():
            if key.startswith("_m2m_"):
                out.setdefault("m2m", {})[key[5:]] = list(old)
            elif key == "_identifiers":
                out["identifiers"] = [list(p) for p in old]
            elif key == "_fundings":
                out["fundings"] = [[s, json_value(a), c] for s, a, c in old]
        return out

    def replace_related(self, kind: str, items: list[Item]) -> None:
        """Related rows that changed are replaced whole (delete, then insert)."""
        for name, (table, owner, _target) in self.m2m.items():
            key = f"_m2m_{name}"
            owners = [i for i in items if key in i.changes]
            if owners:
                table.delete_where_in(owner, [i.existing.record_id for i in owners])  # type: ignore[union-attr]
                self.add_m2m(name, [(i.existing.record_id, i.changes[key][1]) for i in owners])  # type: ignore[union-attr]
        owners = [i for i in items if "_identifiers" in i.changes]
        if owners:
            self.identifiers.delete_where_in(
                "organisation",
                [i.existing.record_id for i in owners],  # type: ignore[union-attr]
            )
            self.add_identifiers(
                [(i.existing.record_id, i.text, i.changes["_identifiers"][1]) for i in owners]  # type: ignore[union-attr]
            )
        owners = [i for i in items if "_fundings" in i.changes]
        if owners:
            self.fundings.delete_where_in("initiative", [i.existing.record_id for i in owners])  # type: ignore[union-attr]
            self.add_fundings(
                [(i.existing.record_id, i.text, i.changes["_fundings"][1]) for i in owners]  # type: ignore[union-attr]
            )
