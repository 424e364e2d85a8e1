"""The Open Referral HSDS 3 data package: a zip of CSV tables with a Frictionless
`datapackage.json` (tabular-data-package) describing each table, its fields and keys.

The registry is read once; each table's rows go to their own temporary file as they come, and
the zip is then streamed entry by entry (zip data descriptors, no seeking), so neither the
records nor the archive are ever whole in memory. The mapping and our extension are in
`core/hsds.py` and `interchange/README.md`.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from buicasus.core import hsds
from buicasus.interchange.exporters.base import dumps, export_meta, register
from buicasus.interchange.records import organisation_sid, pk_of
from buicasus.interchange.services import Selection

PROFILE = "https://specs.openreferral.org/en/v3.0/"
_DESCRIPTIONS = {
    "organization": "Organisations (actors) of the ecosystem.",
    "organization_identifier": "National identifiers (SIREN, VAT …); identifier_type is the "
    "code in the BuiCaSuS identifier-scheme vocabulary.",
    "location": "Where each organisation is (city, coordinates).",
    "address": "City, NUTS 2021 region (region) and ISO 3166-1 country of each location.",
    "service": "Social-innovation initiatives; organization_id is the lead organisation.",
    "service_area": "NUTS 2021 regions an initiative covers (name is the NUTS code).",
    "language": "The language of an initiative's description (BCP 47).",
    "funding": "Funding sources (code of the funding-source vocabulary) with amount.",
    "taxonomy": "The BuiCaSuS controlled vocabularies.",
    "taxonomy_term": "Vocabulary terms; English name, other languages in x_translation.",
    "attribute": "Links organisations and services to vocabulary terms; link_type is the "
    "vocabulary.",
    "metadata": "Provenance: source name, source record id and licence of each record.",
    "x_translation": "BuiCaSuS extension: language-tagged text of a row (field_name in "
    "language), for organisations, services and taxonomy terms.",
    "x_initiative_role": "BuiCaSuS extension: every organisation's role in an initiative.",
    "x_organization_tie": "BuiCaSuS extension: directed ties between organisations.",
}
_FOREIGN_KEYS = {
    "organization_identifier": [("organization_id", "organization")],
    "location": [("organization_id", "organization")],
    "address": [("location_id", "location")],
    "service": [("organization_id", "organization")],
    "service_area": [("service_id", "service")],
    "language": [("service_id", "service")],
    "funding": [("service_id", "service")],
    "taxonomy_term": [("taxonomy_id", "taxonomy")],
    "attribute": [("taxonomy_term_id", "taxonomy_term")],
    "x_initiative_role": [("organization_id", "organization"), ("service_id", "service")],
    "x_organization_tie": [
        ("source_organization_id", "organization"),
        ("target_organization_id", "organization"),
    ],
}
_NUMBERS = {"latitude", "longitude", "year_incorporated", "x_amount"}


def _field(name: str) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": "number" if name in _NUMBERS else "string"}
    if name == "id":
        field["constraints"] = {"required": True, "unique": True}
    if name.startswith("x_"):
        field["description"] = "BuiCaSuS extension (see the package description)."
    return field


def datapackage(selection: Selection) -> dict[str, Any]:
    """The Frictionless descriptor: the package, its licences and sources, every table."""
    meta = export_meta(selection)
    resources = []
    for table, columns in hsds.TABLES.items():
        schema: dict[str, Any] = {"fields": [_field(c) for c in columns], "primaryKey": "id"}
        if table in _FOREIGN_KEYS:
            schema["foreignKeys"] = [
                {"fields": column, "reference": {"resource": target, "fields": "id"}}
                for column, target in _FOREIGN_KEYS[table]
            ]
        resources.append(
            {
                "name": table,
                "path": hsds.TABLE_FILES[table],
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": _DESCRIPTIONS[table],
                "schema": schema,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": f"buicasus-{selection.kind}",
        "title": f"BuiCaSuS registry ({selection.kind}) as Open Referral HSDS 3",
        "description": (
            "Open Referral HSDS 3.0 tables with the BuiCaSuS extension: x_ columns and the "
            "x_translation, x_initiative_role and x_organization_tie tables."
        ),
        "created": meta["generated_at"],
        "homepage": PROFILE,
        "keywords": ["HSDS", "Open Referral", "social innovation", "BuiCaSuS"],
        "licenses": [{"name": "other-at", "title": meta["licence"]}],
        "sources": [{"title": s["name"], "description": s["licence"]} for s in meta["sources"]],
        "x_buicasus": {"format_version": 1, "filters": selection.filters},
        "resources": resources,
    }


class _Sink(io.RawIOBase):
    """A write-only, unseekable stream that hands what was written to the caller in pieces."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.pieces.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        data, self.pieces = b"".join(self.pieces), []
        return data


def _write_tables(selection: Selection, files: dict[str, IO[str]]) -> None:
    writers = {table: csv.writer(handle) for table, handle in files.items()}
    for table, writer in writers.items():
        writer.writerow(hsds.TABLES[table])

    def put(rows: dict[str, list[dict[str, str]]]) -> None:
        # `hsds` builds every row with the table's columns, in order.
        for table, table_rows in rows.items():
            writers[table].writerows([row.values() for row in table_rows])

    vocab = selection.vocabularies()
    put(hsds.taxonomy_rows(vocab))
    for batch in selection.organisation_chunks():
        parents = selection.parents([pk_of(r["source_id"]) for r in batch])
        for record in batch:
            parent = parents.get(pk_of(record["source_id"]))
            put(
                hsds.organisation_rows(
                    record, vocab, parent_id=organisation_sid(parent) if parent else None
                )
            )
    today = selection.generated_at.date()
    for batch in selection.initiative_chunks():
        providers = selection.providers([pk_of(r["source_id"]) for r in batch])
        for record in batch:
            provider = providers.get(pk_of(record["source_id"]))
            sid = organisation_sid(provider) if provider else None
            put(hsds.initiative_rows(record, vocab, provider=sid, today=today))
    for record in selection.role_records():
        put(hsds.role_rows(record))
    for record in selection.tie_records():
        put(hsds.tie_rows(record))


@register(
    "hsds",
    label=_("Open Referral HSDS 3 data package (zip)"),
    extension="hsds.zip",
    media_type="application/zip",
    reimportable=True,
    absolute_links=True,
)
def export_hsds(selection: Selection) -> Iterator[bytes]:
    with ExitStack() as stack:
        files = {
            table: stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8", newline=""))
            for table in hsds.TABLES
        }
        _write_tables(selection, files)
        sink = _Sink()
        with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("datapackage.json", dumps(datapackage(selection)))
            yield sink.drain()
            for table, handle in files.items():
                handle.seek(0)
                with archive.open(hsds.TABLE_FILES[table], "w", force_zip64=True) as entry:
                    while block := handle.read(256 * 1024):
                        entry.write(block.encode("utf-8"))
                        yield sink.drain()
        yield sink.drain()
