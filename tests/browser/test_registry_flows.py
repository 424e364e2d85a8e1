"""The registry as a person uses it: log in, change language, search and filter, create and edit
an initiative, and be refused another country's record."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from buicasus.registry.models import Initiative
from tests.registry.factories import initiative, organisation

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_and_switch_language(page: Any, login: Any) -> None:
    login("viewer", "LV")
    page.goto("/")
    assert page.get_by_role("button", name="Log out").count() == 1
    page.select_option("#switch-language", "fr")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_selector("html[lang=fr]")
    assert page.get_by_role("link", name="Initiatives").count() >= 1
    assert page.get_by_role("button", name="Changer de langue").count() == 1


def test_search_and_filter_the_registry(page: Any) -> None:
    organisation("LV", name="Rīgas kopienas darbnīca")
    organisation("ES", name="Cooperativa de Sevilla")
    initiative("LV", title="Kopienas darbnīca jauniešiem")
    page.goto("/search/?q=darbnīca")
    page.wait_for_selector("text=Rīgas kopienas darbnīca")
    assert page.locator("text=Cooperativa de Sevilla").count() == 0
    page.goto("/organisations/")
    page.locator("#id_country").select_option("ES")
    page.wait_for_selector("text=Cooperativa de Sevilla")
    expect(page.locator("main")).not_to_contain_text("Rīgas kopienas darbnīca")


def test_create_then_edit_an_initiative(page: Any, login: Any) -> None:
    login("editor", "LV")
    page.goto("/initiatives/new/")
    page.locator("#id_title").fill("Senioru digitālās prasmes")
    page.locator("#id_country").select_option("LV")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/initiatives/*/")
    saved = Initiative.objects.get(title="Senioru digitālās prasmes")
    assert saved.country_id == "LV" or saved.country.code == "LV"
    page.goto(f"/initiatives/{saved.pk}/edit/")
    page.locator("#id_title").fill("Senioru digitālās prasmes Rīgā")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/initiatives/{saved.pk}/")
    assert page.get_by_role("heading", name="Senioru digitālās prasmes Rīgā").count() == 1
    saved.refresh_from_db()
    assert saved.title == "Senioru digitālās prasmes Rīgā"


def test_another_countrys_record_is_refused(page: Any, login: Any) -> None:
    spanish = initiative("ES", title="Iniciativa de Sevilla")
    login("editor", "LV")
    response = page.goto(f"/initiatives/{spanish.pk}/edit/")
    assert response is not None and response.status == 403
    spanish.refresh_from_db()
    assert spanish.title == "Iniciativa de Sevilla"
