"""Roles, ties and `replicated_from`: references by source id, resolved after everything else."""

from __future__ import annotations

from typing import Any

import pytest

from buicasus.importer import records
from buicasus.importer.models import ImportChange, SourceRecord
from buicasus.importer.services import import_records
from buicasus.registry.models import AuditLink, Initiative, InitiativeRole, OrganisationTie
from tests.importer.builders import initiative, org

pytestmark = pytest.mark.django_db


def test_roles_refer_to_records_later_in_the_file() -> None:
    rows = [
        records.role("o1", "i1", "lead", row=2),
        org("o1", 3),
        initiative("i1", 4, country="ES"),
    ]
    report = import_records(rows, source="src")
    assert report.written and report.by_kind["role"] == {"new": 1}, report.invalid_rows
    role = InitiativeRole.objects.get()
    assert (role.organisation.source_record_id, role.initiative.source_record_id) == ("o1", "i1")
    assert (role.role.code, role.source_name) == ("lead", "src")
    assert SourceRecord.objects.get(kind="role").initiative_role == role
    entry_links = AuditLink.objects.filter(entry__model="initiativerole")
    assert {(link.model, link.object_id) for link in entry_links} == {
        ("initiative", str(role.initiative_id)),
        ("organisation", str(role.organisation_id)),
    }


def test_references_to_earlier_imports_of_the_same_source() -> None:
    import_records([org("o1"), initiative("i1")], source="src")
    report = import_records([records.role("o1", "i1", "partner")], source="src")
    assert report.by_kind["role"] == {"new": 1}
    other = import_records([records.role("o1", "i1", "partner")], source="other", dry_run=True)
    assert other.invalid_rows == [
        (
            1,
            "organisation",
            "No organisation with id “o1” in this file or earlier imports of this source.",
        ),
        (
            1,
            "initiative",
            "No initiative with id “i1” in this file or earlier imports of this source.",
        ),
    ]


def test_missing_references_can_be_skipped() -> None:
    role = records.role("ghost", "i1", "partner", missing="skip")
    report = import_records([initiative("i1"), role], source="src")
    assert report.written and report.by_kind["role"] == {"skipped": 1}
    assert not InitiativeRole.objects.exists()


def test_a_reference_to_an_invalid_record(tmp_path: Any) -> None:
    rows = [
        org("o1", 2, country="XX"),
        initiative("i1", 3),
        records.role("o1", "i1", "lead", row=4),
    ]
    report = import_records(rows, source="src", skip_invalid=True, rejects=tmp_path / "r.csv")
    assert (4, "organisation", "“o1” (row 2) is invalid, so this link cannot be made.") in (
        report.invalid_rows
    )
    assert Initiative.objects.filter(source_name="src").exists()
    assert not InitiativeRole.objects.exists()


def test_an_existing_relationship_is_linked_not_duplicated() -> None:
    import_records([org("o1"), initiative("i1"), records.role("o1", "i1", "lead")], source="src")
    again = records.role("o1", "i1", "lead", source_id="another-id")
    report = import_records([again], source="src")
    assert report.by_kind["role"] == {"linked": 1} and report.unchanged == 1
    assert InitiativeRole.objects.count() == 1
    assert SourceRecord.objects.filter(kind="role").count() == 2
    assert ImportChange.objects.filter(action="linked").count() == 1


def test_relationship_updates_and_unchanged() -> None:
    base = [org("o1"), initiative("i1")]
    import_records([*base, records.role("o1", "i1", "lead", source_id="r")], source="src")
    same = import_records([*base, records.role("o1", "i1", "lead", source_id="r")], source="src")
    assert same.by_kind["role"] == {"unchanged": 1}
    dated = records.role("o1", "i1", "lead", source_id="r", start_date="2016-01-01")
    report = import_records([*base, dated], source="src")
    assert report.by_kind["role"] == {"updated": 1}
    assert str(InitiativeRole.objects.get().start_date) == "2016-01-01"


def test_role_rules() -> None:
    rows = [
        org("o1", 2),
        initiative("i1", 2),
        records.role("o1", "i1", "boss", row=3),
        records.role("o1", "i1", "lead", row=4, start_date="2017-01-01", end_date="2016-01-01"),
        records.role("", "i1", "lead", row=5, source_id="x"),
    ]
    report = import_records(rows, source="src", dry_run=True)
    assert report.invalid_rows == [
        (3, "role", "Unknown role “boss”."),
        (4, "end_date", "The end date is before the start date."),
        (5, "organisation", "This field is required."),
    ]


def test_ties_and_their_rules() -> None:
    rows = [
        org("a", 2),
        org("b", 3),
        records.tie("a", "b", "member-of", row=4),
        records.tie("a", "a", "partners-with", row=5),
        records.tie("a", "b", "hates", row=6),
    ]
    report = import_records(rows, source="src", dry_run=True)
    assert report.invalid_rows == [
        (5, "target", "An organisation cannot be tied to itself."),
        (6, "tie_type", "Unknown tie type “hates”."),
    ]
    report = import_records(rows[:3], source="src")
    tie = OrganisationTie.objects.get(source_name="src")
    assert (tie.source.source_record_id, tie.target.source_record_id) == ("a", "b")


def test_relationships_need_an_editor_of_the_anchor_country(editor_fr: Any) -> None:
    import_records([org("lv", country="LV"), initiative("i-lv", country="LV")], source="src")
    rows = [
        org("fr", 2),
        records.role("fr", "i-lv", "partner", row=3),
        records.tie("lv", "fr", "funds", row=4),
    ]
    report = import_records(rows, source="src", user=editor_fr, dry_run=True)
    assert report.invalid_rows == [
        (3, "initiative", "You may not edit records of LV."),
        (4, "source", "You may not edit records of LV."),
    ]


def test_replicated_from_links_initiatives() -> None:
    rows = [
        initiative("copy", 2, replicated_from="original"),
        initiative("original", 3),
        initiative("self", 4, replicated_from="self"),
        initiative("orphan", 5, replicated_from="nowhere"),
    ]
    report = import_records(rows, source="src", dry_run=True)
    assert report.invalid_rows == [
        (4, "replicated_from", "An initiative cannot be replicated from itself."),
        (
            5,
            "replicated_from",
            "No initiative with id “nowhere” in this file or earlier imports of this source.",
        ),
    ]
    assert import_records(rows[:2], source="src").written
    copy = Initiative.objects.get(source_record_id="copy")
    assert copy.replicated_from.source_record_id == "original"
