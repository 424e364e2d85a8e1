"""Build time of the mapping report (HTML and PDF) at demo size and on a larger synthetic registry.

Runs on a throw-away SQLite database in a temporary folder (or on DATABASE_URL when set to a
scratch PostgreSQL database): migrates, loads the reference and demo data, times the reports,
then adds synthetic organisations (BENCH_ORGS, default 20,000, spread over ES/FR/LV/SE),
initiatives, roles and ties, and times them again. "cold" is the first build after the data
changed (the network app recomputes its cached snapshot then); "warm" the median of the next
runs. The target is under 10 s for a country's report.

    .venv/bin/python benchmarks/bench_report.py            # BENCH_ORGS=20000 BENCH_RUNS=3
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("DEBUG", "true")
if "BUICASUS_DATA_DIR" not in os.environ:
    os.environ["BUICASUS_DATA_DIR"] = tempfile.mkdtemp(prefix="buicasus-bench-report-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buicasus.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402
from tqdm import tqdm  # noqa: E402

from buicasus.registry.models import (  # noqa: E402
    Country,
    Initiative,
    InitiativeRole,
    NutsRegion,
    Organisation,
    OrganisationTie,
    Term,
)
from buicasus.reports import services  # noqa: E402

ORGS = int(os.environ.get("BENCH_ORGS", "20000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
COUNTRIES = ("ES", "FR", "LV", "SE")
SOURCE = "synthetic report benchmark"
LICENCE = "Synthetic records, not real."


def timed(build: Callable[[], bytes]) -> tuple[float, float, int]:
    """Cold seconds, median warm seconds, size in bytes."""
    started = time.perf_counter()
    data = build()
    cold = time.perf_counter() - started
    warm = []
    for _ in range(max(RUNS - 1, 1)):
        started = time.perf_counter()
        build()
        warm.append(time.perf_counter() - started)
    return cold, statistics.median(warm), len(data)


def measure(label: str) -> None:
    orgs = Organisation.objects.count()
    inits = Initiative.objects.count()
    print(f"\n{label}: {orgs:,} organisations, {inits:,} initiatives in the registry", flush=True)
    print(f"{'report':<34} {'format':<6} {'cold s':>8} {'warm s':>8} {'size':>10}", flush=True)
    cases = [
        ("LV, lv", ["LV"], "lv"),
        ("FR, fr", ["FR"], "fr"),
        ("transnational ES FR LV SE, en", list(COUNTRIES), "en"),
    ]
    for name, codes, lang in cases:
        for fmt in services.FORMATS:
            cold, warm, size = timed(
                lambda c=codes, la=lang, f=fmt: services.build_mapping(None, c, la, f)
            )
            flag = "" if max(cold, warm) < 10 else "  ← over 10 s"
            print(f"{name:<34} {fmt:<6} {cold:8.2f} {warm:8.2f} {size:>10,}{flag}", flush=True)


def grow(total: int) -> None:
    """Add synthetic organisations up to `total` (bulk: no per-record signals), one initiative
    per four organisations with stage, evidence and fields, two roles per initiative and one
    tie per two organisations."""
    rng = random.Random(total)
    countries = {c.code: c for c in Country.objects.filter(code__in=COUNTRIES)}
    regions: dict[str, list[NutsRegion]] = {c: [] for c in COUNTRIES}
    for region in NutsRegion.objects.filter(level=3, country__code__in=COUNTRIES):
        regions[region.country.code].append(region)

    def terms(key: str) -> list[Term]:
        return list(Term.objects.filter(vocabulary__key=key))

    types, stages, levels, fields = (
        terms("actor-type"),
        terms("si-stage"),
        terms("evidence-level"),
        terms("policy-field"),
    )
    roles, ties = terms("initiative-role"), terms("tie-type")
    have = Organisation.objects.filter(source_name=SOURCE).count()
    if have >= total:
        return  # already grown (a re-run on the same BUICASUS_DATA_DIR)
    new_orgs = []
    for i in tqdm(range(have, total), desc="organisations", leave=False):
        code = COUNTRIES[i % 4]
        new_orgs.append(
            Organisation(
                name=f"Synthetic organisation {i}",
                actor_type=rng.choice(types),
                country=countries[code],
                region=rng.choice(regions[code]) if i % 5 else None,
                published=i % 10 != 0,
                source_name=SOURCE,
                licence=LICENCE,
            )
        )
    Organisation.objects.bulk_create(new_orgs, batch_size=2000)
    org_ids: dict[str, list[int]] = {
        c: list(
            Organisation.objects.filter(source_name=SOURCE, country__code=c).values_list(
                "pk", flat=True
            )
        )
        for c in COUNTRIES
    }
    new_inits = [
        Initiative(
            title=f"Synthetic initiative {i}",
            country=countries[COUNTRIES[i % 4]],
            stage=rng.choice(stages),
            evidence_level=rng.choice(levels) if i % 3 else None,
            published=i % 10 != 0,
            source_name=SOURCE,
            licence=LICENCE,
        )
        for i in range(total // 4)
    ]
    created = Initiative.objects.bulk_create(new_inits, batch_size=2000)
    through = Initiative.policy_fields.through
    through.objects.bulk_create(
        [through(initiative_id=init.pk, term_id=rng.choice(fields).pk) for init in created],
        batch_size=5000,
        ignore_conflicts=True,
    )
    role_rows = []
    for n, init in enumerate(created):
        code = COUNTRIES[n % 4]
        partner_country = COUNTRIES[(n + 1) % 4] if n % 7 == 0 else code
        role_rows.append(
            InitiativeRole(
                organisation_id=rng.choice(org_ids[code]), initiative=init, role=roles[0]
            )
        )
        role_rows.append(
            InitiativeRole(
                organisation_id=rng.choice(org_ids[partner_country]),
                initiative=init,
                role=roles[1],
            )
        )
    InitiativeRole.objects.bulk_create(role_rows, batch_size=5000, ignore_conflicts=True)
    tie_rows = []
    for code in COUNTRIES:
        ids = org_ids[code]
        for _ in range(len(ids) // 2):
            source, target = rng.sample(ids, 2)
            tie_rows.append(
                OrganisationTie(source_id=source, target_id=target, tie_type=rng.choice(ties))
            )
    OrganisationTie.objects.bulk_create(tie_rows, batch_size=5000, ignore_conflicts=True)


def main() -> None:
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})", flush=True)
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    try:
        call_command("load_demo", verbosity=0)
    except Exception as exc:  # another app's demo may fail; the registry's is what we need
        print(f"(load-demo stopped early: {exc}; registry demo only)", flush=True)
        from buicasus.registry.demo import load_demo

        load_demo()
    started = time.perf_counter()
    reverse("reports:index")  # imports every app's URLs and views once, as a server has
    print(f"Process warm-up (URLconf import): {time.perf_counter() - started:.1f} s", flush=True)
    measure("Demo size")
    grow(ORGS)
    measure(f"Synthetic registry (BENCH_ORGS={ORGS:,})")


if __name__ == "__main__":
    main()
