"""Export throughput: records/s per format and the overhead over a bare query + csv.writer.

Builds a synthetic registry of N organisations and N initiatives (each with regions, terms, a
funding, a lead role; a tie per organisation) in the database named by DATABASE_URL (a fresh
one: it is migrated and filled), then times each exporter writing to /dev/null and prints
records/s and peak memory. Usage: DEBUG=true DATABASE_URL=… python bench_export.py [N]
"""

from __future__ import annotations

import csv
import io
import os
import random
import resource
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buicasus.settings")
import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from buicasus.interchange.exporters import EXPORTERS  # noqa: E402
from buicasus.interchange.services import select  # noqa: E402
from buicasus.registry.models import (  # noqa: E402
    Country,
    Funding,
    Initiative,
    InitiativeRole,
    NutsRegion,
    Organisation,
    OrganisationIdentifier,
    OrganisationTie,
    Term,
)

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000


def build(n: int) -> None:
    if Organisation.objects.count() >= n:
        return
    rng = random.Random(7)
    countries = list(Country.objects.all())
    terms = {
        k: list(Term.objects.filter(vocabulary__key=k))
        for k in (
            "actor-type",
            "si-stage",
            "policy-field",
            "sdg",
            "funding-source",
            "initiative-role",
            "tie-type",
            "identifier-scheme",
        )
    }
    regions = {c.pk: list(NutsRegion.objects.filter(country=c, level=3)) for c in countries}
    with transaction.atomic():
        orgs = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Org {i} «ß»",
                    actor_type=rng.choice(terms["actor-type"]),
                    country=(c := rng.choice(countries)),
                    region=rng.choice(regions[c.pk]) if regions[c.pk] else None,
                    city="Rīga",
                    latitude=56.9,
                    longitude=24.1,
                    website="https://example.org",
                    description="Lorem ipsum dolor sit amet " * 8,
                    description_language="en",
                    translations={"fr": {"description": "Texte"}},
                    published=True,
                    source_name="Synthetic",
                    licence="CC0",
                )
                for i in range(n)
            ],
            batch_size=2000,
        )
        OrganisationIdentifier.objects.bulk_create(
            [
                OrganisationIdentifier(
                    organisation=o, scheme=terms["identifier-scheme"][0], value=str(o.pk)
                )
                for o in orgs
            ],
            batch_size=2000,
        )
        inits = Initiative.objects.bulk_create(
            [
                Initiative(
                    title=f"Initiative {i}",
                    description="Lorem ipsum " * 20,
                    description_language="en",
                    country=rng.choice(countries),
                    stage=rng.choice(terms["si-stage"]),
                    published=True,
                    source_name="Synthetic",
                    licence="CC0",
                )
                for i in range(n)
            ],
            batch_size=2000,
        )
        through = Initiative.policy_fields.through
        through.objects.bulk_create(
            [
                through(initiative_id=x.pk, term_id=rng.choice(terms["policy-field"]).pk)
                for x in inits
            ],
            batch_size=5000,
        )
        through = Initiative.sdgs.through
        through.objects.bulk_create(
            [through(initiative_id=x.pk, term_id=rng.choice(terms["sdg"]).pk) for x in inits],
            batch_size=5000,
        )
        Funding.objects.bulk_create(
            [
                Funding(
                    initiative=x,
                    source=rng.choice(terms["funding-source"]),
                    amount=rng.randint(1, 10**6),
                )
                for x in inits
            ],
            batch_size=2000,
        )
        lead = [t for t in terms["initiative-role"] if t.code == "lead"][0]
        InitiativeRole.objects.bulk_create(
            [
                InitiativeRole(organisation=o, initiative=x, role=lead)
                for o, x in zip(orgs, inits, strict=False)
            ],
            batch_size=2000,
        )
        partners = [t for t in terms["tie-type"] if t.code == "partners-with"][0]
        OrganisationTie.objects.bulk_create(
            [
                OrganisationTie(source=orgs[i], target=orgs[i - 1], tie_type=partners)
                for i in range(1, n)
            ],
            batch_size=2000,
        )


def bare() -> tuple[int, float]:
    """The floor: one SELECT per table and csv.writer, no canonical records."""
    started = time.perf_counter()
    sink = io.StringIO()
    writer = csv.writer(sink)
    count = 0
    with connection.cursor() as cursor:
        for table in (
            "registry_organisation",
            "registry_initiative",
            "registry_initiativerole",
            "registry_organisationtie",
        ):
            cursor.execute(f"SELECT * FROM {table}")
            while rows := cursor.fetchmany(2000):
                writer.writerows(rows)
                count += len(rows)
                sink.seek(0)
                sink.truncate()
    return count, time.perf_counter() - started


def run(name: str, kind: str) -> tuple[int, float, int, float]:
    selection = select(None, kind)
    total = [0]
    selection.progress = lambda k: total.__setitem__(0, total[0] + k)
    started = time.perf_counter()
    size = 0
    for block in EXPORTERS[name].write(selection):
        size += len(block)
    seconds = time.perf_counter() - started
    return total[0], seconds, size, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    t = time.perf_counter()
    build(N)
    print(
        f"database {connection.vendor}; {N:,} organisations + {N:,} initiatives "
        f"(+ roles, ties, fundings, identifiers) built in {time.perf_counter() - t:.0f} s"
    )
    count, seconds = bare()
    floor = count / seconds
    print(f"bare SELECT + csv.writer: {count:,} rows in {seconds:.2f} s = {floor:,.0f} rows/s")
    names = os.environ.get("FORMATS", "csv,jsonl,json,hsds,popolo,kumu,gexf,graphml,jsonld,xlsx")
    for name in names.split(","):
        kind = "organisations" if name == "csv" else "registry"
        records, seconds, size, peak = run(name, kind)
        rate = records / seconds
        print(
            f"{name:8} {kind:13} {records:>9,} records {seconds:7.2f} s {rate:>9,.0f} rec/s "
            f"{size / 2**20:8.1f} MiB  max RSS so far {peak:6.0f} MiB  "
            f"bare/ours {floor / rate:5.1f}x"
        )
    print(f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
