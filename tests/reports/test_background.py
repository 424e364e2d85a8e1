"""PDF builds run in a background worker: asking returns at once with a build page that
follows the job, the file is downloaded from it by readers of the same records only, and a
failed build is shown and leaves no file behind. A report page whose network was never
computed waits for the worker instead of computing it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from buicasus.jobs import services as jobs
from buicasus.jobs.models import Job
from buicasus.network.models import NetworkSnapshot
from buicasus.reports import services, tasks
from tests.background import QUEUED


@pytest.fixture
def queued(settings: Any, tmp_path: Path) -> Path:
    """Jobs wait in the database for a worker, as in production; builds go to `tmp_path`."""
    settings.TASKS = QUEUED
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_a_pdf_is_built_by_the_worker_and_downloaded(
    client: Client, seeded: dict[str, Any], queued: Path
) -> None:
    asked = client.get(reverse("reports:mapping-pdf", args=["LV"]), {"lang": "sv"})
    assert asked.status_code == 302
    build_url = asked["Location"]
    page = client.get(build_url).content.decode()
    assert "Mapping report LV (sv, PDF)" in page and "Waiting for a worker" in page
    assert 'hx-trigger="every 1s"' in page and f'href="{build_url}"' in page  # refresh link
    again = client.get(reverse("reports:mapping-pdf", args=["LV"]), {"lang": "sv"})
    assert again["Location"] == build_url  # the same build, not a second one

    assert jobs.run_queued() == 1
    job = Job.objects.get(kind="report")
    status = client.get(reverse("reports:build-status", args=[job.pk])).content.decode()
    assert "The report is ready" in status and "hx-trigger" not in status
    download = reverse("reports:build-download", args=[job.pk])
    assert f'href="{download}"' in status
    response = client.get(download)
    assert response["Content-Disposition"] == 'attachment; filename="buicasus-mapping-LV-sv.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert job.done == job.total == services.BUILD_STEPS


def test_with_htmx_the_status_block_comes_back_to_the_report_page(
    client: Client, seeded: dict[str, Any], queued: Path
) -> None:
    response = client.get(
        reverse("reports:mapping-pdf", args=["LV"]), {"lang": "en"}, HTTP_HX_REQUEST="true"
    )
    fragment = response.content.decode()
    assert response.status_code == 200 and fragment.startswith('<section class="job-status"')
    assert "/reports/builds/" in fragment and "/status" in fragment


def test_only_readers_of_the_same_records_see_a_build(
    client_for: Any, seeded: dict[str, Any], queued: Path
) -> None:
    staff = client_for("viewer", "LV")
    build_url = staff.get(reverse("reports:mapping-pdf", args=["LV"]))["Location"]
    jobs.run_queued()
    job = Job.objects.get(kind="report")
    assert staff.get(build_url).status_code == 200
    download = reverse("reports:build-download", args=[job.pk])
    file = staff.get(download)
    assert file.status_code == 200
    assert b"".join(file.streaming_content)  # read whole: the client then closes the file
    for other in (Client(), client_for("editor", "FR")):
        assert other.get(build_url).status_code == 404
        assert other.get(download).status_code == 404


def test_a_failed_build_is_shown_and_leaves_no_file(
    client: Client, seeded: dict[str, Any], queued: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(html: str, **kwargs: Any) -> bytes:
        raise OSError("the font cache is unreadable")

    monkeypatch.setattr(services, "render_pdf", broken)
    build_url = client.get(reverse("reports:mapping-pdf", args=["LV"]))["Location"]
    Job.objects.filter(kind="report").update(max_attempts=1)
    jobs.run_queued()
    job = Job.objects.get(kind="report")
    assert job.status == Job.Status.FAILED and job.step == "Rendering the PDF"
    page = client.get(build_url).content.decode()
    assert "Failed" in page and "OSError" in page and f"Reference: {job.pk}" in page
    assert "hx-trigger" not in page
    assert not list((queued / tasks.BUILDS).glob("*"))  # nothing half-written
    assert client.get(reverse("reports:build-download", args=[job.pk])).status_code == 404


def test_a_report_page_waits_for_a_network_never_computed(
    client: Client, seeded: dict[str, Any], queued: Path
) -> None:
    url = reverse("reports:mapping", args=["LV"])
    waiting = client.get(url, {"lang": "en"})
    assert waiting.status_code == 202
    text = waiting.content.decode()
    assert "The report waits for the network analysis" in text
    assert "Recompute the network: LV" in text and f'hx-get="{url}?lang=en"' in text
    assert not NetworkSnapshot.objects.exists()
    while jobs.run_queued():  # a report may need several networks (indicators, figure)
        polled = client.get(url, {"lang": "en"}, HTTP_HX_REQUEST="true")
    polled = client.get(url, {"lang": "en"}, HTTP_HX_REQUEST="true")
    assert polled.status_code == 204 and polled["HX-Refresh"] == "true"
    page = client.get(url, {"lang": "en"})
    assert page.status_code == 200 and "Mapping report: Latvia" in page.content.decode()


def test_build_links_are_found_by_the_page(client: Client, seeded: dict[str, Any]) -> None:
    """In these tests builds run at once: the build page offers the download straight away."""
    build_url = client.get(reverse("reports:mapping-transnational-pdf"))["Location"]
    html = client.get(build_url).content.decode()
    assert re.search(r'href="/reports/builds/[^"]+/download"', html)


def test_a_new_build_replaces_the_previous_file(client: Client, seeded: dict[str, Any]) -> None:
    url = reverse("reports:mapping-pdf", args=["LV"])
    first, second = client.get(url)["Location"], client.get(url)["Location"]
    assert first != second
    old, new = Job.objects.filter(kind="report").order_by("created_at")
    assert not tasks.build_path(old.pk, "pdf").exists() and tasks.build_path(new.pk, "pdf").exists()
    assert client.get(reverse("reports:build-download", args=[old.pk])).status_code == 404
