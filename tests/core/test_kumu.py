"""Kumu JSON (elements + connections) from canonical records and back, without a database."""

from __future__ import annotations

import pytest

from buicasus.core import kumu
from buicasus.core.standard_records import FormatError
from tests.core import interchange_samples as s


def document(records: list[dict]) -> dict:
    nodes = [kumu.element(r) for r in records if r["kind"] in ("organisation", "initiative")]
    links = [kumu.connection(r) for r in records if r["kind"] in ("role", "tie")]
    return {"elements": nodes, "connections": links}


def test_elements_and_connections() -> None:
    doc = document([s.organisation(), s.initiative(), s.role()])
    org, project = doc["elements"]
    assert (org["label"], org["type"], org["tags"]) == (s.NAME, "Organisation", ["cooperative"])
    assert org["description_en"] == "A cooperative." and org["identifiers"] == [
        "fr-siren:552100554"
    ]
    assert org["licence"] == "CC0"
    assert project["type"] == "Initiative" and project["fundings"][0] == "erdf:1250000.50:EUR"
    assert doc["connections"] == [
        {
            "id": "ini-1/lead/org-1",
            "from": "org-1",
            "to": "ini-1",
            "type": "lead",
            "direction": "directed",
            "start_date": "2016-01-01",
            "end_date": None,
        }
    ]


def test_documents_read_back_into_the_same_records() -> None:
    records = [s.organisation(), s.organisation("org-2"), s.initiative(), s.role(), s.tie()]
    read = list(kumu.records_from_kumu(document(records)))
    assert s.without_provenance(read) == s.without_provenance(records)


def test_a_map_from_another_tool() -> None:
    doc = {
        "elements": [
            {"Label": "Alpha", "Type": "Organization", "Description": "First"},
            {"label": "Beta"},
            {"label": "Gamma", "type": "Project"},
            {"label": "Delta", "type": "project"},
        ],
        "connections": [
            {"from": "Alpha", "to": "Beta", "type": "friends"},
            {"From": "Gamma", "To": "Alpha", "Type": "lead"},
            {"from": "Gamma", "to": "Delta"},
        ],
    }
    read = list(kumu.records_from_kumu(doc, tie_types={"funds"}, roles={"lead", "partner"}))
    kinds = [(r["kind"], r["source_id"]) for r in read]
    assert kinds[:4] == [
        ("organisation", "Alpha"),
        ("organisation", "Beta"),
        ("initiative", "Gamma"),
        ("initiative", "Delta"),
    ]
    assert read[0]["fields"]["description"] == "First"
    assert read[0]["fields"]["actor_type"] == "unclassified"
    assert read[4]["tie_type"] == "partners-with"
    assert (read[5]["organisation"], read[5]["initiative"], read[5]["role"]) == (
        "Alpha",
        "Gamma",
        "lead",
    )
    assert len(read) == 6  # two initiatives: nothing the registry holds between them


def test_a_connection_to_nothing_is_an_error() -> None:
    doc = {"elements": [{"label": "A"}], "connections": [{"from": "A", "to": "Z"}]}
    with pytest.raises(FormatError, match=r"connections, row 1, to: “Z” is no element"):
        list(kumu.records_from_kumu(doc))
