"""The load test's visitors: a realistic mix of pages and API calls, for `locust --headless`.

Run by `benchmarks/bench_load.py`, which sets up the platform and writes the targets file
(record ids, search words, need texts) named by `BENCH_LOAD_TARGETS`. Weights: the dashboard,
search, record pages, the API list and, when the matching app is there, a "find solutions"
search (a POST with its CSRF token, as a browser sends it).

Each visitor waits `BENCH_LOAD_WAIT` seconds between requests ("min,max", default "0.2,1.0").
"""

from __future__ import annotations

import json
import os
import random
from typing import Any

from locust import HttpUser, between, task

with open(os.environ["BENCH_LOAD_TARGETS"], encoding="utf-8") as handle:
    TARGETS: dict[str, Any] = json.load(handle)
_WAIT = [float(x) for x in os.environ.get("BENCH_LOAD_WAIT", "0.2,1.0").split(",")]


class Visitor(HttpUser):
    """An anonymous visitor reading published records (as most of the traffic is)."""

    wait_time = between(_WAIT[0], _WAIT[1])

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="home /")

    @task(3)
    def search(self) -> None:
        words = random.choice(TARGETS["words"])
        self.client.get("/search/", params={"q": words}, name="search /search/?q=")

    @task(2)
    def organisation(self) -> None:
        pk = random.choice(TARGETS["organisations"])
        self.client.get(f"/organisations/{pk}/", name="detail /organisations/<id>/")

    @task(2)
    def initiative(self) -> None:
        pk = random.choice(TARGETS["initiatives"])
        self.client.get(f"/initiatives/{pk}/", name="detail /initiatives/<id>/")

    @task(2)
    def api_list(self) -> None:
        country = random.choice(["ES", "FR", "LV", "SE"])
        page = random.randint(1, 5)
        self.client.get(
            "/api/v1/organisations",
            params={"country": country, "page": page},
            name="api /api/v1/organisations",
        )

    @task(1)
    def match(self) -> None:
        if not TARGETS.get("matching"):
            return
        form = self.client.get("/matching/", name="match form /matching/")
        token = self.client.cookies.get("csrftoken", "")
        if form.status_code != 200 or not token:
            return
        self.client.post(
            "/matching/",
            data={"text": random.choice(TARGETS["needs"]), "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/matching/"},
            name="match POST /matching/",
        )
