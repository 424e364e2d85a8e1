"""`import_records`: new, updated, unchanged; all or nothing; provenance, audit, permissions."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from buicasus.importer.errors import ImportFailure
from buicasus.importer.models import BatchStatus, ImportBatch, ImportChange, SourceRecord
from buicasus.importer.services import import_records
from buicasus.registry import changes
from buicasus.registry.models import AuditEntry, AuditLink, Funding, Initiative, Organisation
from tests.importer.builders import initiative, org

pytestmark = pytest.mark.django_db


def orgs(source: str = "src") -> Any:
    return Organisation.objects.filter(source_name=source)


def test_new_then_unchanged_then_updated() -> None:
    rows = [org("a", 2, city="Lyon"), org("b", 3)]
    report = import_records(rows, source="src", licence="CC-BY 4.0")
    assert (report.new, report.updated, report.unchanged, report.invalid) == (2, 0, 0, 0)
    assert report.status == BatchStatus.DONE and report.written
    a = orgs().get(source_record_id="a")
    assert (a.city, a.licence, a.source_name, a.published) == ("Lyon", "CC-BY 4.0", "src", True)
    assert a.imported_at is not None and a.review_status == "approved"

    again = import_records(rows, source="src", licence="CC-BY 4.0")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    assert orgs().get(pk=a.pk).updated_at == a.updated_at

    changed = import_records([org("a", 2, city="Paris"), org("b", 3)], source="src")
    assert (changed.new, changed.updated, changed.unchanged) == (0, 1, 1)
    assert orgs().get(pk=a.pk).city == "Paris"
    assert orgs().count() == 2


def test_each_import_is_a_recorded_batch() -> None:
    report = import_records([org("a")], source="src", file_name="f.csv", file_hash="ab" * 32)
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert (batch.source_name, batch.file_name, batch.status) == ("src", "f.csv", "done")
    assert (batch.count_new, batch.count_invalid) == (1, 0)
    assert batch.finished_at is not None and batch.counts["organisation"] == {"new": 1}


def test_provenance_link_per_source_record() -> None:
    import_records([org("a"), initiative("i")], source="src")
    links = SourceRecord.objects.filter(source_name="src")
    assert {(s.kind, s.source_id) for s in links} == {("organisation", "a"), ("initiative", "i")}
    link = links.get(kind="organisation")
    assert link.organisation == orgs().get() and link.linked_id == link.organisation_id
    assert len(link.content_hash) == 64


def test_audit_entries_written_for_created_and_updated_only() -> None:
    import_records([org("a", city="Lyon")], source="src")
    a = orgs().get()
    created = AuditEntry.objects.get(model="organisation", object_id=str(a.pk))
    assert created.action == "create"
    assert created.changes["name"] == [None, "Organisation a"]
    assert created.changes["country"] == [None, "France"]
    assert created.changes["source_name"] == [None, "src"]
    import_records([org("a", city="Lyon")], source="src")
    assert AuditEntry.objects.filter(model="organisation", object_id=str(a.pk)).count() == 1
    import_records([org("a", city="Nice")], source="src")
    update = AuditEntry.objects.filter(model="organisation", object_id=str(a.pk), action="update")
    assert update.get().changes == {"city": ["Lyon", "Nice"]}


def test_audit_user_is_the_importing_user(admin: Any) -> None:
    import_records([org("a")], source="src", user=admin)
    a = orgs().get()
    assert AuditEntry.objects.get(object_id=str(a.pk), model="organisation").user == admin
    assert a.created_by == admin


def test_one_invalid_row_and_nothing_is_written() -> None:
    rows = [org("a", 2), org("b", 3, country="XX"), org("c", 4)]
    entries = AuditEntry.objects.count()
    report = import_records(rows, source="src")
    assert report.status == BatchStatus.REFUSED and not report.written
    assert report.invalid == 1
    assert report.invalid_rows == [(3, "country", "Unknown country code “XX”.")]
    assert not orgs().exists() and not SourceRecord.objects.exists()
    assert AuditEntry.objects.count() == entries
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert batch.status == "refused" and batch.invalid_rows == [
        [3, "country", report.invalid_rows[0][2]]
    ]


def test_skip_invalid_writes_valid_rows_and_a_rejects_file(tmp_path: Path) -> None:
    rows = [org("a", 2), org("b", 3, country="XX", name=""), org("c", 4)]
    rejects = tmp_path / "rejects.csv"
    report = import_records(rows, source="src", skip_invalid=True, rejects=rejects)
    assert report.written and report.new == 2 and report.invalid == 1
    assert sorted(orgs().values_list("source_record_id", flat=True)) == ["a", "c"]
    with rejects.open(encoding="utf-8-sig") as handle:
        lines = list(csv.DictReader(handle))
    assert [(r["row"], r["field"]) for r in lines] == [("3", "name"), ("3", "country")]
    assert lines[0]["reason"] == "This field is required."
    assert lines[1]["country"] == "XX" and lines[1]["source_id"] == "b"


def test_skip_invalid_rejects_the_whole_row(tmp_path: Path) -> None:
    rows = [org("a", 2), initiative("i", 2, end_date="2001-01-01", start_date="2002-01-01")]
    report = import_records(rows, source="src", skip_invalid=True, rejects=tmp_path / "r.csv")
    assert report.invalid == 1 and report.new == 0
    assert not orgs().exists()


def test_dry_run_reports_everything_and_writes_nothing() -> None:
    rows = [org("a", 2), org("b", 3, actor_type="robot"), org("c", 4, website="not a url")]
    report = import_records(rows, source="src", dry_run=True)
    assert report.status == BatchStatus.DRY_RUN and not report.written
    assert report.new == 1 and report.invalid == 2
    assert report.invalid_rows == [
        (3, "actor_type", "Unknown actor type “robot”."),
        (4, "website", "Enter a valid URL."),
    ]
    assert not orgs().exists() and not ImportChange.objects.exists()


def test_dry_run_counts_updates_against_the_registry() -> None:
    import_records([org("a", city="Lyon"), org("b")], source="src")
    report = import_records([org("a", city="Nice"), org("b"), org("c")], source="src", dry_run=True)
    assert (report.new, report.updated, report.unchanged) == (1, 1, 1)
    assert orgs().get(source_record_id="a").city == "Lyon"


def test_editor_may_import_only_their_countries(editor_fr: Any, make_user: Any) -> None:
    rows = [org("fr", 2), org("lv", 3, country="LV")]
    report = import_records(rows, source="src", user=editor_fr)
    assert report.invalid_rows == [(3, "country", "You may not edit records of LV.")]
    assert not orgs().exists()
    with pytest.raises(PermissionDenied):
        import_records([org("x")], source="src", user=make_user("contributor", "FR"))


def test_editor_may_not_move_a_record_out_of_another_country(editor_fr: Any) -> None:
    import_records([org("a", country="LV")], source="src")
    report = import_records([org("a", country="FR")], source="src", user=editor_fr)
    assert report.invalid_rows == [(1, "country", "You may not edit records of LV.")]


def test_identifiers_written_and_checked_for_duplicates() -> None:
    siren = [{"scheme": "fr-siren", "value": "552100554"}]
    import_records([org("a", identifiers=siren)], source="src")
    a = orgs().get()
    assert [(i.scheme.code, i.value) for i in a.identifiers.all()] == [("fr-siren", "552100554")]
    entry = AuditEntry.objects.get(model="organisationidentifier")
    assert AuditLink.objects.get(entry=entry).object_id == str(a.pk)
    # The same record again keeps its identifier; another record may not take it.
    assert import_records([org("a", identifiers=siren)], source="src").unchanged == 1
    report = import_records([org("b", 5, identifiers=siren)], source="other")
    assert report.invalid_rows == [
        (5, "identifiers", "fr-siren 552100554 already belongs to “Organisation a”.")
    ]
    rna = [{"scheme": "fr-rna", "value": "W751"}]
    report = import_records(
        [org("c", 2, identifiers=rna), org("d", 3, identifiers=rna)], source="new", dry_run=True
    )
    assert report.invalid_rows == [
        (3, "identifiers", "fr-rna W751 already belongs to “Organisation c”.")
    ]


def test_identifiers_replaced_on_update() -> None:
    import_records([org("a", identifiers=[{"scheme": "fr-siren", "value": "1"}])], source="src")
    import_records([org("a", identifiers=[{"scheme": "fr-rna", "value": "W1"}])], source="src")
    a = orgs().get()
    assert [(i.scheme.code, i.value) for i in a.identifiers.all()] == [("fr-rna", "W1")]


def test_initiatives_with_terms_regions_and_fundings() -> None:
    record = initiative(
        "i",
        country="SE",
        regions=["SE224"],
        sdgs=["8", "10"],
        policy_fields=["employment"],
        stage="implementation",
        start_date="2016-01-01",
        end_date="2018-12-31",
        fundings=[{"source": "erdf", "amount": "1250000.00", "currency": "EUR"}],
        translations={"en": {"title": "Work", "description": "More work"}},
    )
    report = import_records([record], source="src")
    assert report.new == 1, report.invalid_rows
    found = Initiative.objects.get(source_name="src")
    assert [r.code for r in found.regions.all()] == ["SE224"]
    assert sorted(t.code for t in found.sdgs.all()) == ["10", "8"]
    assert found.stage.code == "implementation" and str(found.end_date) == "2018-12-31"
    funding = Funding.objects.get(initiative=found)
    assert (funding.source.code, str(funding.amount)) == ("erdf", "1250000.00")
    assert found.translations == {"en": {"title": "Work", "description": "More work"}}
    again = dict(record, fields={**record["fields"], "sdgs": ["8"]})
    assert import_records([again], source="src").updated == 1
    assert [t.code for t in Initiative.objects.get(pk=found.pk).sdgs.all()] == ["8"]
    update = AuditEntry.objects.get(model="initiative", object_id=str(found.pk), action="update")
    assert list(update.changes) == ["sdgs"]


def test_a_key_left_out_is_left_alone_and_none_clears() -> None:
    import_records([org("a", city="Lyon", legal_form="SA")], source="src")
    record = org("a", legal_form=None)
    record["fields"].pop("city", None)
    import_records([record], source="src")
    a = orgs().get()
    assert (a.city, a.legal_form) == ("Lyon", "")


def test_duplicate_ids_inside_one_import() -> None:
    same = import_records([org("a", 2), org("a", 3)], source="src")
    assert same.new == 1 and same.invalid == 0 and same.by_kind["organisation"]["repeated"] == 1
    other = import_records([org("b", 2), org("b", 3, city="Nice")], source="src2")
    assert other.invalid_rows == [
        (3, "source_id", "Duplicate id “b”: row 2 has the same id with other values.")
    ]
    first = import_records(
        [org("c", 2), org("c", 3, city="Nice", on_duplicate="first")], source="src3"
    )
    assert first.new == 1 and first.invalid == 0


def test_records_without_id_or_kind_are_invalid() -> None:
    report = import_records(
        [{"kind": "organisation", "row": 2, "fields": {}}, {"kind": "robot", "row": 3}],
        source="src",
        dry_run=True,
    )
    assert report.invalid_rows == [
        (2, "source_id", "The record has no id in its source."),
        (3, "kind", "Unknown record kind “robot”; use organisation, initiative, role, tie."),
    ]


def test_upstream_errors_make_the_record_invalid() -> None:
    record = org("a", 7, errors=[["country", "column “land”: “Atlantis” is not in the map."]])
    report = import_records([record], source="src", dry_run=True)
    assert report.invalid_rows == [(7, "country", "column “land”: “Atlantis” is not in the map.")]


def test_failure_while_reading_leaves_nothing_half_written() -> None:
    def rows() -> Any:
        for n in range(5000):
            yield org(f"o{n}", n + 2)
        raise ImportFailure("boom", file="f.csv", row=5002)

    with pytest.raises(ImportFailure):
        import_records(rows(), source="src")
    assert not orgs().exists()
    batch = ImportBatch.objects.get(source_name="src")
    assert batch.status == "failed" and "row 5002" in batch.error_summary


def test_source_and_licence_must_fit() -> None:
    with pytest.raises(ImportFailure, match="source"):
        import_records([org("a")], source="  ")
    with pytest.raises(ImportFailure, match="licence"):
        import_records([org("a")], source="src", licence="x" * 301)


def test_the_change_event_names_what_an_import_changed() -> None:
    heard: list[tuple[str, str, frozenset[int]]] = []

    def receiver(sender: str, ids: frozenset[int], action: str, **kw: Any) -> None:
        heard.append((sender, action, ids))

    changes.records_changed.connect(receiver, weak=False, dispatch_uid="test-import-heard")
    try:
        import_records([org("a"), initiative("i")], source="src")
        org_pk, init_pk = orgs().get().pk, Initiative.objects.get(source_name="src").pk
        assert sorted(heard) == [
            ("initiative", "created", frozenset({init_pk})),
            ("organisation", "created", frozenset({org_pk})),
        ]
        heard.clear()
        import_records([org("a"), initiative("i")], source="src")
        assert heard == []  # nothing changed at the source
        import_records([org("a"), initiative("i")], source="dry", dry_run=True)
        assert heard == []  # a dry run writes nothing, so it announces nothing
        import_records([org("a", city="Lyon")], source="src")
        assert heard == [("organisation", "changed", frozenset({org_pk}))]
    finally:
        changes.records_changed.disconnect(dispatch_uid="test-import-heard")


def test_the_first_source_stays_on_a_record_with_several() -> None:
    import_records([org("a", city="Lyon")], source="first")
    a = orgs("first").get()
    # The deduplication engine merged a record of "second" into it: its link now points here.
    import_records([org("z", city="Lyon")], source="second")
    z = orgs("second").get()
    SourceRecord.objects.filter(source_name="second").update(organisation=a)
    z.delete()
    import_records([org("z", city="Nice")], source="second", licence="other licence")
    a.refresh_from_db()
    assert (a.city, a.source_name, a.source_record_id, a.licence) == ("Nice", "first", "a", "")
    assert SourceRecord.objects.filter(organisation=a).count() == 2


def test_provenances_lists_every_source_of_a_record() -> None:
    from buicasus.importer.services import provenances

    import_records([org("a")], source="first", licence="CC0")
    a = orgs("first").get()
    import_records([org("z")], source="second", licence="CC-BY")
    SourceRecord.objects.filter(source_name="second").update(organisation=a)
    assert [(p.source_name, p.licence) for p in provenances(a)] == [
        ("first", "CC0"),
        ("second", "CC-BY"),
    ]


def test_something_that_is_not_a_record() -> None:
    report = import_records([org("a"), ["not", "a", "record"]], source="src", dry_run=True)  # type: ignore[list-item]
    assert report.invalid_rows == [(2, "", "A record must be an object (a dict), not list.")]
