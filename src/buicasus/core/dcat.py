"""A DCAT-AP description of an export, for data.europa.eu, CKAN and other catalogues.

The dataset is what an export selects (the whole registry or a filtered list); each format it
can be downloaded in is a `dcat:Distribution`. Countries, file types and the data theme use the
EU Publications Office authority tables, as DCAT-AP asks. Per-record licences differ by source,
so the dataset lists the sources and their licence notes in `dct:provenance` and `dct:rights`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

AUTHORITY = "http://publications.europa.eu/resource/authority"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# ISO 3166-1 alpha-2 → the alpha-3 codes of the EU country authority table (EU/EEA and
# neighbours the platform is likely to hold).
_ISO3 = {
    "AT": "AUT", "BE": "BEL", "BG": "BGR", "CH": "CHE", "CY": "CYP", "CZ": "CZE", "DE": "DEU",
    "DK": "DNK", "EE": "EST", "ES": "ESP", "FI": "FIN", "FR": "FRA", "GB": "GBR", "GR": "GRC",
    "HR": "HRV", "HU": "HUN", "IE": "IRL", "IS": "ISL", "IT": "ITA", "LI": "LIE", "LT": "LTU",
    "LU": "LUX", "LV": "LVA", "MT": "MLT", "NL": "NLD", "NO": "NOR", "PL": "POL", "PT": "PRT",
    "RO": "ROU", "SE": "SWE", "SI": "SVN", "SK": "SVK",
}  # fmt: skip
# Our format names → the EU file-type authority codes.
_FILE_TYPES = {
    "csv": "CSV", "xlsx": "XLSX", "json": "JSON", "jsonl": "JSON", "hsds": "ZIP",
    "popolo": "JSON", "jsonld": "JSON_LD", "gexf": "XML", "graphml": "XML", "kumu": "JSON",
}  # fmt: skip


@dataclass(frozen=True)
class Distribution:
    format: str
    title: str
    media_type: str
    url: str


@dataclass(frozen=True)
class Source:
    name: str
    licence: str
    records: int


def _text(value: str, language: str = "en") -> dict[str, str]:
    return {"@value": value, "@language": language}


def dataset(
    *,
    iri: str,
    title: str,
    description: str,
    publisher: str,
    issued: str,
    modified: str | None,
    countries: Iterable[str],
    sources: Sequence[Source],
    distributions: Iterable[Distribution],
    keywords: Iterable[str] = (),
    filters: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The DCAT-AP `dcat:Dataset` (JSON-LD) describing one export and its distributions."""
    provenance = "; ".join(f"{s.name or 'BuiCaSuS'} ({s.records})" for s in sources)
    rights = "; ".join(
        sorted({f"{s.name or 'BuiCaSuS'}: {s.licence}" for s in sources if s.licence})
    )
    node: dict[str, Any] = {
        "@context": CONTEXT,
        "@id": iri,
        "@type": "dcat:Dataset",
        "dct:title": _text(title),
        "dct:description": _text(description),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": publisher},
        "dct:issued": {"@value": issued, "@type": "xsd:dateTime"},
        "dcat:theme": {"@id": f"{AUTHORITY}/data-theme/SOCI"},
        "dcat:keyword": [_text(k) for k in keywords],
        "dct:spatial": [
            {"@id": f"{AUTHORITY}/country/{_ISO3[c]}"} for c in sorted(set(countries)) if c in _ISO3
        ],
        "dct:language": [
            {"@id": f"{AUTHORITY}/language/{code}"} for code in ("ENG", "FRA", "SPA", "SWE", "LAV")
        ],
        "dct:provenance": {"@type": "dct:ProvenanceStatement", "rdfs:label": provenance},
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dct:title": _text(d.title),
                "dcat:accessURL": {"@id": d.url},
                "dcat:downloadURL": {"@id": d.url},
                "dcat:mediaType": {
                    "@id": f"https://www.iana.org/assignments/media-types/{d.media_type}"
                },
                "dct:format": {"@id": f"{AUTHORITY}/file-type/{_FILE_TYPES.get(d.format, 'BIN')}"},
                **(
                    {"dct:rights": {"@type": "dct:RightsStatement", "rdfs:label": rights}}
                    if rights
                    else {}
                ),
            }
            for d in distributions
        ],
    }
    node["@context"] = {**CONTEXT, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
    if modified:
        node["dct:modified"] = {"@value": modified, "@type": "xsd:dateTime"}
    if rights:
        node["dct:rights"] = {"@type": "dct:RightsStatement", "rdfs:label": rights}
    if filters:
        selection = ", ".join(f"{k}={v}" for k, v in sorted(filters.items()))
        node["dct:description"] = _text(f"{description} Selection: {selection}.")
    return node
