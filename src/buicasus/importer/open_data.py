"""The real open data sets of `../shared/data`, loaded through their shipped mapping files.

Each data set is a source (a name that keys its records across re-imports) made of files loaded
in dependency order: organisations before the files whose roles refer to them. Nothing here
knows a column: the mappings in `importer/mappings/` say how rows become records, and the
import engine (`importer.services.import_file`) validates and writes them, so a real load is the
same operation as `buicasus import FILE --source NAME --mapping M.yaml --skip-invalid`.

A sample load takes a deterministic, evenly spread subset of each file (stratified by country
where the file spans countries) and writes it under the data directory before importing it, so
the sample's records are the same records, with the same ids, as a full load's.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.utils.translation import gettext as _

from buicasus.config import PROJECT_ROOT
from buicasus.core.parsing import is_blank
from buicasus.importer.mapping import load_mapping
from buicasus.importer.mapping_values import CellProblem
from buicasus.importer.services import import_file

MAPPINGS = Path(__file__).parent / "mappings"
DEFAULT_DATA_DIR = (PROJECT_ROOT / ".." / "shared" / "data").resolve()


@dataclass(frozen=True)
class SourceFile:
    """One file of a data set, the mapping that reads it and how to sample it."""

    path: str  # relative to the data set's folder
    mapping: str  # file name in MAPPINGS
    sample_by: str | None = None  # column to stratify the sample by
    sample_size: int | None = None  # rows per stratum in a sample; None: the whole file


@dataclass(frozen=True)
class OpenDataSource:
    name: str  # the source name records are keyed by; also the data set's folder
    files: tuple[SourceFile, ...]


SOURCES: tuple[OpenDataSource, ...] = (
    OpenDataSource(
        "ess-france-numerique",
        (SourceFile("ess_numerique_consolidated.csv", "ess-france-numerique.yaml", None, 400),),
    ),
    OpenDataSource(
        # Small: loaded whole even for a sample (about 230 organisations and 170 projects fall in
        # the registry's countries), so every project finds its organisations.
        "dsi4eu-2017",
        (
            SourceFile("organisations.csv", "dsi4eu-2017-organisations.yaml"),
            SourceFile("projects.csv", "dsi4eu-2017-projects.yaml"),
        ),
    ),
    OpenDataSource(
        "eu-structural-funds-2016",
        (SourceFile("operations.csv", "eu-structural-funds-2016.yaml", "country", 250),),
    ),
)
SOURCE_NAMES: tuple[str, ...] = tuple(s.name for s in SOURCES)


class OpenDataError(Exception):
    """A data folder, file or mapping that cannot be used; the message says which and why."""


@dataclass
class FileResult:
    """What loading one file did: the engine's report plus the file's own row count."""

    source: str
    path: Path
    mapping: str
    rows: int = 0  # data rows in the file that was imported (the sample, for a sample)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0  # rows with a problem, each in the rejects file with its reason
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: float = 0.0
    rejects: str = ""
    batch_id: int | None = None

    @property
    def rate(self) -> float:
        """Rows per second, for the figures the command prints."""
        return self.rows / self.seconds if self.seconds > 0 else 0.0


@dataclass
class OpenDataReport:
    results: list[FileResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing_data: bool = False

    @property
    def seconds(self) -> float:
        return sum(r.seconds for r in self.results)


# --- sampling ------------------------------------------------------------------------------


def spread_indices(size: int, wanted: int) -> list[int]:
    """`wanted` positions spread evenly over `size` items (all of them when fewer).

    Evenly spread rather than the first rows: the files are sorted (by region, programme or
    name), so their heads are not representative; and no randomness, so a sample is the same
    on every machine and a second load finds nothing to change.
    """
    if wanted >= size:
        return list(range(size))
    return [i * size // wanted for i in range(wanted)]


def _reader_options(mapping: Path) -> tuple[str, str]:
    """Encoding and delimiter the mapping declares (the sample is written in UTF-8)."""
    fmt = load_mapping(mapping).format
    return str(fmt.get("encoding") or "utf-8"), str(fmt.get("delimiter") or ",")


def write_sample(
    source: Path, target: Path, mapping: Path, by: str | None, size: int
) -> tuple[int, int]:
    """Copy a stratified, evenly spread subset of the CSV `source` to `target`.

    A record the mapping lets repeat (`repeats: first`, e.g. a beneficiary on many rows) takes
    its values from the first row that names it; so the sample also keeps that first row for
    every repeated record its rows name. Otherwise a sample and a full load would each see a
    different "first" row (spellings differ: "300 PUNTOS, S.L." / "300 PUNTOS SL") and undo
    each other's names on every load.

    Returns (rows in the source, rows written). Streams the file twice instead of holding
    52,000 rows in memory. A file that cannot be read raises `OpenDataError` naming it.
    """
    compiled = load_mapping(mapping)
    encoding = str(compiled.format.get("encoding") or "utf-8")
    delimiter = str(compiled.format.get("delimiter") or ",")
    try:
        strata, earlier = _survey(source, encoding, delimiter, by, compiled)
        chosen = _choose(strata, earlier, size)
        return len(strata), _copy(source, target, encoding, delimiter, chosen)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise OpenDataError(
            _("%(file)s cannot be read as %(encoding)s CSV: %(error)s")
            % {"file": source, "encoding": encoding, "error": exc}
        ) from exc


def _survey(
    source: Path, encoding: str, delimiter: str, by: str | None, mapping: Any
) -> tuple[list[str], dict[int, set[int]]]:
    """Each row's stratum, and for each row the earlier rows that first named a repeated
    record it names (row indices from 0, header excluded)."""
    repeated = [spec for spec in mapping.records if spec.repeats == "first"]
    strata: list[str] = []
    first_row: dict[tuple[str, str], int] = {}
    earlier: dict[int, set[int]] = {}
    with source.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader, None)
        if header is None:
            raise OpenDataError(_("%(file)s: the file is empty.") % {"file": source})
        column = _column_index(header, by, source)
        for index, cells in enumerate(reader):
            strata.append(cells[column] if column is not None and column < len(cells) else "")
            if not repeated:
                continue
            row = dict(zip(header, cells, strict=False))
            for spec in repeated:
                try:
                    if spec.when is not None and is_blank(spec.when(row, mapping.defaults)):
                        continue
                    key = (spec.kind, str(spec.source_id(row, mapping.defaults) or ""))
                except CellProblem:
                    continue
                first = first_row.setdefault(key, index)
                if first != index:
                    earlier.setdefault(index, set()).add(first)
    return strata, earlier


def _choose(strata: list[str], earlier: dict[int, set[int]], size: int) -> set[int]:
    """`size` rows spread over each stratum, plus the first rows their repeats depend on."""
    by_stratum: dict[str, list[int]] = {}
    for index, key in enumerate(strata):
        by_stratum.setdefault(key, []).append(index)
    chosen = {rows[i] for rows in by_stratum.values() for i in spread_indices(len(rows), size)}
    return chosen.union(*(earlier[i] for i in chosen if i in earlier))


def _copy(source: Path, target: Path, encoding: str, delimiter: str, chosen: set[int]) -> int:
    """Write the header and the chosen rows, in file order; returns the rows written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        source.open(encoding=encoding, newline="") as handle,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        reader = csv.reader(handle, delimiter=delimiter)
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerow(next(reader))
        writer.writerows(row for index, row in enumerate(reader) if index in chosen)
    return len(chosen)


def _column_index(header: list[str], name: str | None, path: Path) -> int | None:
    if name is None:
        return None
    try:
        return header.index(name)
    except ValueError as exc:
        raise OpenDataError(
            _("%(file)s: no column “%(column)s” to sample by.") % {"file": path, "column": name}
        ) from exc


def count_rows(path: Path, mapping: Path) -> int:
    """Data rows of a CSV file (records may span lines, so lines are not rows)."""
    encoding, delimiter = _reader_options(mapping)
    try:
        with path.open(encoding=encoding, newline="") as handle:
            return max(sum(1 for _row in csv.reader(handle, delimiter=delimiter)) - 1, 0)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise OpenDataError(
            _("%(file)s cannot be read as %(encoding)s CSV: %(error)s")
            % {"file": path, "encoding": encoding, "error": exc}
        ) from exc


# --- loading -------------------------------------------------------------------------------


def select_sources(names: Iterable[str] | None) -> list[OpenDataSource]:
    """The named sources in load order (all when none are named)."""
    wanted = list(names or [])
    unknown = sorted(set(wanted) - set(SOURCE_NAMES))
    if unknown:
        raise OpenDataError(
            _("Unknown source %(names)s; known sources: %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(SOURCE_NAMES)}
        )
    return [s for s in SOURCES if not wanted or s.name in wanted]


def load_open_data(
    data_folder: Path | None = None,
    *,
    sample: bool = True,
    sources: Sequence[str] | None = None,
    work_dir: Path | None = None,
    progress: bool = False,
    user: Any = None,
    echo: Callable[[str], None] | None = None,
) -> OpenDataReport:
    """Load the chosen sources (all by default), a sample or everything.

    Each file is one import batch with `skip_invalid`: the source files carry a few invalid
    rows (an end date the day before the start date, a malformed website), which go to a
    rejects file with their reasons instead of blocking the thousands of good rows. A missing
    data folder is reported in `missing_data`, not raised: a machine without `../shared` must
    still be able to run `make run`.
    """
    folder = (data_folder or DEFAULT_DATA_DIR).resolve()
    report = OpenDataReport()
    chosen = select_sources(sources)
    if not folder.is_dir():
        report.missing_data = True
        report.notes.append(
            _("%(folder)s: no such folder; open data not loaded.") % {"folder": folder}
        )
        return report
    scratch = (work_dir or Path(settings.DATA_DIR) / "open-data-sample").resolve()
    for source in chosen:
        base = folder / source.name
        if not base.is_dir():
            report.notes.append(
                _("%(folder)s: no such folder; %(source)s not loaded.")
                % {"folder": base, "source": source.name}
            )
            continue
        for spec in source.files:
            result = _load_file(source.name, base, spec, sample, scratch, progress, user)
            report.results.append(result)
            if echo is not None:
                echo(describe(result))
    return report


def _load_file(
    source: str,
    base: Path,
    spec: SourceFile,
    sample: bool,
    scratch: Path,
    progress: bool,
    user: Any,
) -> FileResult:
    mapping = MAPPINGS / spec.mapping
    path = base / spec.path
    if not path.is_file():
        raise OpenDataError(
            _("%(file)s: file not found (read by mapping %(mapping)s).")
            % {"file": path, "mapping": spec.mapping}
        )
    if sample and spec.sample_size is not None:
        target = scratch / source / spec.path
        _total, rows = write_sample(path, target, mapping, spec.sample_by, spec.sample_size)
        path = target
    else:
        rows = count_rows(path, mapping)
    started = time.perf_counter()
    try:
        report = run_import(path, source=source, mapping=mapping, progress=progress, user=user)
    except DatabaseError as exc:  # e.g. a database not migrated yet; the batch rolled back
        raise OpenDataError(
            _("%(file)s: the database refused the import (%(error)s); nothing of it was written.")
            % {"file": path, "error": exc}
        ) from exc
    return FileResult(
        source=source,
        path=path,
        mapping=spec.mapping,
        rows=rows,
        new=report.new,
        updated=report.updated,
        unchanged=report.unchanged,
        invalid=report.invalid,
        by_kind=report.by_kind,
        seconds=time.perf_counter() - started,
        rejects=report.rejects_path,
        batch_id=report.batch_id,
    )


def run_import(path: Path, *, source: str, mapping: Path, progress: bool, user: Any) -> Any:
    """One file through the import engine, as `buicasus import … --skip-invalid` would."""
    return import_file(
        path, source=source, mapping=mapping, skip_invalid=True, progress=progress, user=user
    )


def describe(result: FileResult) -> str:
    """One line per file: what was read, what happened to it, how fast."""
    kinds = "; ".join(
        f"{kind} " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if v)
        for kind, counts in sorted(result.by_kind.items())
    )
    line = _(
        "%(source)s: %(file)s (%(mapping)s): %(rows)d rows in %(seconds).1f s "
        "(%(rate).0f rows/s): %(new)d new, %(updated)d updated, %(unchanged)d unchanged, "
        "%(invalid)d invalid rows [%(kinds)s]"
    ) % {
        "source": result.source,
        "file": result.path.name,
        "mapping": result.mapping,
        "rows": result.rows,
        "seconds": result.seconds,
        "rate": result.rate,
        "new": result.new,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "invalid": result.invalid,
        "kinds": kinds,
    }
    if result.rejects:
        line += " " + _("(rejects: %(path)s)") % {"path": result.rejects}
    return line
