"""API schemas of the assessment, kept apart from the models (in and out)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from buicasus.assessment.models import Campaign, Framework, Invitation, Response

Texts = dict[str, str]


class StatementOut(Schema):
    code: str
    text: Texts
    low: Texts = Field(description="What the lowest score (0) means, per language.")
    high: Texts = Field(description="What the highest score (10) means, per language.")
    replaces: str | None = Field(None, description="Code of the previous version's statement.")


class DimensionOut(Schema):
    code: str
    label: Texts
    description: Texts
    statements: list[StatementOut]


class FrameworkSummary(Schema):
    id: int
    key: str
    version: int
    title: Texts
    source: str


class FrameworkOut(FrameworkSummary):
    scale_min: int
    scale_max: int
    dimensions: list[DimensionOut]


class CampaignOut(Schema):
    id: int
    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    title: str
    description: str
    status: Literal["draft", "open", "closed"]
    is_demo: bool
    framework: FrameworkSummary
    created_at: dt.datetime
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    submitted_responses: int


class CampaignIn(Schema):
    model_config = ConfigDict(str_strip_whitespace=True)

    country: str = Field(description="ISO 3166-1 alpha-2 code of a country you coordinate.")
    title: str
    description: str = ""
    framework_id: int | None = Field(None, description="Default: the current framework.")


class StatusIn(Schema):
    status: Literal["open", "closed"]


class InvitationIn(Schema):
    model_config = ConfigDict(str_strip_whitespace=True)

    username: str
    group: str = Field(
        description="public-authority, social-economy, funder, academia, "
        "support-organisation or initiative."
    )


class InvitationOut(Schema):
    id: int
    username: str
    group: str
    invited_at: dt.datetime
    response_status: Literal["draft", "submitted"] | None


class AnswerIn(Schema):
    statement: str = Field(description="Statement code of the campaign's framework version.")
    value: int | None = Field(description="0–10, or null for “no answer” (required).")
    evidence_text: str = ""
    evidence_url: str = ""
    evidence_organisation: int | None = Field(None, description="Registry organisation id.")
    evidence_initiative: int | None = Field(None, description="Registry initiative id.")


class AnswersIn(Schema):
    answers: list[AnswerIn] = Field(
        description="Answers to save; statements not listed keep their saved answer."
    )
    submit: bool = Field(False, description="Submit after saving: the response is then final.")


class AnswerOut(AnswerIn):
    pass


class ResponseOut(Schema):
    campaign: int
    respondent: str
    group: str
    status: Literal["not-started", "draft", "submitted"]
    framework: FrameworkSummary
    submitted_at: dt.datetime | None
    answers: list[AnswerOut]
    unanswered: list[str] = Field(description="Statements with neither a score nor no answer.")


class DimensionScoreOut(Schema):
    dimension: str
    label: str
    mean: float | None
    count: int
    no_answer: int
    sd: float | None = Field(description="Population standard deviation of the answers.")
    minimum: float | None
    maximum: float | None
    band: str | None = Field(description="emerging, developing, established or advanced.")
    group_means: dict[str, float]
    gap: float | None = Field(description="Highest minus lowest stakeholder-group mean.")
    disagreement: bool = Field(description="Whether the gap is more than the threshold.")


class ScoresOut(Schema):
    campaign: int
    country: str
    framework: FrameworkSummary
    gap_threshold: float
    submitted_responses: int
    provisional: bool = Field(description="True while the campaign is still open.")
    dimensions: list[DimensionScoreOut]


# --- building the outputs (dicts the schemas above validate) ----------------------------


def framework_summary(f: Framework) -> dict[str, Any]:
    return {"id": f.pk, "key": f.key, "version": f.version, "title": f.title, "source": f.source}


def framework_out(f: Framework) -> dict[str, Any]:
    statements = f.statements.select_related("replaces").order_by("dimension__order", "order")
    by_dimension: dict[int, list[dict[str, Any]]] = {}
    for s in statements:
        by_dimension.setdefault(s.dimension_id, []).append(
            {
                "code": s.code,
                "text": s.text,
                "low": s.low,
                "high": s.high,
                "replaces": s.replaces.code if s.replaces else None,
            }
        )
    dimensions = [
        {
            "code": d.code,
            "label": d.label,
            "description": d.description,
            "statements": by_dimension.get(d.pk, []),
        }
        for d in f.dimensions.order_by("order")
    ]
    return {
        **framework_summary(f),
        "scale_min": f.scale_min,
        "scale_max": f.scale_max,
        "dimensions": dimensions,
    }


def campaign_out(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "country": c.country.code,
        "title": c.title,
        "description": c.description,
        "status": c.status,
        "is_demo": c.is_demo,
        "framework": framework_summary(c.framework),
        "created_at": c.created_at,
        "opened_at": c.opened_at,
        "closed_at": c.closed_at,
        "submitted_responses": getattr(c, "submitted_responses", 0),
    }


def invitation_out(inv: Invitation, statuses: dict[int, str]) -> dict[str, Any]:
    return {
        "id": inv.pk,
        "username": inv.user.get_username(),
        "group": inv.group,
        "invited_at": inv.invited_at,
        "response_status": statuses.get(inv.user_id),
    }


def response_out(
    campaign: Campaign, user: Any, response: Response | None, group: str
) -> dict[str, Any]:
    answers = list(response.answers.select_related("statement")) if response else []
    answered = {a.statement.code for a in answers}
    codes = campaign.framework.statements.order_by("dimension__order", "order")
    return {
        "campaign": campaign.pk,
        "respondent": user.get_username(),
        "group": response.group if response else group,
        "status": response.status if response else "not-started",
        "framework": framework_summary(campaign.framework),
        "submitted_at": response.submitted_at if response else None,
        "answers": [
            {
                "statement": a.statement.code,
                "value": a.value,
                "evidence_text": a.evidence_text,
                "evidence_url": a.evidence_url,
                "evidence_organisation": a.evidence_organisation_id,
                "evidence_initiative": a.evidence_initiative_id,
            }
            for a in answers
        ],
        "unanswered": [c for c in codes.values_list("code", flat=True) if c not in answered],
    }
