"""Background jobs as a person meets them: queued, followed on a page that polls, finished
with an outcome or a readable error, retried when safe, never half-written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from buicasus.jobs import runner
from buicasus.jobs import services as jobs
from buicasus.jobs.models import Job
from buicasus.jobs.runner import JobError
from tests.jobs import tasks

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_queued_job_is_followed_until_done(
    make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "WRITE_EVERY", 0)  # every step written, to read it back
    user = make_user("editor", "LV")
    client = _client(user)
    job = jobs.start(tasks.count_to, 3, label="Count to three", user=user)
    assert job.status == Job.Status.QUEUED

    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Count to three" in page and "Waiting for a worker" in page
    assert 'hx-trigger="every 1s"' in page  # the page polls while the job waits

    assert jobs.run_queued() == 1
    fragment = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert "Done" in fragment and "Counted to 3." in fragment
    assert 'href="/search/"' in fragment
    assert "hx-trigger" not in fragment  # polling stops once the job is finished
    job.refresh_from_db()
    assert (job.done, job.total, job.attempts) == (3, 3, 1)
    assert job.outcome["seen"] == [1, 2, 3]  # progress was readable while it ran


def test_a_running_job_shows_its_progress(make_user: Any) -> None:
    user = make_user("editor", "LV")
    job = jobs.start(tasks.count_to, 4, label="Count", user=user)
    Job.objects.filter(pk=job.pk).update(status="running", done=1, total=4, step="Reading rows")
    fragment = _client(user).get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert "1 of 4 (25 %)" in fragment and "Reading rows" in fragment
    assert 'hx-trigger="every 1s"' in fragment


def test_a_failed_attempt_is_retried_when_the_task_allows_it(make_user: Any) -> None:
    user = make_user("editor", "LV")
    job = jobs.start(tasks.flaky, label="Flaky", user=user)
    with pytest.raises(ConnectionError):
        tasks.flaky.call(str(job.pk))  # the first attempt, as a worker would run it
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert "Attempt 1 failed (ConnectionError)" in job.error

    # The retry waits; make it due now and let a worker take it.
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    DBTaskResult.objects.filter(id=job.task_result_id).exclude(status="READY").delete()
    jobs.run_queued()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.message == "Worked at attempt 2." and job.attempts == 2 and job.error == ""


def test_a_worker_runs_retries_and_records_the_failure_of_the_last(make_user: Any) -> None:
    job = jobs.start(tasks.flaky, label="Flaky", user=make_user("editor", "LV"))
    jobs.run_queued()
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.attempts == 1
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1  # the log keeps it


def test_a_persons_mistake_is_shown_as_is_and_not_retried(make_user: Any) -> None:
    user = make_user("editor", "LV")
    job = jobs.start(tasks.refused, label="Import a file", user=user)
    jobs.run_queued()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempts == 1
    page = _client(user).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Failed" in page and "The file has no header row." in page


def test_an_atomic_task_that_fails_leaves_nothing_written(make_user: Any) -> None:
    job = jobs.start(tasks.half_written, "ghost", label="Atomic", user=make_user("editor", "LV"))
    jobs.run_queued()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "RuntimeError" in job.error and "task log" in job.error
    assert not Job.objects.filter(label="ghost").exists()


def test_a_job_with_a_key_is_queued_once_while_it_waits(make_user: Any) -> None:
    first = jobs.start(tasks.count_to, 1, label="Embed", key="embed")
    again = jobs.start(tasks.count_to, 1, label="Embed", key="embed")
    assert again.pk == first.pk
    jobs.run_queued()
    third = jobs.start(tasks.count_to, 1, label="Embed", key="embed")
    assert third.pk != first.pk


def test_a_job_runs_in_the_language_of_the_person_who_started_it() -> None:
    from django.utils import translation

    with translation.override("lv"):
        job = jobs.start(tasks.speak, label="Runā")
    jobs.run_queued()
    job.refresh_from_db()
    assert job.message == "lv"


def test_only_the_starter_and_platform_admins_follow_a_job(make_user: Any) -> None:
    owner = make_user("editor", "LV")
    job = jobs.start(tasks.count_to, 1, label="Mine", user=owner)
    stranger = _client(make_user("editor", "LV"))
    assert stranger.get(reverse("jobs:status", args=[job.pk])).status_code == 404
    assert "Mine" not in stranger.get(reverse("jobs:list")).content.decode()
    admin = _client(make_user("admin"))
    assert admin.get(reverse("jobs:status", args=[job.pk])).status_code == 200
    assert "Mine" in admin.get(reverse("jobs:list")).content.decode()
    anonymous = Client().get(reverse("jobs:detail", args=[job.pk]))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert "Mine" in _client(owner).get(reverse("jobs:list")).content.decode()


def test_the_api_reports_a_job(make_user: Any) -> None:
    user = make_user("editor", "LV")
    job = jobs.start(tasks.count_to, 2, label="Count", user=user)
    jobs.run_queued()
    body = _client(user).get(f"/api/v1/jobs/{job.pk}").json()
    assert body["status"] == "succeeded" and body["done"] == 2
    assert body["outcome"]["message"] == "Counted to 2."
    other = _client(make_user("viewer", "SE"))
    assert other.get(f"/api/v1/jobs/{job.pk}").status_code == 404


def test_a_job_whose_worker_died_is_queued_again_or_closed() -> None:
    retryable = jobs.start(tasks.flaky, label="Flaky")
    single = jobs.start(tasks.count_to, 1, label="Once")
    long_ago = timezone.now() - jobs.STALE_AFTER - timedelta(minutes=1)
    Job.objects.update(status="running", attempts=1, heartbeat_at=long_ago)
    assert jobs.sweep() == 2
    retryable.refresh_from_db()
    single.refresh_from_db()
    assert retryable.status == Job.Status.QUEUED and "tried again" in retryable.error
    assert single.status == Job.Status.FAILED and "worker running this task stopped" in single.error
    fresh = jobs.start(tasks.count_to, 1, label="Fresh")
    Job.objects.filter(pk=fresh.pk).update(status="running", heartbeat_at=timezone.now())
    assert jobs.sweep() == 0


def test_finished_jobs_are_purged_after_a_while() -> None:
    kept = jobs.start(tasks.count_to, 1, label="Recent")
    old = jobs.start(tasks.count_to, 1, label="Old")
    jobs.run_queued()
    long_ago = timezone.now() - jobs.KEEP_FINISHED - timedelta(days=1)
    Job.objects.filter(pk=old.pk).update(finished_at=long_ago)
    DBTaskResult.objects.filter(id=old.task_result_id).update(finished_at=long_ago)
    jobs.sweep()
    assert list(Job.objects.values_list("label", flat=True)) == ["Recent"]
    assert not DBTaskResult.objects.filter(id=old.task_result_id).exists()
    assert kept.pk


def test_the_cli_runs_a_job_in_its_own_process_with_a_progress_bar(
    capsys: pytest.CaptureFixture[str],
) -> None:
    job = jobs.run_here(tasks.count_to, 5, label="Counting", bar=True)
    assert job.status == Job.Status.SUCCEEDED and job.message == "Counted to 5."
    err = capsys.readouterr().err
    assert "Counting" in err and "5/5" in err
    with pytest.raises(JobError):
        jobs.run_here(tasks.refused, label="Refused")
    assert Job.objects.get(label="Refused").status == Job.Status.FAILED


def test_buicasus_worker_batch_runs_what_is_queued(monkeypatch: pytest.MonkeyPatch) -> None:
    from django_tasks_db.management.commands import db_worker

    # A worker closes stale connections between tasks: not the test's, which holds its data.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    job = jobs.start(tasks.count_to, 2, label="Count")
    call_command("worker", "--batch", "--no-startup-delay", "--priority", "0", verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED


def test_with_tasks_run_at_once_a_retry_runs_at_once_too(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    job = jobs.start(tasks.flaky, label="Flaky")
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 2
    assert job.message == "Worked at attempt 2."


def test_a_job_interrupted_by_a_stopping_worker_is_handed_back() -> None:
    # What a second Ctrl+C or SIGTERM does to the task a worker runs.
    again = jobs.start(tasks.stopped, True, label="Safe to run again")
    once = jobs.start(tasks.stopped_once, True, label="Not safe")
    for declared, job in ((tasks.stopped, again), (tasks.stopped_once, once)):
        with pytest.raises(SystemExit):
            declared.call(str(job.pk), True)
    again.refresh_from_db()
    once.refresh_from_db()
    assert again.status == Job.Status.QUEUED and "taken up again" in again.error
    assert DBTaskResult.objects.filter(id=again.task_result_id, status="READY").exists()
    assert once.status == Job.Status.FAILED and "Start it again" in once.error
