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

from django.utils.translation import gettext as _

from buicasus.limits import is_finite

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


# --- the shape check ------------------------------------------------------------------------
# Before validation every record read from a file passes `check_shape`: a value of the wrong
# JSON type (a list where text is expected, an object where a list of identifiers is, a string
# where a list is not allowed …), NaN or an infinity becomes a problem of the record naming its
# field, and the value is left out, so the validator and the writer only meet the types they
# handle. A table of shapes rather than one pydantic model per kind: it runs on every row of a
# million-row import, and mappings legitimately produce dates and decimals.

SCALAR, LIST, OBJECT = "scalar", "list", "object"  # LIST: a list of scalars, or one scalar
DATE = "date"  # an ISO date as text, or a date (the form's DateField reads nothing else)
_FIELD_SHAPES: dict[str, dict[str, str]] = {
    ORGANISATION: {name: SCALAR for name in ORGANISATION_FIELDS}
    | {"other_names": LIST, "translations": OBJECT},
    INITIATIVE: {name: SCALAR for name in INITIATIVE_FIELDS}
    | {
        "translations": OBJECT,
        "regions": LIST,
        "policy_fields": LIST,
        "esf_objectives": LIST,
        "sdgs": LIST,
        "target_groups": LIST,
        "methods": LIST,
        "scaling_directions": LIST,
        "outcome_evidence": LIST,
        "start_date": DATE,
        "end_date": DATE,
    },
}
_TOP_SHAPES = {
    "source_id": SCALAR,
    "replicated_from": SCALAR,
    "organisation": SCALAR,
    "initiative": SCALAR,
    "role": SCALAR,
    "source": SCALAR,
    "target": SCALAR,
    "tie_type": SCALAR,
    "start_date": DATE,
    "end_date": DATE,
    "on_duplicate": SCALAR,
    "missing": SCALAR,
}
_PARTS = {"identifiers": ("scheme", "value"), "fundings": ("source", "amount", "currency")}
_LARGEST_INT = 10**18


def _type_words(value: Any) -> str:
    if isinstance(value, dict):
        return _("an object")
    if isinstance(value, list | tuple):
        return _("a list")
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return _("the number %(value)s") % {"value": value}
    return _("a value of type %(type)s") % {"type": type(value).__name__}


_PLAIN = frozenset({str, bool, type(None), dt.date, dt.datetime})


def _scalar_problem(value: Any) -> str | None:
    """Why `value` is no usable scalar (text, number, yes/no, date), or None when it is.
    The usual classes are looked up first: this runs on every value of every record."""
    cls = value.__class__
    if cls in _PLAIN:
        return None
    if cls is float or isinstance(value, float | Decimal):
        if not is_finite(value):
            return _("“%(value)s” is not a number (NaN and infinities are refused).") % {
                "value": value
            }
        return None
    if isinstance(value, str | bool | dt.date):
        return None
    if isinstance(value, int):
        if abs(value) > _LARGEST_INT:
            return _("%(value)s is too large a number.") % {"value": f"{value:.3e}"}
        return None
    return _("Must be text or a number, not %(given)s.") % {"given": _type_words(value)}


def _shape_problem(value: Any, shape: str) -> str | None:
    if shape == SCALAR:
        return _scalar_problem(value)
    if shape == DATE:
        if value is None or isinstance(value, str | dt.date):
            return None
        return _("Must be a date as text (YYYY-MM-DD), not %(given)s.") % {
            "given": _type_words(value)
        }
    if shape == LIST:
        if isinstance(value, list):
            return next((p for p in map(_scalar_problem, value) if p), None)
        if isinstance(value, dict):
            return _("Must be a list of codes, not %(given)s.") % {"given": _type_words(value)}
        return _scalar_problem(value)
    # an object of objects of scalars (translations: language → attribute → text)
    if value is None:
        return None
    if not isinstance(value, dict) or not all(isinstance(v, dict | None) for v in value.values()):
        return _("Must be an object by language code, of objects of texts.")
    for texts in value.values():
        for text in (texts or {}).values():
            problem = _scalar_problem(text)
            if problem:
                return problem
    return None


def check_shape(record: Any) -> Any:
    """The record with values of the wrong type left out and named in its `errors`; anything
    not a dict is returned as it is (the engine reports it). A record without a problem is
    returned itself, uncopied."""
    if not isinstance(record, dict):
        return record
    problems: list[list[str]] = []
    fixes: dict[str, Any] = {}
    for key, value in record.items():
        shape = _TOP_SHAPES.get(key)
        if shape is not None:
            problem = _shape_problem(value, shape)
            if problem:
                problems.append([key, problem])
                fixes[key] = None
        elif key in _PARTS and value is not None:
            kept = _check_parts(value, key, _PARTS[key], problems)
            if kept is not value:
                fixes[key] = kept
    kind = record.get("kind")
    shapes = _FIELD_SHAPES.get(kind) if isinstance(kind, str) else None
    fields = record.get("fields")
    if shapes is not None and fields is not None:
        if not isinstance(fields, dict):
            problems.append(["fields", _("“fields” must be an object.")])
            fixes["fields"] = {}
        else:
            wrong = []
            for name, value in fields.items():
                problem = _shape_problem(value, shapes.get(name, SCALAR))
                if problem:
                    problems.append([str(name), problem])
                    wrong.append(name)
            if wrong:
                fixes["fields"] = {k: v for k, v in fields.items() if k not in wrong}
    errors = record.get("errors")
    if errors is not None and not (
        isinstance(errors, list)
        and all(isinstance(e, list | tuple) and 1 <= len(e) <= 2 for e in errors)
    ):
        problems.append(["errors", _("Must be a list of [field, message] pairs.")])
        errors = []
    if not problems:
        return record
    return {**record, **fixes, "errors": [*(errors or []), *problems]}


def _check_parts(items: Any, key: str, parts: tuple[str, ...], problems: list[list[str]]) -> Any:
    """Identifiers and fundings: a list of objects of scalars (or of "scheme: value" texts).
    Returns `items` itself when all is well, else what is kept of it."""
    if not isinstance(items, list):
        problems.append([key, _("Must be a list, not %(given)s.") % {"given": _type_words(items)}])
        return []
    kept = []
    for item in items:
        if isinstance(item, dict):
            problem = next(
                (p for p in (_scalar_problem(item.get(part)) for part in parts) if p), None
            )
        else:
            problem = _scalar_problem(item)
        if problem:
            problems.append([key, problem])
        else:
            kept.append(item)
    return items if len(kept) == len(items) else kept
