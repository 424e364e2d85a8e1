"""API schemas of the matching app, kept apart from the models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from buicasus.matching.models import NEED_TEXT_MAX


class NeedIn(Schema):
    title: str = Field(..., max_length=300)
    text: str = Field(..., description=f"The need statement, any language, {NEED_TEXT_MAX} max.")
    language: str = ""
    country: str = Field(..., description="ISO code, e.g. LV.")
    region: str | None = Field(None, description="NUTS code within the country.")
    organisation: int | None = None
    policy_fields: list[str] = []
    esf_objectives: list[str] = []
    sdgs: list[str] = []
    target_groups: list[str] = []
    budget: Decimal | None = None
    currency: str = "EUR"
    time_frame_months: int | None = None
    legal_forms: list[str] = Field([], description="Actor-type codes of the forms at hand.")
    constraints_note: str = ""
    status: str = "open"


class NeedOut(Schema):
    id: int
    title: str
    text: str
    language: str
    country: str
    region: str | None
    organisation: int | None
    policy_fields: list[str]
    esf_objectives: list[str]
    sdgs: list[str]
    target_groups: list[str]
    budget: Decimal | None
    currency: str
    time_frame_months: int | None
    legal_forms: list[str]
    constraints_note: str
    status: str
    is_demo: bool
    shared_with: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.country.code)

    @staticmethod
    def resolve_region(obj: Any) -> str | None:
        return obj.region.code if obj.region_id else None

    @staticmethod
    def resolve_organisation(obj: Any) -> int | None:
        return obj.organisation_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_policy_fields(obj: Any) -> list[str]:
        return [t.code for t in obj.policy_fields.all()]

    @staticmethod
    def resolve_esf_objectives(obj: Any) -> list[str]:
        return [t.code for t in obj.esf_objectives.all()]

    @staticmethod
    def resolve_sdgs(obj: Any) -> list[str]:
        return [t.code for t in obj.sdgs.all()]

    @staticmethod
    def resolve_target_groups(obj: Any) -> list[str]:
        return [t.code for t in obj.target_groups.all()]

    @staticmethod
    def resolve_shared_with(obj: Any) -> list[str]:
        return sorted(s.country.code for s in obj.shares.all())

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_absolute_url())


class NeedPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[NeedOut]


class FindIn(Schema):
    need_id: int | None = Field(None, description="A stated need; or give `text`.")
    text: str = Field("", description="A need typed in any of the five languages.")
    country: str | None = Field(None, description="Target country (left out of the matches).")
    region: str | None = Field(None, description="Target NUTS region.")
    legal_forms: list[str] = []
    budget: float | None = None
    countries: list[str] = Field([], description="Only initiatives from these countries.")
    stages: list[str] = []
    evidence_levels: list[str] = []
    k: int = 20
    weights: dict[str, float] | None = Field(None, description="Component → weight (≥ 0).")
    save: bool = Field(False, description="Keep as a saved search (re-rank it by its id).")
    name: str = ""


class ComponentOut(Schema):
    key: str
    label: str
    value: float | None
    known: bool
    weight: float
    applied_weight: float
    reasons: list[str]


class MatchOut(Schema):
    rank: int
    initiative_id: int
    title: str
    title_language: str
    original_title: str
    original_language: str
    country: str
    url: str
    similarity: float
    score: float | None
    passage: str
    redistributed: str
    components: list[ComponentOut]
    pilot_url: str | None


class RecommendationOut(Schema):
    id: int
    need_id: int
    initiative_id: int
    initiative_title: str
    initiative_country: str
    country: str
    comment: str
    recommended_by: str | None
    is_demo: bool
    created_at: dt.datetime
    kind: str = "human"

    @staticmethod
    def resolve_initiative_title(obj: Any) -> str:
        return str(obj.initiative.title)

    @staticmethod
    def resolve_initiative_country(obj: Any) -> str:
        return str(obj.initiative.country.code)

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.country.code)

    @staticmethod
    def resolve_recommended_by(obj: Any) -> str | None:
        return obj.recommended_by.get_username() if obj.recommended_by_id else None


class FindOut(Schema):
    search_id: int | None
    need_id: int | None
    language: str | None
    notice: str | None
    weights: dict[str, float]
    matches: list[MatchOut]
    recommendations: list[RecommendationOut]


class WeightOut(Schema):
    key: str
    label: str
    help: str
    default: float


class WeightsIn(Schema):
    weights: dict[str, float]


class SavedSearchOut(Schema):
    id: int
    name: str
    need_id: int | None
    text: str
    weights: dict[str, float]
    filters: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime


class ShareIn(Schema):
    countries: list[str]
    message: str = ""


class ShareOut(Schema):
    country: str
    message: str
    shared_at: dt.datetime

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.country.code)


class RecommendIn(Schema):
    initiative_id: int
    comment: str
    country: str = Field("", description="On behalf of (default: your first such country).")


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    need_id: int
    recommendation_id: int | None
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationPage(Schema):
    count: int
    unread: int
    page: int
    page_size: int
    results: list[NotificationOut]


class ReadIn(Schema):
    ids: list[int] | None = Field(None, description="Leave out to mark all as read.")


class CountOut(Schema):
    count: int
