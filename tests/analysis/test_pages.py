"""Analysis pages: who sees what, the SWOT edited through htmx, comparison without ranking."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from buicasus.analysis.models import SwotEdit
from buicasus.assessment.models import Campaign
from buicasus.jobs.models import Job
from buicasus.jobs.services import run_queued
from buicasus.network.models import NetworkSnapshot
from tests.registry.factories import organisation

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def inline_svg(html: str) -> ET.Element:
    found = re.search(r"<svg xmlns=.*?</svg>", html, re.S)
    assert found, "no inline SVG"
    return ET.fromstring(found.group(0))


@pytest.fixture
def spain(run_campaign: Callable[..., Campaign]) -> Campaign:
    run_campaign("LV")
    return run_campaign("ES", {"culture": 9, "finance": 1}, title="Spain 2026")


def test_anonymous_visitors_see_indicators_not_scores(client: Client, spain: Campaign) -> None:
    organisation("ES", name="Visible")
    html = client.get(reverse("analysis:country", args=["es"])).content.decode()
    assert "Actors per million inhabitants" in html
    assert 'href="/organisations/?country=ES"' in html
    assert "Log in to see them" in html
    assert 'id="swot"' not in html and "<svg" not in html


def test_readers_see_profile_radar_and_swot(
    client_for: Callable[..., Client], spain: Campaign
) -> None:
    response = client_for("viewer", "LV").get(reverse("analysis:country", args=["ES"]))
    html = response.content.decode()
    assert response.status_code == 200
    svg = inline_svg(html)
    assert svg.find("{http://www.w3.org/2000/svg}title").text == "Spain"
    assert 'id="dim-culture"' in html and "Spain 2026" in html
    assert "Culture and awareness is self-assessed at 9.0" in html
    assert 'href="/analysis/ES/#dim-culture"' in html
    assert "Dismiss" not in html and "Add a line" not in html  # not an editor of ES


def test_editors_reword_through_htmx(client_for: Callable[..., Client], spain: Campaign) -> None:
    client = client_for("editor", "ES")
    page = client.get(reverse("analysis:country", args=["ES"])).content.decode()
    assert "Add a line" in page and "Dismiss" in page
    url = reverse("analysis:swot-reword", args=["ES", "score-strength:culture"])
    response = client.post(url, {"text": "Culture carries the ecosystem"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section id="swot"')
    assert "Culture carries the ecosystem" in html and "Line reworded." in html
    history = client.get(reverse("analysis:swot-history", args=["ES", "score-strength:culture"]))
    assert "Culture carries the ecosystem" in history.content.decode()


def test_forms_work_without_javascript(client_for: Callable[..., Client], spain: Campaign) -> None:
    client = client_for("editor", "ES")
    response = client.post(
        reverse("analysis:swot-add", args=["ES"]), {"quadrant": "threat", "text": "Budget cuts"}
    )
    assert response.status_code == 302 and response["Location"].endswith("/analysis/ES/#swot")
    key = SwotEdit.objects.get().key
    client.post(reverse("analysis:swot-dismiss", args=["ES", key]))
    page = client.get(reverse("analysis:country", args=["ES"])).content.decode()
    assert "1 dismissed line" in page and "Restore" in page


def test_invalid_edit_is_shown_and_writes_nothing(
    client_for: Callable[..., Client], spain: Campaign
) -> None:
    client = client_for("editor", "ES")
    response = client.post(
        reverse("analysis:swot-add", args=["ES"]), {"quadrant": "threat", "text": ""}, **HTMX
    )
    assert response.status_code == 422
    assert "Write the line." in response.content.decode()
    assert not SwotEdit.objects.exists()


@pytest.mark.parametrize(("role", "country"), [("editor", "LV"), ("viewer", "ES"), (None, None)])
def test_edits_from_others_are_refused(
    client_for: Callable[..., Client], spain: Campaign, role: str | None, country: str | None
) -> None:
    client = client_for(role, country)
    url = reverse("analysis:swot-dismiss", args=["ES", "score-strength:culture"])
    assert client.post(url, **HTMX).status_code == 403
    add = reverse("analysis:swot-add", args=["ES"])
    assert client.post(add, {"quadrant": "threat", "text": "x"}).status_code == 403
    assert not SwotEdit.objects.exists()


def test_profile_svg_download(
    client: Client, client_for: Callable[..., Client], spain: Campaign
) -> None:
    url = reverse("analysis:country-radar", args=["ES"])
    response = client_for("viewer", "SE").get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    assert ET.fromstring(response.content).tag == "{http://www.w3.org/2000/svg}svg"
    assert client.get(url).status_code == 404  # anonymous: no scores to see


def test_compare_shows_profiles_and_no_rank(
    client_for: Callable[..., Client], spain: Campaign
) -> None:
    client = client_for("viewer", "LV")
    url = reverse("analysis:compare") + "?countries=ES&countries=LV"
    html = client.get(url).content.decode()
    svg = inline_svg(html)
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}g[@aria-label]")) == 2
    assert "Mean of the selection" in html and "Standard deviation" in html
    assert "Why there is no ranking" in html and "warns against using its" in html
    assert "Rank" not in html and "rank</th>" not in html
    assert "(+2.0)" in html  # Spain's culture 9 against a selection mean of 7


def test_compare_refuses_a_single_country(
    client_for: Callable[..., Client], spain: Campaign
) -> None:
    response = client_for("viewer", "LV").get(reverse("analysis:compare") + "?countries=ES")
    assert response.status_code == 400
    assert "Choose at least two countries." in response.content.decode()


def test_change_over_time_page(
    client_for: Callable[..., Client], run_campaign: Callable[..., Campaign]
) -> None:
    run_campaign("ES", {"culture": 3}, title="Round one")
    run_campaign("ES", {"culture": 6}, title="Round two")
    html = client_for("viewer", "ES").get(reverse("analysis:compare") + "?country=ES").content
    text = html.decode()
    assert "Round one" in text and "Round two" in text and "+3.0" in text
    inline_svg(text)


def test_index_lists_countries_and_unknown_country_is_404(
    client: Client, client_for: Callable[..., Client], spain: Campaign
) -> None:
    html = client_for("viewer", "LV").get(reverse("analysis:index")).content.decode()
    assert 'href="/analysis/ES/"' in html and "Countries to compare" in html
    assert client.get("/analysis/XX/").status_code == 404


def test_the_country_page_leaves_the_network_to_a_worker(client: Client) -> None:
    """No request computes a network: the density is "being computed" until a worker ran."""
    organisation("ES", name="Uno")
    organisation("ES", name="Dos")
    html = client.get(reverse("analysis:country", args=["ES"])).content.decode()
    row = re.search(r"Network density.*?</tr>", html, re.S)
    assert row and "being computed" in row.group(0)
    assert not NetworkSnapshot.objects.exists()
    assert Job.objects.filter(status=Job.Status.QUEUED).exists()
    run_queued()
    html = client.get(reverse("analysis:country", args=["ES"])).content.decode()
    row = re.search(r"Network density.*?</tr>", html, re.S)
    assert row and "being computed" not in row.group(0)
    assert NetworkSnapshot.objects.exists()
