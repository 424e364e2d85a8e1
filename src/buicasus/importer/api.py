"""JSON API of the importer at /api/v1/imports: list and read batches, upload a file (a dry
run by default), undo a batch. Editors only; errors have the API's one shape,
`{"detail": "…"}`.

An upload answers 202 with the background job that reads and imports it and the address to
follow it (`/api/v1/jobs/{id}`); the job ends with the batch (`outcome.batch_id`,
`outcome.api_url`), or fails with the importer's message naming file, row and field.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from buicasus.accounts import permissions
from buicasus.accounts.api import WRITE_AUTH
from buicasus.importer import readers, services, tasks
from buicasus.importer.errors import ImportFailure
from buicasus.importer.mapping import shipped_mapping_path
from buicasus.importer.models import ImportBatch
from buicasus.jobs.api import JobOut, job_out
from buicasus.operations.storage import save_upload
from buicasus.registry.api_common import ErrorDetail, PageParams, paginate

router = Router(tags=["imports"], auth=WRITE_AUTH)
ERRORS: dict[int, type[Schema]] = {
    400: ErrorDetail,
    401: ErrorDetail,
    403: ErrorDetail,
    404: ErrorDetail,
}


class BatchOut(Schema):
    id: int
    status: str
    source_name: str
    licence: str
    file_name: str
    file_sha256: str
    file_size: int | None = None
    format: str
    mapping_name: str
    dry_run: bool
    skip_invalid: bool
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    user: str | None = None
    count_new: int
    count_updated: int
    count_unchanged: int
    count_invalid: int = Field(description="Rows with at least one problem.")
    undone_at: dt.datetime | None = None

    @staticmethod
    def resolve_user(obj: Any) -> str | None:
        return obj.user.get_username() if obj.user else None


class Problem(Schema):
    row: int
    field: str
    message: str


class BatchDetailOut(BatchOut):
    counts: dict[str, Any] = Field(description="Outcomes by kind of record, and rows read.")
    error_summary: str
    problems: list[Problem] = Field(description="The first 1,000 problems.")

    @staticmethod
    def resolve_problems(obj: Any) -> list[dict[str, Any]]:
        return [{"row": r, "field": f, "message": m} for r, f, m in obj.invalid_rows]


class BatchPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[BatchOut]


class ImportAccepted(JobOut):
    poll_url: str = Field(description="GET it to follow the import (`/api/v1/jobs/{id}`).")


class UndoOut(Schema):
    batch_id: int
    deleted: int
    restored: int
    unlinked: int


def _editor(request: HttpRequest) -> Any:
    if not permissions.is_editor_anywhere(request.user):
        raise PermissionDenied(_("Only editors may import data."))
    return request.user


@router.get("", response={200: BatchPage, **ERRORS})
def list_batches(request: HttpRequest, paging: Query[PageParams]) -> dict[str, Any]:
    """Newest first."""
    return paginate(services.visible_batches(_editor(request)), paging)


@router.get("/{batch_id}", url_name="import-batch", response={200: BatchDetailOut, **ERRORS})
def get_batch(request: HttpRequest, batch_id: int) -> ImportBatch:
    return get_object_or_404(services.visible_batches(_editor(request)), pk=batch_id)


@router.post("", response={202: ImportAccepted, **ERRORS})
def upload(
    request: HttpRequest,
    file: Annotated[UploadedFile, File(description="CSV, XLSX, JSON, JSON Lines, HSDS …")],
    source: Annotated[str, Form(description="Source name; re-imports update by it.")],
    mapping: Annotated[str, Form(description="Name of a shipped mapping.")] = "",
    mapping_file: Annotated[
        UploadedFile | None, File(description="…or your own mapping file (YAML).")
    ] = None,
    licence: Annotated[str, Form()] = "",
    format: Annotated[str, Form()] = "",
    delimiter: Annotated[str, Form()] = "",
    encoding: Annotated[str, Form()] = "",
    dry_run: Annotated[bool, Form(description="Check only (the default); false imports.")] = True,
    skip_invalid: Annotated[bool, Form()] = False,
) -> Status:
    """Import a file as one batch, in a background worker. A dry run (the default) writes
    nothing and reports what would happen. Answers 202 at once with the job; when it is done
    its outcome names the batch (with its problems at `outcome.api_url`)."""
    user = _editor(request)
    if file.size and file.size > readers.max_file_bytes():
        raise HttpError(400, _("The file is larger than an import accepts."))
    if mapping and mapping_file:
        raise HttpError(400, _("Choose a shipped mapping or upload one, not both."))
    try:
        # Only a shipped mapping's name: a path is refused without saying what exists.
        mapping = str(shipped_mapping_path(mapping)) if mapping else ""
    except ImportFailure as exc:
        raise HttpError(400, exc.describe()) from exc
    folder = Path(settings.DATA_DIR) / "imports" / "uploads" / uuid.uuid4().hex
    path = save_upload(file, folder)  # complete or not at all (full disk: 507, nothing left)
    if mapping_file is not None:
        mapping = str(save_upload(mapping_file, folder / "mapping"))
    options = {
        "mapping": mapping,
        "format": format,
        "delimiter": delimiter,
        "encoding": encoding,
        "licence": licence,
    }
    job = tasks.start_import(
        user,
        path,
        source=source,
        display_name=file.name or path.name,
        options=options,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    poll = reverse("api:job-detail", args=[job.pk])
    return Status(202, {**job_out(job), "poll_url": poll})


@router.post("/{batch_id}/undo", response={200: UndoOut, **ERRORS})
def undo(request: HttpRequest, batch_id: int) -> Any:
    """Delete what the batch created and restore what it updated (refused, 400, when those
    records changed since)."""
    batch = get_object_or_404(services.visible_batches(_editor(request)), pk=batch_id)
    try:
        return services.undo_batch(batch.pk, request.user)
    except ImportFailure as exc:
        raise HttpError(400, exc.describe()) from exc
