"""The record forms shared by pages and API: codes in, field-named errors out."""

import datetime as dt

import pytest

from buicasus.registry.forms import InitiativeForm, OrganisationForm
from buicasus.registry.models import OrganisationIdentifier
from tests.registry.factories import initiative, organisation, term

pytestmark = pytest.mark.django_db

ORG = {"name": "Biedrība Demo", "actor_type": "association-ngo", "country": "LV"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"actor_type": "alien"}, "actor_type"),
        ({"website": "not a url"}, "website"),
        ({"region": "ES300"}, "region"),
        ({"identifiers": "nope: 1"}, "identifiers"),
        ({"latitude": "56.9"}, "longitude"),
    ],
)
def test_organisation_errors_name_the_field(change: dict, field: str) -> None:
    form = OrganisationForm({**ORG, **change})
    assert not form.is_valid()
    assert field in form.errors


def test_duplicate_identifier_names_its_owner() -> None:
    owner = organisation("FR", name="Owner")
    scheme = term("identifier-scheme", "fr-siren")
    OrganisationIdentifier.objects.create(organisation=owner, scheme=scheme, value="552100554")
    form = OrganisationForm({**ORG, "country": "FR", "identifiers": "fr-siren: 552100554"})
    assert not form.is_valid()
    assert "Owner" in form.errors["identifiers"][0]


def test_identifiers_accept_lines_and_objects() -> None:
    form = OrganisationForm(
        {**ORG, "identifiers": ["lv-reg: 40008000001", {"scheme": "eu-vat", "value": "LV1"}]}
    )
    assert form.is_valid(), form.errors
    assert [(t.code, v) for t, v in form.cleaned_data["identifiers"]] == [
        ("lv-reg", "40008000001"),
        ("eu-vat", "LV1"),
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start_date": "2023-05-01", "end_date": "2022-01-01"}, "end_date"),
        ({"stage": "dream"}, "stage"),
        ({"sdgs": ["18"]}, "sdgs"),
        ({"fundings": "lottery: 5"}, "fundings"),
        ({"fundings": "esf: -3"}, "fundings"),
        ({"fundings": "esf: lots"}, "fundings"),
    ],
)
def test_initiative_errors_name_the_field(change: dict, field: str) -> None:
    form = InitiativeForm({"title": "Iniciativa", "country": "ES", **change})
    assert not form.is_valid()
    assert field in form.errors


def test_edit_form_shows_current_choices_by_code() -> None:
    record = initiative("ES", stage=term("si-stage", "testing"))
    html = str(InitiativeForm(instance=record)["stage"])
    assert 'value="testing" selected' in html
    assert 'value="ES" selected' in str(InitiativeForm(instance=record)["country"])


def test_translations_edited_and_kept() -> None:
    record = initiative(
        "ES",
        translations={"en": {"title": "Old"}, "de": {"title": "Alt"}},
        start_date=dt.date(2020, 1, 1),
    )
    form = InitiativeForm(
        {"title": record.title, "country": "ES", "tr_en_title": "New", "tr_fr_title": "Nouveau"},
        instance=record,
    )
    assert form.is_valid(), form.errors
    form.apply_translations(record)
    assert record.translations == {
        "de": {"title": "Alt"},
        "en": {"title": "New"},
        "fr": {"title": "Nouveau"},
    }


def test_funding_currency_is_kept_and_shown() -> None:
    from buicasus.registry.models import Funding

    record = initiative("SE")
    form = InitiativeForm(
        {"title": record.title, "country": "SE", "fundings": "erdf: 50000 SEK\nesf: 10"},
        instance=record,
    )
    assert form.is_valid(), form.errors
    form.save_related(record)
    assert sorted(Funding.objects.filter(initiative=record).values_list("currency", flat=True)) == [
        "EUR",
        "SEK",
    ]
    assert "erdf: 50000.00 SEK" in InitiativeForm(instance=record).initial["fundings"]


def test_funding_currency_must_be_a_code() -> None:
    form = InitiativeForm(
        {"title": "X", "country": "SE", "fundings": [{"source": "esf", "currency": "kronor"}]}
    )
    assert not form.is_valid() and "fundings" in form.errors
