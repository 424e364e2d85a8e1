"""Starting, following and finding background jobs (see `runner` for declaring them).

    from buicasus.jobs.runner import Progress, background
    from buicasus.jobs import services as jobs

    @background(kind="network", retries=2)
    def recompute(progress: Progress, scope: str) -> dict:
        progress.set_total(n, step=_("Reading ties"))
        ...
        return {"message": _("Network recomputed."), "url": reverse(...)}

    job = jobs.start(recompute, scope, label=_("Recompute the network"), user=request.user)
    # the page shows {% include "jobs/_status.html" with job=job %}, which polls until done;
    # the CLI runs it in its own process with a progress bar: jobs.run_here(recompute, scope,
    # label=…, bar=True)

`start` queues in the same transaction as the caller's writes: if the request rolls back, no
job was ever queued. A worker (`buicasus worker`) runs it; `run_queued()` runs what is ready
in this process (tests, `buicasus worker --batch`).
"""

from __future__ import annotations

import logging
import sys
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_tasks.base import DEFAULT_TASK_BACKEND_ALIAS, Task
from django_tasks.utils import normalize_json
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction
from tqdm import tqdm

from buicasus.accounts import permissions
from buicasus.jobs.models import Job
from buicasus.jobs.runner import JobError, Listener, execute, requeue, spec_of

__all__ = [
    "JobError",
    "recent_for",
    "run_here",
    "run_queued",
    "start",
    "sweep",
    "visible_job",
    "wait",
]

log = logging.getLogger(__name__)

# A running job that gave no sign of life for this long is taken for lost (its worker died):
# queued again while retries remain, failed otherwise.
STALE_AFTER = timedelta(minutes=30)
# Finished jobs (and their queue entries) are kept this long, then purged by `sweep`.
KEEP_FINISHED = timedelta(days=90)


def _new_job(
    declared: Task[Any, Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    *,
    label: str,
    user: Any,
    key: str,
) -> Job:
    spec = spec_of(declared)
    return Job.objects.create(
        kind=spec.kind,
        label=str(label)[:300],
        key=key,
        task_path=declared.module_path,
        arguments=normalize_json({"args": list(args), "kwargs": kwargs}),
        language=get_language() or settings.LANGUAGE_CODE,
        started_by=user if getattr(user, "is_authenticated", False) else None,
        max_attempts=spec.retries + 1,
    )


def start(
    declared: Task[Any, Any],
    *args: Any,
    label: str,
    user: Any = None,
    key: str = "",
    **kwargs: Any,
) -> Job:
    """Queue a `@background` task for a worker and return its job. With a `key`, a job of the
    same key that is still waiting is returned instead of queueing a second one (a running
    one is not: it may have read its data already)."""
    if key:
        waiting = Job.objects.filter(key=key, status=Job.Status.QUEUED).first()
        if waiting is not None:
            return waiting
    job = _new_job(declared, args, kwargs, label=label, user=user, key=key)
    result = declared.enqueue(str(job.pk), *args, **kwargs)
    # An immediate backend has run the job by now: keep what it wrote.
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))
    job.refresh_from_db()
    return job


def run_here(
    declared: Task[Any, Any],
    *args: Any,
    label: str,
    user: Any = None,
    bar: bool = False,
    listener: Listener | None = None,
    **kwargs: Any,
) -> Job:
    """Run a `@background` task in this process (the CLI), recorded as a job like any other so
    pages show it too; `bar` draws a progress bar on stderr. Failures are kept on the job and
    raised (`JobError` for the person's own mistakes); there is no retry here."""
    job = _new_job(declared, args, kwargs, label=label, user=user, key="")
    progress_bar = tqdm(desc=str(label), file=sys.stderr, unit="", leave=True) if bar else None

    def show(current: Job) -> None:
        if progress_bar is not None:
            if current.total is not None and progress_bar.total != current.total:
                progress_bar.total = current.total
            progress_bar.n = current.done
            if current.step:
                progress_bar.set_postfix_str(current.step, refresh=False)
            progress_bar.refresh()
        if listener:
            listener(current)

    try:
        execute(spec_of(declared), str(job.pk), args, kwargs, listener=show)
    finally:
        if progress_bar is not None:
            progress_bar.close()
    job.refresh_from_db()
    return job


def wait(
    job: Job,
    *,
    timeout: float | None = None,
    interval: float = 1.0,
    listener: Listener | None = None,
) -> Job:
    """Follow a queued job until it finishes (or `timeout` seconds pass); returns it fresh."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        job.refresh_from_db()
        if listener:
            listener(job)
        if job.is_finished or (deadline is not None and time.monotonic() >= deadline):
            return job
        time.sleep(interval)


def run_queued(*, max_tasks: int | None = None) -> int:
    """Run the tasks that are ready now, in this process, until none is left (or `max_tasks`
    ran); returns how many ran. Tests use it: unlike a worker's loop it never closes the
    database connection, so it runs inside a test's transaction."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="in-process",
        excluded_queue_names=[],
    )
    ran = 0
    while max_tasks is None or ran < max_tasks:
        ready = DBTaskResult.objects.ready().filter(backend_name=DEFAULT_TASK_BACKEND_ALIAS)
        with exclusive_transaction(ready.db):
            entry = ready.get_locked()
            if entry is not None:
                entry.claim(worker.worker_id)
        if entry is None:
            return ran
        worker.run_task(entry)
        ran += 1
    return ran


def sweep(now: Any = None) -> int:
    """Close or requeue jobs whose worker died: running without a sign of life for
    `STALE_AFTER`, or waiting on a queue entry that already failed (a task that could not
    even start); purge jobs finished more than `KEEP_FINISHED` ago. Returns how many jobs it
    closed or requeued. Workers call it when they start."""
    now = now or timezone.now()
    changed = 0
    try:
        with transaction.atomic():
            stale = list(
                Job.objects.select_for_update(skip_locked=True).filter(
                    status=Job.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER
                )
            )
            for job in stale:
                _requeue_or_fail(job, _("The worker running this task stopped."))
                changed += 1
            failed_entries = DBTaskResult.objects.failed().values_list("id", flat=True)
            for job in Job.objects.select_for_update(skip_locked=True).filter(
                status=Job.Status.QUEUED,
                created_at__lt=now - timedelta(minutes=1),
                task_result_id__in=[str(i) for i in failed_entries[:1000]],
            ):
                job.status, job.finished_at = Job.Status.FAILED, now
                job.error = _("The task could not start. An administrator can read why in the log.")
                job.save(update_fields=["status", "finished_at", "error"])
                changed += 1
            old = now - KEEP_FINISHED
            Job.objects.filter(status__in=Job.FINISHED, finished_at__lt=old).delete()
            DBTaskResult.objects.finished().filter(finished_at__lt=old).delete()
    except OperationalError as exc:  # SQLite busy with a long write: the next sweep will do
        log.warning("sweep skipped: %s", exc)
    return changed


def _requeue_or_fail(job: Job, reason: str) -> None:
    if job.attempts < job.max_attempts:
        job.status, job.error = Job.Status.QUEUED, reason + " " + _("It is tried again.")
        job.save()
        stored = job.arguments or {}
        requeue(job, stored.get("args", []), stored.get("kwargs", {}))
    else:
        job.status, job.finished_at, job.error = Job.Status.FAILED, timezone.now(), reason
        job.save()


def recent_for(user: Any, limit: int = 50) -> QuerySet[Job]:
    """The jobs a person may follow, newest first: their own; every job for platform admins."""
    jobs = Job.objects.select_related("started_by")
    if not permissions.is_platform_admin(user) and not getattr(user, "is_superuser", False):
        jobs = jobs.filter(started_by=user) if user.is_authenticated else jobs.none()
    return jobs[:limit]


def visible_job(user: Any, job_id: Any) -> Job | None:
    """The job if this person may follow it (they started it, or they run the platform)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or not getattr(user, "is_authenticated", False):
        return None
    if job.started_by_id == user.pk or permissions.is_platform_admin(user) or user.is_superuser:
        return job
    return None
