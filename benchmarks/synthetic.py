"""Synthetic registry data for benchmarks, resampled from the real rows in ../shared/data.

`generate_rows(kind, n, seed)` yields `n` canonical records (docs/import-format.md) of kind
`organisation`, `initiative` or `role`. Each record mixes fields drawn from different real rows
— a name from one beneficiary list, a city and coordinates from another organisation, a
description from a third — so texts, lengths and languages are realistic while no record is a
real one. Import them under `SOURCE` so they stay apart from real data.

The real files are read once per process (about a second). When they are missing the module
still works from a small built-in pool, so a benchmark never fails for want of data.

Run it to print a few records: `python benchmarks/synthetic.py organisation 3`.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

SOURCE = "synthetic benchmark (resampled)"
LICENCE = "Synthetic records resampled from the open data sets in ../shared/data; not real."
DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
COUNTRIES = ("ES", "FR", "LV", "SE")
LANGUAGES = {"ES": "es", "FR": "fr", "LV": "lv", "SE": "sv"}
ACTOR_TYPES = (
    "association-ngo",
    "social-enterprise",
    "cooperative",
    "foundation",
    "municipality-region",
    "public-agency",
    "university-research",
    "private-company",
    "support-intermediary",
    "network-federation",
    "funder-investor",
    "unclassified",
)
SIZE_BANDS = ("micro", "small", "medium", "large", "")
STAGES = ("idea", "invention", "implementation", "testing", "impact", None)
EVIDENCE = ("innovation", "promising-practice", "good-practice", "best-practice", None)
POLICY_FIELDS = (
    "education",
    "employment",
    "environment-climate",
    "energy",
    "transport-mobility",
    "health-social-care",
    "poverty-sustainable-development",
)
TARGET_GROUPS = ("unemployed", "young-people", "older-people", "migrants-foreign-background")
ESF_OBJECTIVES = tuple("abcdefghijklm")
FUNDS = ("esf", "erdf", "easi", "national", "regional")
ROLES = ("lead", "partner", "funder", "mentor", "evaluator")


def _csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def pools() -> dict[str, Any]:
    """Value pools from the real data (or a tiny fallback), built once per process."""
    operations = _csv(DATA / "eu-structural-funds-2016" / "operations.csv")
    dsi_orgs = _csv(DATA / "dsi4eu-2017" / "organisations.csv")
    dsi_projects = _csv(DATA / "dsi4eu-2017" / "projects.csv")
    ess = _csv(DATA / "ess-france-numerique" / "ess_numerique_consolidated.csv")
    names = [r["beneficiary"] for r in operations if r.get("beneficiary")]
    names += [r["name"] for r in dsi_orgs if r.get("name")]
    names += [r["denomination"] for r in ess if r.get("denomination")]
    titles = [r["operation_name"] for r in operations if r.get("operation_name")]
    titles += [r["name"] for r in dsi_projects if r.get("name")]
    descriptions = [r["description"] for r in operations if len(r.get("description", "")) > 40]
    descriptions += [
        r["long_description"] for r in dsi_projects if len(r.get("long_description", "")) > 40
    ]
    descriptions += [
        r["long_description"] for r in dsi_orgs if len(r.get("long_description", "")) > 40
    ]
    cities = [r["region"] for r in dsi_orgs if r.get("region")]
    cities += [r["commune"].title() for r in ess if r.get("commune")]
    websites = [r["website"] for r in dsi_orgs if r.get("website", "").startswith("http")]
    websites += [r["site_web"] for r in ess if r.get("site_web", "").startswith("http")]
    points = [
        (float(r["latitude"]), float(r["longitude"]))
        for r in dsi_orgs
        if r.get("latitude") and r.get("longitude")
    ]
    amounts = [r["amount"] for r in operations if r.get("amount")]
    dates = [
        (r["start_date"], r["end_date"])
        for r in operations
        if r.get("start_date") and r.get("end_date") and r["start_date"] <= r["end_date"]
    ]
    years = [r["start_date"][:4] for r in dsi_orgs if r.get("start_date", "")[:2] in ("19", "20")]
    legal_forms = [
        "Association déclarée",
        "SAS, société par actions simplifiée",
        "Sociedad limitada",
        "Biedrība",
        "Ekonomisk förening",
    ]
    return {
        "names": names or ["Asociación Ejemplo", "Föreningen Exempel", "Biedrība Piemērs"],
        "titles": titles or ["Inclusión laboral", "Projekt för unga", "Atelier numérique"],
        "descriptions": descriptions or ["A project that helps people back into work."],
        "cities": cities or ["Paris", "Madrid", "Rīga", "Göteborg"],
        "websites": websites or ["https://example.org"],
        "points": points or [(48.85, 2.35), (40.42, -3.70), (56.95, 24.11), (57.71, 11.97)],
        "amounts": amounts or ["12500.00"],
        "dates": dates or [("2016-01-01", "2018-12-31")],
        "years": years or ["2004"],
        "legal_forms": legal_forms,
        "regions": _regions(),
    }


def _regions() -> dict[str, list[str]]:
    """NUTS 3 codes per country, from the GISCO file the registry loads its regions from."""
    path = DATA / "nuts-2021-geojson" / "NUTS_RG_20M_2021_4326_LEVL_3.geojson"
    found: dict[str, list[str]] = {code: [] for code in COUNTRIES}
    if path.is_file():
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            props = feature["properties"]
            if props["CNTR_CODE"] in found:
                found[props["CNTR_CODE"]].append(props["NUTS_ID"])
    return found


def organisation(i: int, rng: random.Random) -> dict[str, Any]:
    """One organisation record mixing fields of several real rows."""
    p = pools()
    country = COUNTRIES[i % len(COUNTRIES)]
    fields: dict[str, Any] = {
        "name": rng.choice(p["names"])[:280],
        "actor_type": rng.choice(ACTOR_TYPES),
        "country": country,
        "city": rng.choice(p["cities"])[:200],
        "legal_form": rng.choice(p["legal_forms"]),
        "size_band": rng.choice(SIZE_BANDS),
        "published": True,
    }
    if rng.random() < 0.5 and p["regions"][country]:
        fields["region"] = rng.choice(p["regions"][country])
    if rng.random() < 0.4:
        fields["website"] = rng.choice(p["websites"])
    if rng.random() < 0.3:
        fields["description"] = rng.choice(p["descriptions"])
        fields["description_language"] = LANGUAGES[country]
    if rng.random() < 0.3:
        fields["latitude"], fields["longitude"] = rng.choice(p["points"])
    if rng.random() < 0.3:
        fields["founding_year"] = int(rng.choice(p["years"]))
    record: dict[str, Any] = {
        "kind": "organisation",
        "source_id": f"syn-org-{i}",
        "row": i + 2,
        "fields": fields,
    }
    if country == "FR" and rng.random() < 0.5:
        record["identifiers"] = [{"scheme": "fr-siren", "value": f"9{i:08d}"}]
    return record


def initiative(i: int, rng: random.Random) -> dict[str, Any]:
    """One initiative record mixing fields of several real rows."""
    p = pools()
    country = COUNTRIES[i % len(COUNTRIES)]
    start, end = rng.choice(p["dates"])
    fields: dict[str, Any] = {
        "title": rng.choice(p["titles"])[:400],
        "description": rng.choice(p["descriptions"]),
        "description_language": LANGUAGES[country],
        "country": country,
        "stage": rng.choice(STAGES),
        "evidence_level": rng.choice(EVIDENCE),
        "policy_fields": rng.sample(POLICY_FIELDS, rng.randint(0, 2)),
        "target_groups": rng.sample(TARGET_GROUPS, rng.randint(0, 2)),
        "esf_objectives": rng.sample(ESF_OBJECTIVES, rng.randint(0, 1)),
        "sdgs": [str(n) for n in rng.sample(range(1, 18), rng.randint(0, 2))],
        "start_date": start,
        "end_date": end,
        "published": True,
    }
    if p["regions"][country]:
        fields["regions"] = [rng.choice(p["regions"][country])]
    return {
        "kind": "initiative",
        "source_id": f"syn-init-{i}",
        "row": i + 2,
        "fields": fields,
        "fundings": [{"source": rng.choice(FUNDS), "amount": rng.choice(p["amounts"])}],
    }


def role(i: int, rng: random.Random, n: int) -> dict[str, Any]:
    """A role between synthetic organisation and initiative records (of the same `n`)."""
    org, init = rng.randrange(n), rng.randrange(n)
    kind = ROLES[i % len(ROLES)]
    return {
        "kind": "role",
        "source_id": f"syn-role-{i}",
        "row": i + 2,
        "organisation": f"syn-org-{org}",
        "initiative": f"syn-init-{init}",
        "role": kind,
    }


def generate_rows(kind: str, n: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """`n` canonical records of `kind` (organisation, initiative or role), reproducible by seed.

    Ids are `syn-org-<i>`, `syn-init-<i>`, `syn-role-<i>`; roles link records of the first `n`
    organisations and initiatives, so generate those with the same `n`.
    """
    rng = random.Random(f"{kind}:{seed}")
    for i in range(n):
        if kind == "organisation":
            yield organisation(i, rng)
        elif kind == "initiative":
            yield initiative(i, rng)
        elif kind == "role":
            yield role(i, rng, n)
        else:
            raise ValueError(f"unknown kind {kind!r}: organisation, initiative or role")


if __name__ == "__main__":
    wanted = sys.argv[1] if len(sys.argv) > 1 else "organisation"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    for record in generate_rows(wanted, count):
        print(json.dumps(record, ensure_ascii=False))
