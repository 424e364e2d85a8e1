"""Loads vocabularies and reference data (countries, partners, consortium) from YAML fixtures.

Each vocabulary file names its source and version; loading is idempotent (update by key/code)
and runs in one transaction, so a broken file leaves the database as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from buicasus.config import project_path
from buicasus.registry.models import (
    Country,
    NutsRegion,
    Organisation,
    OrganisationIdentifier,
    OrganisationTie,
    Term,
    Vocabulary,
)

FIXTURES = Path(__file__).parent / "fixtures"
LANGUAGES = ("en", "fr", "es", "sv", "lv")


@dataclass
class LoadReport:
    vocabularies: int = 0
    terms: int = 0
    countries: int = 0
    regions: int = 0
    organisations: int = 0
    ties: int = 0
    notes: list[str] = field(default_factory=list)


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValidationError(f"{path}: not valid YAML: {exc}") from exc


def _require(doc: dict[str, Any], path: Path, *keys: str) -> None:
    missing = [k for k in keys if k not in doc]
    if missing:
        raise ValidationError(f"{path}: missing {', '.join(missing)}")


def _labels(labels: dict[str, str], where: str) -> dict[str, str]:
    missing = [lang for lang in LANGUAGES if not labels.get(lang)]
    if missing:
        raise ValidationError(f"{where}: no label in {', '.join(missing)}")
    return labels


def load_vocabulary_file(path: Path, report: LoadReport) -> None:
    doc = _read(path)
    _require(doc, path, "key", "names", "source", "version", "terms")
    vocab, _ = Vocabulary.objects.update_or_create(
        key=doc["key"],
        defaults={
            "labels": _labels(doc["names"], f"{path} names"),
            "source": doc["source"],
            "version": str(doc["version"]),
        },
    )
    report.vocabularies += 1
    for position, term in enumerate(doc["terms"]):
        where = f"{path} term {position + 1}"
        if "code" not in term:
            raise ValidationError(f"{where}: missing code")
        Term.objects.update_or_create(
            vocabulary=vocab,
            code=str(term["code"]),
            defaults={
                "labels": _labels(term.get("labels", {}), f"{where} ({term['code']})"),
                "definitions": term.get("definitions", {}),
                "position": position,
            },
        )
        report.terms += 1


def _term(key: str, code: str) -> Term:
    try:
        return Term.objects.get(vocabulary__key=key, code=code)
    except Term.DoesNotExist as exc:
        raise ValidationError(f"unknown {key} term {code!r}") from exc


def load_countries(path: Path, report: LoadReport) -> None:
    for row in _read(path)["countries"]:
        # YAML 1.1 reads a bare NO (Norway) as false: insist on a real two-letter code.
        if not (isinstance(row.get("code"), str) and re.fullmatch(r"[A-Z]{2}", row["code"])):
            code = row.get("code")
            raise ValidationError(f"{path}: {code!r} is not an ISO 3166-1 code (quote it)")
        Country.objects.update_or_create(
            code=row["code"],
            defaults={
                "names": _labels(row["names"], f"{path} {row['code']}"),
                "official_languages": row.get("official_languages", []),
                "population": row.get("population"),
                "population_year": row.get("population_year"),
            },
        )
        report.countries += 1


def load_organisations(path: Path, report: LoadReport) -> None:
    """Organisations keyed by (source_name, source_record_id), then ties between them."""
    doc = _read(path)
    source, licence = doc["source"], doc.get("licence", "")
    by_ref: dict[str, Organisation] = {}
    for row in doc["organisations"]:
        org, _ = Organisation.objects.update_or_create(
            source_name=source,
            source_record_id=row["ref"],
            defaults={
                "name": row["name"],
                "other_names": row.get("other_names", []),
                "actor_type": _term("actor-type", row["actor_type"]),
                "legal_form": row.get("legal_form", ""),
                "country": Country.objects.get(code=row["country"]),
                "city": row.get("city", ""),
                "latitude": row.get("latitude"),
                "longitude": row.get("longitude"),
                "website": row.get("website", ""),
                "description": row.get("description", ""),
                "description_language": row.get("description_language", ""),
                "translations": row.get("translations", {}),
                "founding_year": row.get("founding_year"),
                "size_band": row.get("size_band", ""),
                "region": NutsRegion.objects.filter(code=row["region"]).first()
                if row.get("region")
                else None,
                "licence": licence,
                "published": bool(row.get("published", True)),
            },
        )
        for ident in row.get("identifiers", []):
            OrganisationIdentifier.objects.get_or_create(
                organisation=org,
                scheme=_term("identifier-scheme", ident["scheme"]),
                value=str(ident["value"]),
            )
        by_ref[row["ref"]] = org
        report.organisations += 1
    for tie in doc.get("ties", []):
        OrganisationTie.objects.get_or_create(
            source=by_ref[tie["from"]],
            target=by_ref[tie["to"]],
            tie_type=_term("tie-type", tie["type"]),
            defaults={
                "start_date": tie.get("start_date"),
                "end_date": tie.get("end_date"),
                "source_name": source,
                "licence": licence,
            },
        )
        report.ties += 1


# NUTS uses EL for Greece and UK for the United Kingdom; ISO 3166-1 uses GR and GB.
_NUTS_TO_ISO = {"EL": "GR", "UK": "GB"}


def load_nuts_regions(folder: Path, report: LoadReport) -> None:
    """NUTS 1–3 regions of the countries in the database, from GISCO GeoJSON files."""
    countries = {c.code: c for c in Country.objects.all()}
    known = {r.code: r for r in NutsRegion.objects.all()}
    for level in (1, 2, 3):
        path = folder / f"NUTS_RG_20M_2021_4326_LEVL_{level}.geojson"
        if not path.exists():
            report.notes.append(f"{path} not found: NUTS level {level} skipped")
            continue
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        for feature in features:
            props = feature["properties"]
            country = countries.get(_NUTS_TO_ISO.get(props["CNTR_CODE"], props["CNTR_CODE"]))
            if country is None:
                continue
            code = props["NUTS_ID"]
            region = known.get(code)
            values = {
                "name": props.get("NAME_LATN") or props.get("NUTS_NAME") or code,
                "level": level,
                "country": country,
                "parent": known.get(code[:-1]) if level > 1 else None,
            }
            if region is None:
                known[code] = NutsRegion.objects.create(code=code, **values)
            elif any(getattr(region, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(region, k, v)
                region.save()
            report.regions += 1


def vocabulary_files() -> Iterable[Path]:
    return sorted((FIXTURES / "vocabularies").glob("*.yaml"))


@transaction.atomic
def load_reference(nuts_folder: Path | None = None) -> LoadReport:
    """Vocabularies, the countries, their NUTS regions and the BuiCaSuS consortium.

    Safe to run again: records are updated by code, and unchanged ones are left alone.
    """
    report = LoadReport()
    for path in vocabulary_files():
        load_vocabulary_file(path, report)
    load_countries(FIXTURES / "reference" / "countries.yaml", report)
    folder = nuts_folder or project_path("BUICASUS_NUTS_DIR")
    if folder.is_dir():
        load_nuts_regions(folder, report)
    else:
        report.notes.append(f"{folder} not found: NUTS regions not loaded")
    load_organisations(FIXTURES / "reference" / "consortium.yaml", report)
    return report
