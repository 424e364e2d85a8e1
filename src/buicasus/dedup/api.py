"""JSON API of the duplicates review, mounted at /api/v1/duplicates by `buicasus.api`.

Editors only (401 without credentials, 403 without an editor role). A decision or an undo that
no longer applies (already decided, already undone, conflicting data) answers 409. As in the
registry API, the body of a write is read after the permission check (`api_common`).
`POST /scan` looks for new duplicates in the background: 202 with the job and the address to
follow it (`GET /scans/{job_id}`).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status
from ninja.errors import HttpError

from buicasus.accounts.api import WRITE_AUTH
from buicasus.dedup import services, tasks
from buicasus.dedup.models import MergeRecord
from buicasus.dedup.schemas import (
    DecisionIn,
    DecisionOut,
    MergeOut,
    MergePage,
    PairFilters,
    PairOut,
    PairPage,
    ScanIn,
)
from buicasus.jobs.api import JobOut, job_out
from buicasus.registry.api_common import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorDetail,
    PageParams,
    body_doc,
    check_shape,
    paginate,
    read_json,
)

router = Router(tags=["duplicates"], auth=WRITE_AUTH)
READ = {**READ_ERRORS, 403: ErrorDetail}


@router.get("/merges", response={200: MergePage, **READ})
def list_merges(request: HttpRequest, paging: Query[PageParams]) -> dict[str, Any]:
    """Merges touching the caller's editor countries, newest first."""
    services.require_editor(request.user)
    return paginate(services.visible_merges(request.user), paging)


@router.post("/merges/{merge_id}/undo", response={200: MergeOut, **WRITE_ERRORS})
def undo_merge(request: HttpRequest, merge_id: int) -> Any:
    """Restore the merged organisation and everything the merge moved or changed."""
    services.require_editor(request.user)
    record = services.get_merge(request.user, merge_id)
    try:
        services.undo_merge(request.user, record)
    except services.DedupError as exc:
        return Status(409, {"detail": str(exc)})
    return services.get_merge(request.user, merge_id)


class ScanOut(JobOut):
    poll_url: str = Field(description="GET it to follow the scan.")


@router.post(
    "/scan",
    url_name="duplicates-scan",
    response={202: ScanOut, **WRITE_ERRORS},
    openapi_extra=body_doc(ScanIn),
)
def scan(request: HttpRequest) -> Status:
    """Look for new duplicates in a background worker (one scan per country waits or runs at
    a time: asking again returns the same job). Certain pairs are merged automatically when
    the platform is set to; the others join the review queue."""
    services.require_editor(request.user)
    payload: Any = check_shape(ScanIn, read_json(request))
    country = (payload.country or "").strip().upper() or None
    job = tasks.request_scan(request.user, country)  # PermissionDenied → 403
    poll = reverse("api:duplicates-scan-status", args=[job.pk])
    return Status(202, {**job_out(job), "poll_url": poll})


@router.get("/scans/{job_id}", url_name="duplicates-scan-status", response={200: JobOut, **READ})
def scan_status(request: HttpRequest, job_id: UUID) -> Any:
    """A duplicate scan: queued, running (done of total, the step), succeeded (with the counts
    and the queue's address) or failed (with the error)."""
    services.require_editor(request.user)
    job = tasks.visible_scan(request.user, job_id)
    if job is None:
        raise HttpError(404, _("No such scan."))
    return job_out(job)


@router.get("", response={200: PairPage, **READ})
def list_pairs(
    request: HttpRequest, filters: Query[PairFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    """Candidate pairs with an organisation in the caller's editor countries, best first."""
    services.require_editor(request.user)
    status = None if filters.status == "all" else filters.status
    qs = services.visible_pairs(request.user, status=status, country=filters.country)
    return paginate(qs, paging)


@router.get("/{pair_id}", response={200: PairOut, **READ})
def get_pair(request: HttpRequest, pair_id: int) -> Any:
    services.require_editor(request.user)
    return services.get_pair(request.user, pair_id)


@router.post(
    "/{pair_id}/decision",
    response={200: DecisionOut, **WRITE_ERRORS},
    openapi_extra=body_doc(DecisionIn),
)
def decide(request: HttpRequest, pair_id: int) -> Any:
    """Merge or keep apart; needs editor rights in the countries of both organisations."""
    services.require_editor(request.user)
    try:
        pair = services.pair_to_decide(request.user, pair_id)
    except services.DedupError as exc:
        return Status(409, {"detail": str(exc)})
    if not services.may_decide(request.user, pair):
        raise PermissionDenied(_("You may not decide on organisations of these countries."))
    payload: Any = check_shape(DecisionIn, read_json(request))
    try:
        result = services.decide(request.user, pair, payload.decision, keep=payload.keep)
    except services.DedupError as exc:
        return Status(409, {"detail": str(exc)})
    if isinstance(result, MergeRecord):
        return {"pair_id": pair_id, "status": "merged", "merge": result}
    return {"pair_id": pair_id, "status": result.status, "merge": None}
