"""Campaign writes: who may do what, and bad input refused whole with a clear message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from buicasus.assessment import campaigns
from buicasus.assessment.campaigns import AnswerInput
from buicasus.assessment.models import Answer, Campaign, CampaignStatus, Invitation, Response
from buicasus.assessment.services import load_frameworks
from tests.assessment.conftest import V2, all_answers
from tests.registry.factories import organisation

pytestmark = pytest.mark.django_db


def test_coordinator_creates_opens_and_closes(open_campaign: Campaign, coordinator: Any) -> None:
    assert open_campaign.status == CampaignStatus.OPEN
    assert open_campaign.opened_at is not None
    closed = campaigns.set_status(coordinator, open_campaign, "closed")
    assert closed.status == CampaignStatus.CLOSED and closed.closed_at is not None
    reopened = campaigns.set_status(coordinator, closed, "open")
    assert reopened.status == CampaignStatus.OPEN and reopened.closed_at is None


@pytest.mark.parametrize(
    ("role", "country"), [("editor", "LV"), ("coordinator", "FR"), ("viewer", "LV")]
)
def test_others_may_not_manage(
    make_user: Callable[..., Any], open_campaign: Campaign, role: str, country: str
) -> None:
    user = make_user(role, country)
    with pytest.raises(PermissionDenied):
        campaigns.create_campaign(user, "LV", "Another")
    with pytest.raises(PermissionDenied):
        campaigns.set_status(user, open_campaign, "closed")
    with pytest.raises(PermissionDenied):
        campaigns.invite(user, open_campaign, make_user(), "funder")
    assert Campaign.objects.count() == 1 and not Invitation.objects.exists()


def test_admin_manages_any_country(make_user: Callable[..., Any], framework: Any) -> None:
    admin = make_user("admin")
    campaign = campaigns.create_campaign(admin, "SE", "Sverige", framework=framework)
    assert campaign.country.code == "SE" and campaign.status == CampaignStatus.DRAFT


def test_bad_campaign_input_names_the_field(coordinator: Any, framework: Any) -> None:
    with pytest.raises(ValidationError) as err:
        campaigns.create_campaign(coordinator, "LV", "  ", framework=framework)
    assert err.value.message_dict == {"title": ["Give the campaign a title."]}
    with pytest.raises(ValidationError) as err:
        campaigns.set_status(
            coordinator, campaigns.create_campaign(coordinator, "LV", "x"), "closed"
        )
    assert "cannot become" in err.value.message_dict["status"][0]


def test_invitation_rules(
    make_user: Callable[..., Any], open_campaign: Campaign, coordinator: Any
) -> None:
    user = make_user()
    campaigns.invite(coordinator, open_campaign, user, "academia")
    with pytest.raises(ValidationError) as err:
        campaigns.invite(coordinator, open_campaign, user, "funder")
    assert "already invited" in err.value.message_dict["user"][0]
    with pytest.raises(ValidationError) as err:
        campaigns.invite(coordinator, open_campaign, make_user(), "lobbyist")
    assert "Unknown stakeholder group “lobbyist”" in err.value.message_dict["group"][0]
    inactive = make_user(is_active=False)
    with pytest.raises(ValidationError, match="existing, active user"):
        campaigns.invite(coordinator, open_campaign, inactive, "funder")
    assert Invitation.objects.count() == 1


def test_draft_then_submit(open_campaign: Campaign, respondent: Callable[..., Any]) -> None:
    user = respondent("funder")
    draft = campaigns.save_answers(user, open_campaign, [AnswerInput("culture-1", 7)])
    assert draft.status == "draft" and draft.group == "funder"
    again = campaigns.save_answers(
        user, open_campaign, [AnswerInput("culture-1", "8", evidence_text="A 2024 survey")]
    )
    assert again.pk == draft.pk
    answer = Answer.objects.get(response=draft)
    assert (answer.value, answer.evidence_text) == (8, "A 2024 survey")
    with pytest.raises(ValidationError) as err:
        campaigns.submit(user, open_campaign)
    assert "7 left" in err.value.message_dict["answers"][0]
    answers = all_answers(open_campaign, None)[1:]  # "no answer" everywhere else
    done = campaigns.save_answers(user, open_campaign, answers, submit=True)
    assert done.status == "submitted" and done.submitted_at is not None
    assert Answer.objects.filter(response=done, value__isnull=True).count() == 7


def test_answering_twice_is_refused_and_writes_nothing(
    open_campaign: Campaign, respondent: Callable[..., Any]
) -> None:
    user = respondent("academia")
    campaigns.save_answers(user, open_campaign, all_answers(open_campaign, 4), submit=True)
    with pytest.raises(ValidationError) as err:
        campaigns.save_answers(user, open_campaign, [AnswerInput("culture-1", 9)])
    assert err.value.message_dict == {
        "response": ["You have already submitted your answers to this campaign."]
    }
    assert set(Answer.objects.values_list("value", flat=True)) == {4}


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (AnswerInput("culture-1", 11), "whole number from 0 to 10 (got 11)"),
        (AnswerInput("culture-1", -1), "whole number from 0 to 10 (got -1)"),
        (AnswerInput("culture-1", 2.5), "whole number from 0 to 10, or no answer"),
        (AnswerInput("culture-1", True), "whole number from 0 to 10, or no answer"),
        (AnswerInput("culture-1", "x"), "(got x)"),
        (AnswerInput("finance-1", 5), "“finance-1” is not a statement of test-maturity version 1"),
        (AnswerInput("culture-1", 5, evidence_url="javascript:alert(1)"), "evidence link"),
        (AnswerInput("culture-1", 5, evidence_organisation=999999), "evidence organisation"),
        (AnswerInput("culture-1", 5, evidence_initiative=999999), "evidence initiative"),
    ],
)
def test_bad_answers_are_refused_whole(
    open_campaign: Campaign, respondent: Callable[..., Any], item: AnswerInput, message: str
) -> None:
    user = respondent("initiative")
    with pytest.raises(ValidationError) as err:
        campaigns.save_answers(user, open_campaign, [AnswerInput("culture-2", 3), item])
    assert message in err.value.message_dict[f"answers.{item.statement}"][0]
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_statement_of_another_version_is_refused(
    open_campaign: Campaign, respondent: Callable[..., Any]
) -> None:
    load_frameworks([V2])  # culture-a exists, but in version 2
    user = respondent("funder")
    with pytest.raises(ValidationError, match="“culture-a” is not a statement of test-maturity"):
        campaigns.save_answers(user, open_campaign, [AnswerInput("culture-a", 5)])
    assert not Answer.objects.exists()


def test_the_same_statement_twice_in_one_request(
    open_campaign: Campaign, respondent: Callable[..., Any]
) -> None:
    user = respondent("funder")
    with pytest.raises(ValidationError, match="answered twice"):
        campaigns.save_answers(
            user, open_campaign, [AnswerInput("legal-1", 5), AnswerInput("legal-1", 6)]
        )


def test_closed_campaign_takes_no_answers(
    open_campaign: Campaign, respondent: Callable[..., Any], coordinator: Any
) -> None:
    user = respondent("funder")
    campaigns.save_answers(user, open_campaign, [AnswerInput("legal-1", 5)])
    campaigns.set_status(coordinator, open_campaign, "closed")
    with pytest.raises(ValidationError) as err:
        campaigns.save_answers(user, open_campaign, [AnswerInput("legal-1", 6)])
    assert err.value.message_dict == {"campaign": ["This campaign is not open for answers."]}
    assert Answer.objects.get().value == 5


def test_only_invited_users_answer(make_user: Callable[..., Any], open_campaign: Campaign) -> None:
    with pytest.raises(PermissionDenied, match="Only invited respondents"):
        campaigns.save_answers(make_user("coordinator", "LV"), open_campaign, [])
    assert not Response.objects.exists()


def test_evidence_points_to_a_registry_record(
    open_campaign: Campaign, respondent: Callable[..., Any]
) -> None:
    org = organisation("LV", name="Sociālo uzņēmumu asociācija")
    user = respondent("social-economy")
    campaigns.save_answers(
        user,
        open_campaign,
        [
            AnswerInput(
                "legal-2", 6, evidence_url="https://likumi.lv/", evidence_organisation=org.pk
            )
        ],
    )
    answer = Answer.objects.get()
    assert answer.evidence_organisation == org and answer.evidence_url == "https://likumi.lv/"


def test_withdrawing_an_invitation(
    open_campaign: Campaign,
    respondent: Callable[..., Any],
    coordinator: Any,
    make_user: Callable[..., Any],
) -> None:
    drafting, done = respondent("funder"), respondent("academia")
    campaigns.save_answers(drafting, open_campaign, [AnswerInput("legal-1", 5)])
    campaigns.save_answers(done, open_campaign, all_answers(open_campaign, 5), submit=True)
    with pytest.raises(PermissionDenied):
        campaigns.uninvite(make_user("coordinator", "FR"), Invitation.objects.get(user=drafting))
    campaigns.uninvite(coordinator, Invitation.objects.get(user=drafting))
    assert not Response.objects.filter(respondent=drafting).exists()
    with pytest.raises(ValidationError, match="has submitted answers"):
        campaigns.uninvite(coordinator, Invitation.objects.get(user=done))
    assert list(Invitation.objects.values_list("user", flat=True)) == [done.pk]
