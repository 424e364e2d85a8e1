"""Open Referral HSDS 3 tables from canonical records (`hsds_read` reads them back).

Organisations become `organization` rows (with `organization_identifier`, `location`, `address`,
`attribute` and `metadata` rows), initiatives become `service` rows (with `funding`,
`service_area`, `language`, `attribute` and `metadata` rows). Vocabulary terms travel as
`taxonomy`, `taxonomy_term` and `attribute` rows. What HSDS has no place for goes into the
BuiCaSuS extension documented in `interchange/README.md`: columns prefixed `x_` and three tables,
`x_translation` (language-tagged text), `x_initiative_role` and `x_organization_tie`.

Ids are UUIDs (version 5) derived from the canonical `source_id`, so exporting the same registry
twice gives the same ids and a re-import updates rather than duplicates.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from buicasus.core import vocabulary_fields as vf
from buicasus.core.standard_records import (
    INITIATIVE_TERMS,
    ORGANISATION_TERMS,
    Record,
    Vocabularies,
    term_values,
    text,
)

NAMESPACE = uuid.UUID("4c0b7a52-2f6e-5a43-9d2e-6b7579636173")
_NAMESPACE_BYTES = NAMESPACE.bytes
Row = dict[str, str]
Rows = dict[str, list[Row]]

TABLES: dict[str, tuple[str, ...]] = {
    "organization": (
        "id", "name", "alternate_name", "description", "email", "website", "year_incorporated",
        "legal_status", "uri", "parent_organization_id",
        "x_other_names", "x_description_language", "x_size_band", "x_published",
    ),
    "organization_identifier": (
        "id", "organization_id", "identifier_scheme", "identifier_type", "identifier",
    ),
    "location": (
        "id", "location_type", "url", "organization_id", "name", "alternate_name", "description",
        "transportation", "latitude", "longitude", "external_identifier",
        "external_identifier_type",
    ),
    "address": (
        "id", "location_id", "attention", "address_1", "address_2", "city", "region",
        "state_province", "postal_code", "country", "address_type",
    ),
    "service": (
        "id", "organization_id", "program_id", "name", "alternate_name", "description", "url",
        "email", "status", "eligibility_description", "assured_date",
        "x_country", "x_start_date", "x_end_date", "x_outcome_evidence", "x_replicated_from",
        "x_description_language", "x_published",
    ),
    "service_area": (
        "id", "service_id", "service_at_location_id", "name", "description", "extent",
        "extent_type", "uri",
    ),
    "language": ("id", "service_id", "location_id", "phone_id", "name", "code", "note"),
    "funding": ("id", "organization_id", "service_id", "source", "x_amount", "x_currency"),
    "taxonomy": ("id", "name", "description", "uri", "version"),
    "taxonomy_term": (
        "id", "code", "name", "description", "parent_id", "taxonomy", "language", "taxonomy_id",
        "term_uri",
    ),
    "attribute": (
        "id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value", "label",
    ),
    "metadata": (
        "id", "resource_id", "resource_type", "last_action_date", "last_action_type",
        "field_name", "previous_value", "replacement_value", "updated_by",
    ),
    "x_translation": ("id", "link_id", "link_entity", "field_name", "language", "value"),
    "x_initiative_role": (
        "id", "organization_id", "service_id", "role", "start_date", "end_date",
    ),
    "x_organization_tie": (
        "id", "source_organization_id", "target_organization_id", "tie_type", "start_date",
        "end_date",
    ),
}  # fmt: skip
# The file of each table inside a data package.
TABLE_FILES = {table: f"{table}.csv" for table in TABLES}
EXTENSION_TABLES = ("x_translation", "x_initiative_role", "x_organization_tie")
# Canonical translatable attribute → HSDS column, per entity.
TRANSLATED = {
    "organization": {"description": "description"},
    "service": {"title": "name", "description": "description"},
}
PROVENANCE_FIELDS = ("source_name", "source_record_id", "licence")


def hsds_id(kind: str, key: str) -> str:
    """A stable UUID for `key` (a canonical source_id, or a compound key) of one `kind`:
    `uuid.uuid5(NAMESPACE, f"{kind}:{key}")`, computed without building UUID objects (an
    export makes several per row)."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + f"{kind}:{key}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@functools.lru_cache(maxsize=4096)
def term_id(vocabulary: str, code: str) -> str:
    return hsds_id("term", f"{vocabulary}:{code}")


def _row(table: str, **values: Any) -> Row:
    return {name: text(values.get(name)) for name in TABLES[table]}


def _bool(value: Any) -> str:
    return "" if value is None else ("true" if value else "false")


def _attributes(
    link_id: str, entity: str, pairs: list[tuple[str, str]], vocab: Vocabularies
) -> list[Row]:
    rows = []
    for key, code in pairs:
        term_set = vocab.get(key)
        rows.append(
            _row(
                "attribute",
                id=hsds_id("attribute", f"{link_id}:{key}:{code}"),
                link_id=link_id,
                taxonomy_term_id=term_id(key, code),
                link_type=key,
                link_entity=entity,
                label=term_set.label(code) if term_set else code,
            )
        )
    return rows


def _translations(link_id: str, entity: str, translations: Mapping[str, Any]) -> list[Row]:
    columns = TRANSLATED[entity]
    rows = []
    for lang, values in sorted(translations.items()):
        for attr, value in sorted(dict(values).items()):
            column = columns.get(attr, attr)
            rows.append(
                _row(
                    "x_translation",
                    id=hsds_id("translation", f"{link_id}:{column}:{lang}"),
                    link_id=link_id,
                    link_entity=entity,
                    field_name=column,
                    language=lang,
                    value=value,
                )
            )
    return rows


def _metadata(resource_id: str, resource_type: str, provenance: Mapping[str, Any]) -> list[Row]:
    """Provenance as HSDS metadata rows: one per field (source, its record id, licence)."""
    imported = provenance.get("imported_at")
    when = text(imported or provenance.get("updated_at") or provenance.get("created_at"))[:10]
    rows = []
    for name in PROVENANCE_FIELDS:
        value = provenance.get(name)
        if value:
            rows.append(
                _row(
                    "metadata",
                    id=hsds_id("metadata", f"{resource_id}:{name}"),
                    resource_id=resource_id,
                    resource_type=resource_type,
                    last_action_date=when,
                    last_action_type="import" if imported else "update",
                    field_name=name,
                    replacement_value=value,
                )
            )
    return rows


def organisation_rows(record: Record, vocab: Vocabularies, *, parent_id: str | None = None) -> Rows:
    """The rows one organisation becomes; `parent_id` is the source_id of the organisation it
    is a subsidiary of, if any (HSDS `parent_organization_id`)."""
    f, sid = record["fields"], record["source_id"]
    org_id = hsds_id("organisation", sid)
    other_names = list(f.get("other_names") or [])
    rows: Rows = defaultdict(list)
    rows["organization"].append(
        _row(
            "organization",
            id=org_id,
            name=f.get("name"),
            alternate_name=other_names[0] if other_names else "",
            description=f.get("description"),
            website=f.get("website"),
            year_incorporated=f.get("founding_year"),
            legal_status=f.get("legal_form"),
            uri=record.get("provenance", {}).get("url"),
            parent_organization_id=hsds_id("organisation", parent_id) if parent_id else "",
            x_other_names=json.dumps(other_names, ensure_ascii=False) if other_names else "",
            x_description_language=f.get("description_language"),
            x_size_band=f.get("size_band"),
            x_published=_bool(f.get("published")),
        )
    )
    for ident in record.get("identifiers") or []:
        rows["organization_identifier"].append(
            _row(
                "organization_identifier",
                id=hsds_id("identifier", f"{ident['scheme']}:{ident['value']}"),
                organization_id=org_id,
                identifier_type=ident["scheme"],
                identifier=ident["value"],
            )
        )
    location_id = hsds_id("location", sid)
    rows["location"].append(
        _row(
            "location",
            id=location_id,
            location_type="physical",
            organization_id=org_id,
            name=f.get("city") or f.get("name"),
            latitude=f.get("latitude"),
            longitude=f.get("longitude"),
        )
    )
    rows["address"].append(
        _row(
            "address",
            id=hsds_id("address", sid),
            location_id=location_id,
            city=f.get("city"),
            region=f.get("region"),
            country=f.get("country"),
            address_type="physical",
        )
    )
    rows["attribute"] += _attributes(
        org_id, "organization", term_values(f, ORGANISATION_TERMS), vocab
    )
    rows["x_translation"] += _translations(org_id, "organization", f.get("translations") or {})
    rows["metadata"] += _metadata(org_id, "organization", record.get("provenance") or {})
    return rows


def initiative_rows(
    record: Record, vocab: Vocabularies, *, provider: str | None, today: dt.date
) -> Rows:
    """The rows one initiative becomes; `provider` is the source_id of the organisation that
    delivers it (its lead, else another partner), HSDS `service.organization_id`."""
    f, sid = record["fields"], record["source_id"]
    service_id = hsds_id("initiative", sid)
    end = f.get("end_date")
    status = "inactive" if end and dt.date.fromisoformat(str(end)) < today else "active"
    target_groups = vocab.get(vf.vocabulary_of(vf.INITIATIVE, "target_groups"))
    eligibility = ", ".join(
        target_groups.label(code) if target_groups else code
        for code in f.get("target_groups") or []
    )
    replicated = record.get("replicated_from")
    rows: Rows = defaultdict(list)
    rows["service"].append(
        _row(
            "service",
            id=service_id,
            organization_id=hsds_id("organisation", provider) if provider else "",
            name=f.get("title"),
            description=f.get("description"),
            url=f.get("website"),
            status=status,
            eligibility_description=eligibility,
            x_country=f.get("country"),
            x_start_date=f.get("start_date"),
            x_end_date=end,
            x_outcome_evidence=f.get("outcome_evidence"),
            x_replicated_from=hsds_id("initiative", replicated) if replicated else "",
            x_description_language=f.get("description_language"),
            x_published=_bool(f.get("published")),
        )
    )
    for position, funding in enumerate(record.get("fundings") or []):
        rows["funding"].append(
            _row(
                "funding",
                id=hsds_id("funding", f"{sid}:{position}"),
                service_id=service_id,
                source=funding.get("source"),
                x_amount=funding.get("amount"),
                x_currency=funding.get("currency") or "EUR",
            )
        )
    for code in f.get("regions") or []:
        rows["service_area"].append(
            _row(
                "service_area",
                id=hsds_id("service_area", f"{sid}:{code}"),
                service_id=service_id,
                name=code,
                description="NUTS 2021",
            )
        )
    if f.get("description_language"):
        lang = f["description_language"]
        rows["language"].append(
            _row(
                "language",
                id=hsds_id("language", f"{sid}:{lang}"),
                service_id=service_id,
                name=lang,
                code=lang,
            )
        )
    rows["attribute"] += _attributes(service_id, "service", term_values(f, INITIATIVE_TERMS), vocab)
    rows["x_translation"] += _translations(service_id, "service", f.get("translations") or {})
    rows["metadata"] += _metadata(service_id, "service", record.get("provenance") or {})
    return rows


def role_rows(record: Record) -> Rows:
    role_id = hsds_id("role", record["source_id"])
    return {
        "x_initiative_role": [
            _row(
                "x_initiative_role",
                id=role_id,
                organization_id=hsds_id("organisation", record["organisation"]),
                service_id=hsds_id("initiative", record["initiative"]),
                role=record["role"],
                start_date=record.get("start_date"),
                end_date=record.get("end_date"),
            )
        ],
        "metadata": _metadata(role_id, "x_initiative_role", record.get("provenance") or {}),
    }


def tie_rows(record: Record) -> Rows:
    tie_id = hsds_id("tie", record["source_id"])
    return {
        "x_organization_tie": [
            _row(
                "x_organization_tie",
                id=tie_id,
                source_organization_id=hsds_id("organisation", record["source"]),
                target_organization_id=hsds_id("organisation", record["target"]),
                tie_type=record["tie_type"],
                start_date=record.get("start_date"),
                end_date=record.get("end_date"),
            )
        ],
        "metadata": _metadata(tie_id, "x_organization_tie", record.get("provenance") or {}),
    }


def taxonomy_rows(vocab: Vocabularies) -> Rows:
    """Every vocabulary as a `taxonomy`, every term as a `taxonomy_term` (labels in English;
    the other languages go into `x_translation` rows on the term)."""
    rows: Rows = defaultdict(list)
    for key, term_set in sorted(vocab.items()):
        taxonomy_id = hsds_id("taxonomy", key)
        rows["taxonomy"].append(
            _row(
                "taxonomy",
                id=taxonomy_id,
                name=key,
                description=term_set.labels.get("en", key),
                uri=term_set.source,
                version=term_set.version,
            )
        )
        for code, term in term_set.terms.items():
            term_uuid = term_id(key, code)
            labels, definitions = term.get("labels", {}), term.get("definitions", {})
            rows["taxonomy_term"].append(
                _row(
                    "taxonomy_term",
                    id=term_uuid,
                    code=code,
                    name=labels.get("en", code),
                    description=definitions.get("en", ""),
                    taxonomy=key,
                    language="en",
                    taxonomy_id=taxonomy_id,
                )
            )
            for lang, label in sorted(labels.items()):
                if lang != "en":
                    rows["x_translation"].append(
                        _row(
                            "x_translation",
                            id=hsds_id("translation", f"{term_uuid}:name:{lang}"),
                            link_id=term_uuid,
                            link_entity="taxonomy_term",
                            field_name="name",
                            language=lang,
                            value=label,
                        )
                    )
    return rows
