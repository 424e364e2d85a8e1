"""Demo self-assessment campaigns for ES, FR, LV and SE (fictional answers, marked as demo).

Each country gets one campaign ("Demo …" in the title, `is_demo=True`) answered by six or seven
demo respondents (`demo-respondent-<cc>-<n>`, viewers of their country with an unusable
password) from different stakeholder groups. Answers follow a plausible profile per country
(e.g. France's 2014 ESS law and mandated centre; Sweden's lack of a legal form for social
enterprises; Latvia's 2018 Social Enterprise Law and young ecosystem) with deterministic noise,
some "no answer"s, and two dimensions per country where groups clearly disagree, so the
disagreement flag shows. Sweden's campaign stays open, with the demo user `viewer-se` invited
(not yet answered) so the answer form can be tried; the others are closed.

Idempotent: campaigns, users and answers are found again by their names and codes.
"""

from __future__ import annotations

import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from buicasus.accounts.models import Membership, Role
from buicasus.assessment.frameworks import FrameworkFileError
from buicasus.assessment.models import (
    Answer,
    Campaign,
    CampaignStatus,
    Framework,
    Invitation,
    Response,
    ResponseStatus,
)
from buicasus.assessment.services import current_framework, load_frameworks
from buicasus.reference.models import Country
from buicasus.registry.models import Organisation

DEMO_SOURCE = "BuiCaSuS demo data (fictional)"
GROUPS = (
    "public-authority",
    "social-economy",
    "funder",
    "academia",
    "support-organisation",
    "initiative",
)
# Dimension → typical score per country (0–10), before group views and noise.
PROFILES: dict[str, dict[str, float]] = {
    "FR": {
        "culture": 6.5,
        "institutions": 7.5,
        "legal": 8,
        "finance": 6,
        "markets": 5.5,
        "skills": 7,
        "impact": 5,
        "data": 4.5,
        "networks": 7,
        "scaling": 6.5,
    },
    "ES": {
        "culture": 5.5,
        "institutions": 6,
        "legal": 7.5,
        "finance": 4.5,
        "markets": 5,
        "skills": 5.5,
        "impact": 4,
        "data": 4,
        "networks": 5.5,
        "scaling": 4,
    },
    "SE": {
        "culture": 7,
        "institutions": 4.5,
        "legal": 2.5,
        "finance": 5,
        "markets": 4.5,
        "skills": 6,
        "impact": 5.5,
        "data": 5,
        "networks": 7,
        "scaling": 4.5,
    },
    "LV": {
        "culture": 3.5,
        "institutions": 4.5,
        "legal": 5.5,
        "finance": 4,
        "markets": 3,
        "skills": 4,
        "impact": 2.5,
        "data": 2,
        "networks": 4,
        "scaling": 2.5,
    },
}
# (dimension, group) → shift: where the actors see things differently (the flag shows there).
VIEWS: dict[str, dict[tuple[str, str], float]] = {
    "FR": {
        ("finance", "public-authority"): 2.5,
        ("finance", "funder"): 1.5,
        ("finance", "initiative"): -2.5,
        ("finance", "social-economy"): -1.5,
        ("impact", "academia"): -2.5,
        ("impact", "support-organisation"): 2,
    },
    "ES": {
        ("markets", "public-authority"): 3,
        ("markets", "social-economy"): -2.5,
        ("markets", "initiative"): -1.5,
        ("institutions", "public-authority"): 2,
        ("institutions", "initiative"): -2.5,
    },
    "SE": {
        ("legal", "public-authority"): 3,
        ("legal", "social-economy"): -1.5,
        ("legal", "initiative"): -1.5,
        ("finance", "funder"): 2.5,
        ("finance", "initiative"): -2.5,
    },
    "LV": {
        ("finance", "public-authority"): 3,
        ("finance", "funder"): 2,
        ("finance", "initiative"): -1.5,
        ("culture", "social-economy"): 2.5,
        ("culture", "public-authority"): -1.5,
    },
}
# Respondents per country: their groups, in order (`demo-respondent-<cc>-<n>`).
RESPONDENTS: dict[str, tuple[str, ...]] = {
    "FR": GROUPS + ("social-economy",),
    "ES": GROUPS + ("initiative",),
    "SE": GROUPS,
    "LV": GROUPS + ("public-authority",),
}
# Groups that often cannot judge a dimension (more "no answer"s there).
UNSURE = {
    ("data", "initiative"),
    ("legal", "funder"),
    ("markets", "academia"),
    ("impact", "public-authority"),
}
TITLES = {
    "FR": "Demo self-assessment — France",
    "ES": "Demo self-assessment — Spain",
    "SE": "Demo self-assessment — Sweden",
    "LV": "Demo self-assessment — Latvia",
}
EVIDENCE = {
    "FR": (
        "Law 2014-856 on the social and solidarity economy (ESS) and the ESUS label.",
        "https://www.legifrance.gouv.fr/loda/id/JORFTEXT000029313296",
    ),
    "ES": (
        "Law 5/2011 on the social economy.",
        "https://www.boe.es/buscar/act.php?id=BOE-A-2011-5708",
    ),
    "SE": (
        "No specific legal form for social enterprises; about 300 work-integration "
        "social enterprises.",
        "",
    ),
    "LV": (
        "Social Enterprise Law in force since 1 April 2018; register kept by the Ministry "
        "of Welfare.",
        "https://likumi.lv/ta/en/en/id/294727",
    ),
}


def _respondent(code: str, n: int) -> Any:
    User = get_user_model()
    user, created = User.objects.get_or_create(username=f"demo-respondent-{code.lower()}-{n}")
    if created:
        user.set_unusable_password()
        user.first_name = "Demo"
        user.last_name = f"respondent {code} {n}"
        user.save()
    Membership.objects.get_or_create(
        user=user, role=Role.VIEWER, country=Country.objects.get(code=code)
    )
    return user


def _value(code: str, dimension: str, group: str, rng: random.Random) -> int | None:
    unsure = 0.35 if (dimension, group) in UNSURE else 0.04
    if rng.random() < unsure:
        return None
    base = PROFILES[code].get(dimension, 5.0) + VIEWS[code].get((dimension, group), 0.0)
    return max(0, min(10, round(base + rng.uniform(-1.2, 1.2))))


def _campaign(code: str, framework: Framework) -> Campaign:
    now = timezone.now()
    status = CampaignStatus.OPEN if code == "SE" else CampaignStatus.CLOSED
    # An existing demo campaign keeps the framework version its answers were given under.
    campaign, created = Campaign.objects.get_or_create(
        country=Country.objects.get(code=code),
        title=TITLES[code],
        is_demo=True,
        defaults={
            "framework": framework,
            "status": status,
            "description": "Demo data: fictional answers from fictional respondents, to try "
            "the scores and the disagreement flag. Not an assessment of the country.",
            "opened_at": now,
            "closed_at": None if status == CampaignStatus.OPEN else now,
        },
    )
    return campaign


def _answer(code: str, campaign: Campaign, user: Any, group: str, n: int) -> None:
    response, _ = Response.objects.get_or_create(
        campaign=campaign, respondent=user, defaults={"group": group}
    )
    rng = random.Random(f"{code}-{n}-{campaign.framework.key}-{campaign.framework.version}")
    demo_orgs = list(
        Organisation.objects.filter(country__code=code, source_name=DEMO_SOURCE).order_by("pk")
    )
    text, url = EVIDENCE[code]
    statements = campaign.framework.statements.select_related("dimension").order_by(
        "dimension__order", "order"
    )
    for s in statements:
        evidence: dict[str, Any] = {
            "evidence_text": "",
            "evidence_url": "",
            "evidence_organisation": None,
        }
        if s.dimension.code == "legal" and s.order == 1:
            evidence.update(evidence_text=text, evidence_url=url)
        elif s.dimension.code == "networks" and s.order == 1 and demo_orgs:
            evidence.update(
                evidence_text="An active network in our region (demo record).",
                evidence_organisation=demo_orgs[n % len(demo_orgs)],
            )
        Answer.objects.update_or_create(
            response=response,
            statement=s,
            defaults={"value": _value(code, s.dimension.code, group, rng), **evidence},
        )
    response.group = group
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = response.submitted_at or timezone.now()
    response.save()


def _framework() -> Framework:
    """The shipped frameworks, loaded if they can be; else whatever is loaded already."""
    problem = ""
    try:
        load_frameworks()
    except FrameworkFileError as exc:
        problem = f" ({exc.describe()})"
    try:
        return current_framework()
    except Framework.DoesNotExist as exc:
        raise RuntimeError(
            "The assessment demo needs a maturity framework: add "
            "src/buicasus/assessment/frameworks/maturity-v1.yaml or run "
            f"`buicasus load-framework FILE`{problem}."
        ) from exc


@transaction.atomic
def load_demo() -> str:
    """One demo campaign per country with submitted answers; returns a one-line summary."""
    framework = _framework()
    responses = 0
    for code, groups in RESPONDENTS.items():
        campaign = _campaign(code, framework)
        for n, group in enumerate(groups, start=1):
            user = _respondent(code, n)
            Invitation.objects.get_or_create(
                campaign=campaign, user=user, defaults={"group": group}
            )
            _answer(code, campaign, user, group, n)
            responses += 1
    tryout = get_user_model().objects.filter(username="viewer-se").first()
    se = Campaign.objects.get(country__code="SE", title=TITLES["SE"], is_demo=True)
    if tryout is not None:
        Invitation.objects.get_or_create(campaign=se, user=tryout, defaults={"group": "academia"})
    return (
        f"{len(RESPONDENTS)} demo campaigns ({framework.key} v{framework.version}), "
        f"{responses} submitted demo responses."
    )
