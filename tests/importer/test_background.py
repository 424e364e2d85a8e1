"""A web import that fails for a reason of the platform's is shown, writes nothing, and is
tried again by the worker; the progress of a running import is readable while it runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from buicasus.importer import relations
from buicasus.importer.models import ImportBatch
from buicasus.jobs import runner
from buicasus.jobs import services as jobs
from buicasus.jobs.models import Job
from buicasus.registry.models import Organisation

pytestmark = pytest.mark.django_db

LINES = b"".join(
    b'{"kind": "organisation", "source_id": "%d", "fields": {"name": "Bg %d", '
    b'"actor_type": "cooperative", "country": "FR"}}\n' % (n, n)
    for n in range(30)
)


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def post(client: Any) -> Any:
    data = {"file": SimpleUploadedFile("bg.jsonl", LINES), "source": "bg-src"}
    return client.post(reverse("importer:index"), data)


def test_a_failed_attempt_writes_nothing_and_is_tried_again(
    client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for("editor", "FR")
    response = post(client)
    jobs.run_queued()
    dry = ImportBatch.objects.get(dry_run=True)
    finish = relations.finish

    def locked(run: Any) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(relations, "finish", locked)  # after every row was written
    client.post(reverse("importer:batch-confirm", args=[dry.pk]), {})
    job = Job.objects.exclude(status=Job.Status.SUCCEEDED).get()
    jobs.run_queued()
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.attempts == 1
    assert "Attempt 1 failed (OperationalError)" in job.error
    failed = ImportBatch.objects.get(dry_run=False)
    assert failed.status == "failed" and "nothing was written" in failed.error_summary
    assert not Organisation.objects.filter(source_name="bg-src").exists()  # nothing half-written
    page = client.get(f"{dry.get_absolute_url()}?job={job.pk}").content.decode()
    assert "Attempt 1 failed" in page and 'hx-trigger="every 1s"' in page

    monkeypatch.setattr(relations, "finish", finish)
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    jobs.run_queued()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 2 and job.error == ""
    assert Organisation.objects.filter(source_name="bg-src").count() == 30
    assert response.status_code == 302


def test_progress_counts_rows_as_the_worker_reads_them(
    client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "WRITE_EVERY", 0)  # every step written, to read it back
    seen: list[tuple[int, int | None, str]] = []
    write = runner.Progress._write

    def record(self: runner.Progress, *, force: bool) -> None:
        write(self, force=force)
        # What a polling page reads while the worker runs.
        seen.append(Job.objects.values_list("done", "total", "step").get(pk=self.job.pk))

    monkeypatch.setattr(runner.Progress, "_write", record)
    post(client_for("editor", "FR"))
    jobs.run_queued()
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED and job.outcome["new"] == 30
    assert any(step == "Reading and checking rows" for _done, _total, step in seen)
    assert seen[-1][0] == 30  # every row counted while the job ran
