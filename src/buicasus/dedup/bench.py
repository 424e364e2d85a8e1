"""Deduplication benchmark: candidate generation at scale, pure and through the database.

    python -m buicasus.dedup.bench [--rows 1000000] [--db-rows 200000] [--skip-db]

1. **Pure**: `--rows` synthetic organisations (`synthetic.py`, resampled from the real data with
   3 % planted duplicates) through `core.dedup` as `find-duplicates` runs it: identifier pairs
   over all, name-and-place pairs country by country. Prints pairs examined per second, the
   candidates, how many planted duplicates were found (recall), and the peak memory.
2. **Database**: `--db-rows` of them written to a scratch database (a throw-away SQLite file, or
   DATABASE_URL when it names a scratch PostgreSQL database: it is filled, not emptied), then
   `find_duplicates` without and with automatic merging. Prints pairs/s end to end, its ratio to
   the pure run on the same rows (the cost of reading and writing), and merges per second.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections import defaultdict
from typing import Any

from buicasus.core import dedup as core
from buicasus.core import dedup_blocking as blocking
from buicasus.core import vocabulary_fields as vf
from buicasus.dedup import synthetic


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pure(rows: int) -> dict[str, Any]:
    sources = synthetic.load_sources()
    started = time.perf_counter()
    by_country: dict[str, list[core.Prepared]] = defaultdict(list)
    planted: set[tuple[int, int]] = set()
    for record, original in synthetic.generate(rows, sources):
        by_country[record.country].append(core.prepare(record))
        if original is not None:
            planted.add((original, record.id))
    prepared = time.perf_counter()
    cpu = time.process_time()
    stats = blocking.Stats()
    thresholds = core.Thresholds()
    found: dict[tuple[int, int], core.Candidate] = {}
    keys = (
        (r.id, [k for ks in r.keys.values() for k in ks])
        for records in by_country.values()
        for r in records
    )
    for cand in blocking.identifier_candidates(keys, stats):
        found[(cand.a, cand.b)] = cand
    for records in by_country.values():
        for cand in blocking.name_candidates(records, thresholds, skip=set(found), stats=stats):
            found[(cand.a, cand.b)] = cand
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    hits = planted & set(found)
    decisions = defaultdict(int)
    for cand in found.values():
        decisions[cand.decision] += 1
    compare = done - prepared
    return {
        "rows": rows,
        "prepare_s": prepared - started,
        "compare_s": compare,
        "examined": stats.examined,
        "pairs_per_s": stats.examined / compare if compare else 0.0,
        "cpu_s": cpu,
        "pairs_per_cpu_s": stats.examined / cpu if cpu else 0.0,
        "identifier_pairs": stats.identifier_pairs,
        "blocks": stats.blocks,
        "windowed_blocks": stats.windowed_blocks,
        "certain": decisions["certain"],
        "review": decisions["review"],
        "planted": len(planted),
        "recall": len(hits) / len(planted) if planted else 1.0,
        "planted_share": len(hits) / len(found) if found else 0.0,
        "peak_mb": peak_mb(),
    }


def _setup_django() -> None:
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("BUICASUS_DATA_DIR", tempfile.mkdtemp(prefix="buicasus-dedup-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buicasus.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from buicasus.registry.reference import load_reference

    call_command("migrate", run_syncdb=True, verbosity=0)
    load_reference()


def _fill(rows: int) -> None:
    from buicasus.reference.models import Country
    from buicasus.registry.models import Organisation, OrganisationIdentifier, Term

    countries = {c.code: c for c in Country.objects.all()}
    schemes = {
        t.code: t
        for t in Term.objects.filter(vocabulary__key=vf.vocabulary_of(vf.IDENTIFIER, "scheme"))
    }
    actor = Term.objects.get(
        vocabulary__key=vf.vocabulary_of(vf.ORGANISATION, "actor_type"), code="unclassified"
    )
    start = (Organisation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    seen: set[tuple[str, str]] = set()
    orgs: list[Organisation] = []
    idents: list[OrganisationIdentifier] = []
    records = synthetic.generate(rows, synthetic.load_sources())
    for record, _original in records:
        pk = start + record.id
        orgs.append(
            Organisation(
                pk=pk,
                name=record.name[:300],
                country=countries[record.country],
                city=record.city[:200],
                actor_type=actor,
                source_name="benchmark (synthetic)",
            )
        )
        for scheme, value in record.identifiers:
            if (scheme, value) not in seen:
                seen.add((scheme, value))
                idents.append(
                    OrganisationIdentifier(organisation_id=pk, scheme=schemes[scheme], value=value)
                )
        if len(orgs) >= 5000:
            Organisation.objects.bulk_create(orgs)
            OrganisationIdentifier.objects.bulk_create(idents)
            orgs, idents = [], []
    Organisation.objects.bulk_create(orgs)
    OrganisationIdentifier.objects.bulk_create(idents)


def database(rows: int) -> dict[str, Any]:
    _setup_django()
    from django.db import connection

    from buicasus.dedup.finding import find_duplicates
    from buicasus.dedup.models import CandidatePair

    started = time.perf_counter()
    _fill(rows)
    filled = time.perf_counter()
    queued = find_duplicates(auto_merge=False)
    merged = find_duplicates(auto_merge=True)
    return {
        "vendor": connection.vendor,
        "rows": rows,
        "fill_s": filled - started,
        "find_s": queued.seconds,
        "examined": queued.examined,
        "pairs_per_s": queued.pairs_per_second,
        "queued": queued.queued,
        "certain": queued.certain,
        "merge_s": merged.seconds,
        "merged": merged.merged,
        "merges_per_s": merged.merged / merged.seconds if merged.seconds else 0.0,
        "pending_after": CandidatePair.objects.filter(status="pending").count(),
        "peak_mb": peak_mb(),
    }


def _print_pure(figures: dict[str, Any]) -> None:
    print(
        f"pure, {figures['rows']:,} organisations: prepared in {figures['prepare_s']:.1f} s; "
        f"{figures['examined']:,} pairs examined in {figures['compare_s']:.1f} s = "
        f"{figures['pairs_per_s']:,.0f} pairs/s (CPU {figures['cpu_s']:.1f} s = "
        f"{figures['pairs_per_cpu_s']:,.0f} pairs per CPU second; {figures['blocks']:,} blocks, "
        f"{figures['windowed_blocks']} windowed); {figures['identifier_pairs']:,} identifier "
        f"pairs; candidates: {figures['certain']:,} certain, {figures['review']:,} for review; "
        f"planted duplicates found: {figures['recall']:.1%} of {figures['planted']:,} "
        f"({figures['planted_share']:.1%} of all candidates are planted ones); "
        f"peak memory {figures['peak_mb']:,.0f} MB"
    )
    sys.stdout.flush()


def _print_db(baseline: dict[str, Any], db: dict[str, Any]) -> None:
    ratio = baseline["pairs_per_s"] / db["pairs_per_s"] if db["pairs_per_s"] else float("inf")
    print(
        f"{db['vendor']}, {db['rows']:,} organisations written in {db['fill_s']:.1f} s; "
        f"find-duplicates --no-auto-merge: {db['examined']:,} pairs in {db['find_s']:.1f} s = "
        f"{db['pairs_per_s']:,.0f} pairs/s end to end (pure on the same rows "
        f"{baseline['pairs_per_s']:,.0f} pairs/s: ×{ratio:.2f} for the database); "
        f"{db['queued']:,} queued, {db['certain']:,} certain; then --auto-merge: "
        f"{db['merged']:,} merged in {db['merge_s']:.1f} s = {db['merges_per_s']:.1f} merges/s; "
        f"{db['pending_after']:,} pairs left for review; peak memory {db['peak_mb']:,.0f} MB"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    rows = int(os.environ.get("BENCH_DEDUP_ROWS", "1000000"))
    db_rows = int(os.environ.get("BENCH_DEDUP_DB_ROWS", "200000"))
    parser.add_argument("--rows", type=int, default=rows)
    parser.add_argument("--db-rows", type=int, default=db_rows)
    parser.add_argument("--skip-db", action="store_true")
    parser.add_argument("--skip-pure", action="store_true", help="only the database part")
    args = parser.parse_args(argv)
    if not args.skip_pure:
        _print_pure(pure(args.rows))
    if args.skip_db:
        return
    baseline = pure(args.db_rows)
    db = database(args.db_rows)
    _print_db(baseline, db)


if __name__ == "__main__":
    main()
