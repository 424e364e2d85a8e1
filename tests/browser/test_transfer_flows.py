"""Transfer across borders in the browser: find solutions for a need, then start a pilot."""

from __future__ import annotations

from typing import Any

import pytest

from buicasus.jobs.services import run_queued
from tests.registry.factories import initiative, term

pytestmark = pytest.mark.django_db(transaction=True)


def test_find_solutions_for_a_need_and_open_a_pilot(page: Any, login: Any) -> None:
    initiative(
        "ES",
        title="Formación y empleo para jóvenes en Sevilla",
        description="Programa de formación profesional y acompañamiento al empleo juvenil.",
        description_language="es",
        evidence_level=term("evidence-level", "good-practice"),
    )
    initiative("LV", title="Latvian local initiative", description="Vietējā iniciatīva.")
    run_queued()  # the background worker embeds them for cross-lingual matching
    login("editor", "LV")
    page.goto("/matching/")
    page.locator("#id_text").fill("Jaunieši bez darba: apmācība un atbalsts darba meklēšanā.")
    page.locator("#id_country").select_option("LV")
    page.get_by_role("button", name="Find solutions").click()
    match = page.locator("text=Formación y empleo para jóvenes en Sevilla").first
    match.wait_for()
    # Initiatives of the need's own country are not offered as transfers.
    assert page.locator("text=Latvian local initiative").count() == 0
    # Each match explains its score by named components.
    assert page.locator("table.components").first.is_visible()
    assert page.locator("table.components").first.get_by_text("Evidence").count() >= 1
    page.get_by_role("button", name="Start a pilot from this match").first.click()
    page.wait_for_url("**/pilots/new/**")
    assert page.locator("form").count() >= 1
