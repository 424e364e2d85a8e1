"""The map page and SVG: well-formed, accessible, linked to the lists, in five languages."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from buicasus.maps import geometry

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
HTMX = {"HTTP_HX_REQUEST": "true"}


def svg_of(html: str) -> ET.Element:
    """The inline SVG of a page, parsed as XML (it must be well-formed on its own)."""
    found = re.search(r"<svg xmlns=.*?</svg>", html, re.S)
    assert found, "no inline SVG"
    return ET.fromstring(found.group(0))


def regions(svg: ET.Element) -> list[ET.Element]:
    return svg.findall(f"{SVG}g[@class='regions']/{SVG}a")


# Attributes whose values are SVG numbers (lengths, coordinates, sizes).
MARKUP_NUMBERS = {"x", "y", "dx", "dy", "cx", "cy", "r", "width", "height"}
MARKUP_NUMBERS |= {"stroke-width", "font-size"}


def assert_markup_numbers(svg: ET.Element) -> None:
    """Every number of the SVG reads as a number to a browser: a decimal point, never the
    reader's decimal comma (`x="0,5"` is an error that drops the element)."""
    checked = 0
    for element in svg.iter():
        for name, value in element.attrib.items():
            if name in MARKUP_NUMBERS and not value.endswith("%"):
                assert re.fullmatch(r"-?\d+(\.\d+)?", value), f'{name}="{value}"'
                checked += 1
            elif name == "viewBox":
                assert re.fullmatch(r"(-?\d+(\.\d+)? ){3}-?\d+(\.\d+)?", value), value
            elif name == "d":
                assert re.fullmatch(r"[MmLlHhVvZz\d.\s-]+", value), value[:80]
    assert checked > 0


def page(client: Client, query: str = "", **extra: Any) -> str:
    response = client.get(f"{reverse('maps:map')}?{query}", **extra)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("level", "drawn"), [(0, 1), (1, 14), (2, 27), (3, 101)])
def test_one_linked_path_per_region_drawn(
    client: Client, orgs: dict[str, Any], level: int, drawn: int
) -> None:
    svg = svg_of(page(client, f"country=FR&level={level}"))
    links = regions(svg)
    assert len(links) == drawn
    for link in links:
        assert link.get("href", "").startswith("/organisations/?")
        assert link.find(f"{SVG}title") is not None
        assert len(link.findall(f"{SVG}path")) == 1


def test_svg_carries_title_description_and_attribution(client: Client, orgs: Any) -> None:
    svg = svg_of(page(client, "level=2"))
    assert svg.get("role") == "group" and svg.get("aria-labelledby") == "map-title map-desc"
    assert svg.find(f"{SVG}title").text == "Organisations per region"
    attribution = svg.find(f"{SVG}text[@class='attribution']")
    assert attribution is not None
    assert attribution.text == "© EuroGeographics for the administrative boundaries"


def test_region_titles_give_name_and_count(client: Client, orgs: Any) -> None:
    svg = svg_of(page(client, "country=FR&level=3&q=Maptest"))
    titles = {a.get("data-code"): a.find(f"{SVG}title").text for a in regions(svg)}
    assert titles["FR101"] == "Paris (FR101): 2 organisations"
    assert titles["FRE11"] == "Nord (FRE11): 1 organisation"
    assert titles["FR102"] == "Seine-et-Marne (FR102): 0 organisations"


def test_region_links_carry_the_filters(client: Client, orgs: Any) -> None:
    svg = svg_of(page(client, "country=FR&level=2&q=Maptest&actor_type=social-enterprise"))
    link = next(a for a in regions(svg) if a.get("data-code") == "FR10")
    url = urlsplit(link.get("href", ""))
    assert url.path == reverse("registry:organisation-list")
    assert parse_qs(url.query, keep_blank_values=True) == {
        "q": ["Maptest"],
        "country": ["FR"],
        "actor_type": ["social-enterprise"],
        "region": ["FR10"],
    }


def test_initiative_regions_link_to_the_initiative_list(client: Client, inits: Any) -> None:
    svg = svg_of(page(client, "kind=initiatives&country=FR&level=3&policy_field=employment"))
    link = next(a for a in regions(svg) if a.get("data-code") == "FR102")
    assert link.get("href", "").startswith(reverse("registry:initiative-list"))
    assert "policy_field=employment" in link.get("href", "")
    assert link.find(f"{SVG}title").text == "Seine-et-Marne (FR102): 1 initiative"


def test_all_countries_link_overrides_the_session_default(client: Client, orgs: Any) -> None:
    svg = svg_of(page(client, "country=&level=1"))
    hrefs = [a.get("href", "") for a in regions(svg)]
    assert all("country=&" in h or h.endswith("country=") for h in hrefs)


def test_the_map_follows_the_session_country(client: Client, orgs: Any) -> None:
    client.post(reverse("registry:set-country"), {"country": "LV"})
    svg = svg_of(page(client, "level=3"))
    assert {a.get("data-code") for a in regions(svg)} == {
        "LV003",
        "LV005",
        "LV006",
        "LV007",
        "LV008",
        "LV009",
    }


def test_points_only_for_records_with_coordinates(client: Client, orgs: Any) -> None:
    svg = svg_of(page(client, "q=Maptest&level=2"))
    points = svg.findall(f"{SVG}g[@class='points']/{SVG}a")
    names = sorted(p.find(f"{SVG}title").text or "" for p in points)
    assert names == ["Maptest Lille", "Maptest Paris A", "Maptest Rīga"]
    paris = next(p for p in points if p.find(f"{SVG}title").text == "Maptest Paris A")
    assert paris.get("href") == orgs["paris_a"].get_absolute_url()


def test_initiative_maps_have_no_points(client: Client, orgs: Any, inits: Any) -> None:
    svg = svg_of(page(client, "kind=initiatives&level=2"))
    assert svg.find(f"{SVG}g[@class='points']") is None


def test_anonymous_visitors_count_only_published_records(
    client: Client, client_for: Callable[..., Client], orgs: Any
) -> None:
    def riga(c: Client) -> str:
        svg = svg_of(page(c, "country=LV&level=3&q=Maptest"))
        link = next(a for a in regions(svg) if a.get("data-code") == "LV006")
        return link.find(f"{SVG}title").text or ""

    assert riga(client) == "Rīga (LV006): 1 organisation"
    assert riga(client_for("viewer", "LV")) == "Rīga (LV006): 2 organisations"


def test_data_table_lists_regions_and_counts(client: Client, orgs: Any) -> None:
    html = page(client, "country=FR&level=3&q=Maptest")
    table = html[html.index('<details class="map-table"') :]
    rows = re.findall(
        r'<th scope="row">(.*?)</th>\s*<td>(\w+)</td>\s*<td class="num"><a[^>]*>(\d+)', table
    )
    assert rows[:2] == [("Paris", "FR101", "2"), ("Nord", "FRE11", "1")]
    assert len(rows) == 101


def test_legend_and_list_link(client: Client, orgs: Any) -> None:
    html = page(client, "country=FR&level=3&q=Maptest")
    assert 'class="map-legend"' in html and "no records" in html
    assert "6 organisations match these filters." in html
    assert "3 of them have no region this fine" in html
    assert 'href="/organisations/?q=Maptest&amp;country=FR"' in html


def test_htmx_gets_the_results_and_the_kind_switch(client: Client, orgs: Any) -> None:
    html = page(client, "level=1&q=Maptest", **HTMX)
    assert "<html" not in html
    assert 'id="map-kinds"' in html and 'hx-swap-oob="true"' in html
    assert "kind=initiatives" in html and "q=Maptest" in html
    svg_of(html)


def test_unknown_choices_fall_back_to_defaults(client: Client, orgs: Any) -> None:
    html = page(client, "level=9&kind=nothing&classes=odd&region=<script>&stage=nope")
    assert len(regions(svg_of(html))) > 0
    assert "<script>" not in html.split("<main", 1)[1].split("</main>")[0]


def test_quantile_classes(client: Client, orgs: Any) -> None:
    svg = svg_of(page(client, "country=FR&level=3&q=Maptest&classes=quantile"))
    fills = {a.get("data-code"): a.find(f"{SVG}path").get("fill") for a in regions(svg)}
    assert fills["FR101"] != fills["FRE11"] != fills["FR102"]


@pytest.mark.parametrize("language", ["en", "fr", "es", "sv", "lv"])
def test_page_renders_in_every_language(client: Client, orgs: Any, language: str) -> None:
    client.cookies["django_language"] = language
    html = page(client, "level=2")
    assert f'<html lang="{language}">' in html
    assert "EuroGeographics" in html
    svg_of(html)


def test_standalone_svg_is_well_formed(client: Client, orgs: Any) -> None:
    response = client.get(f"{reverse('maps:svg')}?level=3&country=ES")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = ET.fromstring(response.content)
    assert svg.tag == f"{SVG}svg"
    assert len(regions(svg)) == 59
    assert [g.find(f"{SVG}text").text for g in svg.findall(f"{SVG}g[@class='inset']")] == [
        "Canarias"
    ]


def test_missing_boundaries_show_a_message_not_a_traceback(
    client: Client, orgs: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BUICASUS_NUTS_DIR", str(tmp_path))
    html = page(client, "level=2")
    assert "The map cannot be drawn" in html and "LEVL_2.geojson" in html
    assert client.get(reverse("maps:svg")).status_code == 503
    assert geometry.nuts_folder() == tmp_path


def test_a_region_link_filters_the_list(client: Client, orgs: Any) -> None:
    svg = svg_of(page(client, "country=FR&level=3&q=Maptest"))
    href = next(a.get("href", "") for a in regions(svg) if a.get("data-code") == "FR101")
    html = client.get(href).content.decode()
    assert "2 organisations found." in html


def test_markers_beyond_the_cap_are_announced(
    client: Client, orgs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from buicasus.maps import services

    monkeypatch.setattr(services, "MAX_POINT_MARKERS", 1)
    html = page(client, "q=Maptest&level=2")
    assert "2 organisations in less busy places are not drawn" in html


@pytest.mark.parametrize("language", ["en", "fr", "es", "sv", "lv"])
def test_svg_numbers_are_never_localised(client: Client, orgs: Any, language: str) -> None:
    """France has inset frames (outermost regions) and point markers, all placed by floats."""
    client.cookies["django_language"] = language
    svg = svg_of(page(client, "country=FR&level=2"))
    assert svg.findall(f"{SVG}g[@class='inset']") and svg.findall(f"{SVG}g[@class='points']")
    assert_markup_numbers(svg)
    standalone = client.get(f"{reverse('maps:svg')}?country=FR&level=2")
    assert_markup_numbers(ET.fromstring(standalone.content))


def test_default_view_draws_the_countries_it_says(client: Client, orgs: Any) -> None:
    html = page(client, "q=Maptest")
    selected = re.findall(r'<option value="(\d)" selected>', html)
    assert selected == ["0"]
    titles = {a.get("data-code"): a.find(f"{SVG}title").text for a in regions(svg_of(html))}
    # Every organisation has a country: none is left off the default map.
    assert titles["FR"] == "France (FR): 6 organisations"
    assert titles["LV"] == "Latvia (LV): 1 organisation"
    assert "no region this fine" not in html
