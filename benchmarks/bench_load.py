"""Load test: the platform served by gunicorn (several workers) and driven by locust from a
second process on 127.0.0.1, on PostgreSQL and on SQLite, with the figures printed.

    python benchmarks/bench_load.py                    # both backends, 50 users, 60 s each
    BENCH_LOAD_BACKENDS=sqlite python benchmarks/bench_load.py
    BENCH_LOAD_USERS=20 BENCH_LOAD_SECONDS=20 python benchmarks/bench_load.py

Each backend gets its own throw-away instance, as production would run it: DEBUG off, a
generated SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, static files collected. On
PostgreSQL a database `buicasus_load` is created next to `BENCH_LOAD_POSTGRES` (default
postgres://postgres@127.0.0.1:5432/postgres) and dropped at the end; on SQLite the database
lives in a temporary data folder, removed at the end. Data: reference data, the demo data and
synthetic records (`synthetic.py`: `BENCH_LOAD_ORGANISATIONS`, `BENCH_LOAD_INITIATIVES`)
imported through `buicasus import`, then embedded for matching.

The encoder is `BENCH_LOAD_ENCODER` (default `hashing`): embedding a thousand initiatives with
e5 takes minutes on a small machine, and query encoding has its own benchmark
(bench_encoder.py); set `BENCH_LOAD_ENCODER=e5` to serve "find solutions" with the real model.

The mix (benchmarks/load/locustfile.py): dashboard, search, organisation and initiative pages,
the API list and "find solutions" (the /matching/ page, when the matching app serves it).
Prints per request type and overall: requests, failures, requests per second, p50/p95/p99 in
ms, and the machine's load average before and after. Exits non-zero on any failed request.
Statistics are reset once all users are spawned (steady state only).

Not run by the test suite (`make loadtest` runs it). Needs `gunicorn` and `locust`.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

from synthetic import LICENCE, SOURCE, generate_rows  # noqa: E402

BACKENDS = os.environ.get("BENCH_LOAD_BACKENDS", "postgresql,sqlite").split(",")
USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", str(2 * (os.cpu_count() or 1))))
ORGANISATIONS = int(os.environ.get("BENCH_LOAD_ORGANISATIONS", "3000"))
INITIATIVES = int(os.environ.get("BENCH_LOAD_INITIATIVES", "1000"))
POSTGRES = os.environ.get("BENCH_LOAD_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
ENCODER = os.environ.get("BENCH_LOAD_ENCODER", "hashing")
PG_NAME = "buicasus_load"
NEEDS = [
    "Help long-term unemployed people back into work through social enterprises.",
    "Aider les jeunes décrocheurs à reprendre une formation professionnelle.",
    "Apoyo a personas mayores que viven solas en zonas rurales.",
    "Stöd till nyanlända att lära sig svenska och hitta arbete.",
    "Atbalsts jauniešiem bez darba lauku reģionos.",
]
TARGETS_SCRIPT = """
import json
from django.urls import NoReverseMatch, reverse
from buicasus.registry.models import Initiative, Organisation
def ids(model):
    rows = model.objects.filter(published=True).order_by("?").values_list("pk", flat=True)
    return list(rows[:500])
titles = Initiative.objects.filter(published=True).values_list("title", flat=True)[:200]
try:
    reverse("matching:find")
    matching = True
except NoReverseMatch:
    matching = False
print(json.dumps({
    "organisations": ids(Organisation),
    "initiatives": ids(Initiative),
    "words": [t.split()[0] for t in titles if t.split()],
    "matching": matching,
}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(env: dict[str, str], *args: str, capture: bool = False) -> str:
    """Run a `buicasus` command for the instance; stop the benchmark when it fails."""
    started = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "buicasus"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"`buicasus {' '.join(args)}` failed:\n{done.stdout}\n{done.stderr}")
    if not capture:
        print(f"    buicasus {args[0]:<16} {time.perf_counter() - started:6.1f} s", flush=True)
    return done.stdout


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(sql)


def drop_pg_database() -> None:
    pg_admin(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{PG_NAME}' AND pid <> pg_backend_pid()"
    )
    pg_admin(f'DROP DATABASE IF EXISTS "{PG_NAME}"')


def instance_env(backend: str, scratch: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BUICASUS_", "DATABASE_"))}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="buicasus.settings",
        BUICASUS_DATA_DIR=str(scratch),
        BUICASUS_LOG_LEVEL="WARNING",
        BUICASUS_ENCODER=ENCODER,
    )
    if backend == "postgresql":
        env["DATABASE_URL"] = POSTGRES.rsplit("/", 1)[0] + f"/{PG_NAME}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{scratch / 'buicasus.sqlite3'}"
    return env


def set_up(env: dict[str, str], scratch: Path) -> dict[str, Any]:
    """Migrate, load reference, demo and synthetic data, embed, collect static files."""
    run(env, "migrate", "--no-input", "-v", "0")
    run(env, "load-reference")
    run(env, "load-demo")
    records = scratch / "synthetic.jsonl"
    with records.open("w", encoding="utf-8") as out:
        for kind, n in (("organisation", ORGANISATIONS), ("initiative", INITIATIVES)):
            for record in generate_rows(kind, n, seed=7):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    run(env, "import", str(records), "--source", SOURCE, "--licence", LICENCE, "--no-progress")
    run(env, "embed", "-v", "0")
    run(env, "collectstatic", "--no-input", "-v", "0")
    output = run(env, "shell", "-v", "0", "-c", TARGETS_SCRIPT, capture=True)
    targets = json.loads(output.strip().splitlines()[-1])
    targets["needs"] = NEEDS
    return targets


def serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "gunicorn"),
        "buicasus.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={WORKERS}",
        "--timeout=120",
        "--graceful-timeout=5",
        f"--error-logfile={log}",
    ]
    with log.open("ab") as output:  # the app's own log lines (slow requests) go there too
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=output)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit(f"gunicorn did not answer /healthz within 180 s; see {log}")


def warm_up(port: int, targets: dict[str, Any]) -> None:
    """One pass over the pages per worker, so models and the encoder are loaded before timing."""
    base = f"http://127.0.0.1:{port}"
    for _ in range(WORKERS):
        for path in ("/", "/search/?q=social", f"/organisations/{targets['organisations'][0]}/"):
            with urllib.request.urlopen(base + path, timeout=120) as response:
                response.read()


def drive(port: int, targets_file: Path, result: Path) -> int:
    env = {**os.environ, "BENCH_LOAD_TARGETS": str(targets_file)}
    command = [
        str(BIN / "locust"),
        f"--locustfile={HERE / 'load' / 'locustfile.py'}",
        "--headless",
        f"--users={USERS}",
        f"--spawn-rate={max(USERS // 2, 1)}",
        f"--run-time={SECONDS}s",
        f"--host=http://127.0.0.1:{port}",
        f"--json-file={result.with_suffix('')}",  # locust adds the .json
        "--reset-stats",
        "--only-summary",
        "--stop-timeout=10",
        "--loglevel=WARNING",
    ]
    with (result.parent / "locust.log").open("w") as log:
        done = subprocess.run(command, env=env, cwd=ROOT, stdout=log, stderr=log, check=False)
    return done.returncode


def percentile(times: dict[float, int], share: float) -> float:
    """Locust's way: the smallest recorded time with at least `share` of requests at or below."""
    total, seen = sum(times.values()), 0
    for value in sorted(times):
        seen += times[value]
        if seen >= share * total:
            return value
    return 0.0


def figures(result: Path) -> list[dict[str, Any]]:
    """Per request type and overall: count, failures, req/s, p50/p95/p99 (ms)."""
    if not result.is_file():
        log = (result.parent / "locust.log").read_text(encoding="utf-8", errors="replace")
        sys.exit(f"locust wrote no results:\n{log[-3000:]}")
    entries = json.loads(result.read_text(encoding="utf-8"))
    start = min(e["start_time"] for e in entries)
    end = max(e["last_request_timestamp"] or start for e in entries)
    seconds = max(end - start, 1e-9)
    rows, merged = [], Counter[float]()
    for e in sorted(entries, key=lambda e: e["name"]):
        times = {float(k): int(v) for k, v in e["response_times"].items()}
        merged.update(times)
        rows.append((f"{e['method']} {e['name']}", e["num_requests"], e["num_failures"], times))
    total = sum(r[1] for r in rows), sum(r[2] for r in rows)
    rows.append(("all requests", total[0], total[1], dict(merged)))
    return [
        {
            "name": name,
            "requests": n,
            "failures": failed,
            "rps": n / seconds,
            "p50": percentile(times, 0.50),
            "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
        }
        for name, n, failed, times in rows
    ]


def report(backend: str, rows: list[dict[str, Any]], load: tuple[float, float]) -> int:
    print(
        f"\n== {backend}: {USERS} users, {SECONDS} s, gunicorn {WORKERS} sync workers, "
        f"encoder {ENCODER}"
    )
    print(f"{'request':<34} {'n':>7} {'fail':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}")
    for row in rows:
        print(
            f"{row['name'][:34]:<34} {row['requests']:>7} {row['failures']:>5} {row['rps']:>7.1f} "
            f"{row['p50']:>6.0f} {row['p95']:>6.0f} {row['p99']:>6.0f}"
        )
    print(f"(ms; load average {load[0]:.2f} before, {load[1]:.2f} after, {os.cpu_count()} cores)")
    return int(rows[-1]["failures"])


def bench(backend: str) -> int:
    scratch = Path(tempfile.mkdtemp(prefix=f"buicasus-load-{backend}-"))
    env = instance_env(backend, scratch)
    server: subprocess.Popen[bytes] | None = None
    print(f"\n-- setting up {backend} in {scratch}", flush=True)
    try:
        if backend == "postgresql":
            drop_pg_database()
            pg_admin(f'CREATE DATABASE "{PG_NAME}"')
        targets = set_up(env, scratch)
        if not targets["matching"]:
            print("    the matching app serves no /matching/ page: 'match' left out of the mix")
        targets_file = scratch / "targets.json"
        targets_file.write_text(json.dumps(targets), encoding="utf-8")
        port = free_port()
        server = serve(env, port, scratch / "gunicorn.log")
        warm_up(port, targets)
        before = os.getloadavg()[0]
        code = drive(port, targets_file, scratch / "locust.json")
        failures = report(backend, figures(scratch / "locust.json"), (before, os.getloadavg()[0]))
        errors = (scratch / "gunicorn.log").read_text(encoding="utf-8", errors="replace")
        if "Traceback" in errors:
            print(f"server errors logged:\n{errors[-3000:]}")
            failures += 1
        return failures or code
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        if backend == "postgresql":
            drop_pg_database()
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    for tool in ("gunicorn", "locust", "buicasus"):
        if not (BIN / tool).exists():
            sys.exit(f"{tool} is not installed in {BIN}: pip install gunicorn locust")
    bad = sum(bench(backend.strip()) for backend in BACKENDS if backend.strip())
    if bad:
        sys.exit(f"load test: {bad} failed requests or server errors")
    print("\nload test: zero errors")


if __name__ == "__main__":
    main()
