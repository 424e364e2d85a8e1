"""A registry worth exporting: the demo data plus identifiers, fundings, roles, ties,
translations, hidden records and text that formats must escape.

It is built once for the package (`tests.shared.shared_rows`) and rolled back after its last
test, so every database test of this package sees it, whether it asks for `registry` or not:
a test about an empty selection filters down to nothing (`q="nothing matches this"`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from buicasus.reference.models import NutsRegion
from buicasus.registry.demo import load_demo
from buicasus.registry.models import (
    Funding,
    Initiative,
    InitiativeRole,
    Organisation,
    OrganisationIdentifier,
    OrganisationTie,
    ReviewStatus,
)
from tests.registry.factories import initiative, organisation, term
from tests.shared import shared_rows

# Quotes, separators, a line break, markup, a formula, a control character, non-Latin text.
AWKWARD = 'Ōrg "quoted", <b>&amp;</b>; semi\nline =SUM(A1) \x01 Ā ß 漢'


@pytest.fixture(scope="package")
def _registry_rows(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """Built once for the package's tests (the demo load is the slow part), rolled back after."""
    yield from shared_rows(django_db_blocker, _build_registry)


@pytest.fixture
def registry(_registry_rows: dict[str, Any], db: None) -> dict[str, Any]:
    """Demo data and extras; the records the tests look at, read afresh for each test."""
    return {
        name: type(record).objects.get(pk=record.pk) if record is not None else None
        for name, record in _registry_rows.items()
    }


def _build_registry() -> dict[str, Any]:
    load_demo()
    awkward = organisation(
        "FR",
        name=AWKWARD,
        other_names=["Alias; one", 'Alias "two"'],
        legal_form="Association loi 1901",
        city="Lyon",
        region=NutsRegion.objects.filter(code="FRK26").first(),
        latitude=45.76,
        longitude=4.84,
        website="https://example.org/awkward?a=1&b=2",
        description="Texte « français » avec des retours\nà la ligne.",
        description_language="fr",
        translations={"en": {"description": "English <text> & more"}},
        founding_year=1999,
        size_band="small",
        source_name="Test source",
        source_record_id="T-1",
        licence="CC BY 4.0",
    )
    OrganisationIdentifier.objects.create(
        organisation=awkward, scheme=term("identifier-scheme", "fr-siren"), value="552100554"
    )
    OrganisationIdentifier.objects.create(
        organisation=awkward, scheme=term("identifier-scheme", "eu-vat"), value="FR40552100554"
    )
    project = initiative(
        "FR",
        title="Projet <spécial> & « test »",
        description="Une initiative.",
        description_language="fr",
        translations={"en": {"title": "Special project", "description": "An initiative."}},
        start_date=dt.date(2016, 1, 1),
        end_date=dt.date(2018, 12, 31),
        website="https://example.org/projet",
        outcome_evidence="Évaluation 2019.",
        stage=term("si-stage", "implementation"),
        evidence_level=term("evidence-level", "promising-practice"),
        scaling_strategy=term("scaling-strategy", "duplication"),
        source_name="Test source",
        source_record_id="P-1",
        licence="CC BY 4.0",
    )
    project.policy_fields.set([term("policy-field", "employment")])
    project.sdgs.set([term("sdg", "8"), term("sdg", "10")])
    project.esf_objectives.set([term("esf-objective", "a")])
    project.regions.set(NutsRegion.objects.filter(code__in=["FRK26", "FRK2"]))
    Funding.objects.create(
        initiative=project, source=term("funding-source", "erdf"), amount=Decimal("1250000.50")
    )
    Funding.objects.create(initiative=project, source=term("funding-source", "national"))
    InitiativeRole.objects.create(
        organisation=awkward,
        initiative=project,
        role=term("initiative-role", "lead"),
        start_date=dt.date(2016, 1, 1),
    )
    partner = (
        Organisation.objects.filter(country__code="FR", published=True)
        .exclude(pk=awkward.pk)
        .order_by("pk")
        .first()
    )
    InitiativeRole.objects.create(
        organisation=partner, initiative=project, role=term("initiative-role", "partner")
    )
    OrganisationTie.objects.create(
        source=awkward,
        target=partner,
        tie_type=term("tie-type", "subsidiary-of"),
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2021, 6, 30),
    )
    hidden = organisation("LV", name="Hidden draft organisation", published=False)
    proposed = initiative(
        "LV", title="Proposed initiative", published=True, review_status=ReviewStatus.PROPOSED
    )
    InitiativeRole.objects.create(
        organisation=hidden, initiative=proposed, role=term("initiative-role", "lead")
    )
    OrganisationTie.objects.create(
        source=hidden, target=partner, tie_type=term("tie-type", "partners-with")
    )
    copy = Initiative.objects.filter(replicated_from__isnull=False).first()
    return {
        "awkward": awkward,
        "project": project,
        "partner": partner,
        "hidden": hidden,
        "proposed": proposed,
        "copy": copy,
    }
