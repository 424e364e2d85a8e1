"""Roles, ties and `replicated_from` links: resolved once every organisation and initiative of
the import is in, because a row may name a record that comes later in the file.

A reference names a record of the same source by its source id: one admitted in this run (its
validity is known; in a real run it is already written), or one imported by an earlier batch
(found through `SourceRecord`). A relationship the registry already has (same organisation,
initiative and role; same source, target and tie type) is not duplicated: the source record is
linked to it ("linked"), so a record stated by two sources keeps both provenances.

With `--skip-invalid`, a relationship that cannot be resolved is rejected by itself; the
organisations and initiatives of its row stay imported.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext as _

from buicasus.core import vocabulary_fields as vf
from buicasus.core.json_values import json_value
from buicasus.importer.engine import merge_upstream
from buicasus.importer.models import ChangeAction, SourceRecord
from buicasus.importer.records import INITIATIVE, ORGANISATION, ROLE, TIE
from buicasus.importer.writer import LINK_COLUMN, Item, display_plan
from buicasus.registry.bulk import Table
from buicasus.registry.models import Initiative, InitiativeRole, Organisation, OrganisationTie

if TYPE_CHECKING:
    from buicasus.importer.engine import Run

CHUNK = 2000
# kind → (model, first ref key, its kind, second ref key, its kind, type key, vocabulary,
#         model attnames of the two refs and the type)
SPEC: dict[str, tuple[Any, ...]] = {
    ROLE: (
        InitiativeRole,
        "organisation",
        ORGANISATION,
        "initiative",
        INITIATIVE,
        "role",
        vf.vocabulary_of(vf.ROLE, "role"),
        ("organisation_id", "initiative_id", "role_id"),
    ),
    TIE: (
        OrganisationTie,
        "source",
        ORGANISATION,
        "target",
        ORGANISATION,
        "tie_type",
        vf.vocabulary_of(vf.TIE, "tie_type"),
        ("source_id", "target_id", "tie_type_id"),
    ),
}


def _chunks(items: list[Item]) -> Iterator[list[Item]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


class Resolver:
    """Source ids → (registry id or None when not yet written, country code, valid)."""

    def __init__(self, run: Run) -> None:
        self.run = run

    def lookup(self, kind: str, source_ids: set[str]) -> dict[str, tuple[int, str]]:
        """Registry id and country of records of this source (written earlier or in this run)."""
        link = LINK_COLUMN[kind]
        country = f"{link[:-3]}__country__code"
        found: dict[str, tuple[int, str]] = {}
        ids = sorted(source_ids)
        for start in range(0, len(ids), 900):
            rows = SourceRecord.objects.filter(
                source_name=self.run.source, kind=kind, source_id__in=ids[start : start + 900]
            ).values_list("source_id", link, country)
            found.update({sid: (pk, code) for sid, pk, code in rows})
        return found

    def resolve(
        self, item: Item, key: str, kind: str, known: dict[str, tuple[int, str]]
    ) -> tuple[int | None, str | None] | None:
        """(id, country) of the record `item[key]` names, or None after recording why not."""
        ref = item.record.get(key)
        ref = str(ref) if ref not in (None, "") else ""
        if not ref:
            self.run.fail(item, key, _("This field is required."))
            return None
        seen = self.run.seen[kind].get(ref)
        if seen is not None and seen.valid is False:
            message = _("“%(id)s” (row %(row)s) is invalid, so this link cannot be made.")
            self.run.fail(item, key, message % {"id": ref, "row": seen.row})
            return None
        if ref in known:
            return known[ref]
        if seen is not None:
            return None, seen.country  # valid and new, not written (dry run)
        if item.record.get("missing") == "skip":
            item.outcome = "skipped"
            return None
        message = _("No %(kind)s with id “%(id)s” in this file or earlier imports of this source.")
        self.run.fail(item, key, message % {"kind": kind, "id": ref})
        return None


def finish(run: Run) -> None:
    """Resolve and write the deferred relationships, then the `replicated_from` links."""
    resolver = Resolver(run)
    for kind in (ROLE, TIE):
        items = [i for i in run.deferred if i.kind == kind]
        for part in _chunks(items):
            relationships(run, resolver, kind, part)
    links(run, resolver)
    if run.writing:
        run.writer.audit.flush()


def relationships(run: Run, resolver: Resolver, kind: str, items: list[Item]) -> None:
    model, key_a, kind_a, key_b, kind_b, type_key, vocabulary, attnames = SPEC[kind]
    known_a = resolver.lookup(kind_a, {str(i.record.get(key_a) or "") for i in items})
    known_b = resolver.lookup(kind_b, {str(i.record.get(key_b) or "") for i in items})
    existing = run.writer.existing(kind, [i.source_id for i in items])
    pending: list[tuple[Item, tuple[Any, Any, Any]]] = []
    for item in items:
        if item.row in run.bad_rows:
            item.outcome = "invalid"
            run.counts[kind]["invalid"] += 1
            continue
        item.existing = existing.get(item.source_id)
        if item.existing is not None and item.existing.content_hash == item.content_hash:
            item.outcome = "unchanged"
            run.counts[kind]["unchanged"] += 1
            continue
        upstream = item.cleaned.errors
        item.cleaned = run.validator.relationship(item.record, vocabulary, type_key)
        merge_upstream(item, upstream)
        a = resolver.resolve(item, key_a, kind_a, known_a)
        b = resolver.resolve(item, key_b, kind_b, known_b)
        if kind == TIE and a and b and (a[0] or item.record[key_a]) == (b[0] or item.record[key_b]):
            run.fail(item, "target", _("An organisation cannot be tied to itself."))
        anchor = b if kind == ROLE else a  # the initiative's country; the source's for ties
        if anchor is not None and anchor[1] and not run.may_edit(anchor[1]):
            run.fail(item, key_b if kind == ROLE else key_a, run.refuse_country(anchor[1]))
        if item.outcome == "skipped" and not item.cleaned.errors:
            run.counts[kind]["skipped"] += 1
            continue
        if item.cleaned.errors or a is None or b is None:
            for name, message in item.cleaned.errors:
                run.problem(item.row, name, message, item.record)
            item.outcome = "invalid"
            run.counts[kind]["invalid"] += 1
            continue
        ref_a = a[0] if a[0] is not None else ("new", item.record[key_a])
        ref_b = b[0] if b[0] is not None else ("new", item.record[key_b])
        pending.append((item, (ref_a, ref_b, item.cleaned.values["term_id"])))
    decide(run, kind, model, attnames, pending)


def decide(
    run: Run,
    kind: str,
    model: Any,
    attnames: tuple[str, str, str],
    pending: list[tuple[Item, tuple[Any, Any, Any]]],
) -> None:
    """New, linked (the registry has it already) or updated; then write when writing."""
    taken = _existing_triples(model, attnames, [t for _i, t in pending])
    run_triples = run.triples[kind]
    create, link, update = [], [], []
    for item, triple in pending:
        if item.existing is not None:
            item.record_id = item.existing.record_id
            update.append((item, triple))
        elif triple in taken or triple in run_triples:
            item.record_id = taken.get(triple) or run_triples.get(triple)
            link.append(item)
            item.outcome = "linked"
        else:
            run_triples[triple] = None
            create.append((item, triple))
            item.outcome = "new"
    for item, triple in list(update):
        owner = taken.get(triple)
        if owner is not None and owner != item.record_id:
            message = _("This relationship already exists in the registry.")
            run.problem(item.row, attnames[2][:-3], message, item.record)
            update.remove((item, triple))
            item.outcome = "invalid"
            run.counts[kind]["invalid"] += 1
    if update:
        _diff_relationships(run, kind, model, attnames, update)
    for item, _t in update:
        run.counts[kind][item.outcome] += 1
    run.counts[kind]["linked"] += len(link)
    run.counts[kind]["new"] += len(create)
    if not run.writing:
        return
    _create(run, kind, model, attnames, create, run_triples)
    for item in link:
        if item.record_id is None:  # linked to a record created in this same chunk
            item.record_id = run_triples.get(_triple_of(item, pending))
    _link(run, kind, link)
    _update(run, kind, model, [i for i, _t in update])


def _triple_of(item: Item, pending: list[tuple[Item, tuple[Any, Any, Any]]]) -> Any:
    return next(t for i, t in pending if i is item)


def _existing_triples(
    model: Any, attnames: tuple[str, str, str], triples: list[tuple[Any, Any, Any]]
) -> dict[tuple[Any, Any, Any], int]:
    """Relationships already in the registry among `triples` (those between written records)."""
    concrete = [t for t in triples if isinstance(t[0], int) and isinstance(t[1], int)]
    found: dict[tuple[Any, Any, Any], int] = {}
    for start in range(0, len(concrete), 300):
        part = concrete[start : start + 300]
        query = Q()
        for a, b, _term in part:
            query |= Q(**{attnames[0]: a, attnames[1]: b})
        for row in model._default_manager.filter(query).values_list("pk", *attnames):
            found[tuple(row[1:])] = row[0]
    return found


def _names(model: Any, ids: set[int], attr: str) -> dict[int, str]:
    return dict(model._default_manager.filter(pk__in=ids).values_list("pk", attr))


def _create(
    run: Run,
    kind: str,
    model: Any,
    attnames: tuple[str, str, str],
    create: list[tuple[Item, tuple[Any, Any, Any]]],
    run_triples: dict[tuple[Any, Any, Any], int | None],
) -> None:
    if not create:
        return
    writer = run.writer
    ids = writer.ids(model, len(create))
    names_a = _names(Organisation, {t[0] for _i, t in create}, "name")
    names_b = (
        _names(Initiative, {t[1] for _i, t in create}, "title")
        if kind == ROLE
        else _names(Organisation, {t[1] for _i, t in create}, "name")
    )
    rows = []
    for pk, (item, triple) in zip(ids, create, strict=True):
        item.record_id = pk
        run_triples[triple] = pk
        values = item.cleaned.values
        row = {
            "id": pk,
            attnames[0]: triple[0],
            attnames[1]: triple[1],
            attnames[2]: triple[2],
            "start_date": values.get("start_date"),
            "end_date": values.get("end_date"),
            "source_name": run.source,
            "source_record_id": item.source_id,
            "licence": run.licence,
            "imported_at": run.now,
            "created_by_id": writer.user_id,
            "updated_by_id": writer.user_id,
        }
        rows.append(row)
        label = run.lookups.label("term", triple[2])
        a_name, b_name = names_a.get(triple[0], ""), names_b.get(triple[1], "")
        text = f"{a_name} — {label} — {b_name}"
        first, second = ("organisation", "initiative") if kind == ROLE else ("source", "target")
        changes = {first: [None, a_name], second: [None, b_name], attnames[2][:-3]: [None, label]}
        for name in ("start_date", "end_date"):
            if values.get(name):
                changes[name] = [None, json_value(values[name])]
        changes.update(source_name=[None, run.source], licence=[None, run.licence or None])
        owners = (
            (("initiative", triple[1]), ("organisation", triple[0]))
            if kind == ROLE
            else (("organisation", triple[0]), ("organisation", triple[1]))
        )
        writer.audit.created(model._meta.model_name, pk, text, changes, owners=owners)
    Table(model, writer.connection, run.now).insert(rows)
    writer.add_source_records(kind, [i for i, _t in create])
    writer.created(kind, ids)


def _link(run: Run, kind: str, items: list[Item]) -> None:
    if not items:
        return
    writer = run.writer
    ids = writer.ids(SourceRecord, len(items))
    writer.source_records.insert(
        {
            "id": pk,
            "source_name": run.source,
            "kind": kind,
            "source_id": item.source_id,
            "content_hash": item.content_hash,
            LINK_COLUMN[kind]: item.record_id,
            "first_batch_id": run.batch.pk,
            "last_batch_id": run.batch.pk,
            "licence": run.licence,
            "imported_at": run.now,
        }
        for pk, item in zip(ids, items, strict=True)
    )
    writer.changes.insert(
        {
            "batch_id": run.batch.pk,
            "kind": kind,
            "record_id": item.record_id,
            "action": ChangeAction.LINKED,
            "previous": {"source_record": pk},
        }
        for pk, item in zip(ids, items, strict=True)
    )


def _diff_relationships(
    run: Run,
    kind: str,
    model: Any,
    attnames: tuple[str, str, str],
    update: list[tuple[Item, tuple[Any, Any, Any]]],
) -> None:
    columns = ["id", *attnames, "start_date", "end_date", "source_name", "updated_at"]
    current = {
        row["id"]: row
        for row in model._default_manager.filter(pk__in=[i.record_id for i, _t in update]).values(
            *columns
        )
    }
    for item, triple in update:
        item.current = current.get(item.record_id, {})
        wanted = dict(zip(attnames, triple, strict=True))
        wanted.update(
            start_date=item.cleaned.values.get("start_date"),
            end_date=item.cleaned.values.get("end_date"),
        )
        item.cleaned.values = wanted
        for attname, new in wanted.items():
            if isinstance(new, tuple):  # refers to a record not written (dry run): a change
                item.changes[attname] = (item.current.get(attname), None)
            elif item.current.get(attname) != new:
                item.changes[attname] = (item.current.get(attname), new)
        item.outcome = "updated" if item.changes else "unchanged"


def _update(run: Run, kind: str, model: Any, items: list[Item]) -> None:
    if not items:
        return
    writer = run.writer
    if kind not in writer.tables:
        writer.tables[kind] = Table(model, writer.connection, run.now)
        writer.display[kind] = display_plan(model)
    for item in items:
        item.label = f"{kind} {item.source_id}"
    writer.update(kind, items)


def links(run: Run, resolver: Resolver) -> None:
    """`replicated_from`: an initiative of this source that this one was replicated from."""
    if not run.links:
        return
    targets = resolver.lookup(INITIATIVE, {target for _item, target in run.links})
    owners = resolver.lookup(INITIATIVE, {item.source_id for item, _target in run.links})
    wanted: dict[int, tuple[int, Item]] = {}
    for item, target in run.links:
        seen = run.seen[INITIATIVE].get(target)
        message = ""
        if target == item.source_id:
            message = _("An initiative cannot be replicated from itself.")
        elif seen is not None and seen.valid is False:
            message = _("“%(id)s” (row %(row)s) is invalid, so this link cannot be made.") % {
                "id": target,
                "row": seen.row,
            }
        elif seen is None and target not in targets:
            message = _(
                "No %(kind)s with id “%(id)s” in this file or earlier imports of this source."
            ) % {"kind": INITIATIVE, "id": target}
        if message:
            run.problem(item.row, "replicated_from", message, item.record)
        elif run.writing and item.source_id in owners and target in targets:
            wanted[owners[item.source_id][0]] = (targets[target][0], item)
    if not run.writing or not wanted:
        return
    current = Initiative.objects.filter(pk__in=list(wanted)).values_list(
        "pk", "replicated_from_id", "updated_at"
    )
    titles = _names(Initiative, {*wanted, *(t for t, _i in wanted.values())}, "title")
    rows, changes = [], []
    for pk, old, updated_at in current:
        new, item = wanted[pk]
        if old == new:
            continue
        rows.append((pk, {"replicated_from_id": new, "updated_at": run.now}))
        change = [titles.get(old) if old else None, titles.get(new)]
        run.writer.audit.updated(INITIATIVE, pk, titles.get(pk, ""), {"replicated_from": change})
        if item.outcome != "new":
            previous = {"fields": {"replicated_from_id": old}, "updated_at": json_value(updated_at)}
            changes.append(
                {
                    "batch_id": run.batch.pk,
                    "kind": INITIATIVE,
                    "record_id": pk,
                    "action": ChangeAction.UPDATED,
                    "previous": previous,
                }
            )
    run.writer.tables[INITIATIVE].update(("replicated_from_id", "updated_at"), rows)
    run.writer.changes.insert(changes)
