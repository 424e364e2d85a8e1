"""Readers of the standard formats, for the import engine: file → canonical records.

`STANDARD_READERS[name](path)` yields canonical records (docs/import-format.md) with `row` set
to the element's position: the line of a JSON Lines file or of an HSDS CSV table (its header is
line 1), the 1-based index in a JSON array otherwise. Records that other records refer to come
first. A file that is not what its format says raises `FormatError` (a `ValueError`) whose text
names the file, the row and the field; nothing is yielded after it.

The formats are those `buicasus export` writes, and files of the same standards from other
tools (see interchange/README.md for what those become).

The upload limits (`buicasus.limits`) hold here as in the tabular readers: nesting depth, the
inflated size of a zipped package, columns and cell size of its tables; a refusal is a
`FileRefused` (also a `ValueError`) naming the file, the limit and its setting.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from buicasus import limits
from buicasus.core import hsds, hsds_read, kumu, popolo
from buicasus.core import vocabulary_fields as vf
from buicasus.core.standard_records import FormatError, Record
from buicasus.registry.models import Term

RECORD_KINDS = ("organisation", "initiative", "role", "tie")
Reader = Callable[[Path], Iterable[Record]]


def _codes(vocabulary: str) -> set[str]:
    return set(Term.objects.filter(vocabulary__key=vocabulary).values_list("code", flat=True))


def _located(path: Path, exc: FormatError) -> FormatError:
    """The same error, its place prefixed with the file's name."""
    where = f"{path.name}: {exc.where}" if exc.where else path.name
    return FormatError(exc.message, where=where, row=exc.row, field=exc.field)


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise FormatError("no such file", where=str(path)) from exc
    except IsADirectoryError as exc:
        raise FormatError("is a folder, not a file", where=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise FormatError(
            f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", where=path.name
        ) from exc


def _json(path: Path, text: str | None = None) -> Any:
    try:
        return limits.load_json(_text(path) if text is None else text, path.name)
    except json.JSONDecodeError as exc:
        raise FormatError(
            f"not valid JSON: {exc.msg} (column {exc.colno})", where=path.name, row=exc.lineno
        ) from exc


def _checked(record: Any, path: Path, row: int) -> Record:
    if not isinstance(record, dict):
        raise FormatError("a record must be a JSON object", where=path.name, row=row)
    if record.get("kind") not in RECORD_KINDS:
        raise FormatError(
            f"kind must be one of {', '.join(RECORD_KINDS)}, not “{record.get('kind')}”",
            where=path.name,
            row=row,
            field="kind",
        )
    if not str(record.get("source_id") or ""):
        raise FormatError("no source_id", where=path.name, row=row, field="source_id")
    return {**record, "row": row}


def read_buicasus_json(path: Path) -> Iterator[Record]:
    """BuiCaSuS JSON (an object whose `records` are canonical records) or JSON Lines (one
    record per line, after an optional first line describing the file)."""
    text = _text(path)
    first_line = text.lstrip().split("\n", 1)[0]
    try:
        first = limits.load_json(first_line, path.name, row=1)
    except json.JSONDecodeError:
        first = None
    if isinstance(first, dict) and "records" not in first:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = limits.load_json(line, path.name, row=number)
            except json.JSONDecodeError as exc:
                raise FormatError(
                    f"not valid JSON: {exc.msg}", where=path.name, row=number
                ) from exc
            if number == 1 and isinstance(item, dict) and "format" in item:
                continue
            yield _checked(item, path, number)
        return
    doc = _json(path, text)
    items = doc.get("records") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise FormatError("expected an object with a `records` list", where=path.name)
    for position, item in enumerate(items, start=1):
        yield _checked(item, path, position)


def _csv_rows(name: str, data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"not UTF-8 text (byte {exc.start})", where=name) from exc
    csv.field_size_limit(limits.cell_chars())
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        limits.check_columns(len(header), name, row=1)
        rows = []
        for cells in reader:
            if not cells:
                continue  # a blank line, as csv.DictReader skips it
            limits.check_columns(len(cells), name, row=reader.line_num)
            rows.append(dict(zip(header, cells, strict=False)))
    except csv.Error as exc:
        raise FormatError(str(exc), where=name, row=reader.line_num) from exc
    return rows


def _package_files(names: Iterable[str], descriptor: Mapping[str, Any] | None) -> dict[str, str]:
    """Table name → file inside the package, from datapackage.json, else by file name."""
    files: dict[str, str] = {}
    if descriptor:
        for resource in descriptor.get("resources") or []:
            if isinstance(resource, Mapping) and resource.get("name") and resource.get("path"):
                files[str(resource["name"])] = str(resource["path"])
    known = set(names)
    for table, default in hsds.TABLE_FILES.items():
        if table not in files:
            for candidate in (default, f"{table}s.csv"):
                if candidate in known:
                    files[table] = candidate
    return {table: f for table, f in files.items() if f in known}


def _hsds_tables(path: Path) -> dict[str, list[dict[str, str]]]:
    """The package's tables, from a zip, a folder, or the folder's datapackage.json."""
    if path.is_file() and zipfile.is_zipfile(path):
        limits.check_archive(path, path.name)
        with zipfile.ZipFile(path) as archive:
            contents = {
                name.rsplit("/", 1)[-1]: name
                for name in archive.namelist()
                if not name.endswith("/")
            }

            def read(name: str) -> bytes:
                return archive.read(contents[name])

            descriptor = (
                _json_bytes(path, read("datapackage.json"))
                if "datapackage.json" in contents
                else None
            )
            files = _package_files(contents, descriptor)
            return {
                table: _csv_rows(f"{path.name}: {name}", read(name))
                for table, name in files.items()
            }
    folder = path if path.is_dir() else path.parent
    if not folder.exists() or (path.is_file() and path.name != "datapackage.json"):
        if path.is_file():
            raise FormatError("not an HSDS zip, folder or datapackage.json", where=path.name)
        raise FormatError("no such file or folder", where=str(path))
    descriptor_path = folder / "datapackage.json"
    descriptor = _json(descriptor_path) if descriptor_path.exists() else None
    names = [p.name for p in folder.iterdir() if p.is_file()]
    files = _package_files(names, descriptor)
    return {table: _csv_rows(name, (folder / name).read_bytes()) for table, name in files.items()}


def _json_bytes(path: Path, data: bytes) -> Any:
    try:
        return limits.load_json(data.decode("utf-8-sig"), path.name)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormatError(f"datapackage.json is not valid JSON: {exc}", where=path.name) from exc


def read_hsds(path: Path) -> Iterator[Record]:
    """An Open Referral HSDS data package: a zip, a folder, or its datapackage.json."""
    tables = _hsds_tables(path)
    if "organization" not in tables:
        raise FormatError("no organization table (organization.csv)", where=path.name)
    try:
        yield from hsds_read.records_from_tables(tables)
    except FormatError as exc:
        raise _located(path, exc) from exc


def read_popolo(path: Path) -> Iterator[Record]:
    """Popolo JSON: organisations (and initiatives) with their memberships."""
    doc = _json(path)
    try:
        yield from popolo.records_from_popolo(
            doc, tie_types=_codes(vf.vocabulary_of(vf.TIE, "tie_type"))
        )
    except FormatError as exc:
        raise _located(path, exc) from exc


def read_kumu(path: Path) -> Iterator[Record]:
    """Kumu-style JSON: elements and connections."""
    doc = _json(path)
    try:
        yield from kumu.records_from_kumu(
            doc,
            tie_types=_codes(vf.vocabulary_of(vf.TIE, "tie_type")),
            roles=_codes(vf.vocabulary_of(vf.ROLE, "role")),
        )
    except FormatError as exc:
        raise _located(path, exc) from exc


STANDARD_READERS: dict[str, Reader] = {
    "buicasus-json": read_buicasus_json,
    "hsds": read_hsds,
    "popolo": read_popolo,
    "kumu": read_kumu,
}

__all__ = ["STANDARD_READERS", "FormatError", "Reader"]
