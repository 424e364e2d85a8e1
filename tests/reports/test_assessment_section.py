"""The maturity section: radar and dimension table from the latest campaign, for those allowed."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from buicasus.assessment.demo import load_demo as load_assessment_demo
from buicasus.core.radar import PALETTE
from buicasus.reports import services
from buicasus.reports.mapping import mapping_report
from buicasus.reports.rendering import OfflineFetcher
from tests.reports.test_rendering import _page_streams, _rgb_operator


def test_scores_and_radar_for_the_trusted_cli(seeded: dict[str, Any]) -> None:
    load_assessment_demo()
    report = mapping_report(None, ["LV"], "en")
    (latvia,) = report.assessment.countries
    assert latvia.campaign and latvia.is_demo and not latvia.note
    assert latvia.rows and all(row.label for row in latvia.rows)
    assert any(row.mean != "–" for row in latvia.rows)
    assert report.assessment.radar_svg.startswith("<svg")
    assert report.campaigns == [latvia]


def test_scores_hidden_from_anonymous_readers(client: Client, seeded: dict[str, Any]) -> None:
    load_assessment_demo()
    html = client.get(reverse("reports:mapping", args=["LV"]), {"lang": "en"}).content.decode()
    assert "shown to members of the platform only" in html
    assert "Radar chart of the maturity scores" not in html


def test_radar_is_drawn_in_the_pdf(seeded: dict[str, Any]) -> None:
    load_assessment_demo()
    fetcher = OfflineFetcher()
    pdf = services.build_mapping(None, ["ES", "FR", "LV", "SE"], "sv", "pdf", fetcher=fetcher)
    assert fetcher.refused == []
    streams = b"".join(_page_streams(pdf))
    # One radar outline per country, each in its own palette colour, stroked on the page.
    for colour in PALETTE[:4]:
        assert _rgb_operator(colour) + b" RG" in streams
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Lettland" in text
