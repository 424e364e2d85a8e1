"""Duplicate scans run in a background worker: started from the review queue or the API,
followed by the editors of the country, shown when they fail, and never leaving a half-written
queue."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from buicasus.accounts.models import ApiToken
from buicasus.dedup import finding
from buicasus.dedup.models import CandidatePair, MergeRecord
from buicasus.jobs import services as jobs
from buicasus.jobs.models import Job
from tests.dedup.conftest import TwoSources

pytestmark = pytest.mark.django_db


def scan_choices(page: str) -> list[str]:
    """The countries the page's scan form offers ("" for every country)."""
    form = re.search(r'<select id="dedup-scan-country".*?</select>', page, re.S)
    assert form is not None
    return re.findall(r'<option value="([A-Z]*)"', form.group(0))


def test_a_scan_from_the_queue_page(
    client_for: Callable[..., Client], two_sources: TwoSources
) -> None:
    client = client_for("editor", "FR")
    page = client.get(reverse("dedup:queue")).content.decode()
    assert "Find duplicates" in page
    assert scan_choices(page) == ["FR"]  # a scan of every country is for platform admins

    response = client.post(reverse("dedup:scan"), {"country": "FR"})
    job = Job.objects.get(kind="duplicates")
    assert response["Location"] == f"{reverse('dedup:queue')}?job={job.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Find duplicates: FR" in page and "Waiting for a worker" in page
    assert f'hx-get="{reverse("dedup:scan-status", args=[job.pk])}"' in page
    assert not MergeRecord.objects.exists()  # the request found nothing itself

    jobs.run_queued()  # the scan (and the embedding its merge queued)
    fragment = client.get(reverse("dedup:scan-status", args=[job.pk])).content.decode()
    assert "organisations examined" in fragment and "1 merged automatically" in fragment
    assert 'href="/duplicates/?country=FR"' in fragment and "hx-trigger" not in fragment
    assert MergeRecord.objects.count() == 1


def test_with_htmx_the_status_block_comes_back_in_place(
    client_for: Callable[..., Client], two_sources: TwoSources
) -> None:
    response = client_for("editor", "FR").post(
        reverse("dedup:scan"), {"country": "FR"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.content.decode().startswith('<section class="job-status"')


def test_who_may_scan_and_follow(
    client_for: Callable[..., Client], two_sources: TwoSources
) -> None:
    french = client_for("editor", "FR")
    refused = french.post(reverse("dedup:scan"), {"country": "LV"}, follow=True)
    assert "You may not look for duplicates in this country." in refused.content.decode()
    assert not Job.objects.filter(kind="duplicates").exists()
    french.post(reverse("dedup:scan"), {"country": "FR"})
    french.post(reverse("dedup:scan"), {"country": "FR"})
    job = Job.objects.get(kind="duplicates")  # asked twice while it waits: one scan
    latvian = client_for("editor", "LV")
    assert latvian.get(reverse("dedup:scan-status", args=[job.pk])).status_code == 404
    assert "Find duplicates: FR" not in latvian.get(f"/duplicates/?job={job.pk}").content.decode()
    other_french = client_for("editor", "FR")
    assert other_french.get(reverse("dedup:scan-status", args=[job.pk])).status_code == 200
    admin = client_for("admin")
    assert "" in scan_choices(admin.get(reverse("dedup:queue")).content.decode())
    admin.post(reverse("dedup:scan"), {"country": ""})
    assert Job.objects.filter(key="duplicates:*").exists()


def test_the_api_answers_202_and_the_scan_is_followed(
    make_user: Callable[..., Any], two_sources: TwoSources
) -> None:
    _token, raw = ApiToken.issue(make_user("editor", "FR"), "test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    accepted = client.post(
        "/api/v1/duplicates/scan", {"country": "fr"}, content_type="application/json", **auth
    )
    assert accepted.status_code == 202
    body = accepted.json()
    assert body["status"] == "queued" and body["poll_url"].startswith("/api/v1/duplicates/scans/")
    jobs.run_queued()
    done = client.get(body["poll_url"], **auth).json()
    assert done["status"] == "succeeded" and done["outcome"]["merged"] == 1
    forbidden = client.post(
        "/api/v1/duplicates/scan", {"country": "LV"}, content_type="application/json", **auth
    )
    assert forbidden.status_code == 403
    doc = client.get("/api/v1/openapi.json").json()
    assert "202" in doc["paths"]["/api/v1/duplicates/scan"]["post"]["responses"]


def test_a_failed_scan_is_shown_and_leaves_the_queue_as_it_was(
    client_for: Callable[..., Client],
    two_sources: TwoSources,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise MemoryError("too many candidate pairs")

    monkeypatch.setattr(finding, "_write_queue", broken)
    client = client_for("editor", "FR")
    response = client.post(reverse("dedup:scan"), {"country": "FR"})
    Job.objects.update(max_attempts=1)  # no retry: fail for good now
    jobs.run_queued()
    job = Job.objects.get(kind="duplicates")
    assert job.status == Job.Status.FAILED
    page = client.get(response["Location"]).content.decode()
    assert "Failed" in page and "MemoryError" in page and f"Reference: {job.pk}" in page
    # The certain pair's merge is whole (and undoable); no pending pair was half written.
    assert MergeRecord.objects.count() == 1
    assert not CandidatePair.objects.filter(status="pending").exists()
