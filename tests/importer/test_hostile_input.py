"""Hostile and malformed import files (issue 12): no hang, no traceback, nothing written on
refusal, no file read outside the import folder, no row lost without a word.

Each class of the issue has its own cases here, run through `buicasus import` (the command
the other shells share the service with); the `mapping` parameter and unexpected errors are
also tried through `POST /api/v1/imports`. Limits are made small with the settings that hold
them, so that each case stays fast; the time checks are generous bounds against a hang, not
benchmarks.
"""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from buicasus.accounts.models import ApiToken
from buicasus.importer import readers
from buicasus.importer.errors import ImportFailure
from buicasus.importer.mapping import parse_mapping
from buicasus.importer.models import BatchStatus, ImportBatch
from buicasus.importer.services import import_file
from buicasus.registry.models import Initiative, InitiativeRole, Organisation, OrganisationTie

pytestmark = pytest.mark.django_db
Write = Callable[..., Path]

MAPPING = """
name: hostile
records:
  - kind: organisation
    source_id: "{id}"
    fields:
      name: {column: name, required: true}
      country: {column: country}
      actor_type: {value: cooperative}
"""


def cli(path: Path, *options: Any) -> str:
    """`buicasus import` on `path` (source `hostile`); its output, or a CommandError."""
    out = io.StringIO()
    call_command("import", str(path), "--source", "hostile", "--no-progress", *options, stdout=out)
    return out.getvalue()


def refused(path: Path, *options: Any, seconds: float = 5.0) -> str:
    """The CLI's refusal of `path`, checked to come fast and to leave the registry as it was."""
    started = time.perf_counter()
    with pytest.raises(CommandError) as caught:
        cli(path, *options)
    assert time.perf_counter() - started < seconds
    assert nothing_written()
    assert "Traceback" not in str(caught.value)
    return str(caught.value)


def nothing_written() -> bool:
    return not (
        Organisation.objects.filter(source_name="hostile").exists()
        or Initiative.objects.filter(source_name="hostile").exists()
    )


# --- 1. hangs ---------------------------------------------------------------------------------

LAUGHS = """
name: laughs
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


@pytest.mark.parametrize(
    "where",
    [
        "maps:\n  types: {NGO: *i}\n",  # in a value map
        "defaults:\n  name: *i\n",  # in the defaults
    ],
)
def test_yaml_alias_bombs_are_refused_unexpanded(write: Write, admin: Any, where: str) -> None:
    text = LAUGHS.replace("name: laughs\n", "") + MAPPING.replace("name: hostile\n", "") + where
    data = write("data.csv", "id,name,country\n1,Alfa,FR\n")
    message = refused(data, "--mapping", write("laughs.yaml", text))
    assert "laughs.yaml" in message
    assert "100,000" in message and "BUICASUS_MAPPING_MAX_NODES" in message


def test_a_self_referring_yaml_alias_is_refused(write: Write) -> None:
    text = "a: &a [*a]\n" + MAPPING
    with pytest.raises(ImportFailure, match="BUICASUS_UPLOAD_MAX_DEPTH"):
        parse_mapping(text, "loop.yaml")


def test_aliases_within_the_budget_still_work(write: Write, admin: Any) -> None:
    text = MAPPING.replace(
        "      actor_type: {value: cooperative}\n",
        "      actor_type: {column: type, map: types}\n",
    ) + ("maps:\n  types: &types {Coop: cooperative}\n  kinds: *types\n")
    data = write("data.csv", "id,name,country,type\n1,Alfa,FR,Coop\n")
    assert "1 new" in cli(data, "--mapping", write("ok.yaml", text))
    assert Organisation.objects.get(source_name="hostile").actor_type.code == "cooperative"


def test_a_catastrophic_pattern_stops_at_its_time_limit(
    write: Write, admin: Any, settings: Any
) -> None:
    settings.MAPPING_REGEX_TIMEOUT_MS = 50
    text = MAPPING.replace(
        "name: {column: name, required: true}",
        "name: {column: name, required: true, pattern: '^(a|aa)+$'}",  # exponential
    )
    rows = "".join(f"{i},{'a' * 40}!,FR\n" for i in range(1, 4))
    data = write("slow.csv", "id,name,country\n" + rows)
    message = refused(data, "--mapping", write("slow.yaml", text), seconds=3)
    assert "row 2" in message and "records[0].fields.name" in message
    assert "50 ms" in message and "BUICASUS_MAPPING_REGEX_TIMEOUT_MS" in message


def test_ordinary_patterns_still_match(write: Write, admin: Any) -> None:
    text = MAPPING.replace(
        "name: {column: name, required: true}",
        r"name: {column: name, required: true, pattern: '^(\w+)(?=\s)'}",
    )
    data = write("data.csv", "id,name,country\n1,Alfa Beta,FR\n")
    cli(data, "--mapping", write("ok.yaml", text))
    assert Organisation.objects.get(source_name="hostile").name == "Alfa"


def test_a_hundred_thousand_columns(write: Write, admin: Any, settings: Any) -> None:
    header = "id,name,country," + ",".join(f"c{i}" for i in range(100_000))
    data = write("wide.csv", header + "\n1,Alfa,FR\n")
    message = refused(data, "--mapping", write("m.yaml", MAPPING), seconds=5)
    assert "wide.csv" in message and "100,003 columns" in message
    assert "2,000" in message and "BUICASUS_UPLOAD_MAX_COLUMNS" in message
    # Raised, the limit lets the same file through in linear time (20,000 columns took 15 s).
    settings.UPLOAD_MAX_COLUMNS = 200_000
    started = time.perf_counter()
    assert "1 new" in cli(data, "--mapping", write("m.yaml", MAPPING))
    assert time.perf_counter() - started < 5


def test_a_row_wider_than_the_limit(write: Write, admin: Any) -> None:
    data = write("row.csv", "id,name,country\n1,Alfa,FR" + ",x" * 5000 + "\n")
    message = refused(data, "--mapping", write("m.yaml", MAPPING))
    assert "row 2" in message and "BUICASUS_UPLOAD_MAX_COLUMNS" in message


def test_a_cell_over_the_size_limit(write: Write, admin: Any, settings: Any) -> None:
    settings.UPLOAD_MAX_CELL_CHARS = 1000
    data = write("cell.csv", f"id,name,country\n1,{'x' * 5000},FR\n")
    message = refused(data, "--mapping", write("m.yaml", MAPPING))
    assert "1,000 characters" in message and "BUICASUS_UPLOAD_MAX_CELL_CHARS" in message


def _xlsx(path: Path, rows: list[list[Any]], padding: int = 0) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    if padding:  # a part that inflates far beyond its compressed size
        with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/media/padding.bin", b"\0" * padding)
    return path


def test_an_xlsx_that_inflates_too_far(
    write: Write, admin: Any, settings: Any, tmp_path: Path
) -> None:
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1_000_000
    rows = [["id", "name", "country"], [1, "Alfa", "FR"]]
    bomb = _xlsx(tmp_path / "bomb.xlsx", rows, padding=20_000_000)
    assert bomb.stat().st_size < 100_000
    message = refused(bomb, "--mapping", write("m.yaml", MAPPING))
    assert "bomb.xlsx" in message and "1,000,000" in message
    assert "BUICASUS_UPLOAD_MAX_UNPACKED_BYTES" in message
    plain = _xlsx(tmp_path / "plain.xlsx", rows)
    assert "1 new" in cli(plain, "--mapping", write("m.yaml", MAPPING))


def test_an_xlsx_with_too_many_parts(
    write: Write, admin: Any, settings: Any, tmp_path: Path
) -> None:
    settings.UPLOAD_MAX_ARCHIVE_MEMBERS = 20
    book = _xlsx(tmp_path / "parts.xlsx", [["id", "name", "country"]])
    with zipfile.ZipFile(book, "a") as archive:
        for i in range(30):
            archive.writestr(f"xl/media/{i}.bin", b"")
    message = refused(book, "--mapping", write("m.yaml", MAPPING))
    assert "BUICASUS_UPLOAD_MAX_ARCHIVE_MEMBERS" in message


def test_an_xlsx_with_xml_entities_is_refused(write: Write, admin: Any, tmp_path: Path) -> None:
    book = _xlsx(tmp_path / "entities.xlsx", [["id", "name", "country"], [1, "Alfa", "FR"]])
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol1;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    rebuilt = tmp_path / "rebuilt.xlsx"
    with zipfile.ZipFile(book) as old, zipfile.ZipFile(rebuilt, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = laughs.encode()
            new.writestr(item, data)
    message = refused(rebuilt, "--mapping", write("m.yaml", MAPPING))
    assert "rebuilt.xlsx" in message and "not a readable XLSX" in message


# --- 2. tracebacks: wrong types, NaN, depth -----------------------------------------------


def _lines(*records: dict[str, Any]) -> str:
    return "\n".join(json.dumps(r) for r in records) + "\n"


def _org(sid: str, **fields: Any) -> dict[str, Any]:
    values = {"name": f"Org {sid}", "country": "FR", "actor_type": "cooperative", **fields}
    return {"kind": "organisation", "source_id": sid, "fields": values}


WRONG_TYPES = [
    (_org("a", name=["a", "list"]), "name", "not a list"),
    (_org("b", founding_year={"an": "object"}), "founding_year", "not an object"),
    (_org("c", other_names={"x": 1}), "other_names", "list of codes"),
    ({**_org("d"), "identifiers": {"scheme": "fr-siren"}}, "identifiers", "a list"),
    ({**_org("e"), "identifiers": [{"scheme": ["x"], "value": "1"}]}, "identifiers", "list"),
    ({**_org("f"), "fields": "a string"}, "fields", "must be an object"),
    (
        {
            "kind": "initiative",
            "source_id": "g",
            "fields": {"title": "G", "country": "FR", "start_date": 20200101},
        },
        "start_date",
        "date",
    ),
    (
        {
            "kind": "initiative",
            "source_id": "h",
            "fields": {"title": "H", "country": "FR", "policy_fields": "x", "regions": {"a": 1}},
        },
        "regions",
        "list of codes",
    ),
    ({**_org("i"), "source_id": {"an": "object"}}, "source_id", ""),
    ({"kind": "role", "source_id": "j", "organisation": ["x"], "initiative": "g"}, "", ""),
]


@pytest.mark.parametrize(("record", "field", "words"), WRONG_TYPES)
def test_wrong_json_types_are_rejected_rows_naming_the_field(
    write: Write, admin: Any, record: dict[str, Any], field: str, words: str
) -> None:
    data = write("typed.jsonl", _lines(_org("ok"), record))
    out = cli(data, "--dry-run")
    assert "1 invalid rows" in out
    line = next(x for x in out.splitlines() if x.startswith("row 2"))
    assert f"field “{field}”" in line if field else "row 2" in line
    assert words in line
    with pytest.raises(CommandError, match="nothing was written"):
        cli(data)
    assert nothing_written()
    cli(data, "--skip-invalid")
    assert Organisation.objects.filter(source_name="hostile").count() == 1


def test_nan_and_infinities_are_refused_in_every_run(write: Write, admin: Any) -> None:
    bad = {
        "kind": "initiative",
        "source_id": "i",
        "fields": {"title": "I", "country": "FR"},
        "fundings": [{"source": "esf", "amount": float("inf")}],
    }
    text = _lines(_org("ok"), _org("nan", latitude=float("nan")), bad)
    assert "NaN" in text and "Infinity" in text  # the literals, as the issue's files had them
    data = write("nan.jsonl", text)
    out = cli(data, "--dry-run")
    assert "row 2, field “latitude”: “nan” is not a number" in out
    assert "row 3, field “fundings”: “inf” is not a number" in out
    with pytest.raises(CommandError, match="nothing was written"):
        cli(data)
    assert nothing_written()
    cli(data, "--skip-invalid")  # the real run and the audit's JSON never meet a NaN
    assert list(
        Organisation.objects.filter(source_name="hostile").values_list("name", flat=True)
    ) == ["Org ok"]


def test_nan_in_a_csv_cell_is_no_number(write: Write, admin: Any) -> None:
    text = MAPPING.replace(
        "      actor_type: {value: cooperative}\n",
        "      actor_type: {value: cooperative}\n      latitude: {column: lat, type: float}\n",
    )
    data = write("nan.csv", "id,name,country,lat\n1,Alfa,FR,NaN\n2,Beta,FR,-inf\n")
    out = cli(data, "--mapping", write("m.yaml", text), "--dry-run")
    assert "row 2, field “latitude”" in out and "row 3, field “latitude”" in out


@pytest.mark.parametrize("name", ["deep.json", "deep.jsonl"])
def test_json_nested_a_hundred_thousand_levels(write: Write, admin: Any, name: str) -> None:
    deep = '{"kind": "organisation", "source_id": "x", "fields": ' + "[" * 100_000
    data = write(name, deep + "]" * 100_000 + "}\n")
    message = refused(data)
    assert name in message and "64 levels" in message and "BUICASUS_UPLOAD_MAX_DEPTH" in message


def test_standard_formats_nested_too_deep(write: Write, admin: Any) -> None:
    popolo = '{"organizations": [], "memberships": ' + "[" * 100_000 + "]" * 100_000 + "}"
    message = refused(write("deep-popolo.json", popolo), "--format", "popolo")
    assert "BUICASUS_UPLOAD_MAX_DEPTH" in message
    lines = '{"format": "buicasus-json"}\n{"kind": ' + "[" * 5000 + "]" * 5000 + "}\n"
    message = refused(write("deep.jsonl", lines), "--format", "buicasus-json")
    assert "BUICASUS_UPLOAD_MAX_DEPTH" in message


def test_a_number_of_five_thousand_digits(write: Write, admin: Any) -> None:
    data = write("digits.jsonl", _lines(_org("ok")) + '{"kind": "organisation", "source_id": ')
    data.write_text(data.read_text() + "9" * 5000 + "}\n")
    message = refused(data)
    assert "digits.jsonl, row 2: A number in the file has too many digits" in message


# --- 3. the API's mapping parameter ---------------------------------------------------------


def _bearer(user: Any) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _post(user: Any, **data: Any) -> Any:
    data.setdefault(
        "file", SimpleUploadedFile("a.jsonl", _lines(_org("a")).encode(), "application/json")
    )
    return Client().post("/api/v1/imports", {"source": "hostile", **data}, **_bearer(user))


def test_the_api_mapping_is_a_shipped_name_never_a_path(
    make_user: Any, settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    editor = make_user("editor", "FR")
    secret = tmp_path / "secret.yaml"
    secret.write_text(MAPPING)
    answers = [
        _post(editor, mapping=str(path))
        for path in ("/etc/passwd", "../../etc/passwd", secret, "/nope/none.yaml", "none")
    ]
    assert {a.status_code for a in answers} == {400}
    details = {a.json()["detail"] for a in answers}
    assert len(details) == 1  # the same words whether the file exists or not
    (detail,) = details
    assert "shipped mapping" in detail and "eu-structural-funds-2016" in detail
    for leak in ("passwd", "root", "secret", "No such file", "exist", str(tmp_path)):
        assert leak not in detail
    assert not (tmp_path / "imports").exists()  # refused before the upload was stored
    assert nothing_written()


# --- 4. encodings ---------------------------------------------------------------------------


def test_mixed_utf8_and_latin1_is_refused_naming_the_encodings(write: Write, admin: Any) -> None:
    text = "id,name,country\n1,Café Solidaire,FR\n".encode() + (
        "2,Crèche Équité,FR\n".encode("latin-1")
    )
    data = write("mixed.csv", text)
    message = refused(data, "--mapping", write("m.yaml", MAPPING))
    assert "mixes encodings" in message and "utf-8, cp1252" in message
    assert "--encoding" in message and "“Ã©” instead of “é”" in message


def test_latin1_rows_after_a_megabyte_of_utf8_name_the_mix(write: Write, admin: Any) -> None:
    note = "é" * 2000
    filler = "".join(f"{i},Café {i},FR,{note}\n" for i in range(1, 300))  # past the sample
    text = ("id,name,country,note\n" + filler).encode() + "999,Crèche,FR,x\n".encode("latin-1")
    message = refused(write("late.csv", text), "--mapping", write("m.yaml", MAPPING))
    assert "cannot be read as utf-8" in message and "mixes encodings" in message


def test_utf16_without_a_bom_is_read(write: Write, admin: Any) -> None:
    data = write("utf16.csv", "id,name,country\n1,Café Solidaire,FR\n".encode("utf-16-le"))
    out = cli(data, "--mapping", write("m.yaml", MAPPING))
    assert "Encoding detected: utf-16-le" in out
    assert Organisation.objects.get(source_name="hostile").name == "Café Solidaire"
    big = write("utf16be.csv", "id,name,country\n2,Crèche,FR\n".encode("utf-16-be"))
    cli(big, "--mapping", write("m.yaml", MAPPING))
    assert Organisation.objects.get(source_record_id="2").name == "Crèche"


# --- 5. row identity in multi-part files ----------------------------------------------------


def test_popolo_a_bad_organisation_never_drops_a_valid_membership(write: Write, admin: Any) -> None:
    doc = {
        "organizations": [
            {"id": "o1", "name": "One", "classification": "cooperative",
             "buicasus": {"kind": "organisation", "country": "FR"}},
            {"id": "o2", "name": "Two", "founding_date": "someday",
             "buicasus": {"kind": "organisation", "country": "FR"}},
            {"id": "o3", "name": "Three", "classification": "cooperative",
             "buicasus": {"kind": "organisation", "country": "FR"}},
        ],
        "memberships": [
            {"member": {"id": "o3"}, "organization_id": "o1", "role": "member-of"},
            {"member": {"id": "o1"}, "organization_id": "o3", "role": "member-of"},
        ],
    }  # fmt: skip
    data = write("net.json", json.dumps(doc))
    out = cli(data, "--format", "popolo", "--skip-invalid")
    assert "row 2, field “organizations: founding_year”" in out  # reported, with its part
    names = set(Organisation.objects.filter(source_name="hostile").values_list("name", flat=True))
    assert names == {"One", "Three"}
    assert OrganisationTie.objects.filter(source_name="hostile").count() == 2
    batch = ImportBatch.objects.filter(source_name="hostile").latest("pk")
    assert [row for row, _f, _m in batch.invalid_rows] == [2]
    assert batch.invalid_rows[0][1] == "organizations: founding_year"


def test_hsds_a_bad_organisation_never_drops_a_valid_service(
    write: Write, admin: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "package"
    folder.mkdir()

    def table(name: str, rows: list[list[str]]) -> None:
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)

    (folder / "datapackage.json").write_text('{"name": "p", "resources": []}')
    table("location.csv", [["id", "organization_id"], ["l1", "o1"], ["l2", "o2"]])
    table("address.csv", [["id", "location_id", "country"], ["a1", "l1", "FR"], ["a2", "l2", "FR"]])
    table(
        "organization.csv",
        [
            ["id", "name", "year_incorporated"],
            ["o1", "One", "1990"],
            ["o2", "Two", "not a year"],
        ],
    )
    table(
        "service.csv",
        [
            ["id", "name", "organization_id", "x_country"],
            ["s1", "S1", "o1", "FR"],
            ["s2", "S2", "o1", "FR"],
        ],
    )
    out = cli(folder, "--skip-invalid")
    assert "organization.csv: founding_year" in out, out
    assert set(
        Initiative.objects.filter(source_name="hostile").values_list("title", flat=True)
    ) == {
        "S1",
        "S2",
    }  # service.csv line 3 is not organization.csv line 3
    assert InitiativeRole.objects.filter(source_name="hostile").count() == 2, out


# --- 6. spreadsheet formulas ----------------------------------------------------------------


def test_the_rejects_file_escapes_formulas(write: Write, admin: Any, tmp_path: Path) -> None:
    data = write(
        "f.csv",
        'id,name,country\n1,"=HYPERLINK(""http://x"")",XX\n2,@SUM(A1),XX\n3,-2.35,XX\n'
        "4,+33 1,XX\n5,\tTab,XX\n",
    )
    rejects = tmp_path / "rejects.csv"
    cli(data, "--mapping", write("m.yaml", MAPPING), "--skip-invalid", "--rejects", rejects)
    with rejects.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    names = [r["name"] for r in rows if r["field"] == "country"]
    assert names == ['\'=HYPERLINK("http://x")', "'@SUM(A1)", "-2.35", "'+33 1", "'\tTab"]


def test_the_csv_export_escapes_formulas(admin: Any, client_for: Any) -> None:
    from buicasus.core.formula_cells import safe_cell
    from buicasus.importer.services import import_records

    assert safe_cell("=1+2") == "'=1+2" and safe_cell("-1.5") == "-1.5"
    assert safe_cell("\r=x") == "'\r=x" and safe_cell("-") == "'-" and safe_cell(3) == 3
    report = import_records(
        [
            {
                **_org(
                    "x", name="=cmd|' /C calc'!A0", city="@home", latitude=48.5, longitude=-2.35
                ),
                "row": 1,
            }
        ],
        source="hostile",
    )
    assert report.new == 1, report.invalid_rows
    answer = client_for("admin").get("/export/", {"kind": "organisations", "format": "csv"})
    assert answer.status_code == 200
    body = b"".join(answer.streaming_content).decode("utf-8-sig")
    found = next(
        (r for r in csv.DictReader(io.StringIO(body)) if "calc" in "".join(r.values())), body
    )
    assert isinstance(found, dict), body[:3000]
    assert "'=cmd|' /C calc'!A0" in found.values() and "'@home" in found.values()
    assert "-2.35" in found.values()


# --- unexpected errors ------------------------------------------------------------------------


def test_an_unexpected_error_is_a_failed_batch_with_a_reference(
    write: Write, admin: Any, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("a bug, with /secret/path inside")

    monkeypatch.setattr(readers, "read_rows", broken)
    data = write("data.csv", "id,name,country\n1,Alfa,FR\n")
    with pytest.raises(ImportFailure) as caught:
        import_file(data, source="hostile", mapping=write("m.yaml", MAPPING))
    reference = caught.value.reference
    assert reference and reference in caught.value.message
    assert "/secret/path" not in caught.value.message
    batch = ImportBatch.objects.get(source_name="hostile")
    assert batch.status == BatchStatus.FAILED and reference in batch.error_summary
    assert batch.file_name == "data.csv"
    assert reference in caplog.text and "a bug, with /secret/path inside" in caplog.text
    message = refused(data, "--mapping", write("m.yaml", MAPPING))
    assert "reference" in message and "/secret/path" not in message


def test_an_unexpected_error_inside_the_engine(
    write: Write, admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from buicasus.importer import engine

    def broken(self: Any, records: Any) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(engine.Run, "chunk", broken)
    data = write("data.jsonl", _lines(_org("a")))
    with pytest.raises(ImportFailure) as caught:
        import_file(data, source="hostile")
    batch = ImportBatch.objects.get(source_name="hostile")
    assert batch.status == BatchStatus.FAILED
    assert caught.value.reference in batch.error_summary and "KeyError" not in batch.error_summary
    assert nothing_written()


# --- the same files through the /import/ page and POST /api/v1/imports ------------------------


def _hostile_files(tmp_path: Path) -> list[tuple[str, bytes, bytes | None, str]]:
    """(file name, content, uploaded mapping or None, words the refusal must hold)."""
    mapping = MAPPING.encode()
    laughs = (LAUGHS.replace("name: laughs\n", "") + MAPPING + "maps:\n  t: {a: *i}\n").encode()
    slow = MAPPING.replace(
        "name: {column: name, required: true}",
        "name: {column: name, required: true, pattern: '^(a|aa)+$'}",
    ).encode()
    bomb = _xlsx(tmp_path / "bomb.xlsx", [["id", "name", "country"]], padding=5_000_000)
    deep = '{"kind": "organisation", "fields": ' + "[" * 50_000 + "]" * 50_000 + "}\n"
    return [
        ("a.csv", b"id,name,country\n1,Alfa,FR\n", laughs, "BUICASUS_MAPPING_MAX_NODES"),
        ("s.csv", f"id,name,country\n1,{'a' * 40}!,FR\n".encode(), slow, "REGEX_TIMEOUT_MS"),
        ("w.csv", ("id,name," + ",".join("c" * 5000)).encode(), mapping, "MAX_COLUMNS"),
        ("bomb.xlsx", bomb.read_bytes(), mapping, "BUICASUS_UPLOAD_MAX_UNPACKED_BYTES"),
        ("deep.jsonl", deep.encode(), None, "BUICASUS_UPLOAD_MAX_DEPTH"),
        (
            "mixed.csv",
            "id,name,country\n1,Café,FR\n".encode() + "2,Crèche,FR\n".encode("latin-1"),
            mapping,
            "mixes encodings",
        ),
    ]


@pytest.fixture
def small_limits(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    settings.MAPPING_REGEX_TIMEOUT_MS = 50
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1_000_000


def test_hostile_files_through_the_page(
    client_for: Any, small_limits: None, tmp_path: Path
) -> None:
    from django.urls import reverse

    from buicasus.jobs import services as jobs
    from buicasus.jobs.models import Job

    client = client_for("editor", "FR")
    for name, content, mapping, words in _hostile_files(tmp_path):
        data: dict[str, Any] = {"file": SimpleUploadedFile(name, content), "source": "hostile"}
        if mapping is not None:
            data["mapping_file"] = SimpleUploadedFile("m.yaml", mapping)
        started = time.perf_counter()
        response = client.post(reverse("importer:index"), data)
        assert response.status_code == 302, (name, response.content[:300])
        assert jobs.run_queued() == 1
        assert time.perf_counter() - started < 30, name  # a bound against a hang
        job = Job.objects.latest("created_at")
        assert job.status == "failed" and words in job.error, (name, job.error)
        page = client.get(response["Location"]).content.decode()
        assert words in page and "Traceback" not in page, name
        assert nothing_written(), name


def test_hostile_files_through_the_api(
    make_user: Any, small_limits: None, settings: Any, tmp_path: Path
) -> None:
    from buicasus.jobs import services as jobs

    settings.DEBUG = True  # no traceback in the answer even then
    editor = make_user("editor", "FR")
    auth = _bearer(editor)
    client = Client()
    for name, content, mapping, words in _hostile_files(tmp_path):
        data: dict[str, Any] = {"file": SimpleUploadedFile(name, content), "source": "hostile"}
        if mapping is not None:
            data["mapping_file"] = SimpleUploadedFile("m.yaml", mapping)
        accepted = client.post("/api/v1/imports", data, **auth)
        assert accepted.status_code == 202, (name, accepted.content[:300])
        jobs.run_queued()
        job = client.get(accepted.json()["poll_url"], **auth)
        assert job["Content-Type"].startswith("application/json")
        body = job.content.decode()
        assert job.json()["status"] == "failed" and words in body, (name, body[:500])
        assert "Traceback" not in body and 'File \\"' not in body, name
        assert nothing_written(), name


def test_wrong_types_through_the_api_are_problems_of_rows(
    make_user: Any, settings: Any, tmp_path: Path
) -> None:
    from buicasus.jobs import services as jobs

    settings.DATA_DIR = tmp_path
    editor = make_user("editor", "FR")
    auth = _bearer(editor)
    lines = _lines(_org("ok"), _org("bad", name=["x"], latitude=float("nan"), longitude=1.0))
    data = {"file": SimpleUploadedFile("t.jsonl", lines.encode()), "source": "hostile"}
    accepted = Client().post("/api/v1/imports", data, **auth)
    jobs.run_queued()
    job = Client().get(accepted.json()["poll_url"], **auth).json()
    assert job["status"] == "succeeded" and job["outcome"]["invalid"] == 1
    batch = Client().get(job["outcome"]["api_url"], **auth).json()
    fields = {(p["row"], p["field"]) for p in batch["problems"]}
    assert {(2, "name"), (2, "latitude")} <= fields
    assert nothing_written()


def test_an_unexpected_error_through_the_api(
    make_user: Any, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from buicasus.jobs import services as jobs

    settings.DATA_DIR, settings.DEBUG = tmp_path, True

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(readers, "read_rows", broken)
    editor = make_user("editor", "FR")
    auth = _bearer(editor)
    data = {
        "file": SimpleUploadedFile("a.csv", b"id,name,country\n1,A,FR\n"),
        "source": "hostile",
        "mapping": "ess-france-numerique",
    }
    accepted = Client().post("/api/v1/imports", data, **auth)
    assert accepted.status_code == 202, accepted.content
    jobs.run_queued()
    body = Client().get(accepted.json()["poll_url"], **auth).content.decode()
    assert "reference" in body and "ZeroDivisionError" not in body and "Traceback" not in body
    batch = ImportBatch.objects.get(source_name="hostile")
    assert batch.status == BatchStatus.FAILED and "reference" in batch.error_summary
