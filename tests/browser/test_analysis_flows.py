"""The mapping side in the browser: answer a self-assessment, explore the network, download a
mapping report as PDF."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from buicasus.assessment import campaigns
from buicasus.assessment.models import CampaignStatus, Response
from buicasus.assessment.services import current_framework
from buicasus.registry.models import OrganisationTie
from tests.background import IMMEDIATE
from tests.registry.factories import organisation, term

pytestmark = pytest.mark.django_db(transaction=True)


def test_answer_a_self_assessment(page: Any, login: Any, make_user: Any) -> None:
    coordinator = make_user("coordinator", "LV")
    campaign = campaigns.create_campaign(
        coordinator, "LV", "Latvija 2026", framework=current_framework()
    )
    campaigns.set_status(coordinator, campaign, CampaignStatus.OPEN)
    respondent = login("viewer", "LV")
    campaigns.invite(coordinator, campaign, respondent, "social-economy")
    page.goto(f"/assessment/{campaign.pk}/answer/")
    page.locator("label[for='v-culture-1-7']").click()
    page.locator("#et-culture-1").locator("xpath=..").locator("summary").click()
    page.locator("#et-culture-1").fill("Valsts kanceleja organizē ikgadēju forumu.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    page.goto(f"/assessment/{campaign.pk}/answer/")
    assert page.locator("#v-culture-1-7").is_checked()
    assert page.locator("#et-culture-1").input_value().startswith("Valsts kanceleja")
    # Answer every other statement ("no answer" for one), then submit.
    for radio in page.locator("input[type=radio][value='6']").all():
        if not page.locator(f"input[name='{radio.get_attribute('name')}']:checked").count():
            radio.check()
    page.locator("input[name='value-data-2']").last.check()
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_load_state()
    response = Response.objects.get(campaign=campaign, respondent=respondent)
    assert response.status == "submitted"
    answers = {a.statement.code: a.value for a in response.answers.select_related("statement")}
    assert answers["culture-1"] == 7 and answers["data-2"] is None
    assert len(answers) == campaign.framework.statements.count()


def test_open_the_network_view_and_filter_it(page: Any, settings: Any) -> None:
    settings.TASKS = IMMEDIATE  # the recompute the page asks for runs at once
    kinds = ["social-enterprise", "association-ngo", "public-agency"]
    orgs = [
        organisation(
            "LV", name=f"Tīkla dalībnieks {n}", actor_type=term("actor-type", kinds[n % 3])
        )
        for n in range(6)
    ]
    tie = term("tie-type", "partners-with")
    for a, b in zip(orgs, orgs[1:], strict=False):
        OrganisationTie.objects.create(source=a, target=b, tie_type=tie)
    page.goto("/network/?country=LV")
    page.wait_for_selector("#network-view canvas")
    status = page.locator("#network-status")
    expect(status).not_to_contain_text("…")
    # The six organisations and the reference consortium's Latvian members, all drawn.
    shown = int(re.search(r"\d+", status.inner_text()).group())  # type: ignore[union-attr]
    assert shown >= 6
    assert page.evaluate("document.querySelector('#network-view canvas').width") > 0
    assert page.get_by_role("table").count() >= 1
    # Filter by actor type: only the two social enterprises remain.
    page.get_by_label("Social enterprise").check()
    page.get_by_role("button", name="Show the network").click()
    page.wait_for_url("**actor_type=social-enterprise**")
    expect(status).to_contain_text("Showing all 2 organisations")


def test_download_a_mapping_report_as_pdf(page: Any, login: Any, settings: Any) -> None:
    settings.TASKS = IMMEDIATE  # the build the button asks for runs at once
    organisation("LV", name="Rīgas sociālais uzņēmums")
    login("viewer", "LV")
    page.goto("/reports/mapping/LV/?lang=lv")
    assert page.locator("[lang=lv]").count() >= 1
    page.get_by_role("button").filter(has_text="PDF").first.click()
    result = page.locator("#pdf-build .job-status a").first  # the status block, in place
    with page.expect_download() as info:
        result.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
