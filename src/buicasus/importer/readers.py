"""Reading source files into rows: CSV, XLSX, JSON and JSON Lines, each as (row number, dict).

Row numbers are what a person sees: in CSV and XLSX the header is row 1 and the first data row
row 2 (as in a spreadsheet); in JSON the first object is row 1; in JSON Lines a row is a line.

CSV: the encoding is detected (UTF-8 first, then charset-normalizer on a sample) and the
delimiter guessed from the first lines; both can be given instead. A byte the encoding cannot
read stops the import with the row, the column and a suggested encoding. The standard formats
(HSDS, Popolo, Kumu, BuiCaSuS JSON) are read by `buicasus.interchange.readers` into canonical
records directly.

Files over `IMPORT_MAX_BYTES` (default 2 GiB) are refused before anything is read; the other
limits (`buicasus.limits`: columns, cell size, nesting depth, inflated size of an XLSX) are
checked before the step they protect, and each refusal names the file, the limit and its setting.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from buicasus import limits
from buicasus.core.parsing import guess_delimiter
from buicasus.importer.encodings import (
    check_consistent,
    check_encoding,
    decode_failure,
    detect_encoding,
)
from buicasus.importer.errors import ImportFailure, refusals
from buicasus.interchange.readers import STANDARD_READERS

TABULAR = ("csv", "xlsx", "json", "jsonl")
EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
SAMPLE_BYTES = 1024 * 1024
Row = tuple[int, dict[str, Any]]


def max_file_bytes() -> int:
    """The largest file an import accepts (setting `BUICASUS_IMPORT_MAX_BYTES`, 2 GiB)."""
    return int(settings.IMPORT_MAX_BYTES)


def standard_readers() -> dict[str, Callable[[Path], Iterable[dict[str, Any]]]]:
    """The readers of standard formats (HSDS, Popolo, Kumu, BuiCaSuS JSON), by format name."""
    return dict(STANDARD_READERS)


def check_file(path: Path, name: str) -> int:
    """The file's size, after checking it exists, is a readable file and is not too large."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFailure(
            _("The file cannot be read: %(error)s") % {"error": exc.strerror}, file=name
        ) from exc
    if path.is_dir() and (path / "datapackage.json").is_file():
        size = folder_size(path)  # an HSDS data package unpacked in a folder
    elif not path.is_file() or not os.access(path, os.R_OK):
        raise ImportFailure(_("The file cannot be read."), file=name)
    with refusals(name):
        limits.check_size(size, name)
    return size


def file_sha256(path: Path) -> str:
    """SHA-256 of the file (of a folder's files, in name order, for an unpacked package)."""
    digest = hashlib.sha256()
    for part in sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]:
        with part.open("rb") as handle:
            for block in iter(lambda h=handle: h.read(1024 * 1024), b""):  # type: ignore[misc]
                digest.update(block)
    return digest.hexdigest()


def detect_format(path: Path, name: str) -> str:
    """The format from the file name, else from the first bytes; standard formats (HSDS data
    packages, Kumu, Popolo, BuiCaSuS JSON) when their reader is installed and the file shows
    their marks."""
    standard = standard_readers()
    if path.is_dir():
        if "hsds" in standard and (path / "datapackage.json").is_file():
            return "hsds"
        raise ImportFailure(_("The file cannot be read."), file=name)
    suffix = Path(name).suffix.lower() or path.suffix.lower()
    if suffix == ".xls":
        raise ImportFailure(
            _("Old Excel files (.xls) cannot be read; save the sheet as .xlsx or .csv."), file=name
        )
    if Path(name).name == "datapackage.json" and "hsds" in standard:
        return "hsds"
    with path.open("rb") as handle:
        head = handle.read(65536).lstrip(codecs.BOM_UTF8).lstrip()
    if head.startswith(b"PK"):
        if "hsds" in standard and zipfile.is_zipfile(path):
            with refusals(name):
                limits.check_archive(path, name)  # also: a zip that cannot be opened
            with zipfile.ZipFile(path) as archive:
                if any(n.endswith("datapackage.json") for n in archive.namelist()):
                    return "hsds"
        return "xlsx"
    first_line = head.split(b"\n", 1)[0]
    if "buicasus-json" in standard and b'"format"' in first_line and b"buicasus" in first_line:
        return "buicasus-json"  # BuiCaSuS JSON, or its JSON Lines with a header line
    if head.startswith(b"{") and suffix in ("", ".json"):
        marks = {
            "kumu": (b'"elements"', b'"connections"'),
            "popolo": (b'"memberships"',),
            "buicasus-json": (b'"records"',),
        }
        for fmt, needles in marks.items():
            if fmt in standard and all(n in head for n in needles):
                return fmt
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        return "jsonl" if b"\n{" in head else "json"
    return "csv"


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


@dataclass
class Rows:
    """Rows of a file, with its header (tabular formats) and an estimate of their number."""

    rows: Iterable[Row]
    columns: list[str] | None = None
    estimate: int | None = None
    notes: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)


def read_rows(
    path: Path,
    fmt: str,
    *,
    name: str,
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    key: str | None = None,
) -> Rows:
    """Open `path` as `fmt` and return its rows (read lazily, except JSON)."""
    if fmt == "csv":
        return read_csv(path, name=name, delimiter=delimiter, encoding=encoding)
    if fmt == "xlsx":
        return read_xlsx(path, name=name, sheet=sheet)
    if fmt == "json":
        return read_json(path, name=name, encoding=encoding, key=key)
    if fmt == "jsonl":
        return read_jsonl(path, name=name, encoding=encoding)
    raise ImportFailure(
        _("Unknown format “%(format)s”; use one of %(formats)s.")
        % {"format": fmt, "formats": ", ".join([*TABULAR, *standard_readers()])},
        file=name,
    )


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(4 * 1024 * 1024), b""):
            count += block.count(b"\n")
    return count


# --- CSV ----------------------------------------------------------------------------------------


def _header(cells: list[Any], name: str) -> list[str]:
    """Column names: stripped; blank ones named `column_N`; repeats suffixed `_2`, `_3` …
    (a set of the names taken keeps this linear in the number of columns)."""
    with refusals(name):
        limits.check_columns(len(cells), name, row=1)
    names: list[str] = []
    taken: set[str] = set()
    last_suffix: dict[str, int] = {}  # a header of one repeated name stays linear too
    for index, cell in enumerate(cells, start=1):
        base = " ".join(str(cell or "").replace("\ufeff", "").split()) or f"column_{index}"
        candidate, n = base, last_suffix.get(base, 1)
        while candidate in taken:
            n += 1
            candidate = f"{base}_{n}"
        last_suffix[base] = n
        names.append(candidate)
        taken.add(candidate)
    return names


def _csv_error(exc: csv.Error, name: str, row: int) -> ImportFailure:
    """The csv module's error in words; a cell over the size limit names the setting."""
    if "field larger than field limit" in str(exc):
        most = limits.cell_chars()
        return ImportFailure(
            _("A cell holds more than %(n)s characters (setting BUICASUS_UPLOAD_MAX_CELL_CHARS).")
            % {"n": f"{most:,}"},
            file=name,
            row=row,
        )
    return ImportFailure(str(exc), file=name, row=row)


def read_csv(
    path: Path, *, name: str, delimiter: str | None = None, encoding: str | None = None
) -> Rows:
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    notes = []
    if encoding:
        encoding = check_encoding(encoding, name)
    else:
        found = detect_encoding(sample)
        if found is None:
            raise ImportFailure(
                _("The encoding of the file cannot be recognised; give it with --encoding."),
                file=name,
            )
        encoding = found
        check_consistent(path, encoding, name)
        notes.append(_("Encoding detected: %(encoding)s.") % {"encoding": encoding})
    if encoding == "utf-8":
        encoding = "utf-8-sig"  # the same, and a BOM is dropped
    text_sample = sample.decode(encoding, errors="replace")
    if delimiter:
        delimiter = DELIMITER_NAMES.get(delimiter.lower(), delimiter)
        if len(delimiter) != 1:
            raise ImportFailure(
                _("The delimiter must be one character (or tab, comma, semicolon, pipe)."),
                file=name,
            )
    else:
        delimiter = guess_delimiter(text_sample.splitlines()[:20])
        notes.append(_("Delimiter detected: %(delimiter)r.") % {"delimiter": delimiter})
    csv.field_size_limit(limits.cell_chars())
    try:
        with path.open("r", encoding=encoding, newline="") as handle:
            columns = _header(next(csv.reader(handle, delimiter=delimiter)), name)
    except StopIteration:
        raise ImportFailure(_("The file is empty."), file=name, row=1) from None
    except UnicodeDecodeError:
        raise decode_failure(path, encoding, name, delimiter) from None
    except csv.Error as exc:
        raise _csv_error(exc, name, 1) from exc
    return Rows(
        _csv_rows(path, columns, encoding, name, delimiter),
        columns,
        max(_count_lines(path) - 1, 0),
        notes,
    )


def _csv_rows(
    path: Path, columns: list[str], encoding: str, name: str, delimiter: str
) -> Iterator[Row]:
    """The data rows; the file is opened when the first row is wanted, closed after the last."""
    width = len(columns)
    row_number = 1
    csv.field_size_limit(limits.cell_chars())
    with path.open("r", encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            next(reader)  # the header, read already
        except (StopIteration, UnicodeDecodeError, csv.Error):
            return
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise decode_failure(path, encoding, name, delimiter) from None
            except csv.Error as exc:
                raise _csv_error(exc, name, row_number + 1) from exc
            row_number += 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > width:
                with refusals(name):
                    limits.check_columns(len(cells), name, row=row_number)
                extra = {f"column_{i}": v for i, v in enumerate(cells[width:], width + 1) if v}
                yield row_number, {**dict(zip(columns, cells, strict=False)), **extra}
            else:
                yield row_number, dict(zip(columns, cells, strict=False))


# --- XLSX ---------------------------------------------------------------------------------------


def read_xlsx(path: Path, *, name: str, sheet: str | None = None) -> Rows:
    from openpyxl import load_workbook

    if zipfile.is_zipfile(path):  # a file that is no zip at all gets openpyxl's message
        with refusals(name):
            limits.check_archive(path, name)
    # The file handle is ours to close: a sheet whose XML fails midway leaves openpyxl's member
    # open, and the archive would then keep the file open after book.close().
    handle = path.open("rb")
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, XML and KeyError alike on bad files
        handle.close()
        raise ImportFailure(
            _("The file is not a readable XLSX workbook (%(error)s).")
            % {"error": type(exc).__name__},
            file=name,
        ) from exc
    if sheet:
        if sheet not in book.sheetnames:
            book.close()
            handle.close()
            raise ImportFailure(
                _("No sheet named “%(sheet)s”; the workbook has %(sheets)s.")
                % {"sheet": sheet, "sheets": ", ".join(book.sheetnames)},
                file=name,
            )
        worksheet = book[sheet]
    else:
        worksheet = book.worksheets[0]
    # A sheet's declared dimension may claim 16,384 columns; read one past the limit at most.
    widest = limits.limit("UPLOAD_MAX_COLUMNS") + 1
    try:
        first = list(next(worksheet.iter_rows(max_col=widest, values_only=True)))
    except StopIteration:
        raise ImportFailure(_("The sheet is empty."), file=name, row=1) from None
    except Exception as exc:  # malformed sheet XML, refused entities (defusedxml)
        raise ImportFailure(
            _("The file is not a readable XLSX workbook (%(error)s).")
            % {"error": type(exc).__name__},
            file=name,
        ) from exc
    finally:
        estimate = max((worksheet.max_row or 1) - 1, 0)
        book.close()
        handle.close()
    while first and (first[-1] is None or first[-1] == ""):
        first.pop()
    columns = _header([("" if v is None else str(v)) for v in first], name)
    return Rows(_xlsx_rows(path, worksheet.title, columns, name), columns, estimate)


def _xlsx_rows(path: Path, sheet: str, columns: list[str], name: str) -> Iterator[Row]:
    """The data rows (cells past the header's last column are not read); the workbook is
    opened when the first row is wanted."""
    from openpyxl import load_workbook

    handle = path.open("rb")
    row_number = 1
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
        rows = book[sheet].iter_rows(min_row=2, max_col=max(len(columns), 1), values_only=True)
        for row_number, values in enumerate(rows, start=2):
            cleaned = [v.strip() if isinstance(v, str) else v for v in values]
            if all(v is None or v == "" for v in cleaned):
                continue
            yield row_number, dict(zip(columns, cleaned, strict=False))
    except ImportFailure:
        raise
    except Exception as exc:  # a sheet whose XML breaks off or refers to what is not there
        raise ImportFailure(
            _("The file is not a readable XLSX workbook (%(error)s).")
            % {"error": type(exc).__name__},
            file=name,
            row=row_number + 1,
        ) from exc
    finally:
        handle.close()


# --- JSON -----------------------------------------------------------------------------------


def read_json(
    path: Path, *, name: str, encoding: str | None = None, key: str | None = None
) -> Rows:
    """A list of objects, or an object holding such a list under `key` (or its only list)."""
    try:
        with path.open(
            "r", encoding=check_encoding(encoding, name) if encoding else "utf-8-sig"
        ) as handle:
            text = handle.read()
        with refusals(name):
            data = limits.load_json(text, name)
    except UnicodeDecodeError as exc:
        raise decode_failure(path, encoding or "utf-8", name, None) from exc
    except json.JSONDecodeError as exc:
        raise ImportFailure(
            _("Not valid JSON (line %(line)s, column %(column)s): %(error)s")
            % {"line": exc.lineno, "column": exc.colno, "error": exc.msg},
            file=name,
            row=exc.lineno,
        ) from exc
    items = _json_list(data, key, name)
    return Rows(_json_rows(items, name), None, len(items))


def _json_list(data: Any, key: str | None, name: str) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if key:
            if not isinstance(data.get(key), list):
                raise ImportFailure(
                    _("The JSON object has no list under “%(key)s”.") % {"key": key}, file=name
                )
            return list(data[key])
        lists = [k for k, v in data.items() if isinstance(v, list)]
        if len(lists) == 1:
            return list(data[lists[0]])
        if "kind" in data:
            return [data]
    raise ImportFailure(
        _("Expected a list of objects, or an object holding one list (name it with “key”)."),
        file=name,
    )


def _json_rows(items: list[Any], name: str) -> Iterator[Row]:
    for row_number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ImportFailure(_("This item is not an object."), file=name, row=row_number)
        yield row_number, item


def read_jsonl(path: Path, *, name: str, encoding: str | None = None) -> Rows:
    enc = check_encoding(encoding, name) if encoding else "utf-8-sig"
    return Rows(_jsonl_rows(path, enc, name), None, _count_lines(path))


def _jsonl_rows(path: Path, encoding: str, name: str) -> Iterator[Row]:
    with path.open("r", encoding=encoding) as handle:
        line_no = 0
        while True:
            try:
                line = handle.readline()
            except UnicodeDecodeError:
                raise decode_failure(path, encoding, name, None) from None
            if not line:
                return
            line_no += 1
            if not line.strip():
                continue
            try:
                with refusals(name):
                    item = limits.load_json(line, name, row=line_no)
            except json.JSONDecodeError as exc:
                raise ImportFailure(
                    _("Not valid JSON (column %(column)s): %(error)s")
                    % {"column": exc.colno, "error": exc.msg},
                    file=name,
                    row=line_no,
                ) from exc
            if not isinstance(item, dict):
                raise ImportFailure(_("This line is not a JSON object."), file=name, row=line_no)
            yield line_no, item
