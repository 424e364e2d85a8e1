"""Duplicate finding as a background task, started from the review queue or the API.

A scan of a country takes seconds to minutes (every organisation compared within its blocks),
so no request runs it. Its writes are safe to repeat: each automatic merge is its own
transaction (complete or absent, and undoable), and the queue is written in one transaction at
the end, so a failed attempt leaves whole merges and the queue as it was; the task is retried
once, and a second run finds the merges already made. One scan per country (or of every
country) waits or runs at a time; editors of that country may follow it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from buicasus.accounts import permissions
from buicasus.dedup import services
from buicasus.dedup.finding import find_duplicates
from buicasus.jobs import services as jobs
from buicasus.jobs.models import Job
from buicasus.jobs.runner import Progress, background

KIND = "duplicates"


def _stage_label(stage: str) -> str:
    if stage == "merge":
        return _("Merging the certain pairs")
    return _("Comparing the organisations of %(country)s") % {"country": stage}


class _Stages:
    """`finding.Progress` (stage, advance, total) told to a job: each stage restarts the bar."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.stage = ""

    def __call__(self, stage: str, advance: int, total: int) -> None:
        if stage != self.stage:
            self.stage = stage
            self.progress.set_total(total, step=_stage_label(stage))
        self.progress.advance(advance)


@background(kind=KIND, retries=1)
def scan(progress: Progress, country: str | None) -> dict[str, Any]:
    """Find duplicates among the organisations of `country` (None: every country), with the
    platform's thresholds and automatic-merge setting, as `buicasus find-duplicates` does."""
    progress.step(_("Reading organisations and identifiers"))
    report = find_duplicates(country=country, progress=_Stages(progress))
    message = _(
        "%(organisations)s organisations examined: %(queued)s pairs await review, "
        "%(merged)s merged automatically, %(withdrawn)s withdrawn."
    ) % {
        "organisations": report.organisations,
        "queued": report.queued,
        "merged": report.merged,
        "withdrawn": report.withdrawn,
    }
    query = "?" + urlencode({"country": country}) if country else ""
    return {
        "message": message,
        "url": reverse("dedup:queue") + query,
        "queued": report.queued,
        "merged": report.merged,
        "withdrawn": report.withdrawn,
        "not_merged": report.problems[:20],
    }


def may_scan(user: Any, country: str | None) -> bool:
    """Editors scan their countries; a scan of every country is for platform admins."""
    if country is None:
        return permissions.is_platform_admin(user)
    return country in services.editor_countries(user)


def job_key(country: str | None) -> str:
    return f"{KIND}:{country or '*'}"


def request_scan(user: Any, country: str | None) -> Job:
    """Ask a worker to look for duplicates in `country`, unless such a scan waits or runs."""
    if not may_scan(user, country):
        raise PermissionDenied(_("You may not look for duplicates in this country."))
    unfinished = Job.objects.filter(key=job_key(country)).exclude(status__in=Job.FINISHED)
    found = unfinished.first()
    if found is not None:
        return found
    where = country or _("all countries")
    return jobs.start(
        scan,
        country,
        label=_("Find duplicates: %(where)s") % {"where": where},
        user=user,
        key=job_key(country),
    )


def visible_scan(user: Any, job_id: Any) -> Job | None:
    """The scan if `user` may follow it: an editor of its country (admins: any)."""
    job = Job.objects.filter(pk=job_id, kind=KIND).first()
    if job is None:
        return None
    country = job.key.removeprefix(f"{KIND}:")
    return job if may_scan(user, None if country == "*" else country) else None
