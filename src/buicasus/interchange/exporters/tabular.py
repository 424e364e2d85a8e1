"""CSV and XLSX: one row per record, codes as the forms and API take them, plus provenance.

Lists are joined with "; ", translations get a column per platform language
(`description_fr`), identifiers read `scheme: value`, fundings `source: amount currency`.
CSV streams row by row. XLSX (openpyxl's write-only mode) is written to a temporary file and
then streamed; its cells are always typed as text or numbers, never formulas, so a name that
starts with "=" cannot run in a spreadsheet. A sheet holds at most 1,048,575 data rows: longer
lists continue on a second sheet ("organisations 2").
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from buicasus.core.formula_cells import safe_cell
from buicasus.core.standard_records import Record
from buicasus.interchange.exporters.base import register
from buicasus.interchange.services import Selection
from buicasus.registry.forms import LANGUAGE_CODES

Column = tuple[str, Callable[[Record], Any]]
SHEET_ROWS = 1_048_575
READ_SIZE = 256 * 1024


def _joined(values: Iterable[Any]) -> str:
    return "; ".join(str(v) for v in values if v not in (None, ""))


def _field(name: str) -> Column:
    def get(record: Record) -> Any:
        value = record["fields"].get(name)
        return _joined(value) if isinstance(value, list) else value

    return name, get


def _translated(attr: str) -> list[Column]:
    def getter(lang: str) -> Callable[[Record], Any]:
        return lambda r: (r["fields"].get("translations") or {}).get(lang, {}).get(attr, "")

    return [(f"{attr}_{lang}", getter(lang)) for lang in LANGUAGE_CODES]


def _provenance(*names: str) -> list[Column]:
    def getter(name: str) -> Callable[[Record], Any]:
        return lambda r: (r.get("provenance") or {}).get(name)

    return [(name, getter(name)) for name in names]


_PROVENANCE = _provenance(
    "url", "source_name", "source_record_id", "licence", "imported_at", "updated_at"
)

COLUMNS: dict[str, list[Column]] = {
    "organisations": [
        ("id", lambda r: r["source_id"]),
        *map(_field, ("name", "other_names", "actor_type", "legal_form", "country", "region")),
        *map(_field, ("city", "latitude", "longitude", "website", "description")),
        _field("description_language"),
        *_translated("description"),
        *map(_field, ("founding_year", "size_band")),
        (
            "identifiers",
            lambda r: _joined(f"{i['scheme']}: {i['value']}" for i in r["identifiers"]),
        ),
        _field("published"),
        *_PROVENANCE,
    ],
    "initiatives": [
        ("id", lambda r: r["source_id"]),
        *map(_field, ("title", "description", "description_language")),
        *_translated("title"),
        *_translated("description"),
        *map(_field, ("country", "regions", "stage", "evidence_level", "policy_fields")),
        *map(_field, ("esf_objectives", "sdgs", "target_groups", "methods", "start_date")),
        *map(_field, ("end_date", "website", "outcome_evidence", "scaling_strategy")),
        _field("scaling_directions"),
        (
            "fundings",
            lambda r: _joined(
                f"{f['source']}: {f['amount']} {f['currency']}" if f.get("amount") else f["source"]
                for f in r["fundings"]
            ),
        ),
        ("replicated_from", lambda r: r.get("replicated_from")),
        _field("published"),
        *_PROVENANCE,
    ],
    "roles": [
        *[(n, lambda r, n=n: r.get(n)) for n in ("source_id", "organisation", "initiative")],
        *[(n, lambda r, n=n: r.get(n)) for n in ("role", "start_date", "end_date")],
        *_provenance("source_name", "licence"),
    ],
    "ties": [
        *[(n, lambda r, n=n: r.get(n)) for n in ("source_id", "source", "target", "tie_type")],
        *[(n, lambda r, n=n: r.get(n)) for n in ("start_date", "end_date")],
        *_provenance("source_name", "licence"),
    ],
}


def _sheets(selection: Selection) -> list[tuple[str, Iterable[Record]]]:
    """(sheet name, records) for what the selection holds, in import order."""
    parts = [
        ("organisations", selection.organisations, selection.organisation_records),
        ("initiatives", selection.initiatives, selection.initiative_records),
        ("roles", selection.roles, selection.role_records),
        ("ties", selection.ties, selection.tie_records),
    ]
    if selection.kind != "registry":
        parts = [p for p in parts if p[0] == selection.kind]
    return [(name, read()) for name, qs, read in parts if qs is not None]


def _cell_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


@register(
    "csv",
    label=_("CSV (spreadsheet, UTF-8)"),
    extension="csv",
    media_type="text/csv",
    kinds=("organisations", "initiatives"),
    offers_bom=True,
)
def export_csv(selection: Selection) -> Iterator[bytes]:
    """One list as CSV (UTF-8, comma, quotes where needed), streamed row by row; text that a
    spreadsheet would run as a formula gets a leading apostrophe (`core.formula_cells`)."""
    ((name, rows),) = _sheets(selection)
    columns = COLUMNS[name]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header for header, _get in columns])
    for count, record in enumerate(rows, start=1):
        writer.writerow([safe_cell(_cell_text(get(record))) for _header, get in columns])
        if count % 500 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    """Strings always stay strings (never a formula), without characters XML cannot hold."""
    value = _cell_text(value)
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
        cell.data_type = "s"
        return cell
    return value


@register(
    "xlsx",
    label=_("Excel workbook (XLSX)"),
    extension="xlsx",
    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
def export_xlsx(selection: Selection) -> Iterator[bytes]:
    """One sheet per kind of record; the whole registry gives four."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, rows in _sheets(selection):
        columns = COLUMNS[name]
        sheet, number, used = None, 0, SHEET_ROWS
        for record in rows:
            if used >= SHEET_ROWS:
                number += 1
                sheet = workbook.create_sheet(name if number == 1 else f"{name} {number}")
                headers = [WriteOnlyCell(sheet, value=header) for header, _get in columns]
                for cell in headers:
                    cell.font = bold
                sheet.append(headers)
                used = 0
            sheet.append([_xlsx_cell(sheet, get(record)) for _header, get in columns])  # type: ignore[union-attr]
            used += 1
        if sheet is None:
            sheet = workbook.create_sheet(name)
            sheet.append([WriteOnlyCell(sheet, value=header) for header, _get in columns])
    with tempfile.TemporaryFile() as stream:
        workbook.save(stream)
        stream.seek(0)
        while block := stream.read(READ_SIZE):
            yield block
