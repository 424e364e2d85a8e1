"""Registry rows as canonical records: every field, in codes, with provenance."""

from __future__ import annotations

from typing import Any

from buicasus.interchange.services import select
from tests.interchange.conftest import AWKWARD


def by_id(records: Any) -> dict[str, dict[str, Any]]:
    return {r["source_id"]: r for r in records}


def test_an_organisation_record_holds_every_field(registry: dict[str, Any]) -> None:
    org = registry["awkward"]
    record = by_id(select(None, "organisations").organisation_records())[f"org-{org.pk}"]
    assert record["kind"] == "organisation"
    assert record["fields"] == {
        "name": AWKWARD,
        "other_names": ["Alias; one", 'Alias "two"'],
        "actor_type": "social-enterprise",
        "legal_form": "Association loi 1901",
        "country": "FR",
        "region": "FRK26",
        "city": "Lyon",
        "latitude": 45.76,
        "longitude": 4.84,
        "website": "https://example.org/awkward?a=1&b=2",
        "description": "Texte « français » avec des retours\nà la ligne.",
        "description_language": "fr",
        "founding_year": 1999,
        "size_band": "small",
        "published": True,
        "translations": {"en": {"description": "English <text> & more"}},
    }
    assert record["identifiers"] == [
        {"scheme": "fr-siren", "value": "552100554"},
        {"scheme": "eu-vat", "value": "FR40552100554"},
    ]
    provenance = record["provenance"]
    assert (provenance["source_name"], provenance["source_record_id"], provenance["licence"]) == (
        "Test source",
        "T-1",
        "CC BY 4.0",
    )
    assert provenance["url"] == f"/organisations/{org.pk}/"
    assert "updated_by" not in provenance and "created_by" not in provenance


def test_an_initiative_record_holds_codes_fundings_and_lineage(registry: dict[str, Any]) -> None:
    project = registry["project"]
    records = by_id(select(None, "initiatives").initiative_records())
    record = records[f"ini-{project.pk}"]
    fields = record["fields"]
    assert (fields["country"], fields["regions"]) == ("FR", ["FRK2", "FRK26"])
    assert (fields["stage"], fields["evidence_level"]) == ("implementation", "promising-practice")
    assert (fields["sdgs"], fields["policy_fields"]) == (["8", "10"], ["employment"])
    assert (fields["start_date"], fields["end_date"]) == ("2016-01-01", "2018-12-31")
    assert fields["translations"]["en"]["title"] == "Special project"
    assert record["fundings"] == [
        {"source": "erdf", "amount": "1250000.50", "currency": "EUR"},
        {"source": "national", "amount": None, "currency": "EUR"},
    ]
    copy = registry["copy"]
    assert records[f"ini-{copy.pk}"]["replicated_from"] == f"ini-{copy.replicated_from_id}"


def test_a_reference_to_a_record_left_out_is_dropped(registry: dict[str, Any]) -> None:
    copy = registry["copy"]
    selection = select(None, "initiatives", {"q": copy.title})
    (record,) = [r for r in selection.initiative_records() if r["source_id"] == f"ini-{copy.pk}"]
    assert record["replicated_from"] is None


def test_chunks_do_not_change_the_records(registry: dict[str, Any]) -> None:
    whole = list(select(None, "registry").records())
    small = select(None, "registry")
    small.chunk_size = 3
    assert list(small.records()) == whole
    kinds = [r["kind"] for r in whole]
    assert kinds == sorted(kinds, key=["organisation", "initiative", "role", "tie"].index)
