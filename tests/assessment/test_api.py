"""The assessment API: frameworks, campaigns, invitations, my response, scores; 401/403/422."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from buicasus.assessment.models import Answer, Campaign, Invitation, Response
from tests.assessment.conftest import answered

pytestmark = pytest.mark.django_db
API = "/api/v1/assessment"


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_frameworks_are_public(framework: Any) -> None:
    listed = Client().get(f"{API}/frameworks").json()
    assert ("test-maturity", 1) in [(f["key"], f["version"]) for f in listed]
    detail = Client().get(f"{API}/frameworks/{framework.pk}").json()
    assert [d["code"] for d in detail["dimensions"]] == ["culture", "legal"]
    assert detail["dimensions"][1]["statements"][0]["high"]["sv"] == "Everything for legal-1 (sv)"


def test_campaigns_need_authentication(open_campaign: Campaign) -> None:
    assert Client().get(f"{API}/campaigns").status_code == 401
    assert Client().get(f"{API}/campaigns/{open_campaign.pk}/scores").status_code == 401


def test_create_open_invite_through_the_api(
    coordinator: Any, framework: Any, make_user: Callable[..., Any]
) -> None:
    client = logged_in(coordinator)
    bad = send(client, "post", f"{API}/campaigns", {"country": "LV", "title": "  "})
    assert bad.status_code == 422 and bad.json()["errors"]["title"][0]["message"] == (
        "Give the campaign a title."
    )
    nowhere = send(client, "post", f"{API}/campaigns", {"title": "x"})
    assert nowhere.status_code == 422 and "country" in nowhere.json()["errors"]
    other = send(client, "post", f"{API}/campaigns", {"country": "FR", "title": "x"})
    assert other.status_code == 403
    assert not Campaign.objects.exists()
    made = send(
        client,
        "post",
        f"{API}/campaigns",
        {"country": "lv", "title": "R1", "framework_id": framework.pk},
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["status"], body["framework"]["version"], body["country"]) == ("draft", 1, "LV")
    url = f"{API}/campaigns/{body['id']}"
    opened = send(client, "post", f"{url}/status", {"status": "open"})
    assert opened.json()["status"] == "open"
    wrong = send(client, "post", f"{url}/status", {"status": "draft"})
    assert wrong.status_code == 422 and "status" in wrong.json()["errors"]
    make_user(username="bo")
    invited = send(client, "post", f"{url}/invitations", {"username": "bo", "group": "funder"})
    assert invited.status_code == 201 and invited.json()["group"] == "funder"
    twice = send(client, "post", f"{url}/invitations", {"username": "bo", "group": "funder"})
    assert (
        twice.status_code == 422
        and "already invited" in twice.json()["errors"]["username"][0]["message"]
    )
    bad_group = send(client, "post", f"{url}/invitations", {"username": "bo", "group": "x"})
    assert bad_group.status_code == 422
    assert [i["username"] for i in client.get(f"{url}/invitations").json()] == ["bo"]
    assert Invitation.objects.count() == 1


def test_another_country_gets_403(open_campaign: Campaign, make_user: Callable[..., Any]) -> None:
    client = logged_in(make_user("coordinator", "FR"))
    url = f"{API}/campaigns/{open_campaign.pk}"
    assert send(client, "post", f"{url}/status", {"status": "closed"}).status_code == 403
    assert (
        send(client, "post", f"{url}/invitations", {"username": "x", "group": "funder"}).status_code
        == 403
    )
    assert client.get(f"{url}/invitations").status_code == 403
    assert client.get(f"{url}/responses").status_code == 403
    assert client.get(f"{url}/response").status_code == 403
    assert client.get(f"{url}/scores").status_code == 200  # readers see aggregate scores


def test_respondent_drafts_and_submits(
    open_campaign: Campaign, respondent: Callable[..., Any]
) -> None:
    user = respondent("academia")
    client = logged_in(user)
    url = f"{API}/campaigns/{open_campaign.pk}/response"
    start = client.get(url).json()
    assert start["status"] == "not-started" and len(start["unanswered"]) == 8
    draft = send(
        client,
        "put",
        url,
        {
            "answers": [
                {"statement": "legal-1", "value": 6, "evidence_url": "https://example.org/law"}
            ]
        },
    )
    assert draft.status_code == 200 and draft.json()["status"] == "draft"
    assert draft.json()["answers"][0]["evidence_url"] == "https://example.org/law"
    cases = [
        ({"answers": [{"statement": "legal-1", "value": 11}]}, "answers.legal-1"),
        ({"answers": [{"statement": "nope-1", "value": 1}]}, "answers.nope-1"),
        (
            {"answers": [{"statement": "legal-1"}]},
            "answers",
        ),  # value is required (null = no answer)
        ({"answers": [{"statement": "legal-1", "value": "high"}]}, "answers"),
    ]
    for body, field in cases:
        refused = send(client, "put", url, body)
        assert refused.status_code == 422 and field in refused.json()["errors"], refused.json()
    assert list(Answer.objects.values_list("value", flat=True)) == [6]
    early = client.post(f"{url}/submit")
    assert early.status_code == 422 and "7 left" in early.json()["errors"]["answers"][0]["message"]
    rest = [{"statement": c, "value": None} for c in start["unanswered"] if c != "legal-1"]
    done = send(client, "put", url, {"answers": rest, "submit": True})
    assert done.json()["status"] == "submitted" and done.json()["unanswered"] == []
    again = client.post(f"{url}/submit")
    assert (
        again.status_code == 422
        and "already submitted" in again.json()["errors"]["response"][0]["message"]
    )


def test_scores_and_single_responses(
    open_campaign: Campaign,
    respondent: Callable[..., Any],
    coordinator: Any,
    make_user: Callable[..., Any],
) -> None:
    answered(respondent("public-authority"), open_campaign, {}, default=8)
    answered(respondent("social-economy"), open_campaign, {"legal-1": None}, default=3)
    scores = (
        logged_in(make_user("viewer", "SE"))
        .get(f"{API}/campaigns/{open_campaign.pk}/scores")
        .json()
    )
    assert scores["submitted_responses"] == 2 and scores["provisional"] is True
    legal = scores["dimensions"][1]
    assert legal["label"] == "Legal (en)" and legal["count"] == 7 and legal["no_answer"] == 1
    assert legal["group_means"] == {"public-authority": 8.0, "social-economy": 3.0}
    assert legal["disagreement"] is True and legal["band"] == "established"
    from buicasus.assessment.models import Framework
    from buicasus.assessment.services import load_frameworks
    from tests.assessment.conftest import V2

    load_frameworks([V2])
    v2 = Framework.objects.get(key="test-maturity", version=2)
    url = f"{API}/campaigns/{open_campaign.pk}/scores"
    mapped = logged_in(coordinator).get(f"{url}?framework_id={v2.pk}").json()
    assert [d["dimension"] for d in mapped["dimensions"]] == ["culture", "finance"]
    assert mapped["dimensions"][1]["group_means"] == {"public-authority": 8.0}  # legal-1 only
    assert logged_in(coordinator).get(f"{url}?framework_id=999999").status_code == 404
    listed = logged_in(coordinator).get(f"{API}/campaigns/{open_campaign.pk}/responses").json()
    assert sorted(r["group"] for r in listed) == ["public-authority", "social-economy"]
    assert Response.objects.count() == 2
