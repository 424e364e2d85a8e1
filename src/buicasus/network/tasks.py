"""Network recomputation as a background task, and what a page or an API call does instead of
computing: read the stored snapshot and ask a worker for a fresh one when it is out of date.

A recompute takes seconds to minutes on a large registry (12 s cold at 20,000 organisations),
so no request runs it. One job per visibility scope and country waits or runs at a time:
readers who see the same network share it, and only they can follow it (its key names their
scope, see `job_key`). Storing the snapshot is one transaction, so a failed attempt leaves the
previous one in place; the task is safe to run again and is retried.
"""

from __future__ import annotations

import hashlib
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from buicasus.core.network import NetworkSummary
from buicasus.jobs import services as jobs
from buicasus.jobs.models import Job
from buicasus.jobs.runner import Progress, background
from buicasus.network import services
from buicasus.network.models import NetworkSnapshot

STEPS = ("reading", "analysing", "storing")
FAILED_SHOWN = timedelta(minutes=10)


def _step_labels() -> dict[str, str]:
    return {
        "reading": _("Reading organisations and links"),
        "analysing": _("Computing centralities and communities"),
        "storing": _("Storing the results"),
    }


def network_url(country: str | None) -> str:
    return reverse("network:index") + "?" + urlencode({"country": country or ""})


@background(kind="network", retries=2)
def recompute(progress: Progress, user_id: int | None, country: str | None) -> dict[str, Any]:
    """Compute and store the network of `country` as the user `user_id` (None: a visitor)
    sees it."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    labels = _step_labels()
    progress.set_total(len(STEPS), step=labels[STEPS[0]])

    def tell(step: str) -> None:
        if step != STEPS[0]:
            progress.advance(1, step=labels.get(step, step))

    snapshot = services.compute(user, country, progress=tell)
    summary = NetworkSummary.from_dict(snapshot.summary)
    return {
        "message": _(
            "The network of %(where)s was recomputed: %(nodes)s organisations, %(edges)s links."
        )
        % {
            "where": country or _("all countries"),
            "nodes": summary.nodes,
            "edges": summary.edges,
        },
        "url": network_url(country),
        "seconds": snapshot.seconds,
    }


def job_key(user: Any, country: str | None) -> str:
    """The key of the recompute of what `user` sees of `country`: readers of one scope share
    it, and a reader may follow a network job only when its key is theirs."""
    scope = hashlib.sha256(services.visibility_scope(user).encode()).hexdigest()[:24]
    return f"network:{country or '*'}:{scope}"


def pending_job(user: Any, country: str | None) -> Job | None:
    """The recompute that waits or runs for this reader's network, if any."""
    unfinished = Job.objects.filter(key=job_key(user, country)).exclude(status__in=Job.FINISHED)
    return unfinished.order_by("-created_at").first()


def latest_job(user: Any, country: str | None) -> Job | None:
    """The newest recompute of this reader's network, finished or not: what the status
    block shows (a failure stays visible until the next attempt)."""
    return Job.objects.filter(key=job_key(user, country)).order_by("-created_at").first()


def request_recompute(user: Any, country: str | None, *, again: bool = False) -> Job:
    """Ask a worker to recompute this reader's network, unless it is already asked. After a
    failure, pages keep showing it for `FAILED_SHOWN` rather than asking again at every
    view; `again` (someone asked explicitly) asks anyway."""
    found = pending_job(user, country)
    if found is not None:
        return found
    latest = latest_job(user, country)
    if (
        not again
        and latest is not None
        and latest.status == Job.Status.FAILED
        and latest.finished_at is not None
        and latest.finished_at > timezone.now() - FAILED_SHOWN
    ):
        return latest
    where = country or _("all countries")
    return jobs.start(
        recompute,
        user.pk if getattr(user, "is_authenticated", False) else None,
        country,
        label=_("Recompute the network: %(where)s") % {"where": where},
        user=user,
        key=job_key(user, country),
    )


def current_or_requested(
    user: Any, country: str | None, *, metrics: bool = True
) -> tuple[NetworkSnapshot | None, Job | None]:
    """The stored snapshot (possibly out of date, None if never computed) and, when it is not
    current, the job that recomputes it. Requests call this; they never compute."""
    snapshot = services.stored_snapshot(user, country, metrics=metrics)
    if services.is_current(snapshot):
        return snapshot, None
    job = request_recompute(user, country)
    if job.status == Job.Status.SUCCEEDED:  # a backend that runs tasks at once (tests)
        return services.stored_snapshot(user, country, metrics=metrics), None
    return snapshot, job


def reading_stored() -> AbstractContextManager[None]:
    """Read networks without computing them (pages, the API, a report page): out-of-date or
    missing ones are asked of a worker (see `services.stored_only`)."""
    return services.stored_only(request_recompute)
