"""Scores of a campaign (submitted responses only), latest campaign, who sees which campaign."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from buicasus.assessment import campaigns
from buicasus.assessment.campaigns import AnswerInput
from buicasus.assessment.models import Campaign, Framework
from buicasus.assessment.services import (
    campaign_scores,
    campaigns_for,
    can_see_responses,
    latest_campaign,
    load_frameworks,
    visible_campaigns,
)
from tests.assessment.conftest import V2, answered

pytestmark = pytest.mark.django_db


def test_scores_count_submitted_responses_only(
    open_campaign: Campaign, respondent: Callable[..., Any], settings: Any
) -> None:
    settings.MATURITY_GAP = 3.0
    authority, initiative, drafter = (
        respondent(g) for g in ("public-authority", "initiative", "funder")
    )
    answered(authority, open_campaign, {"legal-1": 9, "legal-2": 8, "legal-3": None})
    answered(initiative, open_campaign, {"legal-1": 2, "legal-2": 3})
    campaigns.save_answers(drafter, open_campaign, [AnswerInput("legal-1", 0)])  # a draft
    culture, legal = campaign_scores(open_campaign)
    assert (culture.dimension, culture.mean, culture.count, culture.disagreement) == (
        "culture",
        5,
        8,
        False,
    )
    assert legal.count == 7 and legal.no_answer == 1
    assert legal.mean == pytest.approx(37 / 7)  # the funder's draft is left out
    assert legal.group_means == {"initiative": 3.75, "public-authority": pytest.approx(22 / 3)}
    assert legal.disagreement is True  # 7.33 vs 3.75: a gap of 3.58 > 3
    settings.MATURITY_GAP = 5.0
    assert campaign_scores(open_campaign)[1].disagreement is False


def test_disagreement_follows_the_setting(
    open_campaign: Campaign, respondent: Callable[..., Any], settings: Any
) -> None:
    authority, initiative = respondent("public-authority"), respondent("initiative")
    answered(authority, open_campaign, {}, default=9)
    answered(initiative, open_campaign, {}, default=5)
    settings.MATURITY_GAP = 3.0
    assert [s.disagreement for s in campaign_scores(open_campaign)] == [True, True]
    assert campaign_scores(open_campaign)[0].gap == 4
    settings.MATURITY_GAP = 4.0  # exactly the gap: not more than it
    assert [s.disagreement for s in campaign_scores(open_campaign)] == [False, False]


def test_scores_of_an_old_campaign_against_a_newer_framework(
    open_campaign: Campaign, respondent: Callable[..., Any]
) -> None:
    user = respondent("academia")
    answered(user, open_campaign, {"culture-1": 2, "culture-2": 4, "legal-1": 10}, default=7)
    load_frameworks([V2])
    v2 = Framework.objects.get(key="test-maturity", version=2)
    culture, finance = campaign_scores(open_campaign, framework=v2)
    assert (culture.mean, culture.count) == (3, 2)  # culture-3/4 have no successor
    assert (finance.mean, finance.count) == (10, 1)  # legal-1 became finance-1


def test_empty_campaign_scores(open_campaign: Campaign) -> None:
    assert [(s.mean, s.count, s.band) for s in campaign_scores(open_campaign)] == [
        (None, 0, None),
        (None, 0, None),
    ]


def test_latest_campaign_needs_submissions_and_honours_before(
    open_campaign: Campaign, respondent: Callable[..., Any], coordinator: Any, framework: Any
) -> None:
    assert latest_campaign("LV") is None
    answered(respondent("funder"), open_campaign, {})
    newer = campaigns.create_campaign(coordinator, "LV", "Latvia 2027", framework=framework)
    assert latest_campaign("lv") == open_campaign  # the newer one has no submissions
    assert latest_campaign("LV", before=newer) == open_campaign
    assert latest_campaign("LV", before=open_campaign) is None
    assert list(campaigns_for("LV")) == [newer, open_campaign]
    assert latest_campaign("FR") is None


def test_who_sees_which_campaign(
    make_user: Callable[..., Any], open_campaign: Campaign, coordinator: Any, framework: Any
) -> None:
    draft = campaigns.create_campaign(coordinator, "LV", "Not yet open", framework=framework)
    viewer_fr = make_user("viewer", "FR")
    nobody = make_user()
    invited = make_user()
    campaigns.invite(coordinator, open_campaign, invited, "funder")
    assert set(visible_campaigns(coordinator)) == {open_campaign, draft}
    assert set(visible_campaigns(viewer_fr)) == {open_campaign}
    assert set(visible_campaigns(invited)) == {open_campaign}
    assert not visible_campaigns(nobody).exists()
    assert can_see_responses(coordinator, open_campaign)
    assert not can_see_responses(viewer_fr, open_campaign)
    assert not can_see_responses(make_user("coordinator", "FR"), open_campaign)
