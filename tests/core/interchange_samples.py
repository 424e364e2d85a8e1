"""Canonical records for the pure converter tests: one of each kind, with awkward text."""

from __future__ import annotations

from typing import Any

from buicasus.core.standard_records import TermSet

NAME = 'Coop "Ā & <b>" ; = =SUM(1)\nline'


def organisation(sid: str = "org-1", **fields: Any) -> dict[str, Any]:
    values = {
        "name": NAME,
        "other_names": ["Alias; one", "Alias two"],
        "actor_type": "cooperative",
        "legal_form": "SCIC",
        "country": "FR",
        "region": "FRK26",
        "city": "Lyon",
        "latitude": 45.76,
        "longitude": 4.84,
        "website": "https://example.org/?a=1&b=2",
        "description": "Une coopérative.",
        "description_language": "fr",
        "founding_year": 2004,
        "size_band": "small",
        "published": True,
        "translations": {"en": {"description": "A cooperative."}, "lv": {"description": "Ā"}},
    }
    values.update(fields)
    return {
        "kind": "organisation",
        "source_id": sid,
        "fields": values,
        "identifiers": [{"scheme": "fr-siren", "value": "552100554"}],
        "provenance": {
            "source_name": "Test",
            "source_record_id": "T1",
            "licence": "CC0",
            "url": f"https://x.test/organisations/{sid}/",
            "updated_at": "2024-01-02T03:04:05+00:00",
            "imported_at": None,
        },
    }


def initiative(sid: str = "ini-1", **fields: Any) -> dict[str, Any]:
    values = {
        "title": "Projet « test »",
        "description": "Une initiative.",
        "description_language": "fr",
        "country": "FR",
        "regions": ["FRK2", "FRK26"],
        "stage": "implementation",
        "evidence_level": None,
        "policy_fields": ["employment"],
        "esf_objectives": ["a"],
        "sdgs": ["8", "10"],
        "target_groups": [],
        "methods": [],
        "start_date": "2016-01-01",
        "end_date": "2018-12-31",
        "website": "https://example.org/p",
        "outcome_evidence": "",
        "scaling_strategy": None,
        "scaling_directions": [],
        "published": False,
        "translations": {"en": {"title": "Test project", "description": "An initiative."}},
    }
    values.update(fields)
    return {
        "kind": "initiative",
        "source_id": sid,
        "fields": values,
        "fundings": [
            {"source": "erdf", "amount": "1250000.50", "currency": "EUR"},
            {"source": "national", "amount": None, "currency": "EUR"},
        ],
        "replicated_from": None,
        "provenance": {"source_name": "Test", "licence": "CC0"},
    }


def role(org: str = "org-1", ini: str = "ini-1", code: str = "lead") -> dict[str, Any]:
    return {
        "kind": "role",
        "source_id": f"{ini}/{code}/{org}",
        "organisation": org,
        "initiative": ini,
        "role": code,
        "start_date": "2016-01-01",
        "end_date": None,
    }


def tie(source: str = "org-1", target: str = "org-2", code: str = "member-of") -> dict[str, Any]:
    return {
        "kind": "tie",
        "source_id": f"{source}/{code}/{target}",
        "source": source,
        "target": target,
        "tie_type": code,
        "start_date": None,
        "end_date": "2020-12-31",
    }


def vocabularies() -> dict[str, TermSet]:
    def term_set(key: str, *codes: str) -> TermSet:
        terms = {
            c: {"labels": {"en": f"{c} (en)", "fr": f"{c} (fr)"}, "definitions": {}} for c in codes
        }
        return TermSet(key, {"en": key.title()}, "https://example.org/source", "1", terms)

    return {
        "actor-type": term_set("actor-type", "cooperative", "foundation"),
        "si-stage": term_set("si-stage", "implementation"),
        "policy-field": term_set("policy-field", "employment"),
        "esf-objective": term_set("esf-objective", "a"),
        "sdg": term_set("sdg", "8", "10"),
        "funding-source": term_set("funding-source", "erdf", "national"),
    }


def without_provenance(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k not in ("provenance", "row")} for r in records]
