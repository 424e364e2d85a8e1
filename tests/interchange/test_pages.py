"""Export what I see: the list pages' menu, the export page, and the API."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.test import Client

from buicasus.accounts.models import ApiToken


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def export_links(html: str) -> dict[str, dict[str, list[str]]]:
    """format → query of each export link on a page."""
    links = {}
    for href in re.findall(r'href="(/export/\?[^"]+)"', html):
        query = parse_qs(urlsplit(href.replace("&amp;", "&")).query)
        if "format" in query:  # the first link of a format (CSV has a second, with a BOM)
            links.setdefault(query["format"][0], query)
    return links


def test_list_pages_offer_the_filtered_list_for_download(registry: dict[str, Any]) -> None:
    client = Client()
    html = client.get("/organisations/?country=LV&actor_type=foundation&q=").content.decode()
    links = export_links(html)
    assert {"csv", "xlsx", "json", "hsds", "gexf"} <= set(links)
    assert links["csv"] == {
        "kind": ["organisations"],
        "format": ["csv"],
        "country": ["LV"],
        "actor_type": ["foundation"],
    }
    html = client.get("/initiatives/?sdg=8").content.decode()
    assert export_links(html)["popolo"]["sdg"] == ["8"]
    assert 'hx-get="/export/menu/?kind=initiatives"' in html


def test_the_session_country_is_part_of_what_i_see(registry: dict[str, Any]) -> None:
    client = Client()
    client.post("/country/", {"country": "SE"})
    assert export_links(client.get("/organisations/").content.decode())["csv"]["country"] == ["SE"]
    menu = client.get("/export/menu/", {"kind": "organisations"}).content.decode()
    assert export_links(menu)["csv"]["country"] == ["SE"]
    menu = client.get("/export/menu/", {"kind": "organisations", "country": ""}).content.decode()
    assert "country" not in export_links(menu)["csv"]


def test_the_menu_follows_changed_filters(registry: dict[str, Any]) -> None:
    menu = Client().get(
        "/export/menu/", {"kind": "initiatives", "stage": "testing", "sdg": "nonsense"}
    )
    links = export_links(menu.content.decode())
    assert links["csv"]["stage"] == ["testing"] and "sdg" not in links["csv"]
    assert Client().get("/export/menu/", {"kind": "registry"}).status_code == 400


def test_a_download_holds_what_the_visitor_sees(registry: dict[str, Any], client_for: Any) -> None:
    response = Client().get("/export/", {"kind": "organisations", "format": "csv", "country": "LV"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.match(
        r'attachment; filename="buicasus-organisations-\d{8}\.csv"', response["Content-Disposition"]
    )
    rows = list(csv.DictReader(io.StringIO(body(response).decode())))
    assert rows and {r["country"] for r in rows} == {"LV"}
    assert registry["hidden"].name not in {r["name"] for r in rows}
    editor = client_for("editor", "LV")
    rows = list(
        csv.DictReader(
            io.StringIO(
                body(
                    editor.get(
                        "/export/", {"kind": "organisations", "format": "csv", "country": "LV"}
                    )
                ).decode()
            )
        )
    )
    assert registry["hidden"].name in {r["name"] for r in rows}


def test_the_export_page_lists_formats_and_refuses_nonsense(registry: dict[str, Any]) -> None:
    client = Client()
    page = client.get("/export/", {"kind": "registry", "country": "FR"})
    assert page.status_code == 200
    links = export_links(page.content.decode())
    assert "csv" not in links and links["hsds"]["country"] == ["FR"]
    for params, message in (
        ({"kind": "people"}, "Unknown kind"),
        ({"kind": "registry", "format": "csv"}, "cannot hold"),
        ({"kind": "registry", "format": "pdf"}, "Unknown format"),
        ({"kind": "registry", "format": "json", "country": "ZZ"}, "ZZ"),
    ):
        response = client.get("/export/", params)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_the_api_streams_the_same_exports(registry: dict[str, Any], make_user: Any) -> None:
    client = Client()
    response = client.get("/api/v1/export", {"kind": "registry", "format": "json"})
    assert response.status_code == 200
    names = {
        r["fields"].get("name") for r in json.loads(body(response))["records"] if "fields" in r
    }
    assert registry["hidden"].name not in names
    token = ApiToken.issue(make_user("editor", "LV"), "export")[1]
    response = client.get(
        "/api/v1/export",
        {"kind": "organisations", "format": "json", "published": "false"},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    organisations = [
        r for r in json.loads(body(response))["records"] if r["kind"] == "organisation"
    ]
    assert registry["hidden"].name in {r["fields"]["name"] for r in organisations}
    assert all(r["fields"]["published"] is False for r in organisations)
    bad = client.get("/api/v1/export", {"kind": "registry", "format": "csv"})
    assert bad.status_code == 400 and "cannot hold" in bad.json()["detail"]
    formats = client.get("/api/v1/export/formats").json()
    assert {f["name"] for f in formats} >= {"csv", "hsds", "popolo", "kumu", "gexf", "graphml"}
    assert {f["name"]: f["reimportable"] for f in formats}["hsds"] is True
