"""Self-assessment profiles of countries, read through the assessment app's services.

A profile is the latest campaign of a country with submitted responses, scored on the current
framework (answers given under an older version of the same framework are carried over through
`replaces`), so profiles of different countries and rounds share the same dimensions.

Who may read a profile follows the assessment app's rule for scores (`can_read_scores`):
readers holding a role in some country, or people invited to that campaign. `user=None` means a
trusted caller that has already checked (the CLI, the PDF report).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from buicasus.assessment import services as assessment
from buicasus.assessment.models import Campaign, Framework, ResponseStatus
from buicasus.core.maturity import DimensionScore
from buicasus.reference.models import Country


@dataclass(frozen=True)
class Profile:
    """A country's scores from one campaign (`campaign` None: none the reader may see)."""

    country: Country
    campaign: Campaign | None
    scores: list[DimensionScore] = field(default_factory=list)

    @property
    def by_dimension(self) -> dict[str, DimensionScore]:
        return {s.dimension: s for s in self.scores}

    def means(self) -> dict[str, float | None]:
        return {s.dimension: s.mean for s in self.scores}


def framework() -> Framework | None:
    """The current framework, or None when none is loaded yet."""
    try:
        return assessment.current_framework()
    except Framework.DoesNotExist:
        return None


def dimension_labels(lang: str) -> dict[str, str]:
    """Dimension code → label of the current framework (empty without a framework)."""
    current = framework()
    return assessment.dimension_labels(current, lang) if current is not None else {}


def may_read(user: Any, campaign: Campaign) -> bool:
    return user is None or assessment.can_read_scores(user, campaign)


def scores_of(campaign: Campaign) -> list[DimensionScore]:
    """The campaign's scores on the current framework when it is a version of the same one."""
    current = framework()
    target = None
    if current is not None and current.key == campaign.framework.key:
        target = current if current.version >= campaign.framework.version else None
    return assessment.campaign_scores(campaign, framework=target)


def profile(
    country: Country, user: Any, *, campaign: Campaign | None = None, before: Campaign | None = None
) -> Profile:
    """The latest readable profile of `country` (or of `campaign`), optionally older than
    `before`. A campaign the reader may not read gives an empty profile."""
    if campaign is None:
        campaign = assessment.latest_campaign(country.code, before=before)
    if campaign is None or not may_read(user, campaign):
        return Profile(country, None)
    return Profile(country, campaign, scores_of(campaign))


def countries_with_scores(user: Any) -> list[Country]:
    """Countries having a campaign with submitted responses that `user` may read."""
    campaigns = Campaign.objects.all() if user is None else assessment.visible_campaigns(user)
    codes = campaigns.filter(responses__status=ResponseStatus.SUBMITTED).values_list(
        "country__code"
    )
    return list(Country.objects.filter(code__in=codes.distinct()).order_by("code"))


def profiles(user: Any, *, exclude: str | None = None) -> list[Profile]:
    """The latest readable profile of every country that has one (but `exclude`)."""
    found = []
    for country in countries_with_scores(user):
        if country.code == exclude:
            continue
        p = profile(country, user)
        if p.campaign is not None:
            found.append(p)
    return found


def can_see_scores(user: Any, country_code: str) -> bool:
    """Whether the country's page shows its latest scores (and the SWOT built on them)."""
    campaign = assessment.latest_campaign(country_code)
    if campaign is not None and may_read(user, campaign):
        return True
    return user is None or assessment.is_reader(user)
