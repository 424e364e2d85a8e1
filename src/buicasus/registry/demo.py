"""Loads the fictional demo records, kept apart from real data by their source name."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from buicasus.core import vocabulary_fields as vf
from buicasus.reference.models import Country
from buicasus.registry.models import Funding, Initiative, InitiativeRole, Organisation, Term
from buicasus.registry.reference import FIXTURES, LoadReport, _read, _term, load_organisations

DEMO_FILE = FIXTURES / "demo" / "demo.yaml"
TERM_FIELDS = vf.fields_of(vf.INITIATIVE)


def _terms(key: str, codes: list[Any]) -> list[Term]:
    return [_term(key, str(code)) for code in codes]


def _single(field: vf.VocabularyField, row: dict[str, Any]) -> Term | None:
    """The term a demo row names for a single-valued field, or None when it names none."""
    code = row.get(field.name)
    return _term(field.vocabulary, str(code)) if code else None


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
                "start_date": row.get("start_date"),
                "end_date": row.get("end_date"),
                "website": row.get("website", ""),
                "outcome_evidence": row.get("outcome_evidence", ""),
                "published": bool(row.get("published", True)),
                "licence": licence,
                **{f.name: _single(f, row) for f in TERM_FIELDS if not f.many},
            },
        )
        for f in TERM_FIELDS:
            if f.many:
                getattr(initiative, f.name).set(_terms(f.vocabulary, row.get(f.name, [])))
        if not initiative.fundings.exists():
            for funding in row.get("fundings", []):
                Funding.objects.create(
                    initiative=initiative,
                    source=_term(vf.vocabulary_of(vf.FUNDING, "source"), funding["source"]),
                    amount=funding.get("amount"),
                )
        for role in row.get("roles", []):
            InitiativeRole.objects.get_or_create(
                organisation=orgs[role["org"]],
                initiative=initiative,
                role=_term(vf.vocabulary_of(vf.ROLE, "role"), role["role"]),
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
