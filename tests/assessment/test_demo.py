"""The demo campaigns: four countries, several groups, scores with some disagreement."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from buicasus.accounts.demo_users import ensure_demo_users
from buicasus.assessment.demo import load_demo
from buicasus.assessment.models import Answer, Campaign, Invitation, Response
from buicasus.assessment.services import campaign_scores, latest_campaign
from buicasus.registry.demo import load_demo as load_registry_demo

pytestmark = pytest.mark.django_db


def test_demo_campaigns_give_scores_with_disagreement() -> None:
    load_registry_demo()
    ensure_demo_users()
    summary = load_demo()
    assert summary.startswith("4 demo campaigns (buicasus-maturity v1)")
    answers = Answer.objects.count()
    flagged: dict[str, list[str]] = {}
    for code in ("ES", "FR", "LV", "SE"):
        campaign = latest_campaign(code)
        assert campaign is not None and campaign.is_demo and "Demo" in campaign.title
        groups = set(campaign.responses.values_list("group", flat=True))
        assert len(groups) == 6
        scores = campaign_scores(campaign)
        assert len(scores) == 10 and all(s.mean is not None for s in scores)
        assert any(s.no_answer for s in scores)
        flagged[code] = [s.dimension for s in scores if s.disagreement]
    designed = {
        "ES": {"institutions", "markets"},
        "FR": {"finance", "impact"},
        "LV": {"culture", "finance"},
        "SE": {"legal", "finance"},
    }
    for code, dimensions in designed.items():
        # the designed disagreements show; noise alone flags little else
        assert dimensions <= set(flagged[code]) and len(flagged[code]) <= 3, flagged
    assert Answer.objects.exclude(evidence_organisation=None).exists()
    # viewer-se can try the answer form on the open Swedish campaign
    se = Campaign.objects.get(country__code="SE", is_demo=True)
    assert se.status == "open"
    assert Invitation.objects.filter(campaign=se, user__username="viewer-se").exists()
    user = get_user_model().objects.get(username="demo-respondent-lv-1")
    assert not user.has_usable_password()
    assert user.memberships.get().role == "viewer"
    again = load_demo()  # idempotent
    assert again == summary
    assert Answer.objects.count() == answers and Campaign.objects.count() == 4
    assert Response.objects.filter(status="submitted").count() == 27
