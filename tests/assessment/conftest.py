"""A small test framework (two dimensions of four statements) and campaigns built on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from buicasus.assessment import campaigns
from buicasus.assessment.campaigns import AnswerInput
from buicasus.assessment.models import Campaign, CampaignStatus, Framework
from buicasus.assessment.services import load_frameworks

FIXTURES = Path(__file__).parent / "fixtures"
V1 = FIXTURES / "framework-v1.yaml"
V2 = FIXTURES / "framework-v2.yaml"


@pytest.fixture
def framework(db: None) -> Framework:
    load_frameworks([V1])
    return Framework.objects.get(key="test-maturity", version=1)


@pytest.fixture
def coordinator(make_user: Callable[..., Any]) -> Any:
    return make_user("coordinator", "LV")


@pytest.fixture
def open_campaign(framework: Framework, coordinator: Any) -> Campaign:
    campaign = campaigns.create_campaign(coordinator, "LV", "Latvia 2026", framework=framework)
    return campaigns.set_status(coordinator, campaign, CampaignStatus.OPEN)


@pytest.fixture
def respondent(
    make_user: Callable[..., Any], open_campaign: Campaign, coordinator: Any
) -> Callable[..., Any]:
    """`respondent("funder")` → a viewer of LV invited to `open_campaign` in that group."""

    def make(group: str, country: str = "LV") -> Any:
        user = make_user("viewer", country)
        campaigns.invite(coordinator, open_campaign, user, group)
        return user

    return make


def all_answers(campaign: Campaign, value: int | None) -> list[AnswerInput]:
    codes = campaign.framework.statements.values_list("code", flat=True)
    return [AnswerInput(statement=code, value=value) for code in codes]


def answered(
    user: Any, campaign: Campaign, values: dict[str, int | None], *, default: int | None = 5
) -> None:
    """Submit `values` (statement → score), `default` for the other statements."""
    answers = [
        AnswerInput(statement=a.statement, value=values.get(a.statement, default))
        for a in all_answers(campaign, None)
    ]
    campaigns.save_answers(user, campaign, answers, submit=True)
