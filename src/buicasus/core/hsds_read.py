"""Canonical records from the tables of an Open Referral HSDS 3 data package.

The inverse of `hsds`: it reads what `hsds` writes (with the BuiCaSuS extension) without loss,
and reads packages from other tools too: there a service's `organization_id` becomes a `lead`
role, `parent_organization_id` a `subsidiary-of` tie, and an unclassified organisation gets the
actor type `unclassified`. Rows are dicts of text, as `csv.DictReader` gives them; a record's
`row` is a `PartRow` of its table (line 2 of organization.csv is not line 2 of service.csv).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from buicasus.core.hsds import PROVENANCE_FIELDS, TRANSLATED
from buicasus.core.part_rows import numbered
from buicasus.core.standard_records import (
    INITIATIVE_TERMS,
    ORGANISATION_TERMS,
    UNCLASSIFIED,
    FormatError,
    Record,
    is_nuts_code,
    lenient,
    optional_date,
    optional_float,
    optional_year,
    role_source_id,
    terms_to_fields,
    tie_source_id,
)

Tables = Mapping[str, Sequence[Mapping[str, str]]]


def _by(
    rows: Sequence[Mapping[str, str]], key: str
) -> dict[str, list[tuple[int, Mapping[str, str]]]]:
    """Rows grouped by one column, each with its line number (the header is line 1)."""
    groups: dict[str, list[tuple[int, Mapping[str, str]]]] = defaultdict(list)
    for position, row in enumerate(rows, start=2):
        groups[row.get(key) or ""].append((position, row))
    return groups


class _Index:
    """The child tables of an HSDS package, grouped by the id of the row they belong to."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

        def get(name: str) -> Sequence[Mapping[str, str]]:
            return tables.get(name, ())

        self.identifiers = _by(get("organization_identifier"), "organization_id")
        self.locations = _by(get("location"), "organization_id")
        self.addresses = _by(get("address"), "location_id")
        self.attributes = _by(get("attribute"), "link_id")
        self.translations = _by(get("x_translation"), "link_id")
        self.metadata = _by(get("metadata"), "resource_id")
        self.fundings = _by(get("funding"), "service_id")
        self.areas = _by(get("service_area"), "service_id")
        self.languages = _by(get("language"), "service_id")
        taxonomies = {t.get("id", ""): t.get("name", "") for t in get("taxonomy")}
        self.terms = {
            t.get("id", ""): (
                taxonomies.get(t.get("taxonomy_id", "")) or t.get("taxonomy", ""),
                t.get("code") or t.get("name", ""),
            )
            for t in get("taxonomy_term")
        }

    def term_pairs(self, link_id: str) -> list[tuple[str, str]]:
        pairs = []
        for _line, attr in self.attributes.get(link_id, []):
            found = self.terms.get(attr.get("taxonomy_term_id", ""))
            if found and found[0] and found[1]:
                pairs.append(found)
        return pairs

    def translated(self, link_id: str, entity: str) -> dict[str, dict[str, str]]:
        attrs = {column: attr for attr, column in TRANSLATED[entity].items()}
        result: dict[str, dict[str, str]] = {}
        for _line, row in self.translations.get(link_id, []):
            if row.get("value"):
                name = attrs.get(row.get("field_name", ""), row.get("field_name", ""))
                result.setdefault(row.get("language", ""), {})[name] = row["value"]
        return dict(sorted(result.items()))

    def provenance(self, resource_id: str) -> dict[str, str]:
        return {
            row["field_name"]: row.get("replacement_value", "")
            for _line, row in self.metadata.get(resource_id, [])
            if row.get("field_name") in PROVENANCE_FIELDS
        }


def _json_list(text: str, line: int) -> list[str]:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise FormatError(
            "not a JSON list", where="organization.csv", row=line, field="x_other_names"
        ) from exc
    if not isinstance(value, list):
        raise FormatError(
            "not a JSON list", where="organization.csv", row=line, field="x_other_names"
        )
    return [str(v) for v in value]


def _published(row: Mapping[str, str], fields: dict[str, Any]) -> None:
    if row.get("x_published") in ("true", "false"):
        fields["published"] = row["x_published"] == "true"


def _organisation(line: int, row: Mapping[str, str], index: _Index) -> Record:
    where, org_id = "organization.csv", row.get("id", "")
    if not org_id:
        raise FormatError("no id", where=where, row=line, field="id")
    problems: list[list[str]] = []
    loc_line, location = next(iter(index.locations.get(org_id, [])), (0, {}))
    address = next(iter(index.addresses.get(location.get("id", "") or "-", [])), (0, {}))[1]
    other_names = [row["alternate_name"]] if row.get("alternate_name") else []
    if row.get("x_other_names"):
        names = lenient(problems, "other_names", _json_list, row["x_other_names"], line)
        other_names = names if names is not None else other_names
    terms = terms_to_fields(index.term_pairs(org_id), ORGANISATION_TERMS)
    located = {"where": "location.csv", "row": loc_line}
    fields: dict[str, Any] = {
        "name": row.get("name", ""),
        "other_names": other_names,
        "actor_type": terms["actor_type"] or UNCLASSIFIED,
        "legal_form": row.get("legal_status", ""),
        "country": (address.get("country") or "").upper(),
        "region": address.get("region") or None,
        "city": address.get("city") or "",
        "latitude": lenient(
            problems,
            "latitude",
            optional_float,
            location.get("latitude"),
            **located,
            name="latitude",
        ),
        "longitude": lenient(
            problems,
            "longitude",
            optional_float,
            location.get("longitude"),
            **located,
            name="longitude",
        ),
        "website": row.get("website") or row.get("url") or "",
        "description": row.get("description", ""),
        "description_language": row.get("x_description_language", ""),
        "founding_year": lenient(
            problems,
            "founding_year",
            optional_year,
            row.get("year_incorporated"),
            where=where,
            row=line,
            name="year_incorporated",
        ),
        "size_band": row.get("x_size_band", ""),
        "translations": index.translated(org_id, "organization"),
    }
    _published(row, fields)
    identifiers = [
        {
            "scheme": (i.get("identifier_type") or i.get("identifier_scheme") or "other").lower(),
            "value": i.get("identifier", ""),
        }
        for _l, i in index.identifiers.get(org_id, [])
    ]
    record: Record = {
        "kind": "organisation",
        "source_id": org_id,
        "row": line,
        "fields": fields,
        "identifiers": identifiers,
    }
    if provenance := index.provenance(org_id):
        record["provenance"] = provenance
    if problems:
        record["errors"] = problems
    return record


def _initiative(
    line: int, row: Mapping[str, str], index: _Index, countries: Mapping[str, str]
) -> Record:
    where, service_id = "service.csv", row.get("id", "")
    if not service_id:
        raise FormatError("no id", where=where, row=line, field="id")
    languages = [lang.get("code", "") for _l, lang in index.languages.get(service_id, [])]
    problems: list[list[str]] = []
    fields: dict[str, Any] = {
        "title": row.get("name", ""),
        "description": row.get("description", ""),
        "description_language": row.get("x_description_language") or next(iter(languages), ""),
        "country": (
            row.get("x_country") or countries.get(row.get("organization_id", ""), "")
        ).upper(),
        "regions": [
            a.get("name", "")
            for _l, a in index.areas.get(service_id, [])
            if is_nuts_code(a.get("name", ""))
        ],
        **terms_to_fields(index.term_pairs(service_id), INITIATIVE_TERMS),
        "start_date": lenient(
            problems,
            "start_date",
            optional_date,
            row.get("x_start_date"),
            where=where,
            row=line,
            name="x_start_date",
        ),
        "end_date": lenient(
            problems,
            "end_date",
            optional_date,
            row.get("x_end_date"),
            where=where,
            row=line,
            name="x_end_date",
        ),
        "website": row.get("url", ""),
        "outcome_evidence": row.get("x_outcome_evidence", ""),
        "translations": index.translated(service_id, "service"),
    }
    _published(row, fields)
    fundings = [
        {
            "source": fund.get("source", ""),
            "amount": fund.get("x_amount") or None,
            "currency": fund.get("x_currency") or "EUR",
        }
        for _l, fund in index.fundings.get(service_id, [])
    ]
    record: Record = {
        "kind": "initiative",
        "source_id": service_id,
        "row": line,
        "fields": fields,
        "fundings": fundings,
        "replicated_from": row.get("x_replicated_from") or None,
    }
    if provenance := index.provenance(service_id):
        record["provenance"] = provenance
    if problems:
        record["errors"] = problems
    return record


def records_from_tables(tables: Tables) -> Iterator[Record]:
    """Canonical records from the tables of an HSDS package (rows as dicts of text).

    Organisations come first, then initiatives, then relationships, so every reference names a
    record already seen. Without our extension tables, a service's `organization_id` becomes a
    `lead` role and `parent_organization_id` a `subsidiary-of` tie.
    """
    index = _Index(tables)
    countries: dict[str, str] = {}
    for line, row in numbered("organization.csv", tables.get("organization", ()), start=2):
        record = _organisation(line, row, index)
        countries[record["source_id"]] = record["fields"]["country"]
        yield record
    services = numbered("service.csv", tables.get("service", ()), start=2)
    for line, row in services:
        yield _initiative(line, row, index, countries)
    yield from _relationships(tables, services)


def _relationships(
    tables: Tables, services: Sequence[tuple[int, Mapping[str, str]]]
) -> Iterator[Record]:
    if "x_initiative_role" in tables:
        for line, row in numbered("x_initiative_role.csv", tables["x_initiative_role"], start=2):
            org, service, role = (
                row.get("organization_id", ""),
                row.get("service_id", ""),
                row.get("role", ""),
            )
            yield {
                "kind": "role",
                "source_id": row.get("id") or role_source_id(service, role, org),
                "row": line,
                "organisation": org,
                "initiative": service,
                "role": role,
                "start_date": row.get("start_date") or None,
                "end_date": row.get("end_date") or None,
            }
    else:
        for service_line, row in services:
            if row.get("organization_id"):
                org, service = row["organization_id"], row.get("id", "")
                yield {
                    "kind": "role",
                    "source_id": role_source_id(service, "lead", org),
                    "row": service_line,
                    "organisation": org,
                    "initiative": service,
                    "role": "lead",
                    "start_date": None,
                    "end_date": None,
                }
    if "x_organization_tie" in tables:
        for line, row in numbered("x_organization_tie.csv", tables["x_organization_tie"], start=2):
            source, target = (
                row.get("source_organization_id", ""),
                row.get("target_organization_id", ""),
            )
            tie_type = row.get("tie_type", "")
            yield {
                "kind": "tie",
                "source_id": row.get("id") or tie_source_id(source, tie_type, target),
                "row": line,
                "source": source,
                "target": target,
                "tie_type": tie_type,
                "start_date": row.get("start_date") or None,
                "end_date": row.get("end_date") or None,
            }
    else:
        for line, row in numbered("organization.csv", tables.get("organization", ()), start=2):
            if row.get("parent_organization_id"):
                source, target = row.get("id", ""), row["parent_organization_id"]
                yield {
                    "kind": "tie",
                    "source_id": tie_source_id(source, "subsidiary-of", target),
                    "row": line,
                    "source": source,
                    "target": target,
                    "tie_type": "subsidiary-of",
                    "start_date": None,
                    "end_date": None,
                }
