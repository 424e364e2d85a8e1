"""Import throughput: canonical organisation records through `import_records`, against a bare
`executemany` of the same rows into a plain table in the same run (our overhead).

    python benchmarks/bench_import.py                 # 100,000 organisations on SQLite
    BENCH_IMPORT_ROWS=1000000 python benchmarks/bench_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python benchmarks/bench_import.py

Works on a throw-away database: a SQLite file in a temporary folder, or on PostgreSQL a
database `bench_import_<pid>` created next to DATABASE_URL's and dropped at the end. Records
come from `synthetic.generate_rows` (real rows resampled) and are generated before timing.
Prints rows/s for a first import, a re-import with nothing changed, a dry run, the bare insert,
the ratio, and peak memory (resident set size, which includes the pre-generated records).
Target (issue 3): ≥ 20,000 rows/s on SQLite.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROWS = min(int(os.environ.get("BENCH_IMPORT_ROWS", "100000")), 1_000_000)
SCRATCH = Path(tempfile.mkdtemp(prefix="buicasus-bench-import-"))
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("BUICASUS_DATA_DIR", str(SCRATCH))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buicasus.settings")
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
os.environ["BUICASUS_TEST_DATABASE"] = (
    f"bench_import_{os.getpid()}" if POSTGRES else str(SCRATCH / "bench.sqlite3")
)
sys.path.insert(0, str(Path(__file__).resolve().parent))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from synthetic import LICENCE, SOURCE, generate_rows  # noqa: E402

PLAIN_COLUMNS = (
    "name",
    "actor_type",
    "country",
    "region",
    "city",
    "legal_form",
    "size_band",
    "website",
    "description",
    "description_language",
    "latitude",
    "longitude",
    "founding_year",
    "identifiers",
    "source_id",
)


def peak_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(call: Any) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process, result). The machine may be shared: CPU
    time counts the work done, wall time also the waiting for a core."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def bare_insert(records: list[dict]) -> tuple[float, float]:
    """Wall and CPU seconds to insert the same rows with one `executemany` on the driver's
    own cursor, into a plain table without indexes."""
    columns = ", ".join(f"{c} TEXT" for c in PLAIN_COLUMNS)
    mark = "?" if connection.vendor == "sqlite" else "%s"
    sql = f"INSERT INTO bench_plain VALUES ({', '.join([mark] * len(PLAIN_COLUMNS))})"
    rows = []
    for record in records:
        fields = record["fields"]
        values = [fields.get(c) for c in PLAIN_COLUMNS[:-2]]
        values.append(json.dumps(record.get("identifiers", [])))
        values.append(record["source_id"])
        rows.append(tuple(None if v is None else str(v) for v in values))
    connection.ensure_connection()
    raw = connection.connection
    cursor = raw.cursor()
    cursor.execute("DROP TABLE IF EXISTS bench_plain")
    cursor.execute(f"CREATE TABLE bench_plain ({columns})")
    raw.commit()

    def insert() -> None:
        if connection.vendor == "sqlite":
            cursor.execute("BEGIN")  # Django's connection autocommits otherwise: a sync per row
        cursor.executemany(sql, rows)
        raw.commit()

    wall, cpu, _none = timed(insert)
    cursor.execute("DROP TABLE bench_plain")
    raw.commit()
    return wall, cpu


def main() -> None:
    from buicasus.importer import services
    from buicasus.importer.services import import_records
    from buicasus.registry.reference import load_reference

    indexing = {"wall": 0.0, "cpu": 0.0}
    reindex = services._reindex

    def timed_reindex(changed: Any) -> None:
        wall, cpu, _none = timed(lambda: reindex(changed))
        indexing["wall"] += wall
        indexing["cpu"] += cpu

    services._reindex = timed_reindex  # measure the search app's share apart
    backend = connection.vendor
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        load_reference()
        started = time.perf_counter()
        records = list(generate_rows("organisation", ROWS, seed=1))
        generated = time.perf_counter() - started
        before = peak_mb()
        print(f"== import of {ROWS:,} synthetic organisations on {backend}")
        print(f"generated in {generated:.1f} s; peak memory before importing {before:.0f} MB")

        bare, bare_cpu = bare_insert(records)
        print(
            f"bare executemany:      {ROWS / bare:>10,.0f} rows/s  ({bare:.2f} s wall, "
            f"{ROWS / bare_cpu:,.0f} rows/s by CPU time)"
        )
        first, first_cpu, report = timed(
            lambda: import_records(records, source=SOURCE, licence=LICENCE)
        )
        print(
            f"import (new records):  {ROWS / first:>10,.0f} rows/s  ({first:.2f} s wall, "
            f"{ROWS / first_cpu:,.0f} rows/s by CPU time)  ratio to bare {first / bare:.1f}× "
            f"wall, {first_cpu / bare_cpu:.1f}× CPU  [{report.new:,} new, {report.invalid} invalid]"
        )
        print(
            f"  of which search indexing (search app): {indexing['wall']:.2f} s wall, "
            f"{indexing['cpu']:.2f} s CPU; without it {ROWS / (first - indexing['wall']):,.0f} "
            f"rows/s wall, {ROWS / (first_cpu - indexing['cpu']):,.0f} rows/s by CPU time"
        )
        again, again_cpu, report = timed(
            lambda: import_records(records, source=SOURCE, licence=LICENCE)
        )
        print(
            f"re-import, unchanged:  {ROWS / again:>10,.0f} rows/s  ({again:.2f} s wall, "
            f"{ROWS / again_cpu:,.0f} rows/s by CPU time)  [{report.unchanged:,} unchanged]"
        )
        tenth = records[: ROWS // 10]
        dry, dry_cpu, report = timed(
            lambda: import_records(tenth, source=SOURCE + " (dry)", dry_run=True)
        )
        print(
            f"dry run (10 %):        {len(tenth) / dry:>10,.0f} rows/s  ({dry:.2f} s wall, "
            f"{len(tenth) / dry_cpu:,.0f} rows/s by CPU time)"
        )
        print(f"peak memory: {peak_mb():.0f} MB (records alone: {before:.0f} MB)")
        print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        if backend == "sqlite":
            verdict = "met" if ROWS / first >= 20_000 else "MISSED (wall clock)"
            print(f"target ≥ 20,000 rows/s on SQLite: {verdict}")
    finally:
        connection.creation.destroy_test_db(
            connection.settings_dict["NAME"], verbosity=0, keepdb=False
        )


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    main()
