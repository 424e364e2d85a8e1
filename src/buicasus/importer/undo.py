"""Undoing an import batch: delete what it created, restore what it updated, unlink what it
linked — unless something happened to those records since.

Refused (nothing changed, a message saying why) when a later batch changed one of the batch's
records, when a record was edited on a page or through the API after the import, when records
the batch created have relationships added later, or when the user may not edit one of the
records' countries. Otherwise one transaction, through the ORM, so the registry's signals write
the audit trail (deletions and restored values, attributed to the user) and announce the change
(search, embeddings) exactly as for an edit on a page. Slower than the import's bulk writes,
which is fine for an operation this rare.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from buicasus.accounts import permissions
from buicasus.accounts.current_user import acting_as
from buicasus.importer.errors import ImportFailure
from buicasus.importer.models import (
    BatchStatus,
    ChangeAction,
    ImportBatch,
    ImportChange,
    SourceRecord,
)
from buicasus.importer.records import INITIATIVE, ORGANISATION, ROLE, TIE
from buicasus.registry.models import (
    Funding,
    Initiative,
    InitiativeRole,
    Organisation,
    OrganisationIdentifier,
    OrganisationTie,
)

MODELS: dict[str, type[Model]] = {
    ORGANISATION: Organisation,
    INITIATIVE: Initiative,
    ROLE: InitiativeRole,
    TIE: OrganisationTie,
}
DELETE_ORDER = (TIE, ROLE, INITIATIVE, ORGANISATION)


@dataclass
class UndoReport:
    batch_id: int
    deleted: int = 0
    restored: int = 0
    unlinked: int = 0


def _refuse(message: str) -> ImportFailure:
    return ImportFailure(message)


def undo_batch(batch_id: int, user: Any) -> UndoReport:
    """Undo batch `batch_id` as `user` (None: a trusted command, no permission check)."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        raise _refuse(_("There is no import batch #%(id)s.") % {"id": batch_id})
    if user is not None and not permissions.is_editor_anywhere(user):
        raise PermissionDenied(_("Only editors may undo imports."))
    if batch.status == BatchStatus.UNDONE:
        raise _refuse(
            _("Batch #%(id)s was already undone on %(when)s.")
            % {
                "id": batch.pk,
                "when": timezone.localtime(batch.undone_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    if batch.status != BatchStatus.DONE:
        raise _refuse(
            _("Batch #%(id)s wrote nothing, so there is nothing to undo.") % {"id": batch.pk}
        )
    changes = list(batch.changes.order_by("-pk"))
    by_kind: dict[str, dict[int, list[ImportChange]]] = defaultdict(lambda: defaultdict(list))
    for change in changes:
        for pk in change.record_ids():
            by_kind[change.kind][pk].append(change)
    _check_later_batches(batch, by_kind)
    records = {
        kind: {r.pk: r for r in MODELS[kind]._default_manager.filter(pk__in=list(ids))}
        for kind, ids in by_kind.items()
    }
    _check_untouched(batch, records)
    _check_dependants(by_kind, records)
    if user is not None:
        for found in records.values():
            for record in found.values():
                if not permissions.can_edit(user, permissions.record_country(record)):
                    raise PermissionDenied(
                        _("You may not edit “%(record)s”, which this batch changed.")
                        % {"record": record}
                    )
    report = UndoReport(batch.pk)
    with transaction.atomic(), acting_as(user):
        for change in changes:
            if change.action == ChangeAction.LINKED:
                SourceRecord.objects.filter(
                    pk=(change.previous or {}).get("source_record")
                ).delete()
                report.unlinked += 1
            elif change.action == ChangeAction.UPDATED:
                record = records.get(change.kind, {}).get(change.record_id)
                if record is not None:
                    _restore(record, change.previous or {})
                    report.restored += 1
        for kind in DELETE_ORDER:
            created = [
                pk
                for pk, items in by_kind.get(kind, {}).items()
                if any(c.action == ChangeAction.CREATED for c in items)
            ]
            for start in range(0, len(created), 500):
                part = created[start : start + 500]
                MODELS[kind]._default_manager.filter(pk__in=part).delete()
            report.deleted += len([pk for pk in created if pk in records.get(kind, {})])
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.UNDONE, undone_at=timezone.now(), undone_by=user if user else None
        )
    return report


def _check_later_batches(batch: ImportBatch, by_kind: dict[str, Any]) -> None:
    """Later batches can only have updated or linked these records (creating makes new ids)."""
    for kind, ids in by_kind.items():
        later = (
            ImportChange.objects.filter(
                kind=kind,
                batch_id__gt=batch.pk,
                action__in=(ChangeAction.UPDATED, ChangeAction.LINKED),
            )
            .exclude(batch__status=BatchStatus.UNDONE)
            .values_list("record_id", "batch_id")
        )
        for record_id, later_batch in later.iterator():
            if record_id in ids:
                raise _refuse(
                    _(
                        "Batch #%(later)s changed records of batch #%(id)s afterwards; "
                        "undo batch #%(later)s first."
                    )
                    % {"later": later_batch, "id": batch.pk}
                )


def _check_untouched(batch: ImportBatch, records: dict[str, dict[int, Model]]) -> None:
    """Refuse when a record was edited after the import (its change would be lost)."""
    finished = batch.finished_at or batch.started_at
    for found in records.values():
        for record in found.values():
            updated = getattr(record, "updated_at", None)
            if updated is not None and updated > finished:
                raise _refuse(
                    _("“%(record)s” was edited after the import; undoing would lose that edit.")
                    % {"record": record}
                )


def _check_dependants(by_kind: dict[str, Any], records: dict[str, dict[int, Model]]) -> None:
    """Refuse when relationships that this batch did not create hang on records it created."""
    created = {
        kind: {pk for pk, items in ids.items() if any(c.action == "created" for c in items)}
        for kind, ids in by_kind.items()
    }
    orgs, inits = created.get(ORGANISATION, set()), created.get(INITIATIVE, set())
    ours_roles, ours_ties = created.get(ROLE, set()), created.get(TIE, set())
    roles = InitiativeRole.objects.filter(
        Q(organisation_id__in=orgs) | Q(initiative_id__in=inits)
    ).exclude(pk__in=ours_roles)
    ties = OrganisationTie.objects.filter(Q(source_id__in=orgs) | Q(target_id__in=orgs)).exclude(
        pk__in=ours_ties
    )
    other = roles.select_related("organisation", "initiative").first() or ties.first()
    if other is not None:
        raise _refuse(
            _("“%(record)s” was added after the import and needs its records; delete it first.")
            % {"record": other}
        )


def _restore(record: Model, previous: dict[str, Any]) -> None:
    """Put back the values a batch overwrote (the signals audit the change)."""
    for attname, value in (previous.get("fields") or {}).items():
        setattr(record, attname, value)
    record.save()
    for name, ids in (previous.get("m2m") or {}).items():
        getattr(record, name).set(ids)
    if "identifiers" in previous:
        record.identifiers.all().delete()  # type: ignore[attr-defined]
        for scheme_id, value in previous["identifiers"]:
            OrganisationIdentifier.objects.create(
                organisation=record, scheme_id=scheme_id, value=value
            )
    if "fundings" in previous:
        record.fundings.all().delete()  # type: ignore[attr-defined]
        for source_id, amount, currency in previous["fundings"]:
            Funding.objects.create(
                initiative=record, source_id=source_id, amount=amount, currency=currency
            )
    if previous.get("updated_at"):
        # Back to the time of the last change before the batch: undoing is not an edit, and an
        # earlier batch's undo must still find the record untouched since that batch.
        type(record)._default_manager.filter(pk=record.pk).update(updated_at=previous["updated_at"])
    source = previous.get("source_record") or {}
    if source.get("id"):
        SourceRecord.objects.filter(pk=source["id"]).update(
            content_hash=source.get("content_hash", ""), last_batch_id=source.get("last_batch")
        )
