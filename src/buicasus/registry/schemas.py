"""API schemas for the registry, kept apart from the models so the wire format can stay stable
while the tables change.

Choices travel by code (country `LV`, actor type `social-enterprise`, SDG `8`), never by database
id, so a payload written by hand or exported from another instance means the same everywhere.
Records and relationships are the only things addressed by id.

`*In` schemas describe what a client sends; they only check shapes and types. The rules (known
codes, end after start, unique identifiers …) belong to the Django forms shared with the pages.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import BaseModel, Field

# --- shared pieces -------------------------------------------------------------------------


class Translation(BaseModel):
    """One language's version of the translatable text of a record."""

    title: str | None = None
    description: str | None = None


class Identifier(BaseModel):
    """A national identifier, e.g. {"scheme": "fr-siren", "value": "552100554"}."""

    scheme: str
    value: str


class FundingIn(BaseModel):
    """A funding source by code, with an optional amount and its ISO 4217 currency."""

    source: str
    amount: Decimal | None = None
    currency: str = "EUR"


class FundingOut(Schema):
    source: str
    amount: Decimal | None = None
    currency: str

    @staticmethod
    def resolve_source(obj: Any) -> str:
        return str(obj.source.code)


class IdentifierOut(Schema):
    scheme: str
    value: str

    @staticmethod
    def resolve_scheme(obj: Any) -> str:
        return str(obj.scheme.code)


def _code(term: Any) -> str | None:
    return None if term is None else str(term.code)


def _codes(manager: Any) -> list[str]:
    return [str(t.code) for t in manager.all()]


def _username(user: Any) -> str | None:
    return None if user is None else str(user.get_username())


class ProvenanceOut(Schema):
    """Where a record came from and who last changed it."""

    source_name: str
    source_record_id: str
    licence: str
    imported_at: dt.datetime | None = None
    created_at: dt.datetime
    updated_at: dt.datetime
    updated_by: str | None = None

    @staticmethod
    def resolve_updated_by(obj: Any) -> str | None:
        return _username(obj.updated_by)


class PublishableOut(ProvenanceOut):
    published: bool
    review_status: str
    review_note: str


# --- organisations ------------------------------------------------------------------------


class OrganisationIn(BaseModel):
    """An organisation as a client sends it (POST and PUT; PATCH sends any subset)."""

    name: str
    actor_type: str = Field(description="Code in the `actor-type` vocabulary.")
    country: str = Field(description="ISO 3166-1 alpha-2 code, e.g. LV.")
    other_names: list[str] = []
    legal_form: str | None = None
    region: str | None = Field(None, description="NUTS code, in the same country.")
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    website: str | None = None
    description: str | None = None
    description_language: str | None = None
    founding_year: int | None = None
    size_band: str | None = Field(None, description="micro, small, medium or large.")
    published: bool = False
    identifiers: list[Identifier] = []
    translations: dict[str, Translation] = Field(
        default_factory=dict, description='By language code: {"fr": {"description": "…"}}.'
    )


class OrganisationOut(PublishableOut):
    id: int
    name: str
    other_names: list[str]
    actor_type: str
    legal_form: str
    country: str
    region: str | None = None
    city: str
    latitude: float | None = None
    longitude: float | None = None
    website: str
    description: str
    description_language: str
    founding_year: int | None = None
    size_band: str
    identifiers: list[IdentifierOut]
    translations: dict[str, dict[str, str]]

    @staticmethod
    def resolve_actor_type(obj: Any) -> str:
        return str(obj.actor_type.code)

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.country.code)

    @staticmethod
    def resolve_region(obj: Any) -> str | None:
        return _code(obj.region)


class OrganisationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[OrganisationOut]


class OrganisationFilters(Schema):
    q: str | None = Field(None, description="Words in the name, city or description.")
    country: str | None = None
    region: str | None = Field(None, description="NUTS code; the region and its sub-regions.")
    actor_type: str | None = None
    published: bool | None = None
    review_status: Literal["approved", "proposed", "rejected"] | None = None


# --- initiatives --------------------------------------------------------------------------


class InitiativeIn(BaseModel):
    """An initiative as a client sends it (POST and PUT; PATCH sends any subset)."""

    title: str
    country: str = Field(description="ISO 3166-1 alpha-2 code, e.g. ES.")
    description: str | None = None
    description_language: str | None = None
    regions: list[str] = Field(default_factory=list, description="NUTS codes.")
    stage: str | None = Field(None, description="Code in the `si-stage` vocabulary.")
    evidence_level: str | None = None
    policy_fields: list[str] = []
    esf_objectives: list[str] = []
    sdgs: list[str] = Field(default_factory=list, description='Goal numbers as text: ["8"].')
    target_groups: list[str] = []
    methods: list[str] = []
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    website: str | None = None
    outcome_evidence: str | None = None
    replicated_from: int | None = Field(None, description="Id of the original initiative.")
    scaling_strategy: str | None = None
    scaling_directions: list[str] = []
    published: bool = False
    fundings: list[FundingIn] = []
    translations: dict[str, Translation] = Field(
        default_factory=dict, description='By language code: {"en": {"title": "…"}}.'
    )


class InitiativeOut(PublishableOut):
    id: int
    title: str
    description: str
    description_language: str
    country: str
    regions: list[str]
    stage: str | None = None
    evidence_level: str | None = None
    policy_fields: list[str]
    esf_objectives: list[str]
    sdgs: list[str]
    target_groups: list[str]
    methods: list[str]
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    website: str
    outcome_evidence: str
    replicated_from: int | None = None
    scaling_strategy: str | None = None
    scaling_directions: list[str]
    fundings: list[FundingOut]
    translations: dict[str, dict[str, str]]

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.country.code)

    @staticmethod
    def resolve_regions(obj: Any) -> list[str]:
        return _codes(obj.regions)

    @staticmethod
    def resolve_stage(obj: Any) -> str | None:
        return _code(obj.stage)

    @staticmethod
    def resolve_evidence_level(obj: Any) -> str | None:
        return _code(obj.evidence_level)

    @staticmethod
    def resolve_policy_fields(obj: Any) -> list[str]:
        return _codes(obj.policy_fields)

    @staticmethod
    def resolve_esf_objectives(obj: Any) -> list[str]:
        return _codes(obj.esf_objectives)

    @staticmethod
    def resolve_sdgs(obj: Any) -> list[str]:
        return _codes(obj.sdgs)

    @staticmethod
    def resolve_target_groups(obj: Any) -> list[str]:
        return _codes(obj.target_groups)

    @staticmethod
    def resolve_methods(obj: Any) -> list[str]:
        return _codes(obj.methods)

    @staticmethod
    def resolve_replicated_from(obj: Any) -> int | None:
        return obj.replicated_from_id

    @staticmethod
    def resolve_scaling_strategy(obj: Any) -> str | None:
        return _code(obj.scaling_strategy)

    @staticmethod
    def resolve_scaling_directions(obj: Any) -> list[str]:
        return _codes(obj.scaling_directions)


class InitiativePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[InitiativeOut]


class InitiativeFilters(Schema):
    q: str | None = Field(None, description="Words in the title or description.")
    country: str | None = None
    region: str | None = Field(None, description="NUTS code; the region and its sub-regions.")
    stage: str | None = None
    evidence_level: str | None = None
    policy_field: str | None = None
    esf_objective: str | None = None
    sdg: str | None = None
    target_group: str | None = None
    method: str | None = None
    published: bool | None = None
    review_status: Literal["approved", "proposed", "rejected"] | None = None


# --- relationships ------------------------------------------------------------------------


class RoleIn(BaseModel):
    """An organisation's role in an initiative; both addressed by id, the role by code."""

    organisation: int
    initiative: int
    role: str = Field(description="Code in the `initiative-role` vocabulary.")
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    source_name: str | None = None


class RoleOut(ProvenanceOut):
    id: int
    organisation: int
    organisation_name: str
    initiative: int
    initiative_title: str
    role: str
    start_date: dt.date | None = None
    end_date: dt.date | None = None

    @staticmethod
    def resolve_organisation(obj: Any) -> int:
        return int(obj.organisation_id)

    @staticmethod
    def resolve_organisation_name(obj: Any) -> str:
        return str(obj.organisation.name)

    @staticmethod
    def resolve_initiative(obj: Any) -> int:
        return int(obj.initiative_id)

    @staticmethod
    def resolve_initiative_title(obj: Any) -> str:
        return str(obj.initiative.title)

    @staticmethod
    def resolve_role(obj: Any) -> str:
        return str(obj.role.code)


class RolePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[RoleOut]


class TieIn(BaseModel):
    """A directed tie from one organisation to another, the tie type by code."""

    source: int
    target: int
    tie_type: str = Field(description="Code in the `tie-type` vocabulary.")
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    source_name: str | None = None


class TieOut(ProvenanceOut):
    id: int
    source: int
    source_organisation_name: str
    target: int
    target_organisation_name: str
    tie_type: str
    start_date: dt.date | None = None
    end_date: dt.date | None = None

    @staticmethod
    def resolve_source(obj: Any) -> int:
        return int(obj.source_id)

    @staticmethod
    def resolve_source_organisation_name(obj: Any) -> str:
        return str(obj.source.name)

    @staticmethod
    def resolve_target(obj: Any) -> int:
        return int(obj.target_id)

    @staticmethod
    def resolve_target_organisation_name(obj: Any) -> str:
        return str(obj.target.name)

    @staticmethod
    def resolve_tie_type(obj: Any) -> str:
        return str(obj.tie_type.code)


class TiePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[TieOut]


# --- reference data -----------------------------------------------------------------------


class TermOut(Schema):
    code: str
    labels: dict[str, str]
    definitions: dict[str, str]


class VocabularyOut(Schema):
    key: str
    names: dict[str, str]
    source: str
    version: str
    term_count: int

    @staticmethod
    def resolve_names(obj: Any) -> dict[str, str]:
        return dict(obj.labels)

    @staticmethod
    def resolve_term_count(obj: Any) -> int:
        return len(obj.terms.all())


class VocabularyDetailOut(VocabularyOut):
    terms: list[TermOut]


class CountryOut(Schema):
    code: str
    names: dict[str, str]
    official_languages: list[str]
    population: int | None = None
    population_year: int | None = None


class ReviewIn(Schema):
    """An editor's decision on a record, usually a contributor's proposal."""

    approve: bool
    publish: bool = False
    note: str = ""
