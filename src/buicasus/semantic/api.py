"""JSON API of the semantic app, mounted at /api/v1/semantic: the index status (any signed-in
user) and a rebuild (platform admins), which a worker runs: the answer is the job to follow at
/api/v1/jobs/{id}."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from buicasus.accounts import permissions
from buicasus.accounts.api import WRITE_AUTH
from buicasus.jobs.api import JobOut, job_out
from buicasus.semantic import services

router = Router(tags=["semantic"], auth=WRITE_AUTH)


class IndexStatusOut(Schema):
    model: str
    initiatives: int
    embedded: int
    missing: int
    pending: int
    approximate: bool
    threshold: int
    index_in_step: bool | None


@router.get("/index", response=IndexStatusOut, summary="State of the cross-lingual index")
def index_status(request: HttpRequest) -> dict[str, object]:
    """Vectors stored, initiatives still without one, those waiting for a worker to embed them
    (`pending`: new, changed or without a vector of this model), the model, and whether the
    approximate index (used above the threshold) is in step with the database."""
    return services.index_status()


@router.post("/index/rebuild", response={202: JobOut}, summary="Embed what is missing, rebuild")
def rebuild(request: HttpRequest) -> Status:
    """Platform admins only: have a worker embed missing or stale initiatives (every text is
    checked) and rebuild the index; answers 202 with the job."""
    if not permissions.is_platform_admin(request.user):
        raise HttpError(403, "Only platform admins may rebuild the index.")
    return Status(202, job_out(services.rebuild(request.user)))
