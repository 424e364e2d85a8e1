"""The ecosystem data model: constraints, vocabularies, reference data."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from buicasus.reference.models import Country
from buicasus.registry.models import (
    Initiative,
    InitiativeRole,
    Organisation,
    OrganisationIdentifier,
    OrganisationTie,
    Term,
    Vocabulary,
)
from tests.registry.factories import initiative, organisation, term

pytestmark = pytest.mark.django_db

VOCABULARIES = {
    "actor-type": 13,
    "si-stage": 5,
    "evidence-level": 4,
    "policy-field": 7,
    "esf-objective": 13,
    "sdg": 17,
    "scaling-strategy": 5,
    "scaling-direction": 3,
    "initiative-role": 5,
    "tie-type": 6,
}


def test_vocabularies_are_loaded_with_source_and_five_languages() -> None:
    for key, count in VOCABULARIES.items():
        vocab = Vocabulary.objects.get(key=key)
        assert vocab.source and vocab.version
        assert vocab.terms.count() == count, key
    for t in Term.objects.all():
        assert all(t.labels.get(lang) for lang in ("en", "fr", "es", "sv", "lv")), t.code
    assert [t.code for t in Vocabulary.objects.get(key="esf-objective").terms.all()] == list(
        "abcdefghijklm"
    )


def test_labels_follow_the_reader_language() -> None:
    stage = term("si-stage", "testing")
    assert stage.label("en") != stage.label("lv")
    assert Country.objects.get(code="SE").name("fr") == "Suède"


def test_four_countries_and_the_consortium() -> None:
    assert set(Country.objects.values_list("code", flat=True)) >= {"ES", "FR", "LV", "SE"}
    consortium = Organisation.objects.get(name="BuiCaSuS consortium")
    members = OrganisationTie.objects.filter(target=consortium, tie_type__code="member-of")
    assert members.count() == 7
    countries = sorted(members.values_list("source__country__code", flat=True))
    assert countries == ["ES", "ES", "FR", "LV", "SE", "SE", "SE"]


def test_identifier_is_unique_per_scheme() -> None:
    scheme = term("identifier-scheme", "fr-siren")
    a, b = organisation("FR", name="A"), organisation("FR", name="B")
    OrganisationIdentifier.objects.create(organisation=a, scheme=scheme, value="123456789")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationIdentifier.objects.create(organisation=b, scheme=scheme, value="123456789")


def test_database_refuses_end_before_start() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        initiative(start_date=dt.date(2022, 1, 1), end_date=dt.date(2021, 1, 1))


def test_tie_to_itself_is_refused() -> None:
    org = organisation()
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationTie.objects.create(source=org, target=org, tie_type=term("tie-type", "funds"))


def test_lineage_across_countries() -> None:
    original = initiative("FR", title="Original")
    copy = initiative("LV", title="Kopija", replicated_from=original)
    copy.scaling_directions.add(term("scaling-direction", "out"))
    copy.scaling_strategy = term("scaling-strategy", "knowledge-transfer")
    copy.save()
    assert list(original.replications.all()) == [copy]


def test_roles_link_organisations_and_initiatives() -> None:
    org, init = organisation("ES"), initiative("ES")
    InitiativeRole.objects.create(
        organisation=org, initiative=init, role=term("initiative-role", "lead")
    )
    assert list(Initiative.objects.filter(roles__organisation=org)) == [init]


def test_every_country_code_is_two_capital_letters() -> None:
    import re

    codes = list(Country.objects.values_list("code", flat=True))
    assert "NO" in codes  # Norway, which YAML 1.1 would read as false
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in codes)
