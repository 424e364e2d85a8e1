"""The import service: `import_records` and `import_file`, used by the command line, the pages,
the API, the open-data loader and the tests alike; `undo_batch` and the batch queries.

`import_records(records, source=…)` takes canonical records (docs/import-format.md) from any
source; `import_file(path, source=…, mapping=…)` reads a file first (`readers`), through a
mapping (`mapping`) or a standard-format reader. How a run validates and writes, and why it is
one transaction, is in `engine`.
"""

from __future__ import annotations

import functools
import gc
import logging
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from buicasus.accounts import permissions
from buicasus.accounts.models import Membership, Role
from buicasus.importer import readers, relations
from buicasus.importer.engine import CHUNK_RECORDS, ImportReport, Run, chunked
from buicasus.importer.errors import ImportFailure
from buicasus.importer.mapping import Mapping, load_mapping
from buicasus.importer.models import BatchStatus, ImportBatch, SourceRecord
from buicasus.importer.records import check_shape
from buicasus.importer.rejects import write_rejects
from buicasus.importer.undo import undo_batch
from buicasus.registry.models import Initiative, InitiativeRole, Organisation, OrganisationTie

__all__ = [
    "ImportFailure",
    "ImportReport",
    "default_user",
    "import_file",
    "import_records",
    "provenances",
    "undo_batch",
    "visible_batches",
]
KEPT_PROBLEMS = 1000
MAX_LICENCE = 300
MAX_SOURCE = 200
SQLITE_CACHE_KIB = -262144  # 256 MiB (negative: KiB, as SQLite's PRAGMA takes it)


def import_records(
    records: Iterable[dict[str, Any]],
    *,
    source: str,
    licence: str = "",
    user: Any = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    file_name: str = "",
    file_hash: str = "",
    progress: bool | RowProgress = False,
    file_size: int | None = None,
    format: str = "",
    mapping_name: str = "",
    rejects: str | Path | None = None,
    total: int | None = None,
    options: dict[str, Any] | None = None,
) -> ImportReport:
    """Import canonical records as one batch and report what happened.

    `user` must be an editor: each record is checked against the user's countries (None means
    a trusted caller such as a management command that chose its user, and checks nothing).
    Without `skip_invalid` any invalid row means nothing is written; with it the valid rows
    are written and the problems go to `rejects` (a CSV path; by default under the data
    folder). A dry run writes nothing and reports everything. Bad input raises
    `ImportFailure`; the batch is recorded as failed.
    """
    source = " ".join((source or "").split())
    licence = " ".join((licence or "").split())
    if not source:
        raise ImportFailure(_("Give the source's name (--source)."), file=file_name)
    if len(source) > MAX_SOURCE:
        raise ImportFailure(
            _("The source name is longer than %(n)s characters.") % {"n": MAX_SOURCE},
            file=file_name,
        )
    if len(licence) > MAX_LICENCE:
        raise ImportFailure(
            _("The licence note is longer than %(n)s characters; shorten it.") % {"n": MAX_LICENCE},
            file=file_name,
        )
    if user is not None and not permissions.is_editor_anywhere(user):
        raise PermissionDenied(_("Only editors may import data."))
    batch = ImportBatch.objects.create(
        user=user if getattr(user, "pk", None) else None,
        source_name=source,
        licence=licence,
        file_name=file_name[:300],
        file_sha256=file_hash,
        file_size=file_size,
        format=format,
        mapping_name=mapping_name[:200],
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        options=options or {},
    )
    bar = _progress_bar(total) if progress is True else _RowCounter.of(progress, total)
    run = Run(batch, user=user, dry_run=dry_run, skip_invalid=skip_invalid, progress=bar)
    collecting = gc.isenabled()
    # The cyclic garbage collector would rescan the records and lookups every few thousand
    # allocations, a third of the run's time; objects here are freed by reference counting.
    gc.disable()
    try:
        with _sqlite_cache(), transaction.atomic():
            if not dry_run:  # takes SQLite's write lock now (see registry.bulk.IdAllocator)
                ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING)
            for chunk in chunked(records, CHUNK_RECORDS):
                run.chunk(chunk)
            relations.finish(run)
            refused = bool(run.problems) and not skip_invalid
            if dry_run or refused:
                transaction.set_rollback(True)
    except ImportFailure as exc:
        _finish(batch, run, BatchStatus.FAILED, exc.describe())
        raise
    except Exception as exc:
        failure = _unexpected(exc, batch, file_name)
        _finish(batch, run, BatchStatus.FAILED, failure.message)
        raise failure from exc
    finally:
        if collecting:
            gc.enable()
        if bar is not None:
            bar.close()
    report = run.report()
    if dry_run:
        status = BatchStatus.DRY_RUN
    else:
        status = BatchStatus.REFUSED if refused else BatchStatus.DONE
    if run.problems and (skip_invalid or rejects):
        path = Path(rejects) if rejects else _default_rejects(batch, file_name)
        report.rejects_path = str(write_rejects(path, report.invalid_rows, run.originals))
    _finish(batch, run, status, _summary(report), report)
    report.status, report.written = status, status == BatchStatus.DONE
    return report


logger = logging.getLogger(__name__)


def _unexpected(exc: BaseException, batch: ImportBatch | None, file_name: str) -> ImportFailure:
    """An error nobody foresaw, as an `ImportFailure` with a reference that the log repeats
    beside the traceback: the person sees a message, the administrator finds the cause."""
    reference = f"{batch.pk if batch else 0}-{secrets.token_hex(4)}"
    logger.error(
        "import of %s failed unexpectedly (reference %s)", file_name, reference, exc_info=exc
    )
    return ImportFailure(
        _(
            "The import stopped on an unexpected error; nothing was written. Give the "
            "reference %(reference)s to the administrator, who will find the cause in the "
            "server's log."
        )
        % {"reference": reference},
        file=file_name,
        reference=reference,
    )


def _crashes_reported(read: Callable[..., ImportReport]) -> Callable[..., ImportReport]:
    """`import_file` with any unexpected error (from reading, a mapping, the engine) turned
    into a failed batch and an `ImportFailure` with a reference, never a traceback."""

    @functools.wraps(read)
    def guarded(path: str | Path, **options: Any) -> ImportReport:
        try:
            return read(path, **options)
        except (ImportFailure, PermissionDenied):
            raise
        except Exception as exc:
            name = str(options.get("display_name") or Path(path).name)
            user = options.get("user")
            batch = ImportBatch.objects.create(
                user=user if getattr(user, "pk", None) else None,
                source_name=" ".join(str(options.get("source") or "").split())[:MAX_SOURCE],
                file_name=name[:300],
                dry_run=bool(options.get("dry_run")),
                skip_invalid=bool(options.get("skip_invalid")),
                status=BatchStatus.FAILED,
                finished_at=timezone.now(),
            )
            failure = _unexpected(exc, batch, name)
            batch.error_summary = failure.message
            batch.save(update_fields=["error_summary"])
            raise failure from exc

    return guarded


@contextmanager
def _sqlite_cache() -> Iterator[None]:
    """On SQLite, a page cache big enough that a large transaction does not spill to disk
    before its commit (the default is 2 MB); the connection's setting is restored after."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


RowProgress = Callable[[int, int | None], None]  # (rows read so far, rows expected or None)


class _RowCounter:
    """Rows read, told to a callback (a background job's progress) as the engine's tqdm bar."""

    def __init__(self, tell: RowProgress, total: int | None) -> None:
        self.tell, self.total, self.n = tell, total, 0

    @classmethod
    def of(cls, progress: bool | RowProgress, total: int | None) -> _RowCounter | None:
        return cls(progress, total) if callable(progress) else None

    def update(self, rows: int) -> None:
        self.n += rows
        self.tell(self.n, self.total)

    def close(self) -> None:
        """Nothing to release (the tqdm bar's counterpart)."""


def _progress_bar(total: int | None) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit=" rows", unit_scale=True, dynamic_ncols=True, leave=True)


def _default_rejects(batch: ImportBatch, file_name: str) -> Path:
    stem = Path(file_name).stem or "records"
    return settings.DATA_DIR / "imports" / "rejects" / f"batch-{batch.pk}-{stem}-rejects.csv"


def _summary(report: ImportReport) -> str:
    if not report.invalid_rows:
        return ""
    first = report.invalid_rows[0]
    return _("%(n)s invalid rows; the first: row %(row)s, field “%(field)s”: %(message)s") % {
        "n": report.invalid,
        "row": first[0],
        "field": first[1],
        "message": first[2],
    }


def _finish(
    batch: ImportBatch,
    run: Run,
    status: str,
    summary: str,
    report: ImportReport | None = None,
) -> None:
    report = report or run.report()
    batch.status = status
    batch.finished_at = timezone.now()
    batch.error_summary = summary
    batch.count_new, batch.count_updated = report.new, report.updated
    batch.count_unchanged, batch.count_invalid = report.unchanged, report.invalid
    batch.counts = {"rows": report.rows, **report.by_kind}
    batch.invalid_rows = [list(p) for p in report.invalid_rows[:KEPT_PROBLEMS]]
    batch.rejects_file = report.rejects_path
    batch.save()


@_crashes_reported
def import_file(
    path: str | Path,
    *,
    source: str,
    mapping: str | Path | Mapping | None = None,
    format: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    key: str | None = None,
    licence: str | None = None,
    user: Any = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    rejects: str | Path | None = None,
    progress: bool | RowProgress = False,
    display_name: str | None = None,
) -> ImportReport:
    """Read a file (CSV, XLSX, JSON, JSON Lines, or a standard format) and import it.

    Options left out come from the mapping's `format` section, then from detection. The
    licence defaults to the mapping's. `display_name` names the file in messages and in the
    batch (the pages pass the uploaded file's name).
    """
    path = Path(path)
    name = display_name or path.name
    size = readers.check_file(path, name)
    compiled = (
        mapping if isinstance(mapping, Mapping) else (load_mapping(mapping) if mapping else None)
    )
    declared = compiled.format if compiled else {}
    fmt = (format or declared.get("type") or readers.detect_format(path, name)).lower()
    standard = readers.standard_readers()
    options = {
        "format": fmt,
        "delimiter": delimiter or declared.get("delimiter"),
        "encoding": encoding or declared.get("encoding"),
        "sheet": sheet or declared.get("sheet"),
        "key": key or declared.get("key"),
    }
    started = time.perf_counter()
    notes: list[str] = []
    if fmt in standard and fmt not in readers.TABULAR:
        if compiled is not None:
            raise ImportFailure(
                _("A %(format)s file is read without a mapping.") % {"format": fmt}, file=name
            )
        records: Iterable[dict[str, Any]] = _standard(standard[fmt], path, name)
        total = None
    else:
        rows = readers.read_rows(
            path,
            fmt,
            name=name,
            delimiter=options["delimiter"],
            encoding=options["encoding"],
            sheet=options["sheet"],
            key=options["key"],
        )
        notes += rows.notes
        total = rows.estimate
        if compiled is not None:
            notes += compiled.check_columns(rows.columns, name)
            if compiled.joins:
                compiled.load_joins(path.parent, lambda p: _join_rows(p, fmt, options))
            records = compiled.records_of(rows)
        elif fmt in ("json", "jsonl"):
            records = (_canonical(number, row) for number, row in rows)
        else:
            raise ImportFailure(
                _("A %(format)s file needs a mapping (--mapping) to become records.")
                % {"format": fmt.upper()},
                file=name,
            )
    if compiled is not None and compiled.source:
        options["source_description"] = compiled.source
    report = import_records(
        map(check_shape, records),
        source=source,
        licence=licence if licence is not None else (compiled.licence if compiled else ""),
        user=user,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        file_name=name,
        file_hash=readers.file_sha256(path),
        file_size=size,
        format=fmt,
        mapping_name=compiled.name if compiled else "",
        rejects=rejects,
        progress=progress,
        total=total,
        options={k: v for k, v in options.items() if v},
    )
    report.notes = notes + report.notes
    report.seconds = time.perf_counter() - started
    return report


def _join_rows(path: Path, fmt: str, options: dict[str, Any]) -> Any:
    if not path.is_file():
        raise ImportFailure(_("The joined file is missing."), file=path.name)
    return readers.read_rows(
        path,
        readers.detect_format(path, path.name) if fmt not in readers.TABULAR else fmt,
        name=path.name,
        delimiter=options["delimiter"],
        encoding=options["encoding"],
    )


def _canonical(number: int, row: dict[str, Any]) -> dict[str, Any]:
    """A JSON object read without a mapping is a canonical record; it gets its row number."""
    return {**row, "row": number}


def _standard(reader: Any, path: Path, name: str) -> Iterable[dict[str, Any]]:
    """A standard reader's records; what it raises about the file names the file, and the row
    and field when the reader's error has them (the interchange readers' `FormatError`)."""
    try:
        yield from reader(path)
    except ImportFailure:
        raise
    except (ValueError, KeyError, TypeError, OSError, UnicodeDecodeError) as exc:
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        raise ImportFailure(
            message, file=name, row=getattr(exc, "row", None), field=getattr(exc, "field", "")
        ) from exc


# --- provenance ----------------------------------------------------------------------------


def provenances(record: Model) -> QuerySet[SourceRecord]:
    """Every source a registry record came from (several after a deduplication merge), oldest
    first, with each source's licence note: for a record's provenance section."""
    link = {
        Organisation: "organisation",
        Initiative: "initiative",
        InitiativeRole: "initiative_role",
        OrganisationTie: "organisation_tie",
    }[type(record)]
    return SourceRecord.objects.filter(**{link: record}).order_by("imported_at", "pk")


# --- batches -------------------------------------------------------------------------------


def visible_batches(user: Any) -> QuerySet[ImportBatch]:
    """Editors see every batch (what came in, from where, by whom); others none."""
    if not permissions.is_editor_anywhere(user):
        return ImportBatch.objects.none()
    return ImportBatch.objects.select_related("user", "undone_by")


def default_user() -> Any:
    """The user a command runs as when none is named: a platform admin, if there is one."""
    User = get_user_model()
    admins = Membership.objects.filter(role=Role.ADMIN).values("user")
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(pk__in=admins))
        .order_by("pk")
        .first()
    )
