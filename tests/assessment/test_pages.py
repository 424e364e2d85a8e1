"""Assessment pages over HTTP: permissions (403 for another country), forms, scores."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from buicasus.assessment import campaigns
from buicasus.assessment.models import Answer, Campaign, Invitation, Response
from tests.assessment.conftest import answered

pytestmark = pytest.mark.django_db


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_login(open_campaign: Campaign) -> None:
    for url in ("/assessment/", f"/assessment/{open_campaign.pk}/scores/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_list_shows_version_and_new_button_for_coordinators(
    open_campaign: Campaign, coordinator: Any, make_user: Callable[..., Any]
) -> None:
    page = logged_in(coordinator).get("/assessment/?country=LV").content.decode()
    assert "Latvia 2026" in page and "v1" in page and "New campaign" in page
    viewer_page = logged_in(make_user("viewer", "SE")).get("/assessment/").content.decode()
    assert "Latvia 2026" in viewer_page and "New campaign" not in viewer_page


def test_coordinator_creates_a_campaign_through_the_form(coordinator: Any, framework: Any) -> None:
    client = logged_in(coordinator)
    bad = client.post("/assessment/new/", {"country": "LV", "title": "", "framework": framework.pk})
    assert bad.status_code == 400 and "This field is required." in bad.content.decode()
    assert not Campaign.objects.exists()
    other = client.post(
        "/assessment/new/", {"country": "FR", "title": "x", "framework": framework.pk}
    )
    assert other.status_code == 400 and not Campaign.objects.exists()  # FR not a choice
    ok = client.post(
        "/assessment/new/", {"country": "LV", "title": "Round 2", "framework": framework.pk}
    )
    campaign = Campaign.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/assessment/{campaign.pk}/"
    assert campaign.status == "draft" and campaign.created_by == coordinator


def test_other_country_coordinator_gets_403(
    open_campaign: Campaign, make_user: Callable[..., Any]
) -> None:
    client = logged_in(make_user("coordinator", "FR"))
    status = client.post(f"/assessment/{open_campaign.pk}/status/", {"status": "closed"})
    invite = client.post(
        f"/assessment/{open_campaign.pk}/invite/", {"username": "x", "group": "funder"}
    )
    assert (status.status_code, invite.status_code) == (403, 403)
    open_campaign.refresh_from_db()
    assert open_campaign.status == "open"
    assert logged_in(make_user("viewer", "LV")).get("/assessment/new/").status_code == 403


def test_draft_campaign_is_hidden_from_readers(
    coordinator: Any, framework: Any, make_user: Callable[..., Any]
) -> None:
    draft = campaigns.create_campaign(coordinator, "LV", "Draft", framework=framework)
    assert logged_in(make_user("viewer", "LV")).get(f"/assessment/{draft.pk}/").status_code == 404
    assert logged_in(coordinator).get(f"/assessment/{draft.pk}/").status_code == 200


def test_invite_with_htmx_and_errors(
    open_campaign: Campaign, coordinator: Any, make_user: Callable[..., Any]
) -> None:
    invitee = make_user(username="anna")
    client = logged_in(coordinator)
    url = f"/assessment/{open_campaign.pk}/invite/"
    ok = client.post(url, {"username": "anna", "group": "academia"}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and "Respondent invited." in ok.content.decode()
    assert Invitation.objects.get().user == invitee
    again = client.post(url, {"username": "anna", "group": "funder"}, HTTP_HX_REQUEST="true")
    assert "anna is already invited to this campaign." in again.content.decode()
    unknown = client.post(url, {"username": "nobody", "group": "funder"})
    assert (
        unknown.status_code == 400
        and "No active user is called “nobody”." in unknown.content.decode()
    )
    assert Invitation.objects.count() == 1


def test_answer_form_draft_errors_and_submit(
    open_campaign: Campaign, respondent: Callable[..., Any]
) -> None:
    user = respondent("funder")
    client = logged_in(user)
    url = f"/assessment/{open_campaign.pk}/answer/"
    page = client.get(url).content.decode()
    assert "Nothing for culture-1 (en)" in page and "Everything for culture-1 (en)" in page
    assert "version 1" in page and 'name="value-legal-4"' in page
    saved = client.post(
        url, {"value-culture-1": "7", "evidence_text-culture-1": "Survey", "action": "save"}
    )
    assert saved.status_code == 302
    assert Answer.objects.get().value == 7
    bad = client.post(url, {"value-culture-1": "12", "value-legal-1": "3", "action": "save"})
    assert bad.status_code == 400
    assert "whole number from 0 to 10 (got 12)" in bad.content.decode()
    assert 'value="3" checked' in bad.content.decode()  # what was posted comes back
    assert list(Answer.objects.values_list("value", flat=True)) == [7]  # nothing written
    bad_ref = client.post(url, {"value-legal-1": "3", "evidence_record-legal-1": "somewhere"})
    assert bad_ref.status_code == 400 and "organisation:ID" in bad_ref.content.decode()
    early = client.post(url, {"action": "submit"})
    assert early.status_code == 400 and "7 left" in early.content.decode()
    data = {f"value-{code}": "na" for code in ("culture-2", "culture-3", "culture-4")}
    data |= {f"value-legal-{i}": str(i) for i in range(1, 5)}
    done = client.post(url, {**data, "action": "submit"})
    assert done.status_code == 302
    assert Response.objects.get().status == "submitted"
    after = client.get(url).content.decode()
    assert "can no longer be changed" in after and 'type="radio"' not in after
    twice = client.post(url, {"value-legal-1": "9", "action": "save"})
    assert "already submitted" in twice.content.decode()


def test_uninvited_user_may_not_answer(
    open_campaign: Campaign, make_user: Callable[..., Any]
) -> None:
    client = logged_in(make_user("viewer", "LV"))
    assert client.get(f"/assessment/{open_campaign.pk}/answer/").status_code == 403


def test_scores_page_and_single_responses(
    open_campaign: Campaign,
    respondent: Callable[..., Any],
    coordinator: Any,
    make_user: Callable[..., Any],
) -> None:
    authority, initiative = respondent("public-authority"), respondent("initiative")
    answered(authority, open_campaign, {}, default=9)
    answered(initiative, open_campaign, {"culture-1": None}, default=2)
    reader = logged_in(make_user("viewer", "ES"))
    page = reader.get(f"/assessment/{open_campaign.pk}/scores/").content.decode()
    assert "Culture (en)" in page and "Disagreement" in page and "Advanced" not in page
    assert "Public authority: 9.0" in page and "Initiative: 2.0" in page
    assert "From 2 submitted responses" in page and "version 1" in page
    assert "Submitted responses</h2>" not in page  # readers see no single responses
    french = reader.get(f"/assessment/{open_campaign.pk}/scores/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Culture (fr)" in french.content.decode() and "9,0" in french.content.decode()
    response = Response.objects.get(respondent=authority)
    single = f"/assessment/{open_campaign.pk}/responses/{response.pk}/"
    assert reader.get(single).status_code == 403
    assert logged_in(make_user("coordinator", "FR")).get(single).status_code == 403
    coordinator_page = logged_in(coordinator).get(single).content.decode()
    assert "Statement culture-1 (en)" in coordinator_page
    assert logged_in(authority).get(single).status_code == 200
    assert logged_in(make_user()).get(f"/assessment/{open_campaign.pk}/scores/").status_code == 404


def test_my_assessments_lists_invitations(
    open_campaign: Campaign, respondent: Callable[..., Any]
) -> None:
    user = respondent("academia")
    page = logged_in(user).get("/assessment/mine/").content.decode()
    assert "Latvia 2026" in page and "Academia" in page and "Not started." in page


def test_status_buttons(open_campaign: Campaign, coordinator: Any) -> None:
    client = logged_in(coordinator)
    response = client.post(f"/assessment/{open_campaign.pk}/status/", {"status": "closed"})
    assert response.status_code == 302
    open_campaign.refresh_from_db()
    assert open_campaign.status == "closed"
    again = client.post(
        f"/assessment/{open_campaign.pk}/status/", {"status": "closed"}, follow=True
    )
    assert "cannot become" in again.content.decode()


def test_admin_pages_for_platform_admins_only(
    open_campaign: Campaign, coordinator: Any, make_user: Callable[..., Any]
) -> None:
    admin = make_user("admin", is_staff=True, is_superuser=True)
    client = logged_in(admin)
    for url in (
        "/admin/assessment/campaign/",
        f"/admin/assessment/campaign/{open_campaign.pk}/change/",
        "/admin/assessment/framework/",
        f"/admin/assessment/framework/{open_campaign.framework_id}/change/",
        "/admin/assessment/statement/",
        "/admin/assessment/response/",
    ):
        assert client.get(url).status_code == 200, url
    coordinator.is_staff = True
    coordinator.save()
    assert logged_in(coordinator).get("/admin/assessment/campaign/").status_code == 403


def test_evidence_record_suggested_and_saved(
    open_campaign: Campaign, respondent: Callable[..., Any]
) -> None:
    from tests.registry.factories import initiative, organisation

    org = organisation("LV", name="Biedrība Tīkls")
    project = initiative("LV", title="Kopienas darbnīca")
    client = logged_in(respondent("support-organisation"))
    url = f"/assessment/{open_campaign.pk}/answer/"
    page = client.get(url).content.decode()
    assert f'value="organisation:{org.pk}">Biedrība Tīkls' in page
    assert f"initiative:{project.pk}" in page
    saved = client.post(
        url,
        {
            "value-legal-1": "6",
            "evidence_record-legal-1": f"https://platform.example/initiatives/{project.pk}/",
        },
    )
    assert saved.status_code == 302
    answer = Answer.objects.get()
    assert answer.evidence_initiative == project and answer.statement.code == "legal-1"
    shown = client.get(url).content.decode()
    assert f'value="initiative:{project.pk}"' in shown


def test_scores_page_against_a_newer_version(
    open_campaign: Campaign, respondent: Callable[..., Any], coordinator: Any
) -> None:
    from buicasus.assessment.models import Framework
    from buicasus.assessment.services import load_frameworks
    from tests.assessment.conftest import V2

    answered(respondent("funder"), open_campaign, {"legal-1": 10}, default=4)
    load_frameworks([V2])
    v2 = Framework.objects.get(key="test-maturity", version=2)
    client = logged_in(coordinator)
    plain = client.get(f"/assessment/{open_campaign.pk}/scores/").content.decode()
    assert f"?framework={v2.pk}" in plain and "Legal (en)" in plain
    mapped = client.get(f"/assessment/{open_campaign.pk}/scores/?framework={v2.pk}")
    page = mapped.content.decode()
    assert "Shown against version 2" in page and "Finance (en)" in page
    assert "Legal (en)" not in page


def test_withdraw_on_the_page_and_in_the_api(
    open_campaign: Campaign, respondent: Callable[..., Any], coordinator: Any
) -> None:
    first, second = respondent("funder"), respondent("academia")
    one, two = Invitation.objects.get(user=first), Invitation.objects.get(user=second)
    client = logged_in(coordinator)
    page = client.post(
        f"/assessment/{open_campaign.pk}/invitations/{one.pk}/withdraw/", HTTP_HX_REQUEST="true"
    )
    assert page.status_code == 200 and "Invitation withdrawn." in page.content.decode()
    answered(second, open_campaign, {})
    api = client.delete(f"/api/v1/assessment/campaigns/{open_campaign.pk}/invitations/{two.pk}")
    assert api.status_code == 422 and "has submitted answers" in api.content.decode()
    assert list(Invitation.objects.all()) == [two]
