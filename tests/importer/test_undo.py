"""Undoing a batch: created records go, updated ones get their old values back — unless
something happened to them since."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from buicasus.importer import records
from buicasus.importer.errors import ImportFailure
from buicasus.importer.models import BatchStatus, ImportBatch, SourceRecord
from buicasus.importer.services import import_records, undo_batch
from buicasus.registry.models import (
    AuditEntry,
    Funding,
    Initiative,
    InitiativeRole,
    Organisation,
    OrganisationIdentifier,
)
from tests.importer.builders import initiative, org
from tests.registry.factories import term

pytestmark = pytest.mark.django_db


def test_undo_deletes_what_the_batch_created(admin: Any) -> None:
    rows = [
        org("o1", identifiers=[{"scheme": "fr-siren", "value": "552100554"}]),
        initiative("i1", fundings=[{"source": "esf", "amount": "10"}], sdgs=["8"]),
        records.role("o1", "i1", "lead"),
    ]
    report = import_records(rows, source="src", user=admin)
    result = undo_batch(report.batch_id, admin)
    assert (result.deleted, result.restored) == (3, 0)
    assert not Organisation.objects.filter(source_name="src").exists()
    assert not Initiative.objects.filter(source_name="src").exists()
    assert not InitiativeRole.objects.filter(source_name="src").exists()
    assert not OrganisationIdentifier.objects.filter(value="552100554").exists()
    assert not Funding.objects.exists() and not SourceRecord.objects.exists()
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert (batch.status, batch.undone_by) == (BatchStatus.UNDONE, admin)
    deleted = AuditEntry.objects.filter(action="delete", model="organisation")
    assert deleted.get().user == admin


def test_undo_restores_updated_values(admin: Any) -> None:
    import_records(
        [org("a", city="Lyon", identifiers=[{"scheme": "fr-siren", "value": "1"}])],
        source="src",
    )
    import_records([initiative("i", sdgs=["8"], fundings=[{"source": "esf"}])], source="src")
    report = import_records(
        [
            org("a", city="Nice", identifiers=[{"scheme": "fr-rna", "value": "W1"}]),
            initiative("i", sdgs=["4"], fundings=[{"source": "erdf", "amount": "5"}]),
            org("new"),
        ],
        source="src",
    )
    assert (report.updated, report.new) == (2, 1)
    result = undo_batch(report.batch_id, admin)
    assert (result.deleted, result.restored) == (1, 2)
    a = Organisation.objects.get(source_record_id="a")
    assert a.city == "Lyon"
    assert [(i.scheme.code, i.value) for i in a.identifiers.all()] == [("fr-siren", "1")]
    i = Initiative.objects.get(source_record_id="i")
    assert [t.code for t in i.sdgs.all()] == ["8"]
    assert [(f.source.code, f.amount) for f in i.fundings.all()] == [("esf", None)]
    assert not Organisation.objects.filter(source_record_id="new").exists()
    update = AuditEntry.objects.filter(model="organisation", object_id=str(a.pk), user=admin)
    assert update.filter(action="update").exists()
    # The source record's hash is back too: the same import would update again.
    again = import_records(
        [org("a", city="Nice", identifiers=[{"scheme": "fr-rna", "value": "W1"}])], source="src"
    )
    assert again.updated == 1


def test_undo_refused_when_a_later_batch_changed_the_records(admin: Any) -> None:
    first = import_records([org("a", city="Lyon")], source="src")
    second = import_records([org("a", city="Nice")], source="src")
    with pytest.raises(ImportFailure, match=f"Batch #{second.batch_id} changed records"):
        undo_batch(first.batch_id, admin)
    undo_batch(second.batch_id, admin)
    undo_batch(first.batch_id, admin)
    assert not Organisation.objects.filter(source_name="src").exists()


def test_undo_refused_after_an_edit_on_a_page(admin: Any) -> None:
    report = import_records([org("a")], source="src")
    a = Organisation.objects.get(source_name="src")
    a.city = "Edited by hand"
    a.save()
    with pytest.raises(ImportFailure, match="was edited after the import"):
        undo_batch(report.batch_id, admin)
    assert Organisation.objects.filter(pk=a.pk).exists()


def test_undo_refused_when_later_relationships_depend_on_created_records(admin: Any) -> None:
    report = import_records([org("a"), initiative("i", country="FR")], source="src")
    InitiativeRole.objects.create(
        organisation=Organisation.objects.get(source_name="src"),
        initiative=Initiative.objects.get(source_name="src"),
        role=term("initiative-role", "partner"),
    )
    with pytest.raises(ImportFailure, match="delete it first"):
        undo_batch(report.batch_id, admin)


def test_undo_refused_for_batches_that_wrote_nothing_or_twice(admin: Any) -> None:
    dry = import_records([org("a")], source="src", dry_run=True)
    with pytest.raises(ImportFailure, match="wrote nothing"):
        undo_batch(dry.batch_id, admin)
    refused = import_records([org("a", country="XX")], source="src")
    with pytest.raises(ImportFailure, match="wrote nothing"):
        undo_batch(refused.batch_id, admin)
    done = import_records([org("a")], source="src")
    undo_batch(done.batch_id, admin)
    with pytest.raises(ImportFailure, match="already undone"):
        undo_batch(done.batch_id, admin)
    with pytest.raises(ImportFailure, match="no import batch #999"):
        undo_batch(999, admin)


def test_undo_needs_an_editor_of_every_country(make_user: Any) -> None:
    report = import_records([org("a", country="LV")], source="src")
    with pytest.raises(PermissionDenied):
        undo_batch(report.batch_id, make_user("editor", "FR"))
    with pytest.raises(PermissionDenied):
        undo_batch(report.batch_id, make_user("viewer", "LV"))
    undo_batch(report.batch_id, make_user("editor", "LV"))
    assert not Organisation.objects.filter(source_name="src").exists()


def test_undoing_linked_relationships_removes_only_the_link(admin: Any) -> None:
    import_records([org("o"), initiative("i"), records.role("o", "i", "lead")], source="src")
    report = import_records([records.role("o", "i", "lead", source_id="other")], source="src")
    undo_batch(report.batch_id, admin)
    assert InitiativeRole.objects.filter(source_name="src").count() == 1
    assert not SourceRecord.objects.filter(source_id="other").exists()


def test_ids_of_undone_records_are_not_reused(admin: Any) -> None:
    first = import_records([org("a"), org("b")], source="src")
    old = set(Organisation.objects.filter(source_name="src").values_list("pk", flat=True))
    undo_batch(first.batch_id, admin)
    import_records([org("c")], source="src")
    new = Organisation.objects.get(source_name="src").pk
    assert new > max(old)
    assert not AuditEntry.objects.filter(model="organisation", object_id=str(new), action="delete")
