"""Search at scale: N organisations + N initiatives resampled from the real data, 200 realistic
queries, latency percentiles of our search against the bare full-text query in the same run.

    .venv/bin/python benchmarks/bench_search.py                 # N = 100,000, SQLite
    .venv/bin/python benchmarks/bench_search.py --n 1000000     # the issue's target
    .venv/bin/python benchmarks/bench_search.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python benchmarks/bench_search.py --db /tmp/s.sqlite3   # keep (and reuse) the data

Records come from `benchmarks/synthetic.py` (`generate_rows`) when it exists, else from the small
resampler below, which draws rows of ../shared/data (EU structural-funds operations and their
beneficiaries, DSI4EU projects and organisations, French ESS organisations). Facet codes the
sources lack (stage, evidence, SDGs …) are drawn at random; 85 % of records are published and
approved, the rest unpublished or proposed, so that visibility has work to do. Rows go straight
into the registry tables with `executemany`; the index is then built with `reindex`.

Queries are words of the real texts (one dataset, then one row, then one or two words of four
letters or more; sometimes a prefix or a two-word phrase), with 0–3 facet filters whose values
are drawn from the index. Each query runs as an anonymous reader. Printed: p50/p95/p99 in ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="records of each kind")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20160711)
    parser.add_argument("--db", help="SQLite file to build (reused when already built)")
    parser.add_argument("--postgres", help="server URL; a scratch database is created on it")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    return parser.parse_args()


ARGS = _arguments()
os.environ.update(DEBUG="false", SECRET_KEY="benchmark-only-not-secret", ALLOWED_HOSTS="testserver")
os.environ.setdefault("BUICASUS_DATA_DIR", tempfile.mkdtemp(prefix="buicasus-bench-search-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buicasus.settings")
PG_NAME = "buicasus_bench_search"
if ARGS.postgres:
    import psycopg

    with psycopg.connect(ARGS.postgres, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_NAME]).fetchone()
        if exists and not ARGS.keep:
            admin.execute(f"DROP DATABASE {PG_NAME}")
        if not exists or not ARGS.keep:
            admin.execute(f"CREATE DATABASE {PG_NAME}")
    os.environ["DATABASE_URL"] = ARGS.postgres.rsplit("/", 1)[0] + "/" + PG_NAME
else:
    path = Path(ARGS.db) if ARGS.db else Path(os.environ["BUICASUS_DATA_DIR"]) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{path.resolve()}"
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

import csv  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from typing import Any  # noqa: E402

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from buicasus.core.search_query import STOPWORDS, fold, parse_query, to_fts5, to_tsquery  # noqa: E402
from buicasus.reference.models import Country, NutsRegion  # noqa: E402
from buicasus.registry.models import Funding, Initiative, Organisation, Term  # noqa: E402
from buicasus.registry.reference import load_reference  # noqa: E402
from buicasus.search import combos, indexing, services  # noqa: E402
from buicasus.search.facets import FACETS, TAG_NAMES, TAGS  # noqa: E402
from buicasus.search.models import SearchDocument  # noqa: E402
from buicasus.search.params import SearchParams  # noqa: E402
from buicasus.search.results import search_results  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
csv.field_size_limit(1 << 30)
CHUNK = 5_000


# --- the real rows --------------------------------------------------------------------------


def _csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def real_rows() -> dict[str, list[dict[str, str]]]:
    """Rows of each real dataset, as (kind, title, description, language, country, extra)."""
    operations = _csv("eu-structural-funds-2016/operations.csv")
    dsi_projects = _csv("dsi4eu-2017/projects.csv")
    dsi_orgs = _csv("dsi4eu-2017/organisations.csv")
    ess = _csv("ess-france-numerique/ess_numerique_consolidated.csv")
    sets: dict[str, list[dict[str, str]]] = {}
    for row in operations:
        key = f"operations-{row['country']}"
        sets.setdefault(key, []).append(
            {
                "kind": "initiative",
                "title": row["operation_name"],
                "text": row["description"],
                "lang": row["lang"],
                "country": row["country"],
                "fund": row["fund"],
                "region": row["region"],
            }
        )
        if row["beneficiary"]:
            sets.setdefault(f"beneficiaries-{row['country']}", []).append(
                {
                    "kind": "organisation",
                    "title": row["beneficiary"],
                    "text": "",
                    "lang": row["lang"],
                    "country": row["country"],
                }
            )
    sets["dsi-projects"] = [
        {
            "kind": "initiative",
            "title": r["name"],
            "text": r["long_description"] or r["short_description"],
            "lang": "en",
            "country": "",
        }
        for r in dsi_projects
    ]
    sets["dsi-organisations"] = [
        {
            "kind": "organisation",
            "title": r["name"],
            "text": r["long_description"] or r["short_description"],
            "lang": "en",
            "country": "",
            "type": r["organisation_type"],
        }
        for r in dsi_orgs
    ]
    sets["ess-france"] = [
        {
            "kind": "organisation",
            "title": r["denomination"],
            "text": "",
            "lang": "fr",
            "country": "FR",
            "type": r["famille_ess"],
        }
        for r in ess
        if r["denomination"]
    ]
    return sets


# --- synthetic records ------------------------------------------------------------------------


class Codes:
    """Database ids of the reference data, by code."""

    def __init__(self) -> None:
        self.countries = dict(Country.objects.values_list("code", "id"))
        self.terms: dict[str, dict[str, int]] = {}
        for key, code, pk in Term.objects.values_list("vocabulary__key", "code", "id"):
            self.terms.setdefault(key, {})[code] = pk
        self.regions = dict(NutsRegion.objects.values_list("code", "id"))
        self.leaves: dict[str, list[str]] = {}
        self.by_name: dict[str, str] = {}
        for code, name, level, country in NutsRegion.objects.values_list(
            "code", "name", "level", "country__code"
        ):
            if level == 3:
                self.leaves.setdefault(country, []).append(code)
            if level == 2:
                self.by_name[fold(name)] = code


def local_rows(
    kind: str, n: int, seed: int, real: dict[str, list[dict[str, str]]]
) -> Iterator[dict[str, Any]]:
    """Canonical records (docs/import-format.md) resampling the real rows of `kind`.

    Codes the sources lack are drawn once per distinct real text (seeded by the text), so that
    copies of a row share them, as records classified from the same text would.
    """
    rng = random.Random(f"{seed}-{kind}")
    pool = [row for rows in real.values() for row in rows if row["kind"] == kind]
    countries = ["ES", "FR", "LV", "SE"]
    for i in range(n):
        row = rng.choice(pool)
        same = random.Random(f"{seed}-{row['title']}")
        country = row["country"] if row["country"] in countries else same.choice(countries)
        fields: dict[str, Any] = {
            "description": row["text"],
            "description_language": row["lang"],
            "country": country,
        }
        if kind == "organisation":
            fields["name"] = row["title"]
            fields["actor_type"] = same.choice(ACTOR_TYPES)
            fields["region"] = rng.choice(["", "", "", "leaf", "leaf", "leaf", "leaf"])
            yield {"kind": kind, "source_id": str(i), "fields": fields}
            continue
        fields["title"] = row["title"]
        fields["regions"] = [row.get("region", "")] if rng.random() < 0.7 else []
        fields["stage"] = same.choice(["", "", *STAGES])
        fields["evidence_level"] = same.choice(["", "", "", *EVIDENCE])
        fields["policy_fields"] = same.sample(POLICY, same.choice([0, 1, 1, 2]))
        fields["sdgs"] = same.sample([str(g) for g in range(1, 18)], same.choice([0, 0, 1, 2]))
        fields["esf_objectives"] = same.sample(list("abcdefghijklm"), same.choice([0, 1, 1]))
        fund = {"ESF": "esf", "ERDF": "erdf"}.get(row.get("fund", "")) or same.choice(OTHER_FUNDS)
        yield {"kind": kind, "source_id": str(i), "fields": fields, "fundings": [{"source": fund}]}


ACTOR_TYPES = [
    "association-ngo",
    "social-enterprise",
    "cooperative",
    "foundation",
    "private-company",
    "unclassified",
    "public-agency",
    "municipality-region",
]
STAGES = ["idea", "invention", "implementation", "testing", "impact"]
EVIDENCE = ["innovation", "promising-practice", "good-practice"]
POLICY = [
    "employment",
    "education",
    "health-social-care",
    "poverty-sustainable-development",
    "environment-climate",
]
OTHER_FUNDS = ["national", "private", "easi"]


def generated(
    kind: str, n: int, seed: int, real: dict[str, list[dict[str, str]]]
) -> tuple[str, Iterator[dict[str, Any]]]:
    try:
        from benchmarks.synthetic import generate_rows  # type: ignore[import-not-found]
    except ImportError:
        return "local resampler of ../shared/data", local_rows(kind, n, seed, real)
    return "benchmarks/synthetic.py", iter(generate_rows(kind, n, seed))


def _region(value: str, country: str, codes: Codes, rng: random.Random) -> str | None:
    if not value:
        return None
    if value in codes.regions:
        return value
    found = codes.by_name.get(fold(value))
    if found:
        return found
    leaves = codes.leaves.get(country)
    return rng.choice(leaves) if leaves else None


def _insert(cursor: Any, model: type[Any], rows: list[dict[str, Any]]) -> None:
    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    values = []
    for row in rows:
        values.append(
            [
                f.get_db_prep_save(
                    row[f.attname] if f.attname in row else f.get_default(), connection
                )
                for f in fields
            ]
        )
    cursor.executemany(f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({marks})", values)


def _links(cursor: Any, through: type[Any], pairs: list[tuple[int, int]]) -> None:
    if pairs:
        left, right = [f.column for f in through._meta.concrete_fields if f.column != "id"]
        cursor.executemany(
            f"INSERT INTO {through._meta.db_table} ({left}, {right}) VALUES (%s, %s)", pairs
        )


def build(n: int, seed: int, real: dict[str, list[dict[str, str]]]) -> tuple[str, float, int]:
    """Insert N records of each kind; returns the generator's name, seconds, rows written."""
    codes = Codes()
    rng = random.Random(seed)
    now = timezone.now()
    started, written, source = time.perf_counter(), 0, ""
    for kind, model in (("organisation", Organisation), ("initiative", Initiative)):
        source, records = generated(kind, n, seed, real)
        next_id = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        batch: list[dict[str, Any]] = []
        links: dict[str, list[tuple[int, int]]] = {}
        fundings: list[dict[str, Any]] = []
        for record in records:
            f = record["fields"]
            published = rng.random() < 0.85
            row: dict[str, Any] = {
                "id": next_id,
                "country_id": codes.countries[f["country"]],
                "description": f.get("description") or "",
                "description_language": f.get("description_language") or "",
                "published": published,
                "review_status": "approved" if published or rng.random() < 0.6 else "proposed",
                "created_at": now,
                "updated_at": now,
                "source_name": "benchmark (synthetic)",
                "translations": f.get("translations") or {},
            }
            if kind == "organisation":
                region = f.get("region") or ""
                if region == "leaf":
                    region = rng.choice(codes.leaves.get(f["country"], [""]))
                row.update(
                    name=f["name"][:300],
                    other_names=f.get("other_names") or [],
                    actor_type_id=codes.terms["actor-type"][f.get("actor_type") or "unclassified"],
                    region_id=codes.regions.get(region),
                )
            else:
                row.update(
                    title=f["title"][:400],
                    stage_id=codes.terms["si-stage"].get(f.get("stage") or ""),
                    evidence_level_id=codes.terms["evidence-level"].get(
                        f.get("evidence_level") or ""
                    ),
                )
                for name, vocabulary in (
                    ("policy_fields", "policy-field"),
                    ("sdgs", "sdg"),
                    ("esf_objectives", "esf-objective"),
                ):
                    for code in f.get(name) or []:
                        if code in codes.terms[vocabulary]:
                            links.setdefault(name, []).append(
                                (next_id, codes.terms[vocabulary][code])
                            )
                for value in f.get("regions") or []:
                    region = _region(value, f["country"], codes, rng)
                    if region:
                        links.setdefault("regions", []).append((next_id, codes.regions[region]))
                for funding in record.get("fundings") or []:
                    source_id = codes.terms["funding-source"].get(funding.get("source") or "")
                    if source_id:
                        fundings.append(
                            {
                                "initiative_id": next_id,
                                "source_id": source_id,
                                "currency": "EUR",
                                "amount": None,
                            }
                        )
            batch.append(row)
            next_id += 1
            if len(batch) >= CHUNK:
                written += _flush(model, batch, links, fundings)
                batch, links, fundings = [], {}, []
        written += _flush(model, batch, links, fundings)
    return source, time.perf_counter() - started, written


def _flush(
    model: type[Any],
    batch: list[dict[str, Any]],
    links: dict[str, list[tuple[int, int]]],
    fundings: list[dict[str, Any]],
) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        _insert(cursor, model, batch)
        for name, pairs in links.items():
            _links(cursor, getattr(Initiative, name).through, pairs)
        if fundings:
            next_id = (
                Funding.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            ) + 1
            for offset, funding in enumerate(fundings):
                funding["id"] = next_id + offset
            _insert(cursor, Funding, fundings)
    return len(batch) + sum(len(p) for p in links.values()) + len(fundings)


# --- queries --------------------------------------------------------------------------------


def facet_values() -> dict[str, list[tuple[str, int]]]:
    """Facet values present in the index, with their document counts (for weighted draws)."""
    values: dict[str, dict[str, int]] = {}
    sizes = dict(combos_sizes())
    for combo_id, combo in combos.all_combos(refresh=True).items():
        n = sizes.get(combo_id, 0)
        for name in FACETS:
            for value in combo.values(name) if n else ():
                values.setdefault(name, {}).setdefault(value, 0)
                values[name][value] += n
    names = combos.all_tags()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tag, sum(n) FROM search_searchtagcount GROUP BY tag")
        for tag, n in cursor.fetchall():
            facet, code, parent = names[int(tag)]
            if n and (facet != TAGS["region"] or not parent):  # regions: NUTS 1 only
                values.setdefault(TAG_NAMES[facet], {})[code] = int(n)
    return {name: sorted(found.items()) for name, found in values.items()}


def combos_sizes() -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, n FROM search_searchcombo")
        return [(int(a), int(b)) for a, b in cursor.fetchall()]


def make_queries(
    real: dict[str, list[dict[str, str]]], count: int, seed: int
) -> list[SearchParams]:
    rng = random.Random(f"{seed}-queries")
    available = facet_values()
    datasets = sorted(real)
    queries = []
    while len(queries) < count:
        row = rng.choice(real[rng.choice(datasets)])
        words = [
            w
            for w in re.findall(r"[^\W\d_]{4,}", f"{row['title']} {row['text']}")
            if fold(w) not in STOPWORDS
        ]
        if not words:
            continue
        roll, first = rng.random(), rng.randrange(len(words))
        if roll < 0.55:
            text = words[first]
        elif roll < 0.8:
            text = f"{words[first]} {rng.choice(words)}"
        elif roll < 0.9:
            text = words[first][:5] + "*"
        else:
            text = f'"{" ".join(words[first : first + 2])}"'
        filters: dict[str, frozenset[str]] = {}
        region = ""
        for name in rng.sample(sorted(available), rng.choice([0, 1, 2, 3])):
            codes, weights = zip(*available[name], strict=True)
            value = rng.choices(codes, weights=weights)[0]
            if name == "region":
                region = value
            else:
                filters[name] = frozenset([value])
        queries.append(SearchParams(q=text, filters=filters, region=region, page_size=25))
    return queries


def bare_sql(query: str) -> tuple[str, str, list[Any]]:
    parsed = parse_query(query)
    if connection.vendor == "sqlite":
        expression = to_fts5(parsed)
        return (
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY rank LIMIT 25",
            "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s",
            [expression],
        )
    expression = to_tsquery(parsed)
    return (
        "SELECT id FROM search_searchdocument WHERE tsv @@ %s::tsquery "
        "ORDER BY ts_rank(tsv, %s::tsquery) DESC LIMIT 25",
        "SELECT count(*) FROM search_searchdocument WHERE tsv @@ %s::tsquery",
        [expression],
    )


def timed(function: Any, *args: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function(*args)
    return (time.perf_counter() - started) * 1000, result


def fetch(sql: str, params: list[Any]) -> list[Any]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def percentiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    if len(ordered) < 2:
        return (ordered or [0.0])[0], (ordered or [0.0])[0], (ordered or [0.0])[0]
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def run_queries(queries: list[SearchParams]) -> dict[str, Any]:
    """Each query: the bare text query, our service, the page/API path, and page 500."""
    anonymous = AnonymousUser()
    rows: dict[str, list[float]] = {k: [] for k in LABELS}
    slowest: list[tuple[float, str, int, dict[str, float]]] = []
    for warm in queries[:20]:
        services.search(anonymous, warm)
    for params in queries:
        rank_sql, count_sql, args = bare_sql(params.q)
        ms, found = timed(fetch, count_sql, args)
        rows["bare_count"].append(ms)
        rank_args = args * 2 if "ts_rank" in rank_sql else args
        rows["bare"].append(timed(fetch, rank_sql, rank_args)[0])
        ms, outcome = timed(services.search, anonymous, params)
        rows["service"].append(ms)
        matches = int(found[0][0])
        (rows["service_small"] if matches < 10_000 else rows["service_large"]).append(ms)
        rows["facets"].append((outcome.timings["counts"] + outcome.timings["tags"]) * 1000)
        rows["page1"].append(outcome.timings["page"] * 1000)
        rows["full"].append(timed(search_results, anonymous, params)[0])
        text = f"{params.q} {' '.join(f'{k}={min(v)}' for k, v in params.filters.items())}"
        slowest.append((ms, f"{text} {params.region}".strip(), matches, outcome.timings))
        if outcome.total >= 500 * 25:
            deep = SearchParams(params.q, params.filters, params.region, params.sort, 500, 25)
            ms, deep_outcome = timed(services.search, anonymous, deep)
            rows["service500"].append(ms)
            rows["page500"].append(deep_outcome.timings["page"] * 1000)
    for params in queries[:50]:  # the same filters without words: browsing
        browse = SearchParams("", params.filters, params.region, "relevance", 1, 25)
        rows["browse"].append(timed(services.search, anonymous, browse)[0])
        deep = SearchParams("", params.filters, params.region, "name", 500, 25)
        rows["browse500"].append(timed(services.search, anonymous, deep)[0])
    return {"rows": rows, "slowest": sorted(slowest, reverse=True)[:6]}


LABELS = {
    "full": "page/API path (+ records, snippets, labels)",
    "service": "search service (counts, facets, page 1)",
    "service_small": "  queries with < 10,000 matches",
    "service_large": "  queries with >= 10,000 matches",
    "bare": "bare text query, top 25 by rank",
    "bare_count": "bare text query, count only",
    "facets": "facet counting alone (counts + tags)",
    "page1": "page 1 alone (ids)",
    "page500": "page 500 alone (ids)",
    "service500": "search service at page 500",
    "browse": "browse, no words, 0-3 facets, page 1",
    "browse500": "browse by name, page 500",
}


def report(rows: dict[str, list[float]], slowest: list[Any], docs: int, queries: int) -> None:
    print(f"\n{queries} queries as an anonymous reader (0-3 facets) over {docs:,} documents")
    print(f"  {'':44}{'n':>5}{'p50':>9}{'p95':>9}{'p99':>9}  ms")
    for key, label in LABELS.items():
        if rows[key]:
            p50, p95, p99 = percentiles(rows[key])
            print(f"  {label:44}{len(rows[key]):5}{p50:9.1f}{p95:9.1f}{p99:9.1f}")
    for q in (50, 95):
        service = statistics.quantiles(rows["service"], n=100)[q - 1]
        bare = statistics.quantiles(rows["bare"], n=100)[q - 1]
        print(f"  ratio search service / bare query at p{q}: {service / bare:.2f}")
    print("\nslowest searches: ms, query, matches, ms per step")
    for ms, text, matches, timings in slowest:
        steps = ", ".join(f"{k} {v * 1000:.0f}" for k, v in timings.items())
        print(f"  {ms:7.1f}  {text[:60]:60} {matches:>9,}  [{steps}]")


def main() -> None:
    if connection.vendor == "sqlite":
        backend = f"SQLite {connection.Database.sqlite_version}"
    else:
        backend = f"PostgreSQL {connection.cursor().connection.info.server_version}"
    print(f"== search benchmark: {ARGS.n:,} organisations + {ARGS.n:,} initiatives on {backend}")
    call_command("migrate", verbosity=0)
    real = real_rows()
    if Organisation.objects.filter(source_name="benchmark (synthetic)").exists():
        print("registry: reusing the records already in the database")
        docs = SearchDocument.objects.count()
    else:
        load_reference()
        source, seconds, written = build(ARGS.n, ARGS.seed, real)
        print(
            f"registry: {source}; {written:,} rows inserted with executemany in {seconds:.1f} s "
            f"({written / seconds:,.0f} rows/s)"
        )
        started = time.perf_counter()
        docs = sum(indexing.reindex(kind) for kind in ("organisation", "initiative"))
        seconds = time.perf_counter() - started
        print(
            f"index: {docs:,} documents by reindex() in {seconds:.1f} s ({docs / seconds:,.0f}/s)"
        )
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
                cursor.execute("ANALYZE")
            else:
                cursor.execute("VACUUM ANALYZE")
    queries = make_queries(real, ARGS.queries, ARGS.seed)
    results = run_queries(queries)
    report(results["rows"], results["slowest"], docs, len(queries))
    tracemalloc.start()
    for params in queries[:50]:
        search_results(AnonymousUser(), params)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\npeak memory: process {rss:,.0f} MB (includes generating the data); "
        f"Python heap while searching {peak / 1e6:,.1f} MB"
    )
    if ARGS.postgres and not ARGS.keep:
        connection.close()
        with psycopg.connect(ARGS.postgres, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")


if __name__ == "__main__":
    main()
