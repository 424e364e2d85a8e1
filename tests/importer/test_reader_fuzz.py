"""Fuzzing the import readers and the mapping loader (issue 12).

Whatever the bytes, reading a CSV, JSON, JSON Lines or XLSX file, compiling a YAML mapping and
applying it to a row may only raise the import's own `ImportFailure`, must finish within the
time budget, and an import that is refused writes nothing. The test suite runs a few dozen
examples per target (a few seconds each); `make fuzz` runs many more
(`BUICASUS_READER_FUZZ_EXAMPLES`, default 15 here).
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buicasus.importer import readers
from buicasus.importer.errors import ImportFailure
from buicasus.importer.mapping import parse_mapping
from buicasus.importer.records import check_shape
from buicasus.importer.services import import_file
from buicasus.registry.models import Initiative, Organisation

EXAMPLES = int(os.environ.get("BUICASUS_READER_FUZZ_EXAMPLES", "15"))
BUDGET = 3.0  # seconds for one example: far above what a linear reader needs
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the budget below is checked by hand, with its own message
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=os.environ.get("BUICASUS_READER_FUZZ_RANDOM") is None,
)

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
CELL = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def read_all(path: Path, fmt: str) -> None:
    """Read every row of `path` as `fmt`; only ImportFailure may escape, within the budget."""
    started = time.perf_counter()
    try:
        for _row in readers.read_rows(path, fmt, name=path.name):
            pass
    except ImportFailure as exc:
        assert exc.describe()
    elapsed = time.perf_counter() - started
    assert elapsed < BUDGET, f"{fmt} took {elapsed:.1f} s"


def _cut(text: str, cut: int) -> str:
    return text[: max(cut, 0)] if cut >= 0 else text


@FUZZ
@given(data=st.binary(max_size=2000))
def test_csv_from_any_bytes(folder: Path, data: bytes) -> None:
    path = folder / "fuzz.csv"
    path.write_bytes(data)
    read_all(path, "csv")


@FUZZ
@given(
    rows=st.lists(st.lists(CELL, max_size=6), max_size=8),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"]),
)
def test_csv_tables(folder: Path, rows: list[list[str]], delimiter: str, encoding: str) -> None:
    text = "\n".join(delimiter.join(row) for row in rows)
    path = folder / "fuzz.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    read_all(path, "csv")


@FUZZ
@given(value=JSON, cut=st.integers(min_value=-1, max_value=200), depth=st.integers(0, 300))
def test_json(folder: Path, value: Any, cut: int, depth: int) -> None:
    text = _cut("[" * depth + json.dumps(value) + "]" * depth, cut)
    path = folder / "fuzz.json"
    path.write_text(text, encoding="utf-8")
    read_all(path, "json")


@FUZZ
@given(values=st.lists(JSON, max_size=6), junk=st.text(max_size=30))
def test_json_lines(folder: Path, values: list[Any], junk: str) -> None:
    lines = [json.dumps(v) for v in values] + [junk]
    path = folder / "fuzz.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8", errors="replace")
    read_all(path, "jsonl")


_BOOKS: dict[str, bytes] = {}


def _workbook(rows: list[list[Any]]) -> bytes:
    """The workbook of `rows`, built once: a saved workbook holds the time it was saved, and a
    replayed example must damage the very same bytes."""
    key = repr(rows)
    if key not in _BOOKS:
        _BOOKS[key] = _build(rows)
    return _BOOKS[key]


def _build(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX_CELL = (
    st.none()
    | st.integers(-(10**9), 10**9)
    | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=10)
)


@FUZZ
@given(
    rows=st.lists(st.lists(XLSX_CELL, max_size=5), max_size=5),
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=4),
)
def test_xlsx(folder: Path, rows: list[list[Any]], flips: list[tuple[int, int]]) -> None:
    data = bytearray(_workbook(rows))
    for position, byte in flips:  # damage the zip here and there
        data[position % len(data)] = byte
    path = folder / "fuzz.xlsx"
    path.write_bytes(bytes(data))
    read_all(path, "xlsx")


@FUZZ
@given(parts=st.lists(st.tuples(st.text(max_size=20), st.binary(max_size=200)), max_size=4))
def test_xlsx_from_any_zip(folder: Path, parts: list[tuple[str, bytes]]) -> None:
    path = folder / "fuzz.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for index, (name, data) in enumerate(parts):
            archive.writestr(f"{index}/{name}", data)
    read_all(path, "xlsx")


SPEC_KEYS = ["column", "value", "template", "first_of", "pattern", "type", "map", "split"]
SPEC = st.dictionaries(
    st.sampled_from([*SPEC_KEYS, "required", "default", "normalise", "formats", "decimal"]),
    JSON | st.sampled_from(["{id}", "name", "(a|aa)+$", "[", "date", "amount", "m", ";"]),
    max_size=4,
)
RECORD = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["organisation", "initiative", "role", "tie", "robot"]),
        "source_id": st.sampled_from(["{id}", "x-{id}", "{", ""]) | JSON,
    },
    optional={
        "fields": st.dictionaries(st.sampled_from(["name", "country", "title", "x"]), SPEC),
        "when": SPEC | st.text(max_size=8),
        "for_each": SPEC,
        "organisation": st.text(max_size=6),
        "initiative": st.text(max_size=6),
        "role": SPEC,
        "identifiers": JSON,
        "translations": JSON,
        "fundings": JSON,
    },
)
MAPPING_DOC = st.fixed_dictionaries(
    {"records": st.lists(RECORD, max_size=3) | JSON},
    optional={
        "maps": st.dictionaries(st.sampled_from(["m", "n"]), JSON) | JSON,
        "defaults": JSON,
        "format": JSON,
        "join": JSON,
    },
)


def _apply(text: str, row: dict[str, Any]) -> None:
    started = time.perf_counter()
    try:
        mapping = parse_mapping(text, "fuzz.yaml")
        for record in mapping.records_of([(2, row)]):
            check_shape(record)
    except ImportFailure as exc:
        assert exc.describe()
    assert time.perf_counter() - started < BUDGET


@FUZZ
@given(doc=MAPPING_DOC, row=st.dictionaries(st.sampled_from(["id", "name", "m"]), CELL))
def test_yaml_mappings(doc: dict[str, Any], row: dict[str, Any]) -> None:
    _apply(yaml.safe_dump(doc, allow_unicode=True), row)


@FUZZ
@given(
    text=st.text(alphabet="&*ab:[]{}-, \n'\"!|>%@#?", max_size=200),
    row=st.dictionaries(st.sampled_from(["id", "a"]), CELL),
)
def test_yaml_mappings_from_any_text(text: str, row: dict[str, Any]) -> None:
    _apply(text, row)


# --- through the whole import: refused means nothing written --------------------------------

RECORD_VALUE = JSON | st.sampled_from(["FR", "cooperative", "Alfa", "2020-01-01", "NaN"])
CANONICAL = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["organisation", "initiative", "role", "tie"]) | JSON,
        "source_id": st.text(max_size=5) | JSON,
    },
    optional={
        "fields": st.dictionaries(
            st.sampled_from(
                ["name", "country", "actor_type", "title", "latitude", "start_date", "regions"]
            ),
            RECORD_VALUE,
        )
        | JSON,
        "identifiers": JSON,
        "fundings": JSON,
        "organisation": JSON,
        "initiative": JSON,
        "role": JSON,
        "errors": JSON,
    },
)


@pytest.mark.django_db
@settings(FUZZ, max_examples=max(EXAMPLES // 3, 5))
@given(records=st.lists(CANONICAL, max_size=4), skip=st.booleans())
def test_imports_of_any_records(
    folder: Path, admin: Any, records: list[dict[str, Any]], skip: bool
) -> None:
    path = folder / "fuzz.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    before = Organisation.objects.count(), Initiative.objects.count()
    started = time.perf_counter()
    try:
        report = import_file(path, source="fuzz", skip_invalid=skip)
    except ImportFailure as exc:
        assert not exc.reference, exc.describe()  # refused for the input, not by a bug
        assert (Organisation.objects.count(), Initiative.objects.count()) == before
    else:
        if not report.written:
            assert (Organisation.objects.count(), Initiative.objects.count()) == before
    assert time.perf_counter() - started < BUDGET


STANDARD_DOC = st.fixed_dictionaries(
    {},
    optional={
        "organizations": st.lists(
            st.dictionaries(
                st.sampled_from(["id", "name", "classification", "buicasus", "identifiers"]),
                JSON,
            ),
            max_size=3,
        )
        | JSON,
        "memberships": st.lists(
            st.dictionaries(
                st.sampled_from(["member", "organization_id", "role", "start_date", "id"]), JSON
            ),
            max_size=3,
        )
        | JSON,
        "elements": JSON,
        "connections": JSON,
        "records": JSON,
    },
)


@pytest.mark.django_db
@settings(FUZZ, max_examples=max(EXAMPLES // 3, 5))
@given(doc=STANDARD_DOC, fmt=st.sampled_from(["popolo", "kumu", "buicasus-json"]))
def test_standard_formats_of_any_document(
    folder: Path, admin: Any, doc: dict[str, Any], fmt: str
) -> None:
    path = folder / "fuzz.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = Organisation.objects.count()
    try:
        import_file(path, source="fuzz", format=fmt, skip_invalid=True)
    except ImportFailure as exc:
        assert not exc.reference, exc.describe()  # refused for the input, not by a bug
        assert Organisation.objects.count() == before
