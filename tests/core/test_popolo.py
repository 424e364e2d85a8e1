"""Popolo JSON from canonical records and back, without a database."""

from __future__ import annotations

import pytest

from buicasus.core import popolo
from buicasus.core.standard_records import FormatError
from tests.core import interchange_samples as s


def document(records: list[dict]) -> dict:
    organisations, memberships = [], []
    for r in records:
        if r["kind"] == "organisation":
            organisations.append(popolo.organisation(r))
        elif r["kind"] == "initiative":
            organisations.append(popolo.initiative(r))
        elif r["kind"] == "role":
            memberships.append(popolo.role_membership(r))
        else:
            memberships.append(popolo.tie_membership(r))
    return {"organizations": organisations, "memberships": memberships}


def test_popolo_properties_carry_what_they_can() -> None:
    doc = document([s.organisation(), s.initiative(), s.role()])
    org, project = doc["organizations"]
    assert org["classification"] == "cooperative" and org["founding_date"] == "2004"
    assert org["other_names"] == [{"name": "Alias; one"}, {"name": "Alias two"}]
    assert org["identifiers"] == [{"scheme": "fr-siren", "identifier": "552100554"}]
    assert org["links"] == [{"url": "https://example.org/?a=1&b=2", "note": "website"}]
    assert org["sources"][0]["note"] == "Test; CC0"
    assert project["classification"] == "initiative"
    assert (project["founding_date"], project["dissolution_date"]) == ("2016-01-01", "2018-12-31")
    (membership,) = doc["memberships"]
    assert membership["member"] == {"@type": "Organization", "id": "org-1"}
    assert (membership["organization_id"], membership["role"]) == ("ini-1", "lead")


def test_documents_read_back_into_the_same_records() -> None:
    records = [s.organisation(), s.organisation("org-2"), s.initiative(), s.role(), s.tie()]
    read = list(popolo.records_from_popolo(document(records)))
    assert s.without_provenance(read) == s.without_provenance(records)
    assert [r["row"] for r in read] == [1, 2, 3, 1, 2]


def test_a_document_from_another_tool() -> None:
    doc = {
        "persons": [{"id": "p1", "name": "Ann"}],
        "organizations": [
            {"id": "o1", "name": "Network", "classification": "party", "founding_date": "1990"},
            {"id": "o2", "name": "Member org"},
        ],
        "memberships": [
            {"person_id": "p1", "organization_id": "o1"},
            {"member": {"@type": "Person", "id": "p1"}, "organization_id": "o1"},
            {
                "member": {"@type": "Organization", "id": "o2"},
                "organization_id": "o1",
                "role": "chair",
                "start_date": "2001-02",
            },
        ],
    }
    read = list(popolo.records_from_popolo(doc, tie_types={"member-of", "funds"}))
    assert [r["kind"] for r in read] == ["organisation", "organisation", "tie"]
    assert read[0]["fields"]["actor_type"] == "party"  # checked by the importer, not here
    assert read[0]["fields"]["founding_year"] == 1990
    tie = read[2]
    assert (tie["source"], tie["target"], tie["tie_type"], tie["row"]) == (
        "o2",
        "o1",
        "member-of",
        3,
    )
    assert tie["errors"][0][0] == "start_date"  # "2001-02" is not a full date


def test_broken_documents_name_the_place() -> None:
    with pytest.raises(FormatError, match="JSON object"):
        list(popolo.records_from_popolo([]))
    with pytest.raises(FormatError, match=r"organizations, row 2, id: no id"):
        list(
            popolo.records_from_popolo({"organizations": [{"id": "a", "name": "A"}, {"name": "B"}]})
        )
    with pytest.raises(FormatError, match=r"memberships, row 1: no organization_id"):
        list(popolo.records_from_popolo({"memberships": [{"member_id": "a"}]}))
