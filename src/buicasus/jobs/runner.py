"""Declaring and running background tasks: `@background(...)`, `Progress`, `JobError`.

A background function takes a `Progress` first, then JSON-able arguments, and returns what a
person should read when it is done (a message, or a dict with `message`, optionally `url` and
any other JSON data). `@background` turns it into a django-tasks `Task` whose function runs the
bookkeeping around it: the `Job` row is marked running, progress is written as it goes, the
outcome or the error is kept, and a failed attempt is queued again while retries remain.

`atomic=True` runs the function and the job's success in one transaction: a failure leaves
nothing it wrote, and (on PostgreSQL) the job's row stays locked while it runs, so no other
worker takes it for lost. Its progress becomes visible only at the end: pages show it running.
Tasks that are safe to run twice (idempotent, or atomic) may declare `retries`.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks.base import Task

from buicasus.jobs.models import Job

log = logging.getLogger(__name__)

# Progress is written at most this often (seconds); steps and totals are written at once.
WRITE_EVERY = 0.5
RETRY_DELAY = timedelta(seconds=30)

Listener = Callable[[Job], None]


class JobError(Exception):
    """A failure the person can act on (a bad file, a missing framework): its message is
    shown as it is, and the task is never retried."""


@dataclass(frozen=True)
class Spec:
    kind: str
    retries: int
    atomic: bool
    func: Callable[..., Any]


_SPECS: dict[str, Spec] = {}


def spec_of(task_: Task[Any, Any]) -> Spec:
    """How a task declared with `@background` runs (KeyError for a plain django-tasks task)."""
    return _SPECS[task_.module_path]


def background(
    *,
    kind: str,
    retries: int = 0,
    atomic: bool = False,
    priority: int = 0,
    queue: str = "default",
) -> Callable[[Callable[..., Any]], Task[Any, Any]]:
    """Declare a background function `f(progress, *args, **kwargs)` (module level).
    `kind` names it in lists and the admin ("embed", "import", "network"…); `retries` is how
    often a failed attempt is tried again (only for tasks safe to run twice)."""

    def decorate(func: Callable[..., Any]) -> Task[Any, Any]:
        spec = Spec(kind=kind, retries=max(0, retries), atomic=atomic, func=func)

        # Same module and name as `func`, so the queue finds the task by `func`'s path.
        @functools.wraps(func)
        def run(job_id: str, *args: Any, **kwargs: Any) -> Any:
            return execute(spec, job_id, args, kwargs)

        declared: Task[Any, Any] = task(priority=priority, queue_name=queue)(run)
        _SPECS[declared.module_path] = spec
        return declared

    return decorate


class Progress:
    """What a running task tells the person waiting: how much of how much, and which step.

    `advance` has the shape of a tqdm `update`, so it can be passed where a progress callback
    is expected (`ensure_embeddings(progress=progress.advance)`)."""

    def __init__(self, job: Job, listener: Listener | None = None) -> None:
        self.job = job
        self._listener = listener
        self._written = 0.0

    @property
    def attempt(self) -> int:
        return self.job.attempts

    def set_total(self, total: int | None, step: str | None = None) -> None:
        self.job.total = None if total is None else max(0, int(total))
        self.job.done = 0
        if step is not None:
            self.job.step = step[:300]
        self._write(force=True)

    def step(self, text: str) -> None:
        self.job.step = text[:300]
        self._write(force=True)

    def advance(self, n: int = 1, step: str | None = None) -> None:
        self.job.done += int(n)
        if step is not None:
            self.job.step = step[:300]
        self._write(force=step is not None)

    def _write(self, *, force: bool) -> None:
        now = time.monotonic()
        if self._listener:
            self._listener(self.job)
        if not force and now - self._written < WRITE_EVERY:
            return
        self._written = now
        self.job.heartbeat_at = timezone.now()
        Job.objects.filter(pk=self.job.pk).update(
            done=self.job.done,
            total=self.job.total,
            step=self.job.step,
            heartbeat_at=self.job.heartbeat_at,
        )


def _outcome(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    return {"message": str(value)}


def execute(
    spec: Spec,
    job_id: str,
    args: tuple[Any, ...] | list[Any],
    kwargs: dict[str, Any],
    listener: Listener | None = None,
) -> dict[str, Any] | None:
    """One attempt at a job: the body of every `@background` task (and of `run_here`)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        # Its row was purged, or the attempt had been taken for lost and the job closed.
        return None
    now = timezone.now()
    job.status, job.started_at, job.heartbeat_at = Job.Status.RUNNING, now, now
    job.attempts += 1
    job.step, job.error = "", ""
    job.save(update_fields=["status", "started_at", "heartbeat_at", "attempts", "step", "error"])
    progress = Progress(job, listener)
    with translation.override(job.language or None):
        try:
            if spec.atomic:
                with transaction.atomic():
                    # Held until commit: a sweep on PostgreSQL skips a job whose row is locked.
                    Job.objects.select_for_update().filter(pk=job.pk).first()
                    outcome = _outcome(spec.func(progress, *args, **kwargs))
                    _succeed(job, outcome)
            else:
                outcome = _outcome(spec.func(progress, *args, **kwargs))
                _succeed(job, outcome)
        except Exception as exc:
            try:
                _failed_attempt(spec, job, args, kwargs, exc)
            except Exception:  # the database itself may be what failed: keep the first error
                log.exception("job %s: could not record the failure", job.pk)
            raise
        except BaseException:
            # The worker is being stopped (a second Ctrl+C or SIGTERM): hand the job back.
            _interrupted(job, args, kwargs)
            raise
        finally:
            if listener:
                listener(job)
    return outcome


def _succeed(job: Job, outcome: dict[str, Any]) -> None:
    job.status = Job.Status.SUCCEEDED
    job.finished_at = timezone.now()
    job.outcome = outcome
    job.result_url = str(outcome.get("url") or "")[:500]
    if job.total is not None:
        job.done = job.total
    job.save()


def _failed_attempt(
    spec: Spec, job: Job, args: Any, kwargs: dict[str, Any], exc: Exception
) -> None:
    log.warning("job %s (%s) attempt %s failed: %r", job.pk, job.kind, job.attempts, exc)
    job.finished_at = timezone.now()
    if isinstance(exc, JobError):
        job.status, job.error = Job.Status.FAILED, str(exc)
    elif job.attempts < job.max_attempts:
        delay = RETRY_DELAY * job.attempts
        job.status, job.finished_at = Job.Status.QUEUED, None
        job.error = _("Attempt %(n)s failed (%(error)s); it is tried again in %(s)s seconds.") % {
            "n": job.attempts,
            "error": type(exc).__name__,
            "s": int(delay.total_seconds()),
        }
        job.save()
        requeue(job, args, kwargs, delay=delay)
        return
    else:
        job.status = Job.Status.FAILED
        job.error = _(
            "The task stopped with an error (%(error)s). An administrator can read the details "
            "in the task log."
        ) % {"error": type(exc).__name__}
    job.save()


def _interrupted(job: Job, args: Any, kwargs: dict[str, Any]) -> None:
    try:
        if job.max_attempts > 1:  # declared safe to run twice
            job.status = Job.Status.QUEUED
            job.error = _("The worker was stopped during this task; it is taken up again.")
            job.save()
            requeue(job, args, kwargs)
        else:
            job.status, job.finished_at = Job.Status.FAILED, timezone.now()
            job.error = _("The worker was stopped during this task. Start it again.")
            job.save()
    except Exception:
        log.exception("job %s: could not record the interruption", job.pk)


def requeue(job: Job, args: Any, kwargs: dict[str, Any], delay: timedelta | None = None) -> None:
    """Queue another attempt of a job already saved as queued (a backend that runs tasks at
    once runs it now, and writes the job itself: nothing here saves the job after that)."""
    declared = task_of(job)
    if delay and declared.get_backend().supports_defer:
        declared = declared.using(run_after=timezone.now() + delay)
    result = declared.enqueue(str(job.pk), *args, **kwargs)
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))


def task_of(job: Job) -> Task[Any, Any]:
    """The task a job runs, found by its path."""
    found = import_string(job.task_path)
    if not isinstance(found, Task):
        raise TypeError(f"{job.task_path} is not a task")
    return found
