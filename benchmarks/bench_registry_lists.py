"""Registry list pages and API at growing sizes, against a 100-record baseline in the same run.

Runs on a throw-away SQLite database in a temporary folder (or on DATABASE_URL when set to a
scratch PostgreSQL database). Prints milliseconds per request and the ratio to the baseline.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("BUICASUS_DATA_DIR", tempfile.mkdtemp(prefix="buicasus-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buicasus.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from tqdm import tqdm  # noqa: E402

from buicasus.registry.models import Country, Initiative, Organisation, Term  # noqa: E402
from buicasus.registry.reference import load_reference  # noqa: E402

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "100,10000,50000").split(",")]
URLS = {
    "page /organisations/": "/organisations/",
    "page /organisations/?country=LV&q=demo": "/organisations/?country=LV&q=demo",
    "page /initiatives/ page 40": "/initiatives/?page=40",
    "api /api/v1/organisations": "/api/v1/organisations?page_size=50",
    "api /api/v1/initiatives?country=ES": "/api/v1/initiatives?country=ES",
    "page / (dashboard)": "/",
}


def grow_to(total: int) -> None:
    countries = list(Country.objects.all())
    types = list(Term.objects.filter(vocabulary__key="actor-type"))
    have = Organisation.objects.count()
    batch: list[Organisation] = []
    for i in tqdm(range(have, total), desc=f"organisations → {total}", leave=False):
        batch.append(
            Organisation(
                name=f"Bench demo organisation {i}",
                actor_type=types[i % len(types)],
                country=countries[i % len(countries)],
                city=f"City {i % 97}",
                published=i % 3 != 0,
                source_name="benchmark (synthetic)",
            )
        )
        if len(batch) == 5000:
            Organisation.objects.bulk_create(batch)
            batch = []
    Organisation.objects.bulk_create(batch)
    have = Initiative.objects.count()
    batch_i: list[Initiative] = []
    for i in tqdm(range(have, total), desc=f"initiatives → {total}", leave=False):
        batch_i.append(
            Initiative(
                title=f"Bench demo initiative {i}",
                country=countries[i % len(countries)],
                published=i % 3 != 1,
                source_name="benchmark (synthetic)",
            )
        )
        if len(batch_i) == 5000:
            Initiative.objects.bulk_create(batch_i)
            batch_i = []
    Initiative.objects.bulk_create(batch_i)


def timed(client: Client, url: str, repeat: int = 7) -> float:
    client.get(url)  # warm caches
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def main() -> None:
    call_command("migrate", verbosity=0)
    load_reference()
    client = Client()
    baseline: dict[str, float] = {}
    print(f"{'records':>8}  {'request':<42} {'ms':>8} {'× baseline':>10}")
    for size in SIZES:
        grow_to(size)
        for label, url in URLS.items():
            ms = timed(client, url)
            baseline.setdefault(label, ms)
            print(f"{size:>8}  {label:<42} {ms:>8.1f} {ms / baseline[label]:>10.2f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
