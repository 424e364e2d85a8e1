"""Organisation and initiative lists: filters by code, pagination, htmx fragments."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from buicasus.registry.models import ReviewStatus
from tests.registry.factories import initiative, organisation, term

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def names(html: str) -> list[str]:
    """The record names in the results table, in order."""
    return re.findall(
        r'<th scope="row"><a href="/(?:organisations|initiatives)/\d+/"[^>]*>(.*?)</a>', html
    )


@pytest.fixture
def orgs() -> None:
    organisation("LV", name="LV uzņēmums", city="Rīga")
    organisation("LV", name="LV fonds", actor_type=term("actor-type", "foundation"))
    organisation("FR", name="FR association", actor_type=term("actor-type", "association-ngo"))
    organisation("LV", name="LV slēpta", published=False)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=LV", ["LV fonds", "LV uzņēmums"]),
        ("country=FR", ["FR association"]),
        ("actor_type=foundation&country=", ["LV fonds"]),
        ("q=r%C4%ABga&country=", ["LV uzņēmums"]),
        ("q=association", ["FR association"]),
        ("country=XX", ["FR association", "LV fonds", "LV uzņēmums"]),
    ],
)
def test_organisation_filters(client: Client, orgs: None, query: str, expected: list[str]) -> None:
    html = client.get(f"{reverse('registry:organisation-list')}?{query}").content.decode()
    found = [n for n in names(html) if n in {"FR association", "LV fonds", "LV uzņēmums"}]
    assert found == expected


def test_status_filters_for_readers_of_unpublished(
    client_for: Callable[..., Client], orgs: None
) -> None:
    organisation("LV", name="LV ierosināta", review_status=ReviewStatus.PROPOSED)
    client = client_for("editor", "LV")
    url = reverse("registry:organisation-list")
    html = client.get(f"{url}?country=LV&published=false&q=LV").content.decode()
    assert names(html) == ["LV slēpta"]
    html = client.get(f"{url}?country=LV&published=true&q=LV").content.decode()
    assert names(html) == ["LV fonds", "LV ierosināta", "LV uzņēmums"]
    html = client.get(f"{url}?country=LV&review_status=proposed").content.decode()
    assert names(html) == ["LV ierosināta"]
    # ignored for anonymous readers
    html = Client().get(f"{url}?country=LV&published=false&q=LV").content.decode()
    assert set(names(html)) == {"LV fonds", "LV uzņēmums"}


def test_initiative_filters(client: Client) -> None:
    a = initiative("ES", title="Alpha", stage=term("si-stage", "testing"))
    a.sdgs.set([term("sdg", "1"), term("sdg", "8")])
    a.policy_fields.set([term("policy-field", "employment")])
    a.esf_objectives.set([term("esf-objective", "a")])
    b = initiative("ES", title="Beta", evidence_level=term("evidence-level", "good-practice"))
    b.sdgs.set([term("sdg", "8")])
    initiative("LV", title="Gamma", published=False)
    url = reverse("registry:initiative-list")
    cases = {
        "country=ES": ["Alpha", "Beta"],
        "stage=testing": ["Alpha"],
        "evidence_level=good-practice": ["Beta"],
        "sdg=8": ["Alpha", "Beta"],
        "sdg=1": ["Alpha"],
        "policy_field=employment": ["Alpha"],
        "esf_objective=a": ["Alpha"],
        "esf_objective=b": [],
        "q=bet": ["Beta"],
    }
    for query, expected in cases.items():
        html = client.get(f"{url}?{query}").content.decode()
        assert names(html) == expected, query


def test_filter_labels_are_in_the_readers_language(client: Client) -> None:
    client.cookies["django_language"] = "fr"
    html = client.get(reverse("registry:initiative-list")).content.decode()
    assert "Pas de pauvreté" in html  # SDG 1 in French
    assert '<label for="id_sdg">' in html


def test_pagination(client: Client, settings: object) -> None:
    settings.PAGE_SIZE = 2  # type: ignore[attr-defined]
    for i in range(5):
        organisation("SE", name=f"Pagin {i}")
    url = reverse("registry:organisation-list")
    first = client.get(f"{url}?country=SE&q=Pagin").content.decode()
    assert names(first) == ["Pagin 0", "Pagin 1"]
    assert "5 organisations found." in first and "Page 1 of 3" in first
    assert 'href="?country=SE&amp;q=Pagin&amp;page=2"' in first
    third = client.get(f"{url}?country=SE&q=Pagin&page=3").content.decode()
    assert names(third) == ["Pagin 4"] and 'rel="prev"' in third and 'rel="next"' not in third
    # out-of-range pages show the last page rather than an error
    assert names(client.get(f"{url}?country=SE&q=Pagin&page=99").content.decode()) == ["Pagin 4"]


def test_htmx_gets_only_the_results(client: Client, orgs: None) -> None:
    url = f"{reverse('registry:organisation-list')}?country=FR&q=association"
    fragment = client.get(url, **HTMX)
    html = fragment.content.decode()
    assert "<html" not in html and "<table" in html and names(html) == ["FR association"]
    assert "HX-Request" in fragment["Vary"]
    page = client.get(url).content.decode()
    assert page.startswith("<!doctype html>")
    assert 'hx-get="/organisations/"' in page and 'hx-target="#results"' in page
    assert 'hx-push-url="true"' in page
    # a history restore asks for the whole page
    restore = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restore.content.decode()


def test_initiative_list_htmx_fragment(client: Client) -> None:
    initiative("SE", title="Svensk")
    html = client.get(f"{reverse('registry:initiative-list')}?country=SE", **HTMX).content.decode()
    assert "<html" not in html and names(html) == ["Svensk"]


def test_list_shows_translated_titles(client: Client) -> None:
    initiative(
        "LV",
        title="Latviski",
        description_language="lv",
        translations={"sv": {"title": "På svenska"}},
    )
    client.cookies["django_language"] = "sv"
    html = client.get(reverse("registry:initiative-list")).content.decode()
    assert "På svenska" in names(html)
