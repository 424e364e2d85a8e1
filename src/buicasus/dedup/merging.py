"""Merging two organisations into one, and undoing it exactly.

A merge moves everything that points at the merged organisation to the kept one — national
identifiers, roles in initiatives, ties, and the rows of other apps that refer to organisations
(the importer's source records, found through the model's relations, so both provenances stay
attached to the one actor) — adds the merged one's names to the kept one's other names, fills
the kept one's empty fields from it, and then **deletes** the merged organisation. Deleting
rather than hiding keeps every list, search, export and count of the platform correct without
them knowing about merges; the `MergeRecord` holds a complete snapshot instead.

Rows that would break a uniqueness rule once moved are dropped and kept in the record: a role
the kept organisation already has in the same initiative, a tie it already has, a tie between
the two (it would point at itself). What pointed at a dropped row (its source records) is handed
to its surviving twin, or, for a self-tie that has none, recorded and recreated by an undo.

Undo recreates the merged organisation with its id and every column, moves the same rows back,
recreates the dropped ones, restores the kept organisation's changed fields (when nobody changed
them since) and the provenance stamps (updated_at/by) of every touched row. Each step goes
through normal saves and deletes, so the registry's audit trail records it; one extra entry on
the kept organisation names the merge or its undo. Both run in one transaction: an error leaves
the database as it was.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from buicasus.accounts import permissions
from buicasus.accounts.current_user import acting_as
from buicasus.core.dedup import fold
from buicasus.dedup.models import CandidatePair, MergeRecord, PairStatus
from buicasus.dedup.rows import dependents, model_named, recreate, restamp, row, stamp, values
from buicasus.registry import audit, changes
from buicasus.registry.models import (
    AuditAction,
    InitiativeRole,
    Organisation,
    OrganisationIdentifier,
    OrganisationTie,
)

# The registry's own rows that point at organisations; a merge moves them one by one, with
# saves, so the audit trail sees each. Other apps' rows are found by `rows.dependents`.
REGISTRY_LINKS = (OrganisationIdentifier, InitiativeRole, OrganisationTie)
# Groups of fields filled together from the merged organisation when all are empty on the kept.
FILLABLE: tuple[tuple[str, ...], ...] = (
    ("legal_form",),
    ("region_id",),
    ("city",),
    ("latitude", "longitude"),
    ("website",),
    ("description", "description_language"),
    ("founding_year",),
    ("size_band",),
)
PLACE_FIELDS = {"region_id", "city", "latitude"}  # not filled across countries


class DedupError(Exception):
    """A merge or undo that cannot be done as asked; the message is for the user."""


def may_merge(user: Any, *countries: str) -> bool:
    """Editors of every country involved (a cross-country pair needs rights in both)."""
    return all(permissions.can_edit(user, code) for code in countries)


def _check(user: Any, *countries: str) -> None:
    """`None` is the platform itself (automatic merges of the `find-duplicates` command)."""
    if user is not None and not may_merge(user, *countries):
        raise PermissionDenied(_("You may not merge organisations of these countries."))


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _audit(user: Any, kept: Organisation, merged_id: int, change: list[Any]) -> None:
    """The one entry that names the merge (or its undo), on both organisations' histories."""
    audit.record(
        "organisation",
        kept.pk,
        str(kept),
        AuditAction.UPDATE,
        {"merged": change},
        owners=[("organisation", merged_id)],
        user=_user(user),
    )


def _repoint(model: type[Model], rows: Any, field: str, to: int | None, ids: list[int]) -> None:
    """Rows of another model now name another organisation: an `update` skips the model
    signals, so the change event is announced here for them."""
    rows.update(**{field: to})
    changes.announce(model._meta.model_name or "", ids)


# --- merge ---------------------------------------------------------------------------------


def merge(
    user: Any,
    kept_id: int,
    merged_id: int,
    *,
    pair: CandidatePair | None = None,
    automatic: bool = False,
) -> MergeRecord:
    """Merge organisation `merged_id` into `kept_id` (see the module docstring)."""
    if kept_id == merged_id:
        raise DedupError(_("An organisation cannot be merged with itself."))
    try:
        with transaction.atomic(), acting_as(user):
            return _merge(user, kept_id, merged_id, pair, automatic)
    except IntegrityError as exc:
        raise DedupError(
            _("The merge conflicts with other data and was not made: %(error)s") % {"error": exc}
        ) from exc


def _absorb(kept: Organisation, merged: Organisation) -> dict[str, list[Any]]:
    """The merged one's names become other names; its values fill the kept one's blanks."""
    changes: dict[str, list[Any]] = {}
    known = {fold(n) for n in [kept.name, *kept.other_names]}
    names = list(kept.other_names)
    for name in [merged.name, *merged.other_names]:
        if isinstance(name, str) and name and fold(name) not in known:
            known.add(fold(name))
            names.append(name)
    if names != list(kept.other_names):
        changes["other_names"] = [list(kept.other_names), names]
    same_country = kept.country_id == merged.country_id
    for group in FILLABLE:
        if group[0] in PLACE_FIELDS and not same_country:
            continue
        empty = all(getattr(kept, f) in (None, "") for f in group)
        if empty and getattr(merged, group[0]) not in (None, ""):
            for f in group:
                changes[f] = [getattr(kept, f), getattr(merged, f)]
    translations = {**merged.translations, **kept.translations}
    if translations != kept.translations:
        changes["translations"] = [kept.translations, translations]
    for name, (_before, after) in changes.items():
        setattr(kept, name, after)
    return changes


def _drop(obj: Model, twin: Model | None, moved: dict[str, Any]) -> None:
    """Delete a row the merge would duplicate; what pointed at it goes to its `twin`."""
    entry: dict[str, Any] = {"model": obj._meta.label, "row": row(obj), "handed": [], "lost": []}
    for model, fk in dependents(type(obj)):
        linked = model._default_manager.filter(**{fk.attname: obj.pk})
        if twin is not None:
            ids = sorted(linked.values_list("pk", flat=True))
            if ids:
                _repoint(model, linked, fk.attname, twin.pk, ids)
                entry["handed"].append(
                    {"model": model._meta.label, "field": fk.attname, "ids": ids}
                )
        else:
            entry["lost"] += [{"model": model._meta.label, "row": row(r)} for r in linked]
    obj.delete()
    moved["dropped"].append(entry)


def _move_roles(kept: Organisation, merged: Organisation, moved: dict[str, Any]) -> None:
    have = {(r.initiative_id, r.role_id): r for r in kept.initiative_roles.all()}
    for role in merged.initiative_roles.order_by("pk"):
        twin = have.get((role.initiative_id, role.role_id))
        if twin is not None:
            _drop(role, twin, moved)
            continue
        before = stamp(role)
        role.organisation = kept
        role.save()
        moved["roles"].append({"id": role.pk, "stamp": [before, stamp(role)]})


def _move_ties(kept: Organisation, merged: Organisation, moved: dict[str, Any]) -> None:
    have = {
        (t.source_id, t.target_id, t.tie_type_id): t
        for t in OrganisationTie.objects.filter(Q(source=kept) | Q(target=kept))
    }
    ties = OrganisationTie.objects.filter(Q(source=merged) | Q(target=merged)).order_by("pk")
    for tie in ties:
        source = kept.pk if tie.source_id == merged.pk else tie.source_id
        target = kept.pk if tie.target_id == merged.pk else tie.target_id
        if source == target or (source, target, tie.tie_type_id) in have:
            _drop(tie, have.get((source, target, tie.tie_type_id)), moved)
            continue
        before = stamp(tie)
        entry = {"id": tie.pk, "source_id": tie.source_id, "target_id": tie.target_id}
        tie.source_id, tie.target_id = source, target
        tie.save()
        have[(source, target, tie.tie_type_id)] = tie
        moved["ties"].append({**entry, "stamp": [before, stamp(tie)]})


def _merge(
    user: Any, kept_id: int, merged_id: int, pair: CandidatePair | None, automatic: bool
) -> MergeRecord:
    if pair is not None:
        locked = CandidatePair.objects.select_for_update().filter(pk=pair.pk).first()
        if locked is None or locked.status != PairStatus.PENDING:
            raise DedupError(_("This pair has already been decided."))
    found = Organisation.objects.select_for_update().filter(pk__in=[kept_id, merged_id])
    orgs = {o.pk: o for o in found}
    if len(orgs) != 2:
        raise DedupError(_("One of the two organisations no longer exists."))
    kept, merged = orgs[kept_id], orgs[merged_id]
    _check(user, kept.country.code, merged.country.code)
    identifiers = list(merged.identifiers.order_by("pk"))
    snapshot = {"organisation": row(merged), "identifiers": [row(i) for i in identifiers]}
    moved: dict[str, Any] = {
        "identifiers": [],
        "roles": [],
        "ties": [],
        "related": [],
        "dropped": [],
    }
    for ident in identifiers:
        ident.organisation = kept
        ident.save()
        moved["identifiers"].append(ident.pk)
    _move_roles(kept, merged, moved)
    _move_ties(kept, merged, moved)
    for model, fk in dependents(Organisation, REGISTRY_LINKS):
        linked = model._default_manager.filter(**{fk.attname: merged.pk})
        ids = sorted(linked.values_list("pk", flat=True))
        if ids:
            _repoint(model, linked, fk.attname, kept.pk, ids)
            moved["related"].append({"model": model._meta.label, "field": fk.attname, "ids": ids})
    before = stamp(kept)
    changes = _absorb(kept, merged)
    if changes:
        kept.save()
    merged.delete()
    _audit(user, kept, merged_id, [None, f"{merged.name} (#{merged_id})"])
    record = MergeRecord.objects.create(
        pair=pair,
        kept=kept,
        kept_name=kept.name[:300],
        kept_country=kept.country.code,
        merged_id=merged_id,
        merged_name=merged.name[:300],
        merged_country=merged.country.code,
        snapshot=snapshot,
        moved=moved,
        kept_changes={"fields": changes, "stamp": [before, stamp(kept)]},
        automatic=automatic,
        merged_by=_user(user),
    )
    if pair is not None:
        pair.status = PairStatus.MERGED
        pair.decided_by = record.merged_by
        pair.decided_at = timezone.now()
        pair.save(update_fields=["status", "decided_by", "decided_at", "scored_at"])
    return record


# --- undo ----------------------------------------------------------------------------------


def undo(user: Any, record: MergeRecord) -> MergeRecord:
    """Put everything back as it was before `record`'s merge (see the module docstring)."""
    try:
        with transaction.atomic(), acting_as(user):
            return _undo(user, record.pk)
    except IntegrityError as exc:
        raise DedupError(
            _("The undo conflicts with data changed since the merge: %(error)s") % {"error": exc}
        ) from exc


def _undo(user: Any, pk: int) -> MergeRecord:
    record = MergeRecord.objects.select_for_update().get(pk=pk)
    _check(user, record.kept_country, record.merged_country)
    if record.undone_at is not None:
        raise DedupError(_("This merge has already been undone."))
    kept = Organisation.objects.select_for_update().filter(pk=record.kept_id).first()
    if kept is None:
        raise DedupError(
            _("The kept organisation no longer exists (was it merged again? Undo that first).")
        )
    if Organisation.objects.filter(pk=record.merged_id).exists():
        raise DedupError(_("An organisation with the merged one's id exists again."))
    merged = recreate(Organisation, record.snapshot["organisation"])
    moved = record.moved
    back = OrganisationIdentifier.objects.filter(pk__in=moved["identifiers"], organisation=kept)
    for ident in back.order_by("pk"):
        ident.organisation_id = merged.pk
        ident.save()
    roles = {r["id"]: r for r in moved["roles"]}
    for role in InitiativeRole.objects.filter(pk__in=roles, organisation=kept).order_by("pk"):
        was = stamp(role)
        role.organisation_id = merged.pk
        role.save()
        restamp(role, roles[role.pk]["stamp"], was)
    ties = {t["id"]: t for t in moved["ties"]}
    for tie in OrganisationTie.objects.filter(pk__in=ties).order_by("pk"):
        entry = ties[tie.pk]
        if kept.pk not in (tie.source_id, tie.target_id):
            continue  # changed since the merge: leave it
        was = stamp(tie)
        tie.source_id, tie.target_id = entry["source_id"], entry["target_id"]
        tie.save()
        restamp(tie, entry["stamp"], was)
    for dropped in moved["dropped"]:
        _undrop(dropped)
    for entry in moved["related"]:
        _move_back(entry, kept.pk, merged.pk)
    _undo_kept(kept, record.kept_changes)
    _audit(user, kept, record.merged_id, [f"{record.merged_name} (#{record.merged_id})", None])
    record.undone_at = timezone.now()
    record.undone_by = _user(user)
    record.save(update_fields=["undone_at", "undone_by"])
    if record.pair_id is not None:
        CandidatePair.objects.filter(pk=record.pair_id).update(
            status=PairStatus.PENDING, decided_by=None, decided_at=None
        )
    return record


def _move_back(entry: dict[str, Any], now: int | None, then: int) -> None:
    """Rows of another app re-pointed by the merge (`ids`) point at `then` again."""
    model = model_named(entry["model"])
    if model is not None:
        rows = model._default_manager.filter(pk__in=entry["ids"])
        if now is not None:
            rows = rows.filter(**{entry["field"]: now})
        _repoint(model, rows, entry["field"], then, list(entry["ids"]))


def _undrop(dropped: dict[str, Any]) -> None:
    """A dropped role or tie again, with the rows that pointed at it."""
    model = model_named(dropped["model"])
    if model is None:
        return
    obj = recreate(model, dropped["row"])
    for entry in dropped["handed"]:
        _move_back(entry, None, obj.pk)
    for lost in dropped["lost"]:
        other = model_named(lost["model"])
        if other is not None:
            recreate(other, lost["row"])


def _undo_kept(kept: Organisation, recorded: dict[str, Any]) -> None:
    """The kept organisation's fields as before the merge, each unless changed since."""
    current = values(Organisation, row(kept))
    restore = {}
    for name, (before, after) in recorded["fields"].items():
        if current.get(name) == values(Organisation, {name: after})[name]:
            restore[name] = values(Organisation, {name: before})[name]
    if restore:
        was = stamp(kept)
        for name, value in restore.items():
            setattr(kept, name, value)
        kept.save()
        restamp(kept, recorded["stamp"], was)
