"""Import pages: upload and dry run, the list of batches, a batch with its problems, confirm,
undo. Editors only. Each view parses, checks permission and calls a service.

The request only stores the upload: the dry run and the import run in a background worker
(`tasks`), and the page that asked shows their progress (a status block that polls, or a
refresh link without JavaScript) and links to the batch when it is done."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buicasus.accounts import permissions
from buicasus.importer import services, tasks
from buicasus.importer.errors import ImportFailure
from buicasus.importer.forms import ConfirmForm, ImportForm
from buicasus.importer.models import BatchStatus, ImportBatch, Kind
from buicasus.jobs import services as jobs
from buicasus.jobs.models import Job
from buicasus.operations.storage import save_upload
from buicasus.web.htmx import is_htmx

UPLOADS = "imports/uploads"


def _require_editor(request: HttpRequest) -> None:
    if not permissions.is_editor_anywhere(request.user):
        raise PermissionDenied


def _store(upload: Any, folder: Path) -> Path:
    """Keep an upload under the data folder, so a dry run can be confirmed later; complete or
    not at all (on a full disk nothing is left and the page answers 507)."""
    return save_upload(upload, folder)


def _job_context(request: HttpRequest, job_id: str, page_url: str) -> dict[str, Any]:
    """The status block of an import job this editor may follow (none for a bad id)."""
    try:
        job = jobs.visible_job(request.user, uuid.UUID(job_id)) if job_id else None
    except ValueError:
        job = None
    if job is None or job.kind != "import":
        return {"job": None}
    return {"job": job, "refresh_url": f"{page_url}?{urlencode({'job': str(job.pk)})}"}


def _started(request: HttpRequest, job: Job, page_url: str) -> HttpResponse:
    """Where a page goes once it queued an import: with htmx, the status block in place;
    otherwise back to the page, which shows it."""
    context = _job_context(request, str(job.pk), page_url)
    if is_htmx(request):
        return render(request, "jobs/_status.html", context)
    return HttpResponseRedirect(context["refresh_url"])


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The upload form (a dry run comes first) and the batches so far."""
    _require_editor(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    page_url = reverse("importer:index")
    if request.method == "POST" and form.is_valid():
        return _started(request, _dry_run(request, form), page_url)
    batches = Paginator(services.visible_batches(request.user), settings.PAGE_SIZE)
    context = {
        "form": form,
        "page": batches.get_page(request.GET.get("page")),
        **_job_context(request, request.GET.get("job", ""), page_url),
    }
    return render(request, "importer/index.html", context)


def _dry_run(request: HttpRequest, form: ImportForm) -> Job:
    """Store the upload (and its mapping file) and queue its dry run."""
    data = form.cleaned_data
    folder = Path(settings.DATA_DIR) / UPLOADS / uuid.uuid4().hex
    path = _store(data["file"], folder)
    mapping: str | None = data["mapping"] or None
    if data.get("mapping_file"):
        mapping = str(_store(data["mapping_file"], folder / "mapping"))
    options = {
        "mapping": mapping,
        "format": data["format"] or None,
        "delimiter": data["delimiter"] or None,
        "encoding": data["encoding"] or None,
        "licence": data["licence"] or None,
    }
    return tasks.start_import(
        request.user,
        path,
        source=data["source"],
        display_name=data["file"].name,
        options=options,
        dry_run=True,
    )


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    batch = get_object_or_404(services.visible_batches(request.user), pk=pk)
    context = {
        "batch": batch,
        "problems": batch.invalid_rows,
        "truncated": len(batch.invalid_rows) >= services.KEPT_PROBLEMS,
        "confirm_form": ConfirmForm(initial={"skip_invalid": batch.count_invalid > 0}),
        "can_confirm": batch.dry_run and bool(batch.stored_file) and _stored(batch).exists(),
        "can_undo": batch.status == BatchStatus.DONE,
        "counts": outcome_rows(batch),
        **_job_context(request, request.GET.get("job", ""), batch.get_absolute_url()),
    }
    return render(request, "importer/batch_detail.html", context)


def outcome_rows(batch: ImportBatch) -> list[tuple[str, str]]:
    """(kind, "12 new, 3 updated") for each kind of record, in the reader's language."""
    outcomes = {
        "new": _("new"),
        "updated": _("updated"),
        "unchanged": _("unchanged"),
        "linked": _("linked to existing"),
        "invalid": _("invalid"),
        "repeated": _("repeated in the file"),
        "skipped": _("skipped (missing reference)"),
    }
    kinds = dict(Kind.choices)
    rows = []
    for kind, counts in sorted(batch.counts.items()):
        if isinstance(counts, dict):
            text = ", ".join(f"{n} {outcomes.get(name, name)}" for name, n in counts.items())
            rows.append((str(kinds.get(kind, kind)), text))
    return rows


def _stored(batch: ImportBatch) -> Path:
    return Path(settings.DATA_DIR) / batch.stored_file


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Import for real, in the background, the file a dry run checked."""
    _require_editor(request)
    dry = get_object_or_404(services.visible_batches(request.user), pk=pk, dry_run=True)
    form = ConfirmForm(request.POST)
    path = _stored(dry)
    if not form.is_valid() or not dry.stored_file or not path.exists():
        raise Http404
    job = tasks.start_import(
        request.user,
        path,
        source=dry.source_name,
        display_name=dry.file_name,
        options=dry.options.get("stored", {}),
        dry_run=False,
        skip_invalid=form.cleaned_data["skip_invalid"],
    )
    return _started(request, job, dry.get_absolute_url())


@login_required
@require_POST
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    batch = get_object_or_404(services.visible_batches(request.user), pk=pk)
    try:
        result = services.undo_batch(batch.pk, request.user)
    except ImportFailure as exc:
        messages.error(request, exc.describe())
    else:
        messages.success(
            request,
            _("Batch #%(id)s undone: %(deleted)s records deleted, %(restored)s restored.")
            % {"id": batch.pk, "deleted": result.deleted, "restored": result.restored},
        )
    return HttpResponseRedirect(batch.get_absolute_url())


@login_required
def rejects(request: HttpRequest, pk: int) -> HttpResponse:
    """The batch's rejects file, when it has one under the data folder."""
    _require_editor(request)
    batch = get_object_or_404(services.visible_batches(request.user), pk=pk)
    path = Path(batch.rejects_file) if batch.rejects_file else None
    data_dir = Path(settings.DATA_DIR).resolve()
    if path is None or not path.is_file() or data_dir not in path.resolve().parents:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
