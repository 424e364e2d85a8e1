"""CSV and XLSX exports: one row per record, text kept exactly, never a formula."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from buicasus.interchange.exporters.tabular import COLUMNS
from buicasus.interchange.services import select
from tests.interchange.conftest import AWKWARD
from tests.interchange.helpers import export


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_csv_organisations(registry: dict[str, Any]) -> None:
    found = rows(export("csv", "organisations", country="FR"))
    selection = select(None, "organisations", {"country": "FR"})
    assert len(found) == selection.organisations.count()  # type: ignore[union-attr]
    (awkward,) = [r for r in found if r["id"] == f"org-{registry['awkward'].pk}"]
    assert awkward["name"] == AWKWARD  # quotes, separators, line breaks survive
    assert awkward["other_names"] == 'Alias; one; Alias "two"'
    assert awkward["identifiers"] == "fr-siren: 552100554; eu-vat: FR40552100554"
    assert awkward["description_en"] == "English <text> & more"
    assert (awkward["licence"], awkward["source_name"], awkward["published"]) == (
        "CC BY 4.0",
        "Test source",
        "true",
    )
    assert awkward["url"].endswith(f"/organisations/{registry['awkward'].pk}/")


def test_csv_initiatives(registry: dict[str, Any]) -> None:
    found = rows(export("csv", "initiatives"))
    (project,) = [r for r in found if r["id"] == f"ini-{registry['project'].pk}"]
    assert project["sdgs"] == "8; 10" and project["regions"] == "FRK2; FRK26"
    assert project["fundings"] == "erdf: 1250000.50 EUR; national"
    assert project["title_en"] == "Special project"
    assert list(found[0]) == [header for header, _get in COLUMNS["initiatives"]]


def test_csv_of_an_empty_list_is_its_header(db: None) -> None:
    data = export("csv", "organisations", q="nothing matches this")
    assert data.decode().strip() == ",".join(h for h, _get in COLUMNS["organisations"])


def test_xlsx_keeps_text_as_text(registry: dict[str, Any]) -> None:
    book = load_workbook(io.BytesIO(export("xlsx", "registry")), read_only=True)
    assert book.sheetnames == ["organisations", "initiatives", "roles", "ties"]
    sheet = book["organisations"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    name_column = header.index("name")
    names = {row[name_column].value: row for row in sheet.iter_rows(min_row=2)}
    expected = AWKWARD.replace("\x01", "\ufffd")
    assert expected in names
    assert names[expected][name_column].data_type == "s"  # "=SUM(A1)" stays text
    latitude = names[expected][header.index("latitude")]
    assert latitude.value == pytest.approx(45.76)
    roles = list(book["roles"].iter_rows(min_row=2, values_only=True))
    assert len(roles) == select(None, "registry").roles.count()  # type: ignore[union-attr]


def test_xlsx_of_an_empty_list_has_its_header(db: None) -> None:
    book = load_workbook(io.BytesIO(export("xlsx", "initiatives", q="nothing matches this")))
    (sheet,) = book.worksheets
    assert [c.value for c in sheet[1]][:2] == ["id", "title"] and sheet.max_row == 1
