"""Offline PDF rendering: the fetcher, the embedded charts, and the PDF a report becomes."""

from __future__ import annotations

import base64
import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from buicasus.reports import services
from buicasus.reports.charts import BAR_COLOUR, Bar, bar_chart_svg
from buicasus.reports.rendering import (
    OfflineFetcher,
    RefusedURL,
    render_pdf,
    svg_data_uri,
    svg_img,
)


def _rgb_operator(hex_colour: str) -> bytes:
    """The PDF fill operator WeasyPrint writes for a colour, e.g. `0.121569 0.435294 … rg`."""
    parts = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return " ".join(f"{p:.6f}".rstrip("0").rstrip(".") or "0" for p in parts).encode()


def _page_streams(pdf: bytes) -> list[bytes]:
    reader = PdfReader(io.BytesIO(pdf))
    return [page.get_contents().get_data() for page in reader.pages]  # type: ignore[union-attr]


def test_fetcher_refuses_the_network() -> None:
    fetcher = OfflineFetcher()
    for url in ("http://example.org/x.png", "https://example.org/a.css", "ftp://example.org/f"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert fetcher.refused == [
        "http://example.org/x.png",
        "https://example.org/a.css",
        "ftp://example.org/f",
    ]


def test_fetcher_refuses_files_outside_static() -> None:
    fetcher = OfflineFetcher()
    for url in ("file:///etc/passwd", "file:///static/../etc/passwd", "file://host/static/x"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_fetcher_serves_data_urls_and_our_static_files() -> None:
    fetcher = OfflineFetcher()
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'
    response = fetcher.fetch(svg_data_uri(svg))
    assert response.content_type == "image/svg+xml"
    assert response.read().decode() == svg
    plain = fetcher.fetch("data:text/plain,R%C4%ABga")
    assert plain.read().decode() == "Rīga"
    css = fetcher.fetch("file:///static/buicasus/buicasus.css")
    assert css.content_type == "text/css"
    assert len(css.read()) > 0
    assert len(fetcher.served) == 3


def test_rendering_never_fetches_remote_resources() -> None:
    html = (
        "<html><body><p>Rīga, Malmö, Sevilla, Besançon</p>"
        '<img src="http://example.org/tracker.png" alt="remote">'
        '<link rel="stylesheet" href="https://example.org/evil.css"></body></html>'
    )
    fetcher = OfflineFetcher()
    pdf = render_pdf(html, fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert "http://example.org/tracker.png" in fetcher.refused
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Rīga" in text and "Malmö" in text and "Besançon" in text  # DejaVu has the letters


def test_svg_img_embeds_the_chart_as_an_image() -> None:
    svg = bar_chart_svg([Bar("Ķekava", 3, "3")], title="Chart")
    tag = str(svg_img(svg, 'Alt "text"'))
    assert tag.startswith('<img class="chart" src="data:image/svg+xml;base64,')
    assert 'alt="Alt &quot;text&quot;"' in tag
    encoded = re.search(r"base64,([^\"]+)", tag)
    assert encoded is not None
    assert "Ķekava" in base64.b64decode(encoded.group(1)).decode()


def test_chart_is_drawn_into_the_pdf_page() -> None:
    """WeasyPrint draws an SVG <img> as vector paths and text in the page content stream (no
    raster XObject): the bar's fill colour and the chart's labels are on the page."""
    svg = bar_chart_svg([Bar("Zemgale", 7, "7"), Bar("Vidzeme", 2, "2")], title="Regions")
    html = f"<html><body>{svg_img(svg, 'regions')}</body></html>"
    pdf = render_pdf(html)
    streams = b"".join(_page_streams(pdf))
    assert _rgb_operator(BAR_COLOUR) + b" rg" in streams
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Zemgale" in text and "Vidzeme" in text


@pytest.mark.parametrize("lang", ["lv", "sv"])
def test_country_report_pdf(seeded: dict[str, Any], lang: str) -> None:
    fetcher = OfflineFetcher()
    pdf = services.build_mapping(None, ["LV"], lang, "pdf", fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3
    assert fetcher.refused == []
    # Every chart reached WeasyPrint as an SVG image: bar charts and the map.
    images = [u for u in fetcher.served if u.startswith("data:image/svg+xml;base64,")]
    assert len(images) >= 5  # four bar charts and the map (radar and network when available)
    streams = b"".join(_page_streams(pdf))
    assert _rgb_operator(BAR_COLOUR) + b" rg" in streams
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Reptest best practice" in text
    assert "Latvija" in text if lang == "lv" else "Lettland" in text
    assert f"1 / {len(reader.pages)}" in text  # page numbers in the page margin


@pytest.mark.parametrize(
    ("country", "lang", "name"),
    [
        ("ES", "es", "España"),
        ("FR", "fr", "France"),
        ("SE", "en", "Sweden"),
    ],
)
def test_each_partner_country_gives_a_pdf(
    seeded: dict[str, Any], country: str, lang: str, name: str
) -> None:
    """With LV in lv and sv above, every partner country and every language is covered."""
    pdf = services.build_mapping(None, [country], lang, "pdf")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    assert name in reader.pages[0].extract_text()


def test_transnational_report_pdf(seeded: dict[str, Any]) -> None:
    pdf = services.build_mapping(None, ["ES", "FR", "LV", "SE"], "es", "pdf")
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Letonia" in text and "Suecia" in text
