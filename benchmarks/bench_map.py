"""The map page and API at growing registry sizes, against the bare GROUP BY in the same run.

Runs on a throw-away SQLite database in a temporary folder (or on DATABASE_URL when set to a
scratch PostgreSQL database). Prints the cold cost of reading and drawing the NUTS boundaries,
then milliseconds per request (median of 5) at each size and the ratio of the region-count
service to the bare GROUP BY it wraps.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc

os.environ.setdefault("DEBUG", "true")
if "BUICASUS_DATA_DIR" not in os.environ:
    os.environ["BUICASUS_DATA_DIR"] = tempfile.mkdtemp(prefix="buicasus-bench-map-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buicasus.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.models.functions import Substr  # noqa: E402
from django.test import Client  # noqa: E402
from tqdm import tqdm  # noqa: E402

from buicasus.maps import geometry, services  # noqa: E402
from buicasus.registry.models import (  # noqa: E402
    Country,
    Initiative,
    NutsRegion,
    Organisation,
    Term,
)
from buicasus.registry.reference import load_reference  # noqa: E402

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,100000").split(",")]
URLS = {
    "page /map/ (NUTS 2, points)": "/map/?level=2&country=",
    "page /map/ (NUTS 3, points)": "/map/?level=3&country=",
    "page /map/ FR NUTS 3": "/map/?level=3&country=FR",
    "page /map/ initiatives NUTS 2": "/map/?kind=initiatives&level=2&country=",
    "api /map/regions NUTS 3": "/api/v1/map/regions?level=3",
    "api /map/regions initiatives NUTS 2": "/api/v1/map/regions?kind=initiatives&level=2",
    "api /map/points page 1 (1000)": "/api/v1/map/points",
}
# Rough lon/lat boxes of each country's mainland, to scatter coordinates.
BOXES = {
    "ES": (-8.5, 37.0, 2.5, 43.0),
    "FR": (-1.0, 43.5, 6.5, 49.5),
    "LV": (21.5, 56.2, 27.5, 57.8),
    "SE": (12.5, 56.0, 19.0, 63.0),
}


def grow_to(total: int) -> None:
    rng = random.Random(total)
    countries = {c.code: c for c in Country.objects.all()}
    regions = list(NutsRegion.objects.filter(level=3).select_related("country"))
    types = list(Term.objects.filter(vocabulary__key="actor-type"))
    have = Organisation.objects.filter(source_name="bench").count()
    batch: list[Organisation] = []
    for i in tqdm(range(have, total), desc=f"organisations → {total}", leave=False):
        region = regions[i % len(regions)]
        box = BOXES[region.country.code]
        located = i % 2 == 0
        batch.append(
            Organisation(
                name=f"Bench map organisation {i}",
                actor_type=types[i % len(types)],
                country=countries[region.country.code],
                region=region if i % 5 else None,
                latitude=rng.uniform(box[1], box[3]) if located else None,
                longitude=rng.uniform(box[0], box[2]) if located else None,
                published=i % 3 != 0,
                source_name="bench",
            )
        )
        if len(batch) == 5000:
            Organisation.objects.bulk_create(batch)
            batch = []
    Organisation.objects.bulk_create(batch)
    have = Initiative.objects.filter(source_name="bench").count()
    through = Initiative.regions.through
    for start in tqdm(range(have, total, 5000), desc=f"initiatives → {total}", leave=False):
        made = Initiative.objects.bulk_create(
            [
                Initiative(
                    title=f"Bench map initiative {i}",
                    country=regions[i % len(regions)].country,
                    published=i % 3 != 0,
                    source_name="bench",
                )
                for i in range(start, min(start + 5000, total))
            ]
        )
        links = []
        for init in made:
            for k in range(1 + init.pk % 2):
                region = regions[(init.pk + 7 * k) % len(regions)]
                links.append(through(initiative_id=init.pk, nutsregion=region))
        through.objects.bulk_create(links, ignore_conflicts=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def median_ms(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bare_group_by() -> None:
    list(
        Organisation.objects.filter(published=True, review_status="approved", region__level__gte=3)
        .annotate(p=Substr("region__code", 1, 5))
        .values_list("p")
        .annotate(n=Count("pk"))
        .order_by()
    )


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    load_reference()
    folder = str(geometry.nuts_folder())
    print(f"database: {connection.vendor}")
    for level in geometry.LEVELS:
        start = time.perf_counter()
        geometry.load_level(folder, level)
        read = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        d = geometry.drawing(folder, level, ("ES", "FR", "LV", "SE"))
        drawn = (time.perf_counter() - start) * 1000
        size = sum(len(s.path) for s in d.shapes) + sum(len(s.path) for s in d.outlines)
        print(
            f"NUTS {level}: read {read:7.1f} ms, draw ES+FR+LV+SE {drawn:6.1f} ms, "
            f"{len(d.shapes):4d} regions, {size / 1024:6.1f} KiB of path data"
        )
    start = time.perf_counter()
    every = tuple(sorted({f.country for f in geometry.load_level(folder, 0)}))
    d = geometry.drawing(folder, 3, every)
    print(
        f"NUTS 3 all of Europe: draw {(time.perf_counter() - start) * 1000:.0f} ms, "
        f"{sum(len(s.path) for s in d.shapes) / 1024:.0f} KiB of path data"
    )
    start = time.perf_counter()
    geometry.drawing(folder, 3, ("ES", "FR", "LV", "SE"))
    print(f"cached drawing lookup: {(time.perf_counter() - start) * 1e6:.1f} µs")
    geometry.load_level.cache_clear()
    geometry.outermost_regions.cache_clear()
    geometry.drawing.cache_clear()
    tracemalloc.start()
    for level in geometry.LEVELS:
        geometry.drawing(folder, level, ("ES", "FR", "LV", "SE"))
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"memory for four levels parsed + drawn: {current / 2**20:.1f} MiB held, "
        f"{peak / 2**20:.1f} MiB peak"
    )
    client = Client()
    for size in SIZES:
        grow_to(size)
        print(f"\n== {size:,} organisations and {size:,} initiatives (bench rows)")
        for label, url in URLS.items():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            ms = median_ms(lambda url=url: client.get(url))
            print(f"{label:40s} {ms:8.1f} ms  {len(response.content) / 1024:7.1f} KiB")
        bare = median_ms(bare_group_by)
        ours = median_ms(lambda: services.counts_by_code(AnonymousUser(), "organisations", 3, {}))
        print(f"{'bare GROUP BY (NUTS 3)':40s} {bare:8.1f} ms")
        print(f"{'services.counts_by_code (NUTS 3)':40s} {ours:8.1f} ms  ratio {ours / bare:.2f}")
    return None


if __name__ == "__main__":
    sys.exit(main())
