"""Who may see a self-assessment campaign and its scores: the policy `CAMPAIGNS`.

Coordinators of the campaign's country (and platform admins) see its drafts too; once opened,
a campaign is seen by whoever holds a role in some country (its scores feed the comparisons
across countries) and by the respondents invited to it.
"""

from __future__ import annotations

from buicasus.accounts.models import Role
from buicasus.accounts.policy import Grant, Policy, register
from buicasus.assessment.models import Campaign, CampaignStatus

_OPENED = {"status": CampaignStatus.DRAFT}

CAMPAIGNS: Policy[Campaign] = Policy(
    Campaign,
    {
        "view": (
            Grant(role=Role.COORDINATOR),
            Grant(role=Role.VIEWER, country=None, unless=_OPENED),
            Grant(user="invitations__user", unless=_OPENED),
        ),
        "manage": (Grant(role=Role.COORDINATOR),),
    },
)
register(CAMPAIGNS)
