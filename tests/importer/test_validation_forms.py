"""The importer's fast validator agrees with the registry forms on bad input.

Each case sends the same values to the page's form (`OrganisationForm`, `InitiativeForm`) and to
the importer's `Validator`: both must refuse them, on the same field, with the same message.
"""

from __future__ import annotations

from typing import Any

import pytest

from buicasus.importer.validation import Lookups, Validator
from buicasus.registry.forms import InitiativeForm, OrganisationForm
from tests.importer.builders import initiative, org
from tests.registry.factories import organisation

pytestmark = pytest.mark.django_db

ORGANISATION_CASES = {
    "unknown country": {"country": "XX"},
    "unknown actor type": {"actor_type": "robot"},
    "missing name": {"name": ""},
    "missing actor type": {"actor_type": ""},
    "missing country": {"country": ""},
    "name too long": {"name": "n" * 301},
    "unknown region": {"region": "ZZ999"},
    "region of another country": {"region": "SE224"},
    "invalid website": {"website": "not a url"},
    "website with spaces": {"website": "http://exa mple.org"},
    "latitude out of range": {"latitude": 91.5, "longitude": 2.0},
    "latitude not a number": {"latitude": "north", "longitude": 2.0},
    "latitude without longitude": {"latitude": 48.85},
    "founding year too early": {"founding_year": 999},
    "founding year not a number": {"founding_year": "soon"},
    "size band unknown": {"size_band": "huge"},
    "description language too long": {"description_language": "x" * 13},
    "null character": {"city": "Pa\x00ris"},
}

INITIATIVE_CASES = {
    "unknown country": {"country": "XX"},
    "missing title": {"title": ""},
    "end before start": {"start_date": "2018-01-01", "end_date": "2017-12-31"},
    "malformed date": {"start_date": "2018-13-01"},
    "unknown region": {"regions": ["ZZ999"]},
    "unknown stage": {"stage": "dreaming"},
    "unknown evidence level": {"evidence_level": "anecdote"},
    "unknown policy field": {"policy_fields": ["gardening"]},
    "unknown sdg": {"sdgs": ["18"]},
    "unknown esf objective": {"esf_objectives": ["z"]},
    "unknown target group": {"target_groups": ["aliens"]},
    "unknown method": {"methods": ["magic"]},
    "unknown scaling strategy": {"scaling_strategy": "teleport"},
    "invalid website": {"website": "http://"},
}


def _form_errors(form_class: Any, data: dict[str, Any]) -> dict[str, list[str]]:
    form = form_class(data=data)
    assert not form.is_valid()
    return {name: list(errors) for name, errors in form.errors.items()}


def _form_data(values: dict[str, Any]) -> dict[str, Any]:
    return {k: ("" if v is None else v) for k, v in values.items()}


def _importer_errors(validate: Any, record: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, message in validate(record, new=True).errors:
        found.setdefault(name, []).append(message)
    return found


@pytest.mark.parametrize("case", list(ORGANISATION_CASES))
def test_organisation_rules_agree(case: str) -> None:
    record = org("x", **ORGANISATION_CASES[case])
    form = _form_errors(OrganisationForm, _form_data(record["fields"]))
    ours = _importer_errors(Validator(Lookups.load()).organisation, record)
    assert ours == form


@pytest.mark.parametrize("case", list(INITIATIVE_CASES))
def test_initiative_rules_agree(case: str) -> None:
    record = initiative("x", **INITIATIVE_CASES[case])
    form = _form_errors(InitiativeForm, _form_data(record["fields"]))
    ours = _importer_errors(Validator(Lookups.load()).initiative, record)
    assert ours == form


def test_duplicate_identifier_agrees_with_the_form() -> None:
    from buicasus.importer.services import import_records

    owner = organisation("FR", name="Owner")
    owner.identifiers.create(
        scheme_id=Lookups.load().terms["identifier-scheme"]["fr-siren"][0], value="552100554"
    )
    form = _form_errors(
        OrganisationForm,
        {
            "name": "Other",
            "actor_type": "association-ngo",
            "country": "FR",
            "identifiers": "fr-siren: 552100554",
        },
    )
    report = import_records(
        [org("x", 2, name="Other", identifiers=[{"scheme": "fr-siren", "value": "552100554"}])],
        source="src",
        dry_run=True,
    )
    assert [(f, m) for _row, f, m in report.invalid_rows] == [
        ("identifiers", form["identifiers"][0])
    ]


def test_unknown_identifier_scheme_and_funding_source_agree() -> None:
    form = _form_errors(
        OrganisationForm,
        {"name": "A", "actor_type": "cooperative", "country": "FR", "identifiers": "xx: 1"},
    )
    ours = _importer_errors(
        Validator(Lookups.load()).organisation,
        org("x", identifiers=[{"scheme": "xx", "value": "1"}]),
    )
    assert ours == form
    form = _form_errors(InitiativeForm, {"title": "T", "country": "ES", "fundings": "gold: 5"})
    ours = _importer_errors(
        Validator(Lookups.load()).initiative,
        initiative("x", country="ES", fundings=[{"source": "gold", "amount": "5"}]),
    )
    assert ours == form
    form = _form_errors(InitiativeForm, {"title": "T", "country": "ES", "fundings": "esf: -5"})
    ours = _importer_errors(
        Validator(Lookups.load()).initiative,
        initiative("x", country="ES", fundings=[{"source": "esf", "amount": "-5"}]),
    )
    assert ours == form


def test_valid_values_are_accepted_as_the_form_accepts_them() -> None:
    values = {
        "name": "  Spaces around  ",
        "website": "www.example.org",
        "latitude": 48.85,
        "longitude": 2.35,
        "founding_year": 2004,
        "size_band": "small",
        "region": "FR101",
    }
    record = org("x", **values)
    form = OrganisationForm(data=_form_data(record["fields"]))
    assert form.is_valid(), form.errors
    cleaned = Validator(Lookups.load()).organisation(record, new=True)
    assert cleaned.errors == []
    assert cleaned.values["name"] == form.cleaned_data["name"] == "Spaces around"
    assert cleaned.values["website"] == form.cleaned_data["website"] == "https://www.example.org"
    dated = Validator(Lookups.load()).initiative(initiative("y", start_date="10/25/2016"), new=True)
    assert dated.errors == [] and str(dated.values["start_date"]) == "2016-10-25"
