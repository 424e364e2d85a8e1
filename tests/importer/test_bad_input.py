"""Bad input through `import_file`: a clear error naming file, row and field; nothing written.

The cases of issue 3: an unreadable file, a wrong encoding, a missing required column, an
unknown vocabulary value, a malformed date or amount, a duplicate id inside one file, and a
file over the size limit (the 2 GB limit, made small by the `IMPORT_MAX_BYTES` setting).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from buicasus.importer.errors import ImportFailure
from buicasus.importer.models import ImportBatch
from buicasus.importer.services import import_file
from buicasus.registry.models import Initiative, Organisation

pytestmark = pytest.mark.django_db
Write = Callable[..., Path]

MAPPING = """
name: orgs
format: {type: csv}
records:
  - kind: organisation
    source_id: "{id}"
    fields:
      name: {column: name, required: true}
      country: {column: country, required: true}
      actor_type: {column: type, map: types}
  - kind: initiative
    when: "{project}"
    source_id: "p-{id}"
    fields:
      title: {column: project}
      country: {column: country}
      start_date: {column: start, type: date}
    fundings:
      - {source: {value: esf}, amount: {column: amount, type: amount}}
maps:
  types: {NGO: association-ngo, Coop: cooperative}
"""
HEADER = "id,name,country,type,project,start,amount\n"


def nothing_written() -> bool:
    return not Organisation.objects.filter(source_name="src").exists() and not (
        Initiative.objects.filter(source_name="src").exists()
    )


@pytest.fixture
def mapping(write: Write) -> Path:
    return write("orgs.yaml", MAPPING)


def run(path: Path, mapping: Path, **options: Any) -> Any:
    return import_file(path, source="src", mapping=mapping, **options)


def test_a_good_file_goes_in(write: Write, mapping: Path) -> None:
    path = write(
        "ok.csv", HEADER + "1,Alfa,FR,NGO,Atelier,2016-01-01,1 234,50\n".replace(",50", ".50")
    )
    report = run(path, mapping)
    assert report.written and report.new == 2, report.invalid_rows
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert (batch.file_name, batch.format, batch.mapping_name) == ("ok.csv", "csv", "orgs")
    assert len(batch.file_sha256) == 64 and batch.file_size == path.stat().st_size


def test_unreadable_file(tmp_path: Path, mapping: Path) -> None:
    with pytest.raises(ImportFailure) as caught:
        run(tmp_path / "missing.csv", mapping)
    assert caught.value.file == "missing.csv" and "cannot be read" in caught.value.message
    assert nothing_written()


def test_corrupt_workbook(write: Write, mapping: Path) -> None:
    path = write("sheet.xlsx", b"PK\x03\x04garbage")
    with pytest.raises(ImportFailure) as caught:
        import_file(path, source="src", mapping=mapping, format="xlsx")
    assert caught.value.file == "sheet.xlsx"
    assert nothing_written()


def test_wrong_declared_encoding_then_detected(write: Write, mapping: Path) -> None:
    text = HEADER + "1,Alfa,FR,NGO,,,\n" * 30 + "2,Société Générale d'Économie,FR,NGO,,,\n"
    path = write("latin.csv", text, encoding="cp1252")
    with pytest.raises(ImportFailure) as caught:
        run(path, mapping, encoding="utf-8")
    failure = caught.value
    assert (failure.file, failure.row, failure.field) == ("latin.csv", 32, "name")
    assert "cp1252" in failure.message
    assert nothing_written()
    report = run(path, mapping)  # detected this time
    assert report.written
    assert Organisation.objects.get(source_record_id="2").name == "Société Générale d'Économie"


def test_missing_required_column(write: Write, mapping: Path) -> None:
    path = write("cols.csv", "id,country,type\n1,FR,NGO\n")
    with pytest.raises(ImportFailure) as caught:
        run(path, mapping)
    assert (caught.value.file, caught.value.row, caught.value.field) == ("cols.csv", 1, "name")
    assert nothing_written()


def test_unknown_vocabulary_value(write: Write, mapping: Path) -> None:
    path = write("voc.csv", HEADER + "1,Alfa,FR,NGO,,,\n2,Beta,FR,Robot,,,\n")
    report = run(path, mapping)
    assert report.invalid_rows == [
        (3, "actor_type", "column “type”: “Robot” is not in the map “types”.")
    ]
    assert not report.written and nothing_written()


def test_unknown_code_after_mapping(write: Write, mapping: Path) -> None:
    path = write("cc.csv", HEADER + "1,Alfa,XX,NGO,,,\n")
    report = run(path, mapping)
    assert report.invalid_rows == [(2, "country", "Unknown country code “XX”.")]
    assert nothing_written()


def test_malformed_date_and_amount(write: Write, mapping: Path) -> None:
    path = write(
        "da.csv", HEADER + "1,Alfa,FR,NGO,P,31/01/2016,\n2,Beta,FR,NGO,Q,2016-01-01,12abc\n"
    )
    report = run(path, mapping)
    assert report.invalid_rows == [
        (2, "start_date", "column “start”: “31/01/2016” is not a date (expected %Y-%m-%d)."),
        (3, "fundings", "column “amount”: “12abc” is not an amount."),
    ]
    assert nothing_written()


def test_duplicate_id_inside_one_file(write: Write, mapping: Path) -> None:
    path = write("dup.csv", HEADER + "1,Alfa,FR,NGO,,,\n1,Alfa bis,FR,NGO,,,\n")
    report = run(path, mapping)
    assert report.invalid_rows == [
        (3, "source_id", "Duplicate id “1”: row 2 has the same id with other values.")
    ]
    assert nothing_written()


def test_file_over_the_size_limit(write: Write, mapping: Path, settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 100
    path = write("huge.csv", HEADER + "1,Alfa,FR,NGO,,,\n" * 20)
    with pytest.raises(ImportFailure) as caught:
        run(path, mapping)
    assert caught.value.file == "huge.csv" and "more than the 100 bytes" in caught.value.message
    assert nothing_written() and not ImportBatch.objects.exists()


def test_skip_invalid_writes_the_rest_with_a_rejects_file(
    write: Write, mapping: Path, tmp_path: Path
) -> None:
    path = write("mixed.csv", HEADER + "1,Alfa,FR,NGO,,,\n2,Beta,FR,Robot,,,\n3,Gamma,FR,Coop,,,\n")
    report = run(path, mapping, skip_invalid=True, rejects=tmp_path / "out" / "rejects.csv")
    assert report.written and report.new == 2 and report.invalid == 1
    lines = (tmp_path / "out" / "rejects.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "row,field,reason,id,name,country,type,project,start,amount"
    assert lines[1].startswith("3,actor_type,") and lines[1].endswith(",2,Beta,FR,Robot,,,")


def test_skip_invalid_default_rejects_path(
    write: Write, mapping: Path, settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path / "data"
    path = write("m.csv", HEADER + "1,Alfa,FR,Robot,,,\n")
    report = run(path, mapping, skip_invalid=True)
    assert Path(report.rejects_path).parent == tmp_path / "data" / "imports" / "rejects"
    assert ImportBatch.objects.get(pk=report.batch_id).rejects_file == report.rejects_path


def test_tabular_file_without_mapping_is_refused(write: Write) -> None:
    with pytest.raises(ImportFailure, match="needs a mapping"):
        import_file(write("a.csv", "a\n1\n"), source="src")


def test_canonical_json_lines_without_mapping(write: Write) -> None:
    fields = '"fields": {"name": "A", "actor_type": "cooperative", "country": "%s"}'
    lines = [
        '{"kind": "organisation", "source_id": "a", ' + fields % "LV" + "}",
        '{"kind": "organisation", "source_id": "b", ' + fields % "ZZ" + "}",
    ]
    report = import_file(write("c.jsonl", "\n".join(lines)), source="src", dry_run=True)
    assert report.new == 1 and report.invalid_rows == [(2, "country", "Unknown country code “ZZ”.")]


def test_a_bad_byte_deep_in_the_file_undoes_the_chunks_already_written(
    write: Write, mapping: Path
) -> None:
    good = "".join(f"{n},Org {n},FR,NGO,,,\n" for n in range(1, 3001))
    path = write("deep.csv", (HEADER + good).encode() + "9999,Caf\xe9,FR,NGO,,,\n".encode("cp1252"))
    with pytest.raises(ImportFailure) as caught:
        run(path, mapping, encoding="utf-8")
    assert (caught.value.row, caught.value.field) == (3002, "name")
    assert nothing_written()
    batch = ImportBatch.objects.get(file_name="deep.csv")
    assert batch.status == "failed" and "row 3002" in batch.error_summary
