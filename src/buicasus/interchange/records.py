"""Registry rows as canonical records (docs/import-format.md), read in chunks.

Every exporter reads the registry through here, so every format says the same thing. Records
are built from `values()` rows, a chunk of primary keys at a time (keyset pagination), with the
many-to-many codes, identifiers and fundings of a chunk fetched in one query each: memory stays
flat however large the registry, and a million records cost a few hundred queries.

Exported records name each other by `org-<id>` and `ini-<id>`; a relationship's `source_id` is
built from the records it links (`ini-3/lead/org-7`). Each record carries a `provenance` dict
(source, source record id, licence, dates, permalink); nobody's user name is exported.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from buicasus.core.standard_records import Record, role_source_id, tie_source_id
from buicasus.reference.models import Country, NutsRegion
from buicasus.registry.models import Funding, Initiative, OrganisationIdentifier, Term

CHUNK_SIZE = 2000
_PROVENANCE = (
    "source_name",
    "source_record_id",
    "licence",
    "imported_at",
    "created_at",
    "updated_at",
)
_ORGANISATION_VALUES = (
    "id", "name", "other_names", "actor_type_id", "legal_form", "country_id", "region_id",
    "city", "latitude", "longitude", "website", "description", "description_language",
    "translations", "founding_year", "size_band", "published", "review_status", *_PROVENANCE,
)  # fmt: skip
_INITIATIVE_VALUES = (
    "id", "title", "description", "description_language", "translations", "country_id",
    "stage_id", "evidence_level_id", "start_date", "end_date", "website", "outcome_evidence",
    "replicated_from_id", "scaling_strategy_id", "published", "review_status", *_PROVENANCE,
)  # fmt: skip
_INITIATIVE_M2M = (
    "regions",
    "policy_fields",
    "esf_objectives",
    "sdgs",
    "target_groups",
    "methods",
    "scaling_directions",
)
_RELATIONSHIP_VALUES = ("id", "start_date", "end_date", *_PROVENANCE)


def organisation_sid(pk: int) -> str:
    return f"org-{pk}"


def initiative_sid(pk: int) -> str:
    return f"ini-{pk}"


def pk_of(source_id: str) -> int:
    """`org-42` → 42."""
    return int(source_id.rsplit("-", 1)[1])


def iso(value: Any) -> str | None:
    """Dates and date-times as ISO 8601 text (date-times in UTC, to the second)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not dt.UTC:
            value = value.astimezone(dt.UTC)
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def amount_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


@dataclass
class Lookups:
    """Codes of the reference rows by primary key, loaded once per export (a few thousand)."""

    terms: dict[int, str]
    term_order: dict[int, tuple[str, int, str]]
    countries: dict[int, str]
    regions: dict[int, str]
    organisation_url: str
    initiative_url: str

    @classmethod
    def load(cls, base_url: str = "") -> Lookups:
        terms = Term.objects.values_list("pk", "code", "position", "vocabulary__key")
        marker = 987654321
        return cls(
            terms={pk: code for pk, code, _pos, _key in terms},
            term_order={pk: (key, pos, code) for pk, code, pos, key in terms},
            countries=dict(Country.objects.values_list("pk", "code")),
            regions=dict(NutsRegion.objects.values_list("pk", "code")),
            organisation_url=base_url
            + reverse("registry:organisation-detail", args=[marker]).replace(str(marker), "{}"),
            initiative_url=base_url
            + reverse("registry:initiative-detail", args=[marker]).replace(str(marker), "{}"),
        )

    def term(self, pk: int | None) -> str | None:
        return None if pk is None else self.terms[pk]

    def url_of(self, source_id: str) -> str:
        template = self.organisation_url if source_id.startswith("org-") else self.initiative_url
        return template.format(pk_of(source_id))


def provenance(row: dict[str, Any], url: str | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {name: row[name] for name in _PROVENANCE[:3]}
    result.update({name: iso(row[name]) for name in _PROVENANCE[3:]})
    if "review_status" in row:
        result["review_status"] = row["review_status"]
    if url is not None:
        result["url"] = url
    return result


def chunks(qs: QuerySet[Any], fields: tuple[str, ...], size: int) -> Iterator[list[dict[str, Any]]]:
    """`values()` rows of `qs` in primary-key order, `size` at a time (keyset pagination)."""
    last = 0
    while True:
        rows = list(qs.filter(pk__gt=last).order_by("pk").values(*fields)[:size])
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


def _span(column: str, ids: list[int]) -> dict[str, int]:
    """The rows of a chunk's records, by the range of its (sorted) ids: an index range scan,
    cheaper to build and run than `IN (2000 ids)`. Rows of records between those ids that are
    not in the export come along too; they are looked up by id and never used."""
    return {f"{column}__gte": ids[0], f"{column}__lte": ids[-1]}


def organisation_chunks(
    qs: QuerySet[Any], lookups: Lookups, size: int = CHUNK_SIZE
) -> Iterator[list[Record]]:
    for rows in chunks(qs, _ORGANISATION_VALUES, size):
        ids = [row["id"] for row in rows]
        identifiers: dict[int, list[dict[str, str]]] = defaultdict(list)
        found = OrganisationIdentifier.objects.filter(**_span("organisation_id", ids)).order_by(
            "pk"
        )
        for org_id, scheme_id, value in found.values_list("organisation_id", "scheme_id", "value"):
            identifiers[org_id].append({"scheme": lookups.terms[scheme_id], "value": value})
        yield [_organisation(row, identifiers[row["id"]], lookups) for row in rows]


def _organisation(
    row: dict[str, Any], identifiers: list[dict[str, str]], lookups: Lookups
) -> Record:
    sid = organisation_sid(row["id"])
    return {
        "kind": "organisation",
        "source_id": sid,
        "fields": {
            "name": row["name"],
            "other_names": list(row["other_names"] or []),
            "actor_type": lookups.terms[row["actor_type_id"]],
            "legal_form": row["legal_form"],
            "country": lookups.countries[row["country_id"]],
            "region": lookups.regions.get(row["region_id"]) if row["region_id"] else None,
            "city": row["city"],
            "latitude": row["latitude"],
            "longitude": row["longitude"],
            "website": row["website"],
            "description": row["description"],
            "description_language": row["description_language"],
            "founding_year": row["founding_year"],
            "size_band": row["size_band"],
            "published": row["published"],
            "translations": dict(row["translations"] or {}),
        },
        "identifiers": identifiers,
        "provenance": provenance(row, lookups.url_of(sid)),
    }


def _m2m_codes(ids: list[int], lookups: Lookups) -> dict[str, dict[int, list[str]]]:
    """Codes of the chunk's many-to-many fields: field → initiative id → sorted codes."""
    result: dict[str, dict[int, list[str]]] = {}
    for name in _INITIATIVE_M2M:
        field = Initiative._meta.get_field(name)
        through = field.remote_field.through  # type: ignore[union-attr]
        own, other = field.m2m_column_name(), field.m2m_reverse_name()  # type: ignore[union-attr]
        pairs = through.objects.filter(**_span(own, ids)).values_list(own, other)
        grouped: dict[int, list[int]] = defaultdict(list)
        for initiative_id, target_id in pairs:
            grouped[initiative_id].append(target_id)
        if name == "regions":
            result[name] = {k: sorted(lookups.regions[v] for v in vs) for k, vs in grouped.items()}
        else:
            result[name] = {
                k: [lookups.terms[v] for v in sorted(vs, key=lookups.term_order.__getitem__)]
                for k, vs in grouped.items()
            }
    return result


def initiative_chunks(
    qs: QuerySet[Any],
    lookups: Lookups,
    size: int = CHUNK_SIZE,
    *,
    selected: Callable[[set[int]], set[int]] | None = None,
) -> Iterator[list[Record]]:
    """Initiatives as records. `selected` tells which of a chunk's `replicated_from` ids are in
    the export: a reference to a record left out would dangle, so it is dropped."""
    for rows in chunks(qs, _INITIATIVE_VALUES, size):
        ids = [row["id"] for row in rows]
        codes = _m2m_codes(ids, lookups)
        fundings: dict[int, list[dict[str, Any]]] = defaultdict(list)
        found = Funding.objects.filter(**_span("initiative_id", ids)).order_by("pk")
        for init_id, source_id, amount, currency in found.values_list(
            "initiative_id", "source_id", "amount", "currency"
        ):
            fundings[init_id].append(
                {
                    "source": lookups.terms[source_id],
                    "amount": amount_text(amount),
                    "currency": currency,
                }  # fmt: skip
            )
        parents = {row["replicated_from_id"] for row in rows if row["replicated_from_id"]}
        kept = selected(parents) if selected and parents else parents
        yield [_initiative(row, codes, fundings[row["id"]], kept, lookups) for row in rows]


def _initiative(
    row: dict[str, Any],
    codes: dict[str, dict[int, list[str]]],
    fundings: list[dict[str, Any]],
    kept_parents: set[int],
    lookups: Lookups,
) -> Record:
    sid, pk = initiative_sid(row["id"]), row["id"]
    parent = row["replicated_from_id"]
    fields: dict[str, Any] = {
        "title": row["title"],
        "description": row["description"],
        "description_language": row["description_language"],
        "country": lookups.countries[row["country_id"]],
        "regions": codes["regions"].get(pk, []),
        "stage": lookups.term(row["stage_id"]),
        "evidence_level": lookups.term(row["evidence_level_id"]),
    }
    for name in ("policy_fields", "esf_objectives", "sdgs", "target_groups", "methods"):
        fields[name] = codes[name].get(pk, [])
    fields.update(
        {
            "start_date": iso(row["start_date"]),
            "end_date": iso(row["end_date"]),
            "website": row["website"],
            "outcome_evidence": row["outcome_evidence"],
            "scaling_strategy": lookups.term(row["scaling_strategy_id"]),
            "scaling_directions": codes["scaling_directions"].get(pk, []),
            "published": row["published"],
            "translations": dict(row["translations"] or {}),
        }
    )
    return {
        "kind": "initiative",
        "source_id": sid,
        "fields": fields,
        "fundings": fundings,
        "replicated_from": initiative_sid(parent) if parent in kept_parents else None,
        "provenance": provenance(row, lookups.url_of(sid)),
    }


def role_chunks(
    qs: QuerySet[Any], lookups: Lookups, size: int = CHUNK_SIZE
) -> Iterator[list[Record]]:
    fields = (*_RELATIONSHIP_VALUES, "organisation_id", "initiative_id", "role_id")
    for rows in chunks(qs, fields, size):
        records = []
        for row in rows:
            org, init = (
                organisation_sid(row["organisation_id"]),
                initiative_sid(row["initiative_id"]),
            )
            role = lookups.terms[row["role_id"]]
            records.append(
                {
                    "kind": "role",
                    "source_id": role_source_id(init, role, org),
                    "organisation": org,
                    "initiative": init,
                    "role": role,
                    "start_date": iso(row["start_date"]),
                    "end_date": iso(row["end_date"]),
                    "provenance": provenance(row),
                }
            )
        yield records


def tie_chunks(
    qs: QuerySet[Any], lookups: Lookups, size: int = CHUNK_SIZE
) -> Iterator[list[Record]]:
    fields = (*_RELATIONSHIP_VALUES, "source_id", "target_id", "tie_type_id")
    for rows in chunks(qs, fields, size):
        records = []
        for row in rows:
            source, target = organisation_sid(row["source_id"]), organisation_sid(row["target_id"])
            tie_type = lookups.terms[row["tie_type_id"]]
            records.append(
                {
                    "kind": "tie",
                    "source_id": tie_source_id(source, tie_type, target),
                    "source": source,
                    "target": target,
                    "tie_type": tie_type,
                    "start_date": iso(row["start_date"]),
                    "end_date": iso(row["end_date"]),
                    "provenance": provenance(row),
                }
            )
        yield records
