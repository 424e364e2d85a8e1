"""Report builds as background tasks: a PDF (or HTML file) of the mapping report, built by a
worker into the data folder and downloaded from its build page.

A build takes seconds to a minute (WeasyPrint, and the network analysis when the registry
changed), so no request runs it. Readers who see the same records share a build that waits or
runs (the job's key names their visibility scope), and only such readers can follow it or
download its file. The file is written through a temporary file and a rename, so a failed
attempt leaves nothing; the task is retried once.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from buicasus.jobs import services as jobs
from buicasus.jobs.models import Job
from buicasus.jobs.runner import Progress, background
from buicasus.network.services import visibility_scope
from buicasus.reports import services

BUILDS = "reports/builds"


def build_path(job_id: Any, fmt: str) -> Path:
    """Where the file of build `job_id` lives (under the data folder, outside the web root)."""
    return Path(settings.DATA_DIR) / BUILDS / f"{job_id}.{fmt}"


def scope_key(user: Any) -> str:
    """The part of a build's key that names what its reader may see."""
    return hashlib.sha256(visibility_scope(user).encode()).hexdigest()[:24]


def job_key(user: Any, codes: list[str], lang: str, fmt: str) -> str:
    return f"report:{scope_key(user)}:{'-'.join(codes)}:{lang}:{fmt}"


@background(kind="report", retries=1)
def build_mapping(
    progress: Progress,
    user_id: int | None,
    codes: list[str],
    lang: str,
    fmt: services.Format,
    site_url: str = "",
) -> dict[str, Any]:
    """Build the mapping report of `codes` as the user `user_id` (None: a visitor) sees it."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    out = build_path(progress.job.pk, fmt)
    out.parent.mkdir(parents=True, exist_ok=True)

    def tell(done: int, total: int, step: str) -> None:
        if done == 0:
            progress.set_total(total, step=step)
        else:
            progress.advance(done - progress.job.done, step=step or None)

    size = services.build_mapping_file(
        user, codes, lang, fmt, out, site_url=site_url, progress=tell
    )
    _forget_earlier(progress.job)
    return {
        "message": _("The report is ready (%(size)s kB).") % {"size": max(1, size // 1024)},
        "url": reverse("reports:build-download", args=[progress.job.pk]),
        "file": services.file_name(codes, lang, fmt),
    }


def _forget_earlier(job: Job) -> None:
    """Remove the files of earlier builds of the same report for the same readers: the new
    one replaces them, and the data folder keeps one file per report and reader."""
    earlier = Job.objects.filter(key=job.key, status__in=Job.FINISHED).exclude(pk=job.pk)
    for pk in earlier.values_list("pk", flat=True):
        for fmt in services.FORMATS:
            build_path(pk, fmt).unlink(missing_ok=True)


def request_build(
    user: Any, codes: list[str], lang: str, fmt: services.Format, *, site_url: str = ""
) -> Job:
    """Ask a worker to build this report, unless the same build already waits or runs."""
    key = job_key(user, codes, lang, fmt)
    found = Job.objects.filter(key=key).exclude(status__in=Job.FINISHED).first()
    if found is not None:
        return found
    return jobs.start(
        build_mapping,
        user.pk if getattr(user, "is_authenticated", False) else None,
        codes,
        lang,
        fmt,
        site_url,
        label=_("Mapping report %(scope)s (%(lang)s, %(format)s)")
        % {"scope": ", ".join(codes), "lang": lang, "format": fmt.upper()},
        user=user,
        key=key,
    )


def visible_build(user: Any, job_id: Any) -> Job | None:
    """The build if this reader may follow it: it was built from what they may see."""
    job = Job.objects.filter(pk=job_id, kind="report").first()
    if job is None or not job.key.startswith(f"report:{scope_key(user)}:"):
        return None
    return job
