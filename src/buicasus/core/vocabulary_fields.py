"""Which record fields take which controlled vocabulary: declared here, once.

Every foreign key or many-to-many field onto `registry.Term` is listed in `FIELDS` with the
vocabulary its terms come from, whether it holds one code or several, and the query parameter by
which lists, exports and search filter on it. The import validator, the export filters and
converters, the search facets, the list filter forms, the matching and the demo data all read
this one declaration instead of restating it.

Why a pure declaration in `core` rather than reading the models' `limit_choices_to`: the open
standard converters (`hsds`, `popolo`, `schema_org` …) live in `core`, which must not import
Django, and they need the map too; passing it down from the models to every converter call
would thread one more argument through each of them for a fact that never changes at run time.
The models still say `limit_choices_to=in_vocabulary(...)` (Django needs it for forms and the
admin); `tests/registry/test_vocabulary_fields.py` proves the two agree, that every field onto
`Term` is declared here and that each vocabulary exists once reference data is loaded, and
`tests/core/test_vocabulary_fields.py` fails when a module writes a (field, vocabulary) pair
by hand again. A new app's field onto `Term` is one more line in `FIELDS`.
"""

from __future__ import annotations

from dataclasses import dataclass

# Model labels (`app_label.ModelName`) of the records whose fields are declared here.
ORGANISATION = "registry.Organisation"
IDENTIFIER = "registry.OrganisationIdentifier"
INITIATIVE = "registry.Initiative"
FUNDING = "registry.Funding"
ROLE = "registry.InitiativeRole"
TIE = "registry.OrganisationTie"
NEED = "matching.Need"
PILOT = "pilots.Pilot"


@dataclass(frozen=True)
class VocabularyField:
    """A record field whose values are terms of one vocabulary.

    `name` is the model field, which is also the canonical record's field
    (docs/import-format.md); `many` says it holds a list of codes rather than one code or none;
    `param` is the filter's query parameter (`policy_field=employment`), "" when nothing filters
    on the field.
    """

    model: str
    name: str
    vocabulary: str
    many: bool = False
    param: str = ""


FIELDS: tuple[VocabularyField, ...] = (
    VocabularyField(ORGANISATION, "actor_type", "actor-type", param="actor_type"),
    VocabularyField(IDENTIFIER, "scheme", "identifier-scheme"),
    VocabularyField(INITIATIVE, "stage", "si-stage", param="stage"),
    VocabularyField(INITIATIVE, "evidence_level", "evidence-level", param="evidence_level"),
    VocabularyField(INITIATIVE, "policy_fields", "policy-field", True, "policy_field"),
    VocabularyField(INITIATIVE, "esf_objectives", "esf-objective", True, "esf_objective"),
    VocabularyField(INITIATIVE, "sdgs", "sdg", True, "sdg"),
    VocabularyField(INITIATIVE, "target_groups", "target-group", True, "target_group"),
    VocabularyField(INITIATIVE, "methods", "method", True, "method"),
    VocabularyField(INITIATIVE, "scaling_strategy", "scaling-strategy"),
    VocabularyField(INITIATIVE, "scaling_directions", "scaling-direction", True),
    VocabularyField(FUNDING, "source", "funding-source", param="fund"),
    VocabularyField(ROLE, "role", "initiative-role"),
    VocabularyField(TIE, "tie_type", "tie-type"),
    VocabularyField(NEED, "policy_fields", "policy-field", True),
    VocabularyField(NEED, "esf_objectives", "esf-objective", True),
    VocabularyField(NEED, "sdgs", "sdg", True),
    VocabularyField(NEED, "target_groups", "target-group", True),
    VocabularyField(PILOT, "scaling_strategy", "scaling-strategy"),
)


def fields_of(model: str) -> tuple[VocabularyField, ...]:
    """The vocabulary fields of one model, in declaration order."""
    return tuple(f for f in FIELDS if f.model == model)


def declared(model: str, name: str) -> VocabularyField:
    """The declaration of `model.name`; KeyError when that field takes no vocabulary."""
    for found in FIELDS:
        if found.model == model and found.name == name:
            return found
    raise KeyError(f"{model}.{name} takes no vocabulary")


def vocabulary_of(model: str, name: str) -> str:
    """The vocabulary key of `model.name`, e.g. `vocabulary_of(INITIATIVE, "sdgs") == "sdg"`."""
    return declared(model, name).vocabulary


def vocabularies(model: str) -> dict[str, str]:
    """Field name → vocabulary key for one model."""
    return {f.name: f.vocabulary for f in fields_of(model)}


def filters(*models: str) -> dict[str, VocabularyField]:
    """Filter parameter → field, for the fields of `models` that can be filtered on."""
    return {f.param: f for model in models for f in fields_of(model) if f.param}
