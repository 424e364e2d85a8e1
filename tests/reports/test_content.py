"""What a mapping report says: the SWOT lines and figures the analysis pages show, numbers
rounded and written as the reader writes them, and a map whose SVG is valid in every language."""

from __future__ import annotations

import base64
import html
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from buicasus.analysis import services as analysis
from buicasus.assessment.demo import load_demo as load_assessment_demo
from buicasus.core.swot import QUADRANTS
from buicasus.registry.models import Organisation
from buicasus.reports import services
from buicasus.reports.mapping import mapping_report
from buicasus.web.numbers import number
from tests.maps.test_pages import assert_markup_numbers
from tests.registry.factories import organisation

LANGUAGES = ["en", "fr", "es", "sv", "lv"]


def _words(text: str) -> str:
    return " ".join(text.split())


def _analysis_page(client: Client, code: str, lang: str) -> str:
    client.cookies["django_language"] = lang
    response = client.get(reverse("analysis:country", args=[code]))
    assert response.status_code == 200
    return response.content.decode()


def _page_swot_lines(page: str) -> list[str]:
    """The SWOT lines of /analysis/<country>/ as a reader sees them, in page order."""
    found = re.findall(r'<li class="swot-line" id="[^"]*">\s*(.*?)\s*<small>', page, re.S)
    return [_words(html.unescape(text)) for text in found]


def test_the_swot_shows_the_lines_of_the_analysis_page(
    seeded: dict[str, Any], make_user: Callable[..., Any]
) -> None:
    load_assessment_demo()
    coordinator = make_user("coordinator", "LV")
    client = Client()
    client.force_login(coordinator)
    on_the_page = _page_swot_lines(_analysis_page(client, "LV", "en"))
    assert len(on_the_page) >= 4

    report = mapping_report(coordinator, ["LV"], "en")
    (latvia,) = report.analysis
    assert not latvia.swot_note
    assert list(latvia.swot) == list(QUADRANTS)
    in_the_report = [_words(line.text) for q in QUADRANTS for line in latvia.swot[q]]
    assert in_the_report == on_the_page
    table = analysis.swot("LV", user=coordinator, lang="en")
    assert [len(latvia.swot[q]) for q in QUADRANTS] == [len(table.quadrants[q]) for q in QUADRANTS]

    # The document the PDF is printed from, then the PDF itself, carry every line.
    document = services.mapping_document(report)
    swot_section = document[document.index('<section id="swot"') :]
    swot_section = swot_section[: swot_section.index('<section id="highlights"')]
    shown = _words(html.unescape(re.sub(r"<[^>]+>", " ", swot_section)))
    for text in on_the_page:
        assert text in shown
    pdf = services.render(report, "pdf")
    printed = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    printed = re.sub(r"-\s+", "-", printed).split()  # a line may break after a hyphen
    # The section as printed: from its heading (the second time, after the contents) on.
    title = "Strengths, weaknesses, opportunities and threats".split()
    starts = [i for i in range(len(printed)) if printed[i : i + len(title)] == title]
    section = printed[starts[1] : printed.index("Interesting", starts[1])]
    for heading in ("Strengths", "Weaknesses", "Opportunities", "Threats"):
        assert heading in section[len(title) :]
    for text in on_the_page:
        # Quadrants print side by side, so their lines interleave in the extracted text; the
        # words of each line still come in order.
        assert _in_order(text.split(), section), text


def _in_order(words: list[str], text: list[str]) -> bool:
    rest = iter(text)
    return all(any(word == seen for seen in rest) for word in words)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["3.2", "0.75", "75 %", "1,235", "3", "3.3"]),
        ("fr", ["3,2", "0,75", "75 %", "1\u00a0235", "3", "3,3"]),
        ("lv", ["3,2", "0,75", "75 %", "1\u00a0235", "3", "3,3"]),
    ],
)
def test_numbers_round_in_the_readers_language(lang: str, expected: list[str]) -> None:
    with translation.override(lang):
        shown = [
            number(3.19, 1),  # cut off, this printed "3,1"
            number(0.7499999999999999, 2),  # a sum of floats that reads 0.75 ("0,74" before)
            number(74.5, 0) + " %",  # half up, where round() gives 74
            number(1234.5),
            number(3.0, -1),
            number(3.25, -1),  # half up, as the pages' floatformat rounds
        ]
    assert shown == expected


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_report_scores_are_the_analysis_pages_scores(
    seeded: dict[str, Any], make_user: Callable[..., Any], lang: str
) -> None:
    load_assessment_demo()
    coordinator = make_user("coordinator", "LV")
    client = Client()
    client.force_login(coordinator)
    page = _analysis_page(client, "LV", lang)
    page_means = dict(
        re.findall(
            r'<tr id="dim-[^"]*">\s*<th scope="row">(.*?)</th>\s*<td class="num">(.*?)</td>', page
        )
    )
    assert page_means
    with translation.override(lang):
        report = mapping_report(coordinator, ["LV"], lang)
    (latvia,) = report.assessment.countries
    report_means = {html.escape(row.label): row.mean for row in latvia.rows}
    assert report_means == page_means
    separator = "," if lang == "fr" else "."
    assert all(separator in mean for mean in report_means.values())
    # Indicators: the report writes each value as the analysis page does.
    page_values = re.findall(r'title="[^"]*">([^<]*)</a> <small>', page)
    (indicators,) = report.analysis
    assert [row.value for row in indicators.indicators] == [html.unescape(v) for v in page_values]


@override_settings(MATURITY_GAP=2.25)
def test_method_states_the_gap_rounded(seeded: dict[str, Any]) -> None:
    for lang, gap in (("en", "2.3"), ("fr", "2,3")):
        with translation.override(lang):
            report = mapping_report(None, ["LV"], lang)
        assert f" {gap} " in report.method[1].platform


def _report_map(lang: str) -> ET.Element:
    """The map of the report's page and PDF, parsed out of its `<img>` data URL."""
    with translation.override(lang):
        report = mapping_report(None, ["ES"], lang)
        document = services.mapping_document(report)
    assert report.map is not None
    images = re.findall(
        r'<img class="chart map" src="data:image/svg\+xml;base64,([^"]+)"', document
    )
    assert images, "no map in the report"
    return ET.fromstring(base64.b64decode(images[0]))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_report_map_numbers_are_markup_in_every_language(seeded: dict[str, Any], lang: str) -> None:
    svg = _report_map(lang)
    # Spain's map holds the Canary Islands inset, whose frame is written from floats.
    assert svg.findall("{http://www.w3.org/2000/svg}g[@class='inset']")
    assert_markup_numbers(svg)


def test_transnational_map_draws_countries_when_regions_are_missing(
    seeded: dict[str, Any],
) -> None:
    # Most French organisations of the open-data lists carry no region finer than the country.
    for n in range(8):
        organisation("FR", name=f"Reptest association sans région {n}")
    with translation.override("fr"):
        report = mapping_report(None, ["FR", "LV"], "fr")
    assert report.map is not None and report.map.level == 0
    svg = ET.fromstring(report.map.svg.encode())
    titles = {
        a.get("data-code"): a.find("{http://www.w3.org/2000/svg}title").text
        for a in svg.findall(
            "{http://www.w3.org/2000/svg}g[@class='regions']/{http://www.w3.org/2000/svg}a"
        )
    }
    french = Organisation.objects.filter(country__code="FR", published=True).count()
    assert set(titles) == {"FR", "LV"}
    assert titles["FR"].split() == ["France", "(FR)", ":", str(french), "organisations"]
