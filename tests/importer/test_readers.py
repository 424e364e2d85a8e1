"""Reading CSV, XLSX, JSON and JSON Lines into numbered rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from buicasus.importer import readers
from buicasus.importer.errors import ImportFailure

Write = Callable[..., Path]


def rows_of(path: Path, fmt: str = "csv", **options: str) -> list[tuple[int, dict]]:
    return list(readers.read_rows(path, fmt, name=path.name, **options))


def test_csv_delimiter_and_encoding_are_detected(write: Write) -> None:
    path = write("a.csv", "name;city\nCafé Ñu;Lyon\nÅsa;Umeå\n", encoding="cp1252")
    found = readers.read_rows(path, "csv", name="a.csv")
    assert found.columns == ["name", "city"]
    assert list(found) == [
        (2, {"name": "Café Ñu", "city": "Lyon"}),
        (3, {"name": "Åsa", "city": "Umeå"}),
    ]
    assert any("cp1252" in n or "1252" in n for n in found.notes), found.notes


def test_csv_options_override_detection(write: Write) -> None:
    path = write("a.txt", "a|b\n1|2\n")
    assert rows_of(path, delimiter="pipe") == [(2, {"a": "1", "b": "2"})]
    assert rows_of(path, delimiter="|", encoding="latin-1") == [(2, {"a": "1", "b": "2"})]
    tabs = write("t.tsv", "a\tb\n1\t2\n")
    assert rows_of(tabs, delimiter="tab") == [(2, {"a": "1", "b": "2"})]


def test_csv_bom_blank_rows_headers_and_quotes(write: Write) -> None:
    text = '\ufeffid,,id,"long\ntext"\n1,x,y,"a\nb"\n\n,,,\n2,,z,c\n'
    found = readers.read_rows(write("b.csv", text), "csv", name="b.csv")
    assert found.columns == ["id", "column_2", "id_2", "long text"]
    assert list(found) == [
        (2, {"id": "1", "column_2": "x", "id_2": "y", "long text": "a\nb"}),
        (5, {"id": "2", "column_2": "", "id_2": "z", "long text": "c"}),
    ]


def test_csv_extra_cells_keep_their_values(write: Write) -> None:
    assert rows_of(write("c.csv", "a,b\n1,2,3\n")) == [(2, {"a": "1", "b": "2", "column_3": "3"})]


def test_wrong_declared_encoding_names_row_column_and_a_better_guess(write: Write) -> None:
    text = "name,city\n" + "Plain,Paris\n" * 50 + "Gaëlle,Besançon et Saint-Étienne-du-Rouvray\n"
    path = write("w.csv", text, encoding="cp1252")
    with pytest.raises(ImportFailure) as caught:
        rows_of(path, encoding="utf-8")
    failure = caught.value
    assert (failure.file, failure.row, failure.field) == ("w.csv", 52, "name")
    assert "utf-8" in failure.message and "--encoding" in failure.message


def test_unknown_encoding_and_bad_delimiter_are_refused(write: Write) -> None:
    path = write("a.csv", "a\n1\n")
    with pytest.raises(ImportFailure, match="Unknown encoding"):
        rows_of(path, encoding="klingon")
    with pytest.raises(ImportFailure, match="one character"):
        rows_of(path, delimiter=";;")


def test_empty_csv_is_refused(write: Write) -> None:
    with pytest.raises(ImportFailure) as caught:
        rows_of(write("e.csv", ""))
    assert caught.value.row == 1


def test_xlsx_rows_with_their_sheet_row_numbers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(["name", "founded"])
    sheet.append(["  Alfa ", 2004])
    sheet.append([None, None])
    sheet.append(["Beta", None])
    book.create_sheet("Other").append(["x"])
    path = tmp_path / "b.xlsx"
    book.save(path)
    found = readers.read_rows(path, "xlsx", name="b.xlsx")
    assert found.columns == ["name", "founded"] and found.estimate == 3
    assert list(found) == [
        (2, {"name": "Alfa", "founded": 2004}),
        (4, {"name": "Beta", "founded": None}),
    ]
    assert rows_of(path, "xlsx", sheet="Other") == []
    with pytest.raises(ImportFailure, match="No sheet named"):
        rows_of(path, "xlsx", sheet="Missing")


def test_unreadable_xlsx(write: Write) -> None:
    with pytest.raises(ImportFailure, match="not a readable XLSX"):
        rows_of(write("broken.xlsx", b"PK\x03\x04 not really a zip"), "xlsx")


def test_json_list_or_object_holding_one(write: Write) -> None:
    listing = write("l.json", json.dumps([{"a": 1}, {"a": 2}]))
    assert rows_of(listing, "json") == [(1, {"a": 1}), (2, {"a": 2})]
    wrapped = write("w.json", json.dumps({"meta": {}, "items": [{"a": 1}]}))
    assert rows_of(wrapped, "json") == [(1, {"a": 1})]
    two = write("t.json", json.dumps({"x": [{"a": 1}], "y": [{"b": 2}]}))
    assert rows_of(two, "json", key="y") == [(1, {"b": 2})]
    with pytest.raises(ImportFailure, match="list of objects"):
        rows_of(two, "json")
    with pytest.raises(ImportFailure) as caught:
        rows_of(write("bad.json", '[{"a": 1},\n {"a": }]'), "json")
    assert caught.value.row == 2
    with pytest.raises(ImportFailure) as caught:
        rows_of(write("n.json", "[1]"), "json")
    assert caught.value.row == 1


def test_json_lines(write: Write) -> None:
    path = write("r.jsonl", '{"a": 1}\n\n{"a": 2}\n')
    assert rows_of(path, "jsonl") == [(1, {"a": 1}), (3, {"a": 2})]
    with pytest.raises(ImportFailure) as caught:
        rows_of(write("bad.jsonl", '{"a": 1}\n{oops}\n'), "jsonl")
    assert (caught.value.file, caught.value.row) == ("bad.jsonl", 2)
    with pytest.raises(ImportFailure, match="not a JSON object"):
        rows_of(write("arr.jsonl", "[1, 2]\n"), "jsonl")


def test_format_detection(write: Write) -> None:
    assert readers.detect_format(write("a.CSV", "a"), "a.CSV") == "csv"
    assert readers.detect_format(write("a.ndjson", "{}"), "a.ndjson") == "jsonl"
    assert readers.detect_format(write("data", '[{"a": 1}]'), "data") == "json"
    assert readers.detect_format(write("data2", '{"a": 1}\n{"a": 2}\n'), "data2") == "jsonl"
    assert readers.detect_format(write("data3", "a,b\n"), "data3") == "csv"
    with pytest.raises(ImportFailure, match="xls"):
        readers.detect_format(write("old.xls", b"\xd0\xcf"), "old.xls")
    with pytest.raises(ImportFailure, match="Unknown format"):
        readers.read_rows(write("x.csv", "a"), "yaml", name="x.csv")


def test_size_limit_and_unreadable_files(write: Write, settings: object, tmp_path: Path) -> None:
    path = write("big.csv", "a\n" + "1\n" * 100)
    settings.IMPORT_MAX_BYTES = 50  # type: ignore[attr-defined]
    with pytest.raises(ImportFailure) as caught:
        readers.check_file(path, "big.csv")
    assert "BUICASUS_IMPORT_MAX_BYTES" in caught.value.message and caught.value.file == "big.csv"
    settings.IMPORT_MAX_BYTES = 10_000  # type: ignore[attr-defined]
    assert readers.check_file(path, "big.csv") == path.stat().st_size
    with pytest.raises(ImportFailure, match="cannot be read"):
        readers.check_file(tmp_path / "missing.csv", "missing.csv")
    with pytest.raises(ImportFailure, match="cannot be read"):
        readers.check_file(tmp_path, "folder")


def test_size_limit_defaults_to_two_gibibytes() -> None:
    assert readers.max_file_bytes() == 2 * 1024**3


def test_encoding_detection() -> None:
    assert readers.detect_encoding("Ärger".encode()) == "utf-8"
    assert readers.detect_encoding(b"\xef\xbb\xbfa") == "utf-8-sig"
    assert readers.detect_encoding("a".encode("utf-16")) == "utf-16"
    assert readers.detect_encoding(("Économie sociale et solidaire " * 20).encode("cp1252")) in (
        "cp1252",
        "latin_1",
        "iso8859_15",
    )
