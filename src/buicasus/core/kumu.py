"""Kumu-style JSON (`elements` + `connections`) from canonical records, and back.

Kumu (kumu.io) and the ecosystem-mapping tools that copy its import format read a JSON object
with `elements` (each with a `label`, a `type` and any further fields) and `connections`
(`from`, `to`, `type`, `direction`). Organisations are elements of type `Organisation`,
initiatives of type `Initiative`; roles and ties are directed connections whose type is the
role or tie code. Every other field keeps its canonical name, so our own files come back whole;
translations become `<attribute>_<language>` fields (`description_fr`).

Files from other tools: an element whose type is Initiative or Project becomes an initiative,
any other an organisation (`unclassified` unless it has an `actor_type`); a connection between
two organisations becomes a tie (`partners-with` unless its type is a known tie type), one
between an organisation and an initiative a role (`partner` unless its type is a known role).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

from buicasus.core.part_rows import numbered
from buicasus.core.standard_records import (
    UNCLASSIFIED,
    FormatError,
    Record,
    role_source_id,
    tie_source_id,
)

ORGANISATION, INITIATIVE = "Organisation", "Initiative"
_INITIATIVE_TYPES = {"initiative", "project", "programme", "program"}
_PROVENANCE = ("source_name", "source_record_id", "licence", "url")
_TRANSLATABLE = ("name", "title", "description")


def _flat_translations(translations: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    return {
        f"{attr}_{lang}": value
        for lang, values in sorted(translations.items())
        for attr, value in sorted(values.items())
        if value
    }


def _provenance(record: Record) -> dict[str, str]:
    provenance = record.get("provenance") or {}
    return {k: str(provenance[k]) for k in _PROVENANCE if provenance.get(k)}


def element(record: Record) -> dict[str, Any]:
    """An organisation or initiative as a Kumu element."""
    f = dict(record["fields"])
    translations = f.pop("translations", None) or {}
    if record["kind"] == "organisation":
        label, kind, tags = f.pop("name", ""), ORGANISATION, [f.get("actor_type")]
        extra: dict[str, Any] = {
            "identifiers": [f"{i['scheme']}:{i['value']}" for i in record.get("identifiers", [])]
        }
    else:
        label, kind, tags = f.pop("title", ""), INITIATIVE, list(f.get("policy_fields") or [])
        extra = {
            "fundings": [
                ":".join((x["source"], str(x.get("amount") or ""), x.get("currency") or "EUR"))
                for x in record.get("fundings") or []
            ],
            "replicated_from": record.get("replicated_from"),
        }
    return {
        "id": record["source_id"],
        "label": label,
        "type": kind,
        "description": f.pop("description", ""),
        "tags": [t for t in tags if t],
        **f,
        **extra,
        **_flat_translations(translations),
        **_provenance(record),
    }


def connection(record: Record) -> dict[str, Any]:
    """A role (organisation → initiative) or tie (source → target) as a directed connection."""
    if record["kind"] == "role":
        ends, kind = (record["organisation"], record["initiative"]), record["role"]
    else:
        ends, kind = (record["source"], record["target"]), record["tie_type"]
    return {
        "id": record["source_id"],
        "from": ends[0],
        "to": ends[1],
        "type": kind,
        "direction": "directed",
        "start_date": record.get("start_date"),
        "end_date": record.get("end_date"),
        **_provenance(record),
    }


# --- reading ------------------------------------------------------------------------------


def _get(item: Mapping[str, Any], name: str) -> Any:
    """A Kumu field by name, whatever its case (Kumu's own exports capitalise)."""
    if name in item:
        return item[name]
    for key, value in item.items():
        if isinstance(key, str) and key.lower() == name:
            return value
    return None


def _split_translations(item: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(fields without `<attr>_<lang>` keys, the translations they held)."""
    fields: dict[str, Any] = {}
    translations: dict[str, dict[str, str]] = {}
    for key, value in item.items():
        attr, _sep, lang = str(key).rpartition("_")
        if attr in _TRANSLATABLE and 2 <= len(lang) <= 3 and lang.isalpha() and lang.islower():
            if value:
                translations.setdefault(lang, {})[attr] = str(value)
        else:
            fields[str(key)] = value
    return fields, dict(sorted(translations.items()))


def _identifiers(values: Any) -> list[dict[str, str]]:
    result = []
    for value in values if isinstance(values, list) else []:
        scheme, _sep, ident = str(value).partition(":")
        result.append({"scheme": scheme.strip(), "value": ident.strip()})
    return result


def _fundings(values: Any) -> list[dict[str, Any]]:
    result = []
    for value in values if isinstance(values, list) else []:
        source, amount, currency = ([*str(value).split(":"), "", ""])[:3]
        result.append({"source": source, "amount": amount or None, "currency": currency or "EUR"})
    return result


_SKIP = {
    "id",
    "_id",
    "label",
    "type",
    "description",
    "tags",
    "identifiers",
    "fundings",
    "replicated_from",
    *_PROVENANCE,
}


def _read_element(item: Mapping[str, Any], sid: str, row: int, initiative: bool) -> Record:
    raw, translations = _split_translations(item)
    fields = {k: v for k, v in raw.items() if k.lower() not in _SKIP}
    fields["description"] = str(_get(item, "description") or "")
    fields["translations"] = translations
    record: Record = {
        "kind": "initiative" if initiative else "organisation",
        "source_id": sid,
        "row": row,
    }
    if initiative:
        fields["title"] = str(_get(item, "label") or "")
        record["fundings"] = _fundings(item.get("fundings"))
        record["replicated_from"] = item.get("replicated_from") or None
    else:
        fields["name"] = str(_get(item, "label") or "")
        fields.setdefault("actor_type", UNCLASSIFIED)
        record["identifiers"] = _identifiers(item.get("identifiers"))
    record["fields"] = fields
    if provenance := {k: str(item[k]) for k in _PROVENANCE if item.get(k)}:
        record["provenance"] = provenance
    return record


def records_from_kumu(
    doc: Any, *, tie_types: Collection[str] = (), roles: Collection[str] = ()
) -> Iterator[Record]:
    """Canonical records from a Kumu JSON document; rows are positions in its two arrays.

    `tie_types` and `roles` are the codes the registry knows; an unknown connection type
    between two organisations becomes `partners-with`, between an organisation and an
    initiative `partner` (without them, types are passed through as they are).
    """
    if not isinstance(doc, Mapping) or not isinstance(doc.get("elements", []), list):
        raise FormatError("a Kumu file is a JSON object with an `elements` list")
    kinds: dict[str, str] = {}
    by_label: dict[str, str] = {}
    for row, item in numbered("elements", doc.get("elements") or []):
        if not isinstance(item, Mapping):
            raise FormatError("must be an object", where="elements", row=row)
        label = str(_get(item, "label") or "")
        sid = str(_get(item, "id") or item.get("_id") or label)
        if not sid:
            raise FormatError("no id and no label", where="elements", row=row, field="label")
        initiative = str(_get(item, "type") or "").lower() in _INITIATIVE_TYPES
        kinds[sid] = "initiative" if initiative else "organisation"
        by_label.setdefault(label, sid)
        yield _read_element(item, sid, row, initiative)
    connections = doc.get("connections") or []
    if not isinstance(connections, list):
        raise FormatError("must be a list", where="connections")
    for row, item in numbered("connections", connections):
        if not isinstance(item, Mapping):
            raise FormatError("must be an object", where="connections", row=row)
        ends = []
        for name in ("from", "to"):
            ref = str(_get(item, name) or "")
            sid = ref if ref in kinds else by_label.get(ref, "")
            if not sid:
                raise FormatError(
                    f"“{ref}” is no element", where="connections", row=row, field=name
                )
            ends.append(sid)
        yield from _read_connection(item, row, ends, kinds, tie_types, roles)


def _read_connection(
    item: Mapping[str, Any],
    row: int,
    ends: list[str],
    kinds: Mapping[str, str],
    tie_types: Collection[str],
    roles: Collection[str],
) -> Iterator[Record]:
    code = str(_get(item, "type") or "")
    dates = {"start_date": item.get("start_date") or None, "end_date": item.get("end_date") or None}
    provenance = {k: str(item[k]) for k in _PROVENANCE if item.get(k)}
    pair = (kinds[ends[0]], kinds[ends[1]])
    if pair == ("organisation", "organisation"):
        tie_type = code if code and (not tie_types or code in tie_types) else "partners-with"
        sid = str(_get(item, "id") or tie_source_id(ends[0], tie_type, ends[1]))
        record: Record = {
            "kind": "tie",
            "source_id": sid,
            "row": row,
            "source": ends[0],
            "target": ends[1],
            "tie_type": tie_type,
            **dates,
        }
    elif "organisation" in pair and "initiative" in pair:
        org, init = ends if pair[0] == "organisation" else ends[::-1]
        role = code if code and (not roles or code in roles) else "partner"
        sid = str(_get(item, "id") or role_source_id(init, role, org))
        record = {
            "kind": "role",
            "source_id": sid,
            "row": row,
            "organisation": org,
            "initiative": init,
            "role": role,
            **dates,
        }
    else:
        return  # two initiatives: no relationship the registry holds between them
    if provenance:
        record["provenance"] = provenance
    yield record
