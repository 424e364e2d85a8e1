"""Imports from the web and the API as background tasks: the upload is stored by the request,
and a worker reads, checks and (unless it is a dry run) writes it as one batch.

Reading and checking a large file takes minutes, so no request runs it. The import itself is
one transaction (`services.import_records`): a failed attempt writes nothing to the registry
and leaves its batch marked failed with the reason, so the task is retried once when the
database failed (locked, lost); a problem with the file or the mapping is the person's to fix,
and any other error a bug to report: both fail at once with the importer's message (file, row
and field, or the reference the server's log repeats).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.urls import reverse
from django.utils.translation import gettext as _

from buicasus.importer import services
from buicasus.importer.errors import ImportFailure
from buicasus.importer.models import ImportBatch
from buicasus.jobs import services as jobs
from buicasus.jobs.models import Job
from buicasus.jobs.runner import JobError, Progress, background

OPTIONS = ("mapping", "format", "delimiter", "encoding", "licence")


def _rows_told(progress: Progress) -> services.RowProgress:
    """The engine's row count as the job's progress (a total when the reader estimated one)."""
    started = False

    def tell(rows: int, total: int | None) -> None:
        nonlocal started
        if not started:
            started = True
            progress.set_total(total, step=_("Reading and checking rows"))
        progress.advance(rows - progress.job.done)

    return tell


def _outcome(report: services.ImportReport, batch: ImportBatch) -> dict[str, Any]:
    counts = {"new": report.new, "updated": report.updated, "unchanged": report.unchanged}
    if batch.dry_run:
        message = _(
            "Dry run: %(new)s new, %(updated)s updated, %(unchanged)s unchanged records, "
            "%(invalid)s invalid rows. Nothing was written."
        ) % {**counts, "invalid": report.invalid}
    elif report.written:
        message = (
            _("Imported: %(new)s new, %(updated)s updated, %(unchanged)s unchanged records.")
            % counts
        )
    else:
        message = _("Nothing was written: %(n)s rows are invalid.") % {"n": report.invalid}
    return {
        "message": message,
        "url": batch.get_absolute_url(),
        "batch_id": batch.pk,
        "api_url": reverse("api:import-batch", args=[batch.pk]),
        "status": batch.status,
        **counts,
        "invalid": report.invalid,
    }


@background(kind="import", retries=1)
def import_upload(
    progress: Progress,
    stored: str,
    *,
    user_id: int,
    source: str,
    display_name: str,
    options: dict[str, str],
    dry_run: bool = True,
    skip_invalid: bool = False,
) -> dict[str, Any]:
    """Import the file `stored` (relative to the data folder) as the editor `user_id`. A dry
    run's batch keeps the file and its options, so that the page can confirm it later."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise JobError(_("The account that asked for this import is no longer active."))
    path = Path(settings.DATA_DIR) / stored
    progress.step(_("Reading the file"))
    try:
        report = services.import_file(
            path,
            source=source,
            user=user,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            display_name=display_name,
            progress=_rows_told(progress),
            **{k: v for k, v in options.items() if k in OPTIONS and v},
        )
    except ImportFailure as exc:
        if exc.reference and isinstance(exc.__cause__, DatabaseError):
            # The platform's fault (a locked or lost database), and nothing was written:
            # the worker tries again.
            raise exc.__cause__ from exc
        raise JobError(exc.describe()) from exc
    except PermissionDenied as exc:
        raise JobError(str(exc) or _("Only editors may import data.")) from exc
    batch = ImportBatch.objects.get(pk=report.batch_id)
    if dry_run:
        batch.stored_file = stored
        batch.options = {**batch.options, "stored": {k: v for k, v in options.items() if v}}
        batch.save(update_fields=["stored_file", "options"])
    return _outcome(report, batch)


def start_import(
    user: Any,
    stored: Path,
    *,
    source: str,
    display_name: str,
    options: dict[str, str | None],
    dry_run: bool = True,
    skip_invalid: bool = False,
) -> Job:
    """Queue the import of an upload already stored under the data folder; returns its job,
    which only `user` (and platform admins) may follow."""
    relative = Path(stored).resolve().relative_to(Path(settings.DATA_DIR).resolve())
    label = (_("Dry run of %(file)s") if dry_run else _("Import of %(file)s")) % {
        "file": display_name
    }
    return jobs.start(
        import_upload,
        str(relative),
        user_id=user.pk,
        source=source,
        display_name=display_name,
        options={k: v for k, v in options.items() if v},
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        label=label,
        user=user,
    )
