"""Popolo JSON (popoloproject.com) from canonical records, and canonical records from Popolo.

Organisations are Popolo `Organization`s. Initiatives are `Organization`s too, classified
`initiative`, since Popolo has no projects. Both relationships are `Membership`s whose `member`
is an organisation: a role is the organisation's membership of the initiative (`role`: lead,
partner …), a tie the source organisation's membership of the target (`role`: the tie type).

Popolo's own properties carry what they can (names, identifiers, classification, founding and
dissolution dates, description, links, sources); everything else goes into a `buicasus` object
on each item, so our own files come back without loss. Files from other tools need no such
object: their organisations come in `unclassified`, their memberships between organisations
as ties (`member-of` unless the role is a known tie type), and persons are left out.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

from buicasus.core.part_rows import numbered
from buicasus.core.standard_records import (
    UNCLASSIFIED,
    FormatError,
    Record,
    lenient,
    optional_date,
    optional_year,
    role_source_id,
    tie_source_id,
)

INITIATIVE = "initiative"
EXTENSION = "buicasus"
_ORGANISATION_EXTRA = (
    "legal_form", "country", "region", "city", "latitude", "longitude", "description_language",
    "size_band", "translations", "published",
)  # fmt: skip
_INITIATIVE_STANDARD = ("title", "description", "start_date", "end_date", "website")


def _links(website: str) -> list[dict[str, str]]:
    return [{"url": website, "note": "website"}] if website else []


def _sources(provenance: Mapping[str, Any]) -> list[dict[str, str]]:
    note = "; ".join(
        part
        for part in (provenance.get("source_name"), provenance.get("licence"))
        if isinstance(part, str) and part
    )
    if not (note or provenance.get("url")):
        return []
    source = {"note": note}
    if provenance.get("url"):
        source["url"] = str(provenance["url"])
    return [source]


def _dates(provenance: Mapping[str, Any]) -> dict[str, str]:
    return {k: str(provenance[k]) for k in ("created_at", "updated_at") if provenance.get(k)}


def organisation(record: Record) -> dict[str, Any]:
    """One organisation as a Popolo Organization."""
    f = record["fields"]
    provenance = record.get("provenance") or {}
    item: dict[str, Any] = {
        "id": record["source_id"],
        "name": f.get("name", ""),
        "other_names": [{"name": name} for name in f.get("other_names") or []],
        "identifiers": [
            {"scheme": i["scheme"], "identifier": i["value"]} for i in record.get("identifiers", [])
        ],
        "classification": f.get("actor_type") or UNCLASSIFIED,
        "description": f.get("description", ""),
        "links": _links(f.get("website", "")),
        "sources": _sources(provenance),
        **_dates(provenance),
    }
    if f.get("founding_year"):
        item["founding_date"] = f"{int(f['founding_year']):04d}"
    extra = {name: f[name] for name in _ORGANISATION_EXTRA if name in f}
    item[EXTENSION] = {"kind": "organisation", **extra, "provenance": dict(provenance)}
    return item


def initiative(record: Record) -> dict[str, Any]:
    """One initiative as a Popolo Organization classified `initiative`."""
    f = record["fields"]
    provenance = record.get("provenance") or {}
    item: dict[str, Any] = {
        "id": record["source_id"],
        "name": f.get("title", ""),
        "classification": INITIATIVE,
        "description": f.get("description", ""),
        "links": _links(f.get("website", "")),
        "sources": _sources(provenance),
        **_dates(provenance),
    }
    if f.get("start_date"):
        item["founding_date"] = str(f["start_date"])
    if f.get("end_date"):
        item["dissolution_date"] = str(f["end_date"])
    extra = {k: v for k, v in f.items() if k not in _INITIATIVE_STANDARD}
    item[EXTENSION] = {
        "kind": "initiative",
        **extra,
        "fundings": list(record.get("fundings") or []),
        "replicated_from": record.get("replicated_from"),
        "provenance": dict(provenance),
    }
    return item


def _membership(
    record: Record, member: str, organisation_id: str, role: str, kind: str
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": record["source_id"],
        "organization_id": organisation_id,
        "member": {"@type": "Organization", "id": member},
        "role": role,
    }
    for name in ("start_date", "end_date"):
        if record.get(name):
            item[name] = str(record[name])
    item[EXTENSION] = {"kind": kind, "provenance": dict(record.get("provenance") or {})}
    return item


def role_membership(record: Record) -> dict[str, Any]:
    """An organisation's role in an initiative: its membership of the initiative."""
    return _membership(record, record["organisation"], record["initiative"], record["role"], "role")


def tie_membership(record: Record) -> dict[str, Any]:
    """A tie: the source organisation's membership of the target, the role being its type."""
    return _membership(record, record["source"], record["target"], record["tie_type"], "tie")


# --- reading ------------------------------------------------------------------------------


def _list(doc: Mapping[str, Any], key: str) -> list[Any]:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise FormatError("must be a list", where=key)
    return value


def _object(item: Any, where: str, row: int) -> Mapping[str, Any]:
    if not isinstance(item, Mapping):
        raise FormatError("must be an object", where=where, row=row)
    return item


def _read_organisation(item: Mapping[str, Any], row: int) -> Record:
    extra = dict(item.get(EXTENSION) or {})
    where, problems = "organizations", list[list[str]]()
    fields: dict[str, Any] = {
        "name": str(item.get("name") or ""),
        "other_names": [
            str(o["name"]) for o in item.get("other_names") or [] if isinstance(o, Mapping)
        ],
        "actor_type": str(item.get("classification") or UNCLASSIFIED),
        "description": str(item.get("description") or ""),
        "website": _website(item),
        "founding_year": lenient(
            problems,
            "founding_year",
            optional_year,
            item.get("founding_date"),
            where=where,
            row=row,
            name="founding_date",
        ),
    }
    fields.update({k: extra[k] for k in _ORGANISATION_EXTRA if k in extra})
    record: Record = {
        "kind": "organisation",
        "source_id": str(item["id"]),
        "row": row,
        "fields": fields,
        "identifiers": [
            {"scheme": str(i.get("scheme") or "other"), "value": str(i.get("identifier") or "")}
            for i in item.get("identifiers") or []
            if isinstance(i, Mapping)
        ],
    }
    if extra.get("provenance"):
        record["provenance"] = dict(extra["provenance"])
    if problems:
        record["errors"] = problems
    return record


def _read_initiative(item: Mapping[str, Any], row: int) -> Record:
    extra = dict(item.get(EXTENSION) or {})
    where, problems = "organizations", list[list[str]]()
    fields: dict[str, Any] = {
        "title": str(item.get("name") or ""),
        "description": str(item.get("description") or ""),
        "start_date": lenient(
            problems,
            "start_date",
            optional_date,
            item.get("founding_date"),
            where=where,
            row=row,
            name="founding_date",
        ),
        "end_date": lenient(
            problems,
            "end_date",
            optional_date,
            item.get("dissolution_date"),
            where=where,
            row=row,
            name="dissolution_date",
        ),
        "website": _website(item),
    }
    skip = {"kind", "fundings", "replicated_from", "provenance"}
    fields.update({k: v for k, v in extra.items() if k not in skip})
    record: Record = {
        "kind": "initiative",
        "source_id": str(item["id"]),
        "row": row,
        "fields": fields,
        "fundings": list(extra.get("fundings") or []),
        "replicated_from": extra.get("replicated_from"),
    }
    if extra.get("provenance"):
        record["provenance"] = dict(extra["provenance"])
    if problems:
        record["errors"] = problems
    return record


def _website(item: Mapping[str, Any]) -> str:
    for link in item.get("links") or []:
        if isinstance(link, Mapping) and link.get("url"):
            return str(link["url"])
    return ""


def _member_id(item: Mapping[str, Any]) -> str | None:
    member = item.get("member")
    if isinstance(member, Mapping) and member.get("id"):
        if str(member.get("@type", "Organization")) != "Organization":
            return None
        return str(member["id"])
    if item.get("member_id"):
        return str(item["member_id"])
    return None  # a person's membership: not something the registry holds


def records_from_popolo(doc: Any, *, tie_types: Collection[str] = ()) -> Iterator[Record]:
    """Canonical records from a Popolo document (`organizations`, `memberships`).

    `tie_types` are the tie-type codes known to the registry: a membership between two
    organisations whose role is not one of them becomes a `member-of` tie. Rows are positions
    in the `organizations` and `memberships` arrays, each a `PartRow` of its array: a problem
    with organisation 2 never rejects membership 2.
    """
    if not isinstance(doc, Mapping):
        raise FormatError("a Popolo file is a JSON object with `organizations`")
    initiatives: set[str] = set()
    for row, raw in numbered("organizations", _list(doc, "organizations")):
        item = _object(raw, "organizations", row)
        if not item.get("id"):
            raise FormatError("no id", where="organizations", row=row, field="id")
        extra = item.get(EXTENSION) or {}
        kind = extra.get("kind") if isinstance(extra, Mapping) else None
        if kind == "initiative" or (kind is None and item.get("classification") == INITIATIVE):
            initiatives.add(str(item["id"]))
            yield _read_initiative(item, row)
        else:
            yield _read_organisation(item, row)
    for row, raw in numbered("memberships", _list(doc, "memberships")):
        item = _object(raw, "memberships", row)
        member = _member_id(item)
        if member is None:
            continue
        target = str(item.get("organization_id") or "")
        if not target:
            raise FormatError("no organization_id", where="memberships", row=row)
        role, problems = str(item.get("role") or ""), list[list[str]]()
        dates = {
            name: lenient(
                problems,
                name,
                optional_date,
                item.get(name),
                where="memberships",
                row=row,
                name=name,
            )
            for name in ("start_date", "end_date")
        }
        if target in initiatives:
            sid = str(item.get("id") or role_source_id(target, role, member))
            record: Record = {
                "kind": "role",
                "source_id": sid,
                "row": row,
                "organisation": member,
                "initiative": target,
                "role": role,
                **dates,
            }
        else:
            tie_type = role if role and (not tie_types or role in tie_types) else "member-of"
            sid = str(item.get("id") or tie_source_id(member, tie_type, target))
            record = {
                "kind": "tie",
                "source_id": sid,
                "row": row,
                "source": member,
                "target": target,
                "tie_type": tie_type,
                **dates,
            }
        extra = item.get(EXTENSION) or {}
        if isinstance(extra, Mapping) and extra.get("provenance"):
            record["provenance"] = dict(extra["provenance"])
        if problems:
            record["errors"] = problems
        yield record
