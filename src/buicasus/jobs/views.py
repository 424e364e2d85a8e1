"""Pages of background jobs: the list of a person's jobs, one job, and its status fragment,
which pages that start a job include and htmx polls until the job is done."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from buicasus.jobs import services
from buicasus.jobs.models import Job


def _job(request: HttpRequest, job_id: UUID) -> Job:
    job = services.visible_job(request.user, job_id)
    if job is None:
        raise Http404
    return job


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/list.html", {"jobs": services.recent_for(request.user)})


@login_required
def job_detail(request: HttpRequest, job_id: UUID) -> HttpResponse:
    return render(request, "jobs/detail.html", {"job": _job(request, job_id)})


@login_required
def job_status(request: HttpRequest, job_id: UUID) -> HttpResponse:
    """The status fragment alone: what the polling `jobs/_status.html` swaps in."""
    response = render(request, "jobs/_status.html", {"job": _job(request, job_id)})
    response["Cache-Control"] = "no-store"
    return response
