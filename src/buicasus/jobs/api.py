"""JSON API of background jobs, mounted at /api/v1/jobs: what a client polls after an
operation answered 202 with a job."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from buicasus.accounts.api import WRITE_AUTH
from buicasus.jobs import services
from buicasus.jobs.models import Job
from buicasus.registry.api_common import READ_ERRORS

router = Router(tags=["jobs"], auth=WRITE_AUTH)


class JobOut(Schema):
    id: UUID
    kind: str
    label: str
    status: str
    done: int
    total: int | None
    step: str
    outcome: dict[str, Any]
    result_url: str
    error: str
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def job_out(job: Job) -> dict[str, Any]:
    """A job as the API shows it (also for handlers that answer 202 with the job they
    started)."""
    return {field: getattr(job, field) for field in JobOut.model_fields}


@router.get(
    "/{job_id}",
    url_name="job-detail",
    response={200: JobOut, **READ_ERRORS},
    summary="A background task's progress and outcome",
)
def job_detail(request: HttpRequest, job_id: UUID) -> dict[str, Any]:
    """Status (queued, running, succeeded, failed), progress, outcome and error of a job the
    caller started (platform admins see all)."""
    job = services.visible_job(request.user, job_id)
    if job is None:
        raise HttpError(404, "No such task.")
    return job_out(job)
