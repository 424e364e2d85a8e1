"""Canonical records: the one shape every source is turned into before it reaches the registry.

A canonical record is a plain dict (see docs/import-format.md for examples):

- `kind`: `organisation`, `initiative`, `role` or `tie`;
- `source_id`: the record's id within its source; (source name, kind, source id) identifies it
  across re-imports;
- `row`: where it came from in the file (1-based, header = row 1), for messages;
- `fields` (organisations, initiatives): values by the platform's codes, the same the forms and
  the JSON API take; a key left out is left alone on update, `None`/`""` clears it;
- `identifiers` (organisations), `fundings` and `replicated_from` (initiatives);
- `organisation`/`initiative`/`role` (roles), `source`/`target`/`tie_type` (ties), dates;
- optional `errors`: problems found before the importer (by a mapping or a reader), as
  `[[field, message], …]`; the record is then invalid with those reasons;
- optional `original`: the source row as read, copied into the rejects file;
- optional `on_duplicate`: `"first"` lets later records with the same id be ignored instead of
  reported (a beneficiary repeated on every row of its operations);
- optional `missing` (roles, ties): `"skip"` drops the relationship, without an error, when a
  record it names is neither in the import nor imported before from the same source.

References (`organisation`, `initiative`, `source`, `target`, `replicated_from`) name other
records of the same source by their `source_id`: in the same import, or imported before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import marshal
from decimal import Decimal
from typing import Any

ORGANISATION, INITIATIVE, ROLE, TIE = "organisation", "initiative", "role", "tie"
KINDS = (ORGANISATION, INITIATIVE, ROLE, TIE)
# Keys that describe where a record came from rather than what it says.
NOT_CONTENT = frozenset({"row", "original", "errors", "on_duplicate", "missing"})

ORGANISATION_FIELDS = (
    "name",
    "other_names",
    "actor_type",
    "legal_form",
    "country",
    "region",
    "city",
    "latitude",
    "longitude",
    "website",
    "description",
    "description_language",
    "translations",
    "founding_year",
    "size_band",
    "published",
)
INITIATIVE_FIELDS = (
    "title",
    "description",
    "description_language",
    "translations",
    "country",
    "regions",
    "stage",
    "evidence_level",
    "policy_fields",
    "esf_objectives",
    "sdgs",
    "target_groups",
    "methods",
    "start_date",
    "end_date",
    "website",
    "outcome_evidence",
    "scaling_strategy",
    "scaling_directions",
    "published",
)
RELATIONSHIP_FIELDS = {
    ROLE: ("organisation", "initiative", "role", "start_date", "end_date"),
    TIE: ("source", "target", "tie_type", "start_date", "end_date"),
}
FIELDS = {ORGANISATION: ORGANISATION_FIELDS, INITIATIVE: INITIATIVE_FIELDS}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def content_hash(record: dict[str, Any]) -> str:
    """A digest of what a record says (not where it was read): equal digests on re-import mean
    nothing changed at the source, so the registry record is left alone.

    `marshal` (C, three times faster than JSON) serialises the usual plain values; records
    holding dates or decimals fall back to sorted JSON. Key order counts, which a mapping keeps
    stable; a record whose keys come in another order, or a Python upgrade that changes
    `marshal`, only makes the record look changed once: it is compared field by field, found
    equal, and gets the new digest.
    """
    content = {k: v for k, v in record.items() if k not in NOT_CONTENT}
    try:
        data = marshal.dumps(content)
    except ValueError:
        text = json.dumps(content, sort_keys=True, separators=(",", ":"), default=_plain)
        data = text.encode()
    return hashlib.blake2b(data, digest_size=32).hexdigest()


def organisation(
    source_id: str, fields: dict[str, Any], *, row: int | None = None, **extra: Any
) -> dict[str, Any]:
    """Builds an organisation record (for readers and tests)."""
    return {"kind": ORGANISATION, "source_id": source_id, "row": row, "fields": fields, **extra}


def initiative(
    source_id: str, fields: dict[str, Any], *, row: int | None = None, **extra: Any
) -> dict[str, Any]:
    """Builds an initiative record (for readers and tests)."""
    return {"kind": INITIATIVE, "source_id": source_id, "row": row, "fields": fields, **extra}


def role(
    organisation_id: str,
    initiative_id: str,
    role_code: str,
    *,
    source_id: str | None = None,
    row: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Builds a role record; its id defaults to `initiative/role/organisation`."""
    return {
        "kind": ROLE,
        "source_id": source_id or f"{initiative_id}/{role_code}/{organisation_id}",
        "row": row,
        "organisation": organisation_id,
        "initiative": initiative_id,
        "role": role_code,
        **extra,
    }


def tie(
    source: str,
    target: str,
    tie_type: str,
    *,
    source_id: str | None = None,
    row: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Builds a tie record; its id defaults to `source/tie_type/target`."""
    return {
        "kind": TIE,
        "source_id": source_id or f"{source}/{tie_type}/{target}",
        "row": row,
        "source": source,
        "target": target,
        "tie_type": tie_type,
        **extra,
    }
