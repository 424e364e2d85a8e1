"""The search page and /api/v1/search show the same thing for the same query string."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from buicasus.accounts.models import ApiToken
from buicasus.search.api import page_payload
from tests.search.conftest import Corpus

pytestmark = pytest.mark.django_db

QUERIES = [
    "q=zzcorpus",
    "q=zzcorp*&country=ES&country=LV&sort=name",
    "q=%22econom%C3%ADa+social%22",
    "q=&kind=initiative&sort=newest&page_size=2&page=2",
    "q=zzcorpus&region=LV0&fund=erdf",
    "q=%22unclosed",
    "q=zzsecret",
]


def comparable(payload: dict[str, Any]) -> dict[str, Any]:
    """The API body with facets as plain data (the page context holds dataclasses)."""
    out = dict(payload)
    out["facets"] = [
        {"name": f["name"], "values": [(v["code"], v["count"], v["selected"]) for v in f["values"]]}
        for f in payload["facets"]
    ]
    out["region_path"] = [v["code"] for v in payload["region_path"]]
    out["results"] = [
        (r["kind"], r["id"], r["title_html"], r["snippet_html"]) for r in payload["results"]
    ]
    return out


def from_page(context_result: Any) -> dict[str, Any]:
    payload = page_payload(context_result)
    payload["facets"] = [
        {
            "name": f.name,
            "values": [
                {"code": v.code, "count": v.count, "selected": v.selected} for v in f.values
            ],
        }
        for f in payload["facets"]
    ]
    payload["region_path"] = [{"code": v.code} for v in payload["region_path"]]
    payload["results"] = [{**r, "snippet_html": str(r["snippet_html"])} for r in payload["results"]]
    return comparable(payload)


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("reader", [None, ("editor", "ES")])
def test_page_and_api_agree(
    corpus: Corpus, client_for: Callable[..., Client], query: str, reader: tuple[str, str] | None
) -> None:
    client = client_for(*reader) if reader else Client()
    page = client.get(f"/search/?{query}")
    api = client.get(f"/api/v1/search?{query}")
    assert page.status_code == api.status_code == 200
    assert comparable(api.json()) == from_page(page.context["result"])


def test_page_renders_results_facets_and_notices(corpus: Corpus, anonymous: Client) -> None:
    html = anonymous.get('/search/?q=zzcorpus+"unclosed').content.decode()
    assert "<html" in html and "<search>" in html
    assert "quotation mark" in html
    html = anonymous.get("/search/?q=andalucia").content.decode()
    assert "Innovación social en <mark>Andalucía</mark>" in html
    assert "<legend>Policy field</legend>" in html
    assert 'name="policy_field" value="employment"' in html
    assert "1 result" in html


def test_htmx_gets_the_results_fragment(corpus: Corpus, anonymous: Client) -> None:
    response = anonymous.get("/search/?q=zzcorpus&country=SE", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert 'name="country" value="SE" checked' in html
    assert "Vary" in response and "HX-Request" in response["Vary"]


def test_page_tolerates_nonsense_parameters(corpus: Corpus, anonymous: Client) -> None:
    response = anonymous.get("/search/?q=*&page=abc&page_size=-3&sort=sideways&kind=tie&region=X")
    assert response.status_code == 200
    assert "lone *" in response.content.decode()


def test_api_validates_its_parameters(anonymous: Client) -> None:
    assert anonymous.get("/api/v1/search?sort=sideways").status_code == 422
    assert anonymous.get("/api/v1/search?page=0").status_code == 422
    assert anonymous.get("/api/v1/search?page_size=201").status_code == 422
    assert anonymous.get("/api/v1/search?kind=tie").status_code == 422


def test_api_past_the_last_page_is_empty(corpus: Corpus, anonymous: Client) -> None:
    body = anonymous.get("/api/v1/search?q=zzcorpus&page=9").json()
    assert body["count"] == 4 and body["results"] == [] and body["pages"] == 1


def test_api_token_reader_sees_their_countrys_proposals(
    corpus: Corpus, make_user: Callable[..., Any], anonymous: Client
) -> None:
    _token, secret = ApiToken.issue(make_user("editor", "ES"), "search test")
    body = anonymous.get(
        "/api/v1/search?q=zzsecret", headers={"Authorization": f"Bearer {secret}"}
    ).json()
    assert [(r["kind"], r["id"]) for r in body["results"]] == [
        ("initiative", corpus.es_init_proposed.pk)
    ]
    assert anonymous.get("/api/v1/search?q=zzsecret").json()["count"] == 0


def test_openapi_documents_the_search(anonymous: Client) -> None:
    doc = anonymous.get("/api/v1/openapi.json").json()
    operation = doc["paths"]["/api/v1/search"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"q", "country", "region", "fund", "language", "sort", "page"} <= names
