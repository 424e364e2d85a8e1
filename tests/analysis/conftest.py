"""Campaigns on the platform's own framework (maturity-v1), built through the assessment
app's services: a coordinator opens the campaign, invited respondents submit their answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from buicasus.assessment import campaigns
from buicasus.assessment.campaigns import AnswerInput
from buicasus.assessment.models import Campaign, CampaignStatus, Framework, Statement
from buicasus.assessment.services import current_framework

DIMENSIONS = (
    "culture",
    "institutions",
    "legal",
    "finance",
    "markets",
    "skills",
    "impact",
    "data",
    "networks",
    "scaling",
)

Scores = dict[str, int | None]


@pytest.fixture
def framework(db: None) -> Framework:
    """The platform's framework, loaded once per test database by the session set-up."""
    return current_framework()


@pytest.fixture
def run_campaign(framework: Framework, make_user: Callable[..., Any]) -> Callable[..., Campaign]:
    """`run_campaign("ES", {"culture": 8}, default=5)` → an open campaign of ES with one
    submitted response scoring every statement of a dimension at the value given (else
    `default`). `groups={"funder": {...}, "initiative": {...}}` submits one response per group.
    """
    statements = list(
        Statement.objects.filter(framework=framework).values_list("code", "dimension__code")
    )

    def run(
        country: str,
        scores: Scores | None = None,
        *,
        default: int | None = 5,
        groups: dict[str, Scores] | None = None,
        title: str = "",
    ) -> Campaign:
        coordinator = make_user("coordinator", country)
        campaign = campaigns.create_campaign(
            coordinator, country, title or f"Campaign {country}", framework=framework
        )
        campaign = campaigns.set_status(coordinator, campaign, CampaignStatus.OPEN)
        for group, values in (groups or {"public-authority": scores or {}}).items():
            respondent = make_user("viewer", country)
            campaigns.invite(coordinator, campaign, respondent, group)
            answers = [
                AnswerInput(statement=code, value=values.get(dim, default))
                for code, dim in statements
            ]
            campaigns.save_answers(respondent, campaign, answers, submit=True)
        return campaign

    return run
