"""Loads the fictional demo records, kept apart from real data by their source name."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from buicasus.registry.models import (
    Country,
    Funding,
    Initiative,
    InitiativeRole,
    Organisation,
    Term,
)
from buicasus.registry.reference import FIXTURES, LoadReport, _read, _term, load_organisations

DEMO_FILE = FIXTURES / "demo" / "demo.yaml"


def _terms(key: str, codes: list[Any]) -> list[Term]:
    return [_term(key, str(code)) for code in codes]


@transaction.atomic
def load_demo() -> LoadReport:
    """Demo organisations, ties and initiatives. Safe to run again (updates by demo ref)."""
    report = LoadReport()
    load_organisations(DEMO_FILE, report)
    doc = _read(DEMO_FILE)
    source, licence = doc["source"], doc.get("licence", "")
    orgs = {o.source_record_id: o for o in Organisation.objects.filter(source_name=source)}
    by_ref: dict[str, Initiative] = {}
    for row in doc.get("initiatives", []):
        initiative, _ = Initiative.objects.update_or_create(
            source_name=source,
            source_record_id=row["ref"],
            defaults={
                "title": row["title"],
                "description": row.get("description", ""),
                "description_language": row.get("description_language", ""),
                "translations": row.get("translations", {}),
                "country": Country.objects.get(code=row["country"]),
                "stage": _term("si-stage", row["stage"]) if row.get("stage") else None,
                "evidence_level": _term("evidence-level", row["evidence_level"])
                if row.get("evidence_level")
                else None,
                "start_date": row.get("start_date"),
                "end_date": row.get("end_date"),
                "website": row.get("website", ""),
                "outcome_evidence": row.get("outcome_evidence", ""),
                "scaling_strategy": _term("scaling-strategy", row["scaling_strategy"])
                if row.get("scaling_strategy")
                else None,
                "published": bool(row.get("published", True)),
                "licence": licence,
            },
        )
        for attr, key in (
            ("policy_fields", "policy-field"),
            ("esf_objectives", "esf-objective"),
            ("sdgs", "sdg"),
            ("target_groups", "target-group"),
            ("methods", "method"),
            ("scaling_directions", "scaling-direction"),
        ):
            getattr(initiative, attr).set(_terms(key, row.get(attr, [])))
        if not initiative.fundings.exists():
            for funding in row.get("fundings", []):
                Funding.objects.create(
                    initiative=initiative,
                    source=_term("funding-source", funding["source"]),
                    amount=funding.get("amount"),
                )
        for role in row.get("roles", []):
            InitiativeRole.objects.get_or_create(
                organisation=orgs[role["org"]],
                initiative=initiative,
                role=_term("initiative-role", role["role"]),
                defaults={"source_name": source, "licence": licence},
            )
        by_ref[row["ref"]] = initiative
    for row in doc.get("initiatives", []):
        parent = by_ref.get(row.get("replicated_from") or "")
        initiative = by_ref[row["ref"]]
        if parent is not None and initiative.replicated_from_id != parent.pk:
            initiative.replicated_from = parent
            initiative.save()
    report.notes.append(f"{len(by_ref)} demo initiatives")
    return report
