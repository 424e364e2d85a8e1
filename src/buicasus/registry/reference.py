"""Loads vocabularies and reference data (countries, partners, consortium) from YAML fixtures.

Each vocabulary file names its source and version; loading is idempotent (update by key/code)
and runs in one transaction, so a broken file leaves the database as it was.

Vocabularies, terms, countries and NUTS regions are written in bulk (a few statements per
table rather than a few per row, which made every test database and every `make run` wait on
thousands of audited saves) and the audit trail gets one entry per load saying what it
created and updated. The consortium's organisations are registry records that search and the
other listeners must see, so they still go through the ORM one by one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction

from buicasus.config import project_path
from buicasus.core import vocabulary_fields as vf
from buicasus.reference.models import Country, NutsRegion
from buicasus.registry import audit
from buicasus.registry.models import (
    AuditAction,
    Organisation,
    OrganisationIdentifier,
    OrganisationTie,
    Term,
    Vocabulary,
)

FIXTURES = Path(__file__).parent / "fixtures"
LANGUAGES = ("en", "fr", "es", "sv", "lv")
_BATCH = 500

M = TypeVar("M", bound=models.Model)


@dataclass
class LoadReport:
    vocabularies: int = 0
    terms: int = 0
    countries: int = 0
    regions: int = 0
    organisations: int = 0
    ties: int = 0
    notes: list[str] = field(default_factory=list)
    # Rows written in bulk, by model name: [created, updated]; the load's one audit entry.
    written: dict[str, list[int]] = field(default_factory=dict)

    def wrote(self, model: type[models.Model], created: int, updated: int) -> None:
        tally = self.written.setdefault(model._meta.model_name or "", [0, 0])
        tally[0] += created
        tally[1] += updated


def sync_rows(
    model: type[M],
    wanted: Mapping[Hashable, dict[str, Any]],
    existing: Mapping[Hashable, M],
) -> tuple[int, int]:
    """Create the `wanted` rows missing from `existing` and update those whose values differ,
    in bulk. Values are keyed by attribute name (`country_id` for a foreign key), so they are
    compared without fetching related rows. Returns (created, updated).

    Bulk writes send no model signals: callers record the load in the audit trail themselves.
    """
    names = {f.attname: f.name for f in model._meta.concrete_fields}
    new: list[M] = []
    changed: list[M] = []
    columns: set[str] = set()
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            new.append(model(**values))
            continue
        differ = [k for k, v in values.items() if getattr(row, k) != v]
        for k in differ:
            setattr(row, k, values[k])
            columns.add(names[k])
        if differ:
            changed.append(row)
    model._default_manager.bulk_create(new, batch_size=_BATCH)
    if changed:
        model._default_manager.bulk_update(changed, sorted(columns), batch_size=_BATCH)
    return len(new), len(changed)


# libyaml's parser when PyYAML was built with it: same safe subset, several times faster.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader)  # noqa: S506
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


def _vocabulary_doc(path: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """A vocabulary file checked whole: (the vocabulary's values, term code → values)."""
    doc = _read(path)
    _require(doc, path, "key", "names", "source", "version", "terms")
    vocabulary = {
        "key": doc["key"],
        "labels": _labels(doc["names"], f"{path} names"),
        "source": doc["source"],
        "version": str(doc["version"]),
    }
    terms: dict[str, dict[str, Any]] = {}
    for position, term in enumerate(doc["terms"]):
        where = f"{path} term {position + 1}"
        if "code" not in term:
            raise ValidationError(f"{where}: missing code")
        code = str(term["code"])
        terms[code] = {
            "code": code,
            "labels": _labels(term.get("labels", {}), f"{where} ({term['code']})"),
            "definitions": term.get("definitions", {}),
            "position": position,
        }
    return vocabulary, terms


def load_vocabulary_files(paths: Iterable[Path], report: LoadReport) -> None:
    """Vocabularies and their terms, every file checked before anything is written."""
    docs = [_vocabulary_doc(path) for path in paths]
    existing = {v.key: v for v in Vocabulary.objects.filter(key__in=[v["key"] for v, _ in docs])}
    report.wrote(Vocabulary, *sync_rows(Vocabulary, {v["key"]: v for v, _ in docs}, existing))
    ids = dict(
        Vocabulary.objects.filter(key__in=[v["key"] for v, _ in docs]).values_list("key", "pk")
    )
    wanted = {
        (ids[v["key"]], code): {**values, "vocabulary_id": ids[v["key"]]}
        for v, terms in docs
        for code, values in terms.items()
    }
    known = {
        (t.vocabulary_id, t.code): t for t in Term.objects.filter(vocabulary_id__in=ids.values())
    }
    report.wrote(Term, *sync_rows(Term, wanted, known))
    report.vocabularies += len(docs)
    report.terms += len(wanted)


def _term(key: str, code: str) -> Term:
    try:
        return Term.objects.get(vocabulary__key=key, code=code)
    except Term.DoesNotExist as exc:
        raise ValidationError(f"unknown {key} term {code!r}") from exc


def load_countries(path: Path, report: LoadReport) -> None:
    wanted: dict[str, dict[str, Any]] = {}
    for row in _read(path)["countries"]:
        # YAML 1.1 reads a bare NO (Norway) as false: insist on a real two-letter code.
        if not (isinstance(row.get("code"), str) and re.fullmatch(r"[A-Z]{2}", row["code"])):
            code = row.get("code")
            raise ValidationError(f"{path}: {code!r} is not an ISO 3166-1 code (quote it)")
        wanted[row["code"]] = {
            "code": row["code"],
            "names": _labels(row["names"], f"{path} {row['code']}"),
            "official_languages": row.get("official_languages", []),
            "population": row.get("population"),
            "population_year": row.get("population_year"),
        }
    existing = {c.code: c for c in Country.objects.filter(code__in=list(wanted))}
    report.wrote(Country, *sync_rows(Country, wanted, existing))
    report.countries += len(wanted)


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
                "actor_type": _term(
                    vf.vocabulary_of(vf.ORGANISATION, "actor_type"), row["actor_type"]
                ),
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
                scheme=_term(vf.vocabulary_of(vf.IDENTIFIER, "scheme"), ident["scheme"]),
                value=str(ident["value"]),
            )
        by_ref[row["ref"]] = org
        report.organisations += 1
    for tie in doc.get("ties", []):
        OrganisationTie.objects.get_or_create(
            source=by_ref[tie["from"]],
            target=by_ref[tie["to"]],
            tie_type=_term(vf.vocabulary_of(vf.TIE, "tie_type"), tie["type"]),
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
    """NUTS 1–3 regions of the countries in the database, from GISCO GeoJSON files.

    Level by level, so that each level's parents exist (and have ids) before their children.
    """
    countries = dict(Country.objects.values_list("code", "pk"))
    known = {r.code: r for r in NutsRegion.objects.all()}
    for level in (1, 2, 3):
        path = folder / f"NUTS_RG_20M_2021_4326_LEVL_{level}.geojson"
        if not path.exists():
            report.notes.append(f"{path} not found: NUTS level {level} skipped")
            continue
        wanted: dict[str, dict[str, Any]] = {}
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            props = feature["properties"]
            country = countries.get(_NUTS_TO_ISO.get(props["CNTR_CODE"], props["CNTR_CODE"]))
            if country is None:
                continue
            code = props["NUTS_ID"]
            parent = known.get(code[:-1]) if level > 1 else None
            wanted[code] = {
                "code": code,
                "name": props.get("NAME_LATN") or props.get("NUTS_NAME") or code,
                "level": level,
                "country_id": country,
                "parent_id": parent.pk if parent is not None else None,
            }
        report.wrote(NutsRegion, *sync_rows(NutsRegion, wanted, known))
        known.update((r.code, r) for r in NutsRegion.objects.filter(level=level))
        report.regions += len(wanted)


def vocabulary_files() -> Iterable[Path]:
    return sorted((FIXTURES / "vocabularies").glob("*.yaml"))


def _record_load(report: LoadReport) -> None:
    """One audit entry for the whole load, naming what it created and updated per table."""
    changes = {
        name: [None, f"{created} created, {updated} updated"]
        for name, (created, updated) in sorted(report.written.items())
        if created or updated
    }
    if changes:
        audit.record("reference", "load", "Reference data", AuditAction.LOAD, changes)


@transaction.atomic
def load_reference(nuts_folder: Path | None = None) -> LoadReport:
    """Vocabularies, the countries, their NUTS regions and the BuiCaSuS consortium.

    Safe to run again: records are updated by code, and unchanged ones are left alone (a load
    that changes nothing leaves no audit entry).
    """
    report = LoadReport()
    load_vocabulary_files(vocabulary_files(), report)
    load_countries(FIXTURES / "reference" / "countries.yaml", report)
    folder = nuts_folder or project_path("BUICASUS_NUTS_DIR")
    if folder.is_dir():
        load_nuts_regions(folder, report)
    else:
        report.notes.append(f"{folder} not found: NUTS regions not loaded")
    _record_load(report)
    load_organisations(FIXTURES / "reference" / "consortium.yaml", report)
    return report
