"""HSDS 3 tables from canonical records and back, without a database."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from buicasus.core import hsds, hsds_read
from buicasus.core.standard_records import FormatError
from tests.core import interchange_samples as s

TODAY = dt.date(2024, 6, 1)


def package(records: list[dict]) -> dict[str, list[dict[str, str]]]:
    """The tables of a package holding `records` (providers: each initiative's lead)."""
    vocab = s.vocabularies()
    tables: dict[str, list[dict[str, str]]] = {t: [] for t in hsds.TABLES}

    def put(rows: dict[str, list[dict[str, str]]]) -> None:
        for table, table_rows in rows.items():
            tables[table] += table_rows

    put(hsds.taxonomy_rows(vocab))
    leads = {r["initiative"]: r["organisation"] for r in records if r["kind"] == "role"}
    for r in records:
        if r["kind"] == "organisation":
            put(hsds.organisation_rows(r, vocab))
        elif r["kind"] == "initiative":
            put(hsds.initiative_rows(r, vocab, provider=leads.get(r["source_id"]), today=TODAY))
        elif r["kind"] == "role":
            put(hsds.role_rows(r))
        else:
            put(hsds.tie_rows(r))
    return tables


def test_rows_follow_the_hsds_tables_and_our_extension() -> None:
    tables = package([s.organisation(), s.initiative(), s.role()])
    (org,) = tables["organization"]
    assert set(org) == set(hsds.TABLES["organization"])
    assert org["id"] == hsds.hsds_id("organisation", "org-1")
    assert org["alternate_name"] == "Alias; one"
    assert json.loads(org["x_other_names"]) == ["Alias; one", "Alias two"]
    assert org["year_incorporated"] == "2004" and org["uri"].endswith("/organisations/org-1/")
    (address,) = tables["address"]
    assert (address["city"], address["region"], address["country"]) == ("Lyon", "FRK26", "FR")
    (service,) = tables["service"]
    assert service["organization_id"] == org["id"]  # the lead delivers it
    assert service["status"] == "inactive"  # ended in 2018
    assert {a["name"] for a in tables["service_area"]} == {"FRK2", "FRK26"}
    assert {(f["source"], f["x_amount"]) for f in tables["funding"]} == {
        ("erdf", "1250000.50"),
        ("national", ""),
    }
    term_ids = {t["id"] for t in tables["taxonomy_term"]}
    assert all(a["taxonomy_term_id"] in term_ids for a in tables["attribute"])
    assert {(m["field_name"], m["replacement_value"]) for m in tables["metadata"]} >= {
        ("source_name", "Test"),
        ("licence", "CC0"),
    }
    languages = {
        (t["link_entity"], t["field_name"], t["language"]) for t in tables["x_translation"]
    }
    assert {("organization", "description", "en"), ("service", "name", "en")} <= languages


def test_ids_are_stable_uuid5s() -> None:
    first, second = package([s.organisation()]), package([s.organisation()])
    assert first["organization"][0]["id"] == second["organization"][0]["id"]
    for kind, key in (("organisation", "org-1"), ("term", "sdg:8"), ("x", "Ā/ü")):
        assert hsds.hsds_id(kind, key) == str(uuid.uuid5(hsds.NAMESPACE, f"{kind}:{key}"))


def test_tables_read_back_into_the_same_records() -> None:
    records = [
        s.organisation(),
        s.organisation("org-2", name="Second", region=None, latitude=None, longitude=None),
        s.initiative(),
        s.role(),
        s.tie(),
    ]
    read = list(hsds_read.records_from_tables(package(records)))
    assert [r["kind"] for r in read] == [
        "organisation",
        "organisation",
        "initiative",
        "role",
        "tie",
    ]
    assert read[0]["fields"] == records[0]["fields"]
    assert read[1]["fields"] == records[1]["fields"]
    assert read[2]["fields"] == records[2]["fields"]
    assert read[2]["fundings"] == records[2]["fundings"]
    assert read[0]["identifiers"] == records[0]["identifiers"]
    assert read[0]["provenance"]["licence"] == "CC0"
    org_id = hsds.hsds_id("organisation", "org-1")
    assert (read[3]["organisation"], read[3]["role"], read[3]["start_date"]) == (
        org_id,
        "lead",
        "2016-01-01",
    )
    assert (read[4]["source"], read[4]["tie_type"], read[4]["end_date"]) == (
        org_id,
        "member-of",
        "2020-12-31",
    )
    assert read[0]["row"] == 2  # organization.csv: the header is line 1


def test_a_package_from_another_tool() -> None:
    tables = {
        "organization": [
            {"id": "o1", "name": "Food bank", "description": "", "year_incorporated": "1998-03-01"},
            {"id": "o2", "name": "Branch", "parent_organization_id": "o1"},
        ],
        "location": [{"id": "l1", "organization_id": "o1", "latitude": "59.3", "longitude": "18"}],
        "address": [{"id": "a1", "location_id": "l1", "city": "Stockholm", "country": "se"}],
        "service": [{"id": "s1", "organization_id": "o1", "name": "Meals", "status": "active"}],
    }
    read = list(hsds_read.records_from_tables(tables))
    org = read[0]["fields"]
    assert (org["actor_type"], org["country"], org["founding_year"]) == ("unclassified", "SE", 1998)
    assert read[2]["fields"]["country"] == "SE"  # from the organisation that provides it
    assert [(r["kind"], r.get("role") or r.get("tie_type")) for r in read[3:]] == [
        ("role", "lead"),
        ("tie", "subsidiary-of"),
    ]


def test_bad_values_become_record_errors_and_missing_ids_stop_the_file() -> None:
    tables = {
        "organization": [{"id": "o1", "name": "X", "year_incorporated": "soon"}],
        "location": [{"id": "l1", "organization_id": "o1", "latitude": "north"}],
    }
    (record,) = hsds_read.records_from_tables(tables)
    fields = [field for field, _message in record["errors"]]
    assert fields == ["latitude", "founding_year"]
    assert "location.csv, row 2, latitude" in record["errors"][0][1]
    with pytest.raises(FormatError, match=r"organization.csv, row 3, id: no id"):
        list(hsds_read.records_from_tables({"organization": [{"id": "o1"}, {"name": "no id"}]}))
