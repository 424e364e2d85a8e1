"""The network is recomputed by a background worker, never in a request: pages and the API
show the stored analysis (or a status block while there is none), follow the recompute, and
show a failure; a failed recompute leaves the previous analysis in place."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from buicasus.jobs import services as jobs
from buicasus.jobs.models import Job
from buicasus.network import services, tasks
from buicasus.network.models import NetworkSnapshot
from tests.background import QUEUED
from tests.registry.factories import organisation


@pytest.fixture
def queued(settings: Any) -> None:
    """Jobs wait in the database for a worker, as in production (this area's conftest runs
    them at once otherwise)."""
    settings.TASKS = QUEUED


def html(response: Any) -> str:
    return response.content.decode()


def test_first_visit_queues_the_recompute_and_follows_it(eco: dict[str, Any], queued: None) -> None:
    client = Client()
    page = client.get(reverse("network:index"), {"country": "LV"})
    assert page.status_code == 200
    text = html(page)
    assert "has not been computed yet" in text
    assert "Recompute the network: LV" in text and "Waiting for a worker" in text
    status_url = reverse("network:status") + "?country=LV"
    assert f'hx-get="{status_url}"' in text and 'hx-trigger="every 1s"' in text
    assert "Refresh</a>" in text  # followed without JavaScript too
    assert "Key figures" not in text
    assert not NetworkSnapshot.objects.exists()  # the request computed nothing

    assert jobs.run_queued() == 1  # the database worker, in this process
    fragment = html(client.get(status_url))
    assert "Done" in fragment and "The network of LV was recomputed" in fragment
    assert 'href="/network/?country=LV"' in fragment and "hx-trigger" not in fragment
    text = html(client.get(reverse("network:index"), {"country": "LV"}))
    assert "Key figures" in text and "Nettest C" in text
    assert "job-status" not in text  # current: nothing to follow


def test_asking_twice_makes_one_job(eco: dict[str, Any], queued: None) -> None:
    client = Client()
    client.get(reverse("network:index"), {"country": "LV"})
    client.get(reverse("network:isolated"), {"country": "LV"})
    client.get("/api/v1/network/summary", {"country": "LV"})
    assert Job.objects.filter(kind="network").count() == 1


def test_a_change_shows_the_previous_figures_while_recomputing(
    eco: dict[str, Any], queued: None
) -> None:
    client = Client()
    client.get(reverse("network:index"), {"country": "LV"})
    jobs.run_queued()
    nodes = client.get("/api/v1/network/summary", {"country": "LV"}).json()["nodes"]
    organisation("LV", name="Nettest newcomer")  # the change event makes the analysis stale
    text = html(client.get(reverse("network:index"), {"country": "LV"}))
    assert "Key figures" in text and "they are being recomputed" in text
    assert "Waiting for a worker" in text
    summary = client.get("/api/v1/network/summary", {"country": "LV"}).json()
    assert summary["current"] is False and summary["nodes"] == nodes  # the previous analysis
    jobs.run_queued()
    summary = client.get("/api/v1/network/summary", {"country": "LV"}).json()
    assert summary["current"] is True and summary["nodes"] == nodes + 1


def test_api_answers_202_until_the_network_exists(eco: dict[str, Any], queued: None) -> None:
    client = Client()
    response = client.get("/api/v1/network/graph", {"country": "LV"})
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued" and body["kind"] == "network"
    assert body["poll_url"] == "/api/v1/network/recompute?country=LV"
    assert client.get(body["poll_url"]).json()["status"] == "queued"
    jobs.run_queued()
    followed = client.get(body["poll_url"]).json()
    assert followed["status"] == "succeeded" and followed["done"] == followed["total"] == 3
    graph = client.get("/api/v1/network/graph", {"country": "LV"})
    assert graph.status_code == 200 and graph.json()["current"] is True


def test_recompute_on_request_needs_credentials(
    eco: dict[str, Any], queued: None, make_user: Any
) -> None:
    assert Client().post("/api/v1/network/recompute").status_code == 401
    client = Client()
    client.force_login(make_user("viewer", "LV"))
    response = client.post("/api/v1/network/recompute?country=LV")
    assert response.status_code == 202 and response.json()["label"].endswith("LV")
    again = client.post("/api/v1/network/recompute?country=LV")
    assert again.json()["id"] == response.json()["id"]


def test_a_reader_follows_only_the_recompute_of_what_they_see(
    eco: dict[str, Any], queued: None, make_user: Any
) -> None:
    viewer = Client()
    viewer.force_login(make_user("viewer", "LV"))
    viewer.get(reverse("network:index"), {"country": "LV"})
    visitor = Client()
    assert visitor.get(reverse("network:status"), {"country": "LV"}).status_code == 204
    assert visitor.get("/api/v1/network/recompute", {"country": "LV"}).status_code == 404
    assert viewer.get(reverse("network:status"), {"country": "LV"}).status_code == 200


def test_a_failed_recompute_is_shown_and_keeps_the_previous_analysis(
    eco: dict[str, Any], queued: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    client.get(reverse("network:index"), {"country": "LV"})
    jobs.run_queued()
    before = NetworkSnapshot.objects.get(scope="public", country="LV")
    organisation("LV", name="Nettest newcomer")

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError("no room for the betweenness")

    monkeypatch.setattr(services.core, "analyse", broken)
    job = tasks.request_recompute(None, "LV")
    Job.objects.filter(pk=job.pk).update(max_attempts=1)  # no retry: fail for good now
    jobs.run_queued()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempts == 1
    fragment = html(client.get(reverse("network:status"), {"country": "LV"}))
    assert "Failed" in fragment and "MemoryError" in fragment and str(job.pk) in fragment
    after = NetworkSnapshot.objects.get(scope="public", country="LV")
    assert after.data_version == before.data_version and after.summary == before.summary
    page = html(client.get(reverse("network:index"), {"country": "LV"}))
    assert "recomputing them failed" in page and "Key figures" in page
    assert Job.objects.filter(kind="network").count() == 2  # a view does not ask again
    reader = Client()  # signed in without a role: the visitors' network, the failed one
    reader.force_login(get_user_model().objects.create_user("nettest-plain"))
    again = reader.post("/api/v1/network/recompute?country=LV")  # an explicit request does
    assert again.status_code == 202 and again.json()["status"] == "queued"
    assert Job.objects.filter(key=job.key).count() == 3


def test_outside_requests_the_network_is_computed_where_needed(eco: dict[str, Any]) -> None:
    """A worker's task that needs a network (a report build) or a command computes it."""
    summary = services.network_summary("LV")
    assert summary.nodes > 0 and NetworkSnapshot.objects.filter(country="LV").exists()
