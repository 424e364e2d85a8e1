"""Background functions the job tests start (module level, as the queue needs)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

from buicasus.jobs.models import Job
from buicasus.jobs.runner import JobError, Progress, background


@background(kind="test-count")
def count_to(progress: Progress, n: int) -> dict[str, Any]:
    progress.set_total(n, step="counting")
    seen = []
    for _ in range(n):
        progress.advance()
        # What a polling page would read while the task runs.
        seen.append(Job.objects.get(pk=progress.job.pk).done)
    return {"message": f"Counted to {n}.", "url": "/search/", "seen": seen}


@background(kind="test-flaky", retries=1)
def flaky(progress: Progress) -> str:
    if progress.attempt == 1:
        raise ConnectionError("first attempt fails")
    return f"Worked at attempt {progress.attempt}."


@background(kind="test-refused", retries=3)
def refused(progress: Progress) -> None:
    raise JobError("The file has no header row.")


@background(kind="test-atomic", atomic=True)
def half_written(progress: Progress, label: str) -> None:
    # Any write: it must not outlive the failure.
    Job.objects.create(kind="left-behind", label=label, task_path="x")
    raise RuntimeError("broke in the middle")


@background(kind="test-language")
def speak(progress: Progress) -> str:
    return get_language() or ""


@background(kind="test-stopped", retries=1)
def stopped(progress: Progress, stop: bool) -> None:
    if stop:
        raise SystemExit(1)


@background(kind="test-stopped")
def stopped_once(progress: Progress, stop: bool) -> None:
    if stop:
        raise SystemExit(1)
