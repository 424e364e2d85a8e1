"""Shared pieces for turning canonical records into open standards and back.

A canonical record (docs/import-format.md) is a plain dict: `kind` (organisation, initiative,
role, tie), `source_id`, `fields`, and per kind `identifiers`, `fundings`, `replicated_from`, or
the `source_id`s of the records a relationship links. Exports add a `provenance` dict (where the
record came from, its licence, its permalink). The converters in `hsds`, `popolo`, `kumu`,
`schema_org` and `graph_files` share the vocabulary snapshot, the term fields and the error type
defined here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from buicasus.core import vocabulary_fields

Record = dict[str, Any]
T = TypeVar("T")

# Canonical fields whose values are vocabulary codes, by record kind: field → vocabulary key.
ORGANISATION_TERMS: dict[str, str] = vocabulary_fields.vocabularies(vocabulary_fields.ORGANISATION)
INITIATIVE_TERMS: dict[str, str] = vocabulary_fields.vocabularies(vocabulary_fields.INITIATIVE)
# Multi-valued term fields hold lists; the others one code or None.
MULTI_TERMS = frozenset(
    f.name
    for model in (vocabulary_fields.ORGANISATION, vocabulary_fields.INITIATIVE)
    for f in vocabulary_fields.fields_of(model)
    if f.many
)

# The actor type given to organisations a foreign file does not classify.
UNCLASSIFIED = "unclassified"

_NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


class FormatError(ValueError):
    """A file in a standard format is not what the standard (or our extension) says.

    `where` names the file or table, `row` the 1-based position of the element, `field` the
    property; `str()` gives a sentence with all three for the person who must fix the file.
    """

    def __init__(
        self, message: str, *, where: str = "", row: int | None = None, field: str = ""
    ) -> None:
        self.message, self.where, self.row, self.field = message, where, row, field
        parts = [p for p in (where, f"row {row}" if row is not None else "", field) if p]
        super().__init__(f"{', '.join(parts)}: {message}" if parts else message)


@dataclass(frozen=True)
class TermSet:
    """One controlled vocabulary as exports describe it: labels by language, source, terms."""

    key: str
    labels: Mapping[str, str]
    source: str
    version: str
    # code → {"labels": {lang: label}, "definitions": {lang: text}}
    terms: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)

    def label(self, code: str, language: str = "en") -> str:
        labels = self.terms.get(code, {}).get("labels", {})
        return labels.get(language) or labels.get("en") or code


Vocabularies = Mapping[str, TermSet]


def term_values(fields: Mapping[str, Any], terms: Mapping[str, str]) -> list[tuple[str, str]]:
    """(vocabulary key, code) pairs of a record's term fields, in field order."""
    pairs: list[tuple[str, str]] = []
    for name, key in terms.items():
        value = fields.get(name)
        codes = value if isinstance(value, list) else [value] if value else []
        pairs.extend((key, str(code)) for code in codes)
    return pairs


def terms_to_fields(
    pairs: list[tuple[str, str]], terms: Mapping[str, str]
) -> dict[str, str | list[str] | None]:
    """The inverse of `term_values`: pairs back into the record's term fields."""
    by_key = {key: name for name, key in terms.items()}
    result: dict[str, str | list[str] | None] = {
        name: [] if name in MULTI_TERMS else None for name in terms
    }
    for key, code in pairs:
        name = by_key.get(key)
        if name is None:
            continue
        current = result[name]
        if isinstance(current, list):
            if code not in current:
                current.append(code)
        else:
            result[name] = code
    return result


def text(value: Any) -> str:
    """A field value as text: None becomes ""."""
    return "" if value is None else str(value)


def optional_float(value: Any, *, where: str, row: int, name: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise FormatError(f"“{value}” is not a number", where=where, row=row, field=name) from exc


def optional_year(value: Any, *, where: str, row: int, name: str) -> int | None:
    """A year given as 2004, "2004" or an ISO date "2004-05-01"."""
    if value in (None, ""):
        return None
    match = re.match(r"^\s*(\d{4})(?:-\d{2}(?:-\d{2})?)?\s*$", str(value))
    if match is None:
        raise FormatError(f"“{value}” is not a year", where=where, row=row, field=name)
    return int(match.group(1))


def optional_date(value: Any, *, where: str, row: int, name: str) -> str | None:
    """An ISO 8601 date (YYYY-MM-DD), checked; a date-time keeps its date part."""
    if value in (None, ""):
        return None
    candidate = str(value).strip()[:10]
    try:
        dt.date.fromisoformat(candidate)
    except ValueError as exc:
        raise FormatError(
            f"“{value}” is not a date (YYYY-MM-DD)", where=where, row=row, field=name
        ) from exc
    return candidate


def lenient(
    problems: list[list[str]], field: str, convert: Callable[..., T], *args: Any, **kw: Any
) -> T | None:
    """`convert(*args, **kw)`, or None with the reason added to `problems` as `[field, text]`.

    Readers report a bad value this way (the record's `errors`, which the import engine shows
    with the row, and rejects the record alone) instead of failing the whole file.
    """
    try:
        return convert(*args, **kw)
    except FormatError as exc:
        problems.append([field, str(exc)])
        return None


def is_nuts_code(value: str) -> bool:
    return bool(_NUTS.match(value))


def role_source_id(initiative: str, role: str, organisation: str) -> str:
    return f"{initiative}/{role}/{organisation}"


def tie_source_id(source: str, tie_type: str, target: str) -> str:
    return f"{source}/{tie_type}/{target}"
