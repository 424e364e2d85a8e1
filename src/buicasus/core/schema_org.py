"""schema.org JSON-LD nodes for canonical records (with W3C ORG for ties schema.org lacks).

Organisations are `Organization`s, initiatives `Project`s with their funding as
`MonetaryGrant`s, vocabulary terms `DefinedTerm`s in `DefinedTermSet`s. Text carries its
language (`{"@value": …, "@language": "fr"}`), translations included. A relationship is a node
with the same `@id` as the record it describes, which JSON-LD merges into that record: a role
adds an `OrganizationRole` to the project's `member`, a tie adds `memberOf`,
`parentOrganization`, `funder` (on the funded organisation) or `org:linkedTo`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from buicasus.core import vocabulary_fields as vf
from buicasus.core.standard_records import (
    INITIATIVE_TERMS,
    ORGANISATION_TERMS,
    Record,
    Vocabularies,
    term_values,
)

CONTEXT: list[Any] = ["https://schema.org", {"org": "http://www.w3.org/ns/org#"}]
Iri = Callable[[str], str]
TermIri = Callable[[str, str], str]
_TIE_PROPERTY = {"member-of": "memberOf", "subsidiary-of": "parentOrganization"}


def _texts(original: str, language: str, translations: Mapping[str, Any], attr: str) -> Any:
    """A text and its translations as language-tagged JSON-LD values."""
    values: list[dict[str, str]] = []
    if original:
        values.append(
            {"@value": original, "@language": language} if language else {"@value": original}
        )
    for lang, texts in sorted(translations.items()):
        if texts.get(attr) and lang != language:
            values.append({"@value": texts[attr], "@language": lang})
    return values[0] if len(values) == 1 else values


def _provenance(record: Record) -> dict[str, Any]:
    provenance = record.get("provenance") or {}
    node: dict[str, Any] = {}
    if provenance.get("source_name"):
        node["sdPublisher"] = {"@type": "Organization", "name": provenance["source_name"]}
    if provenance.get("licence"):
        node["sdLicense"] = provenance["licence"]
    if provenance.get("updated_at"):
        node["dateModified"] = str(provenance["updated_at"])
    return node


def _clean(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if v not in (None, "", [], {})}


def organisation_node(record: Record, iri: Iri, term_iri: TermIri) -> dict[str, Any]:
    f = record["fields"]
    translations = f.get("translations") or {}
    node: dict[str, Any] = {
        "@id": iri(record["source_id"]),
        "@type": "Organization",
        "name": f.get("name"),
        "legalName": f.get("name"),
        "alternateName": list(f.get("other_names") or []),
        "description": _texts(
            f.get("description", ""), f.get("description_language", ""), translations, "description"
        ),
        "foundingDate": str(f["founding_year"]) if f.get("founding_year") else None,
        "url": f.get("website"),
        "address": _clean(
            {
                "@type": "PostalAddress",
                "addressLocality": f.get("city"),
                "addressRegion": f.get("region"),
                "addressCountry": f.get("country"),
            }
        ),
        "identifier": [
            {"@type": "PropertyValue", "propertyID": i["scheme"], "value": i["value"]}
            for i in record.get("identifiers") or []
        ],
        "additionalType": [
            {"@id": term_iri(key, code)} for key, code in term_values(f, ORGANISATION_TERMS)
        ],
        **_provenance(record),
    }
    if f.get("latitude") is not None and f.get("longitude") is not None:
        node["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": f["latitude"],
            "longitude": f["longitude"],
        }
    return _clean(node)


def initiative_node(
    record: Record, iri: Iri, term_iri: TermIri, vocab: Vocabularies
) -> dict[str, Any]:
    f = record["fields"]
    translations = f.get("translations") or {}
    language = f.get("description_language", "")
    sources = vocab.get(vf.vocabulary_of(vf.FUNDING, "source"))
    grants = []
    for funding in record.get("fundings") or []:
        grant: dict[str, Any] = {
            "@type": "MonetaryGrant",
            "identifier": funding["source"],
            "name": sources.label(funding["source"]) if sources else funding["source"],
        }
        if funding.get("amount") is not None:
            grant["amount"] = {
                "@type": "MonetaryAmount",
                "value": str(funding["amount"]),
                "currency": funding.get("currency") or "EUR",
            }
        grants.append(grant)
    replicated = record.get("replicated_from")
    node: dict[str, Any] = {
        "@id": iri(record["source_id"]),
        "@type": "Project",
        "name": _texts(f.get("title", ""), language, translations, "title"),
        "description": _texts(f.get("description", ""), language, translations, "description"),
        "url": f.get("website"),
        "foundingDate": f.get("start_date"),
        "dissolutionDate": f.get("end_date"),
        "areaServed": list(f.get("regions") or []) or f.get("country"),
        "about": [{"@id": term_iri(key, code)} for key, code in term_values(f, INITIATIVE_TERMS)],
        "funding": grants,
        "isBasedOn": {"@id": iri(replicated)} if replicated else None,
        **_provenance(record),
    }
    return _clean(node)


def role_node(record: Record, iri: Iri) -> dict[str, Any]:
    """Merges into the project: an `OrganizationRole` in its `member`."""
    role = _clean(
        {
            "@type": "OrganizationRole",
            "roleName": record["role"],
            "startDate": record.get("start_date"),
            "endDate": record.get("end_date"),
            "member": {"@id": iri(record["organisation"])},
        }
    )
    return {"@id": iri(record["initiative"]), "member": role}


def tie_node(record: Record, iri: Iri) -> dict[str, Any]:
    """Merges into one of the two organisations, by tie type."""
    source, target = iri(record["source"]), iri(record["target"])
    if record["tie_type"] == "funds":
        return {"@id": target, "funder": {"@id": source}}
    prop = _TIE_PROPERTY.get(record["tie_type"], "org:linkedTo")
    return {"@id": source, prop: {"@id": target}}


def term_nodes(vocab: Vocabularies, term_iri: TermIri, set_iri: Iri) -> Iterator[dict[str, Any]]:
    """Every vocabulary as a `DefinedTermSet`, every term as a `DefinedTerm`."""
    for key, term_set in sorted(vocab.items()):
        yield _clean(
            {
                "@id": set_iri(key),
                "@type": "DefinedTermSet",
                "identifier": key,
                "name": _labels(term_set.labels),
                "citation": term_set.source,
                "version": term_set.version,
            }
        )
        for code, term in term_set.terms.items():
            yield _clean(
                {
                    "@id": term_iri(key, code),
                    "@type": "DefinedTerm",
                    "termCode": code,
                    "name": _labels(term.get("labels", {})),
                    "description": _labels(term.get("definitions", {})),
                    "inDefinedTermSet": {"@id": set_iri(key)},
                }
            )


def _labels(labels: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"@value": v, "@language": k} for k, v in sorted(labels.items()) if v]
