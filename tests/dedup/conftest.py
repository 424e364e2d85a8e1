"""A registry where one French organisation came in from two sources, with its relationships."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from buicasus.dedup.rows import row
from buicasus.importer.models import SourceRecord
from buicasus.registry.models import (
    AuditEntry,
    InitiativeRole,
    Organisation,
    OrganisationIdentifier,
    OrganisationTie,
)
from tests.registry.factories import initiative, organisation, term

TABLES = (Organisation, OrganisationIdentifier, InitiativeRole, OrganisationTie, SourceRecord)


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of the tables a merge touches, column by column."""
    return {
        m._meta.label: sorted((row(o) for o in m.objects.all()), key=lambda r: r["id"])
        for m in TABLES
    }


def audit() -> list[dict[str, Any]]:
    fields = ("pk", "model", "object_id", "object_repr", "action", "changes", "user_id", "at")
    return list(AuditEntry.objects.order_by("pk").values(*fields))


def source_record(source: str, kind: str, source_id: str, **link: Any) -> SourceRecord:
    return SourceRecord.objects.create(
        source_name=source,
        kind=kind,
        source_id=source_id,
        content_hash="0" * 64,
        imported_at=timezone.now() - dt.timedelta(days=3),
        **link,
    )


@dataclass
class TwoSources:
    """`a` from the ESS France list (SIREN), `b` from DSI4EU (VAT number): the same body."""

    a: Organisation
    b: Organisation
    x: Organisation
    y: Organisation


def identifier(org: Organisation, scheme: str, value: str) -> OrganisationIdentifier:
    return OrganisationIdentifier.objects.create(
        organisation=org, scheme=term("identifier-scheme", scheme), value=value
    )


@pytest.fixture
def two_sources(db: None) -> TwoSources:
    a = organisation(
        "FR",
        name="Association Tiers Lieu Numérique",
        city="Lyon",
        source_name="ess-france-numerique",
        source_record_id="552100554",
    )
    b = organisation(
        "FR",
        name="Tiers Lieu Numérique",
        other_names=["TLN"],
        city="Lyon",
        website="https://tln.example.fr",
        description="Un tiers-lieu numérique.",
        description_language="fr",
        founding_year=2012,
        source_name="dsi4eu-2017",
        source_record_id="987",
    )
    x = organisation("FR", name="Réseau des tiers-lieux")
    y = organisation("FR", name="Ville de Lyon")
    identifier(a, "fr-siren", "552100554")
    identifier(b, "eu-vat", "FR40552100554")
    identifier(b, "fr-rna", "W691234567")
    source_record("ess-france-numerique", "organisation", "552100554", organisation=a)
    source_record("dsi4eu-2017", "organisation", "987", organisation=b)
    first, second = initiative("FR", title="Fab lab"), initiative("FR", title="Repair café")
    lead, partner = term("initiative-role", "lead"), term("initiative-role", "partner")
    InitiativeRole.objects.create(organisation=a, initiative=first, role=lead)
    twin = InitiativeRole.objects.create(organisation=b, initiative=first, role=lead)
    InitiativeRole.objects.create(organisation=b, initiative=first, role=partner)
    InitiativeRole.objects.create(organisation=b, initiative=second, role=lead)
    source_record("dsi4eu-2017", "role", "987/lead/fab", initiative_role=twin)
    member, funds = term("tie-type", "member-of"), term("tie-type", "funds")
    partners = term("tie-type", "partners-with")
    OrganisationTie.objects.create(source=a, target=x, tie_type=member)
    OrganisationTie.objects.create(source=b, target=x, tie_type=member)  # duplicate once merged
    OrganisationTie.objects.create(source=y, target=b, tie_type=funds)
    own = OrganisationTie.objects.create(source=a, target=b, tie_type=partners)  # self once merged
    source_record("dsi4eu-2017", "tie", "a/partners/b", organisation_tie=own)
    return TwoSources(a, b, x, y)
