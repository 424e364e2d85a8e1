"""Searching as people type: other inflected forms of the words a record uses, and, when no
record has every word, the records having most of them, labelled as such. Through the service,
the page and the API; the same cases run on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from buicasus.reference.models import NutsRegion
from tests.registry.factories import initiative
from tests.search.conftest import Corpus, add_links, keys, run

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("réseaux économiques régionaux", "fr_org"),  # fr: réseau, économie, régional
        ("reseaux economiques", "fr_org"),  # … typed without accents
        ("företagen kommunerna", "se_org"),  # sv: företag, kommun
        ("empleos jóvenes", "es_init"),  # es: empleo, jóvenes
        ("empleo jovenes innovaciones", "es_init"),
        ("sociālās uzņēmējdarbības", "lv_init"),  # lv: sociālā uzņēmējdarbība
        ("sociālā uzņēmējdarbība atbalstu", "lv_init"),  # lv: atbalsts
        ("socialais uznemums", "lv_init"),  # lv: sociālajiem uzņēmumiem, without accents
        ("socially entrepreneurships zzcorpus", "lv_init"),  # en: its English title
    ],
)
def test_inflected_forms_find_the_record(corpus: Corpus, query: str, expected: str) -> None:
    record = getattr(corpus, expected)
    page = run(query)
    assert keys(page) == [(record._meta.model_name, record.pk)]
    assert not page.partial


def test_inflected_phrase_and_highlight(corpus: Corpus) -> None:
    page = run('"sociālās uzņēmējdarbības"')
    assert keys(page) == [("initiative", corpus.lv_init.pk)]
    page = run('"sociālie uzņēmumi"')
    assert keys(page) == [("initiative", corpus.lv_init.pk)]
    assert "<mark>sociālajiem</mark> <mark>uzņēmumiem</mark>" in str(page.hits[0].snippet_html)
    assert "<mark>Empleo</mark>" in str(run("empleos zzcorpus").hits[0].snippet_html)


def test_a_prefix_finds_words_indexed_by_a_shorter_stem(corpus: Corpus) -> None:
    # "innovación" is indexed as its stem "innov"; a reader's prefix is longer.
    assert keys(run("innovaci* zzcorpus")) == [("initiative", corpus.es_init.pk)]


def test_best_partial_matches_are_labelled(corpus: Corpus) -> None:
    page = run("empleo jóvenes zzabsent")
    assert keys(page) == [("initiative", corpus.es_init.pk)]
    assert page.partial and (page.matched_words, page.query_words) == (2, 3)
    assert page.total == 1
    assert "showing the records that contain 2 of them" in page.notices[0]
    # Only the best: a record with one of the words is not among them.
    assert keys(run("zzcorpus andalucia zzabsent")) == [("initiative", corpus.es_init.pk)]


def test_partial_matches_respect_visibility_and_single_words_do_not_fall_back(
    corpus: Corpus,
) -> None:
    page = run("zzsecret zzabsent")
    assert keys(page) == [] and not page.partial
    page = run("zzabsent")
    assert keys(page) == [] and not page.partial


def test_partial_matches_on_the_page_and_in_the_api(corpus: Corpus, anonymous: Client) -> None:
    html = anonymous.get("/search/", {"q": "sociālā uzņēmējdarbība zzabsent"}).content.decode()
    assert "showing the records that contain 2 of them" in html
    assert "Rīgā" in html
    body = anonymous.get("/api/v1/search", {"q": "sociālā uzņēmējdarbība zzabsent"}).json()
    assert [(r["kind"], r["id"]) for r in body["results"]] == [("initiative", corpus.lv_init.pk)]
    assert (body["partial"], body["matched_words"], body["query_words"]) == (True, 2, 3)
    assert "2 of them" in body["notices"][0]
    whole = anonymous.get("/api/v1/search", {"q": "sociālā uzņēmējdarbība"}).json()
    assert (whole["partial"], whole["matched_words"], whole["count"]) == (False, 2, 1)


def test_records_of_one_title_are_told_apart(corpus: Corpus, anonymous: Client) -> None:
    """ESF operations of one programme often share a title: each result names its place,
    funding and dates beside it."""
    title = "Zztwin empleo juvenil"
    places = [NutsRegion.objects.get(code=c).name for c in ("ES61", "ES30")]
    first = add_links(
        initiative("ES", title=title, start_date=date(2021, 1, 1), end_date=date(2022, 6, 30)),
        regions=["ES61"],
        funds=["esf"],
    )
    second = add_links(
        initiative("ES", title=title, start_date=date(2023, 3, 1)), regions=["ES3", "ES30"]
    )
    page = run("zztwin")
    details = {hit.id: hit.details for hit in page.hits}
    assert set(details) == {first.pk, second.pk}
    assert details[first.pk][0] == places[0] and "2021" in details[first.pk][-1]
    assert "2022" in details[first.pk][-1] and len(details[first.pk]) == 3  # place, fund, dates
    assert details[second.pk][0] == places[1]  # the finer region, not its parent as well
    assert "2023" in details[second.pk][-1]
    html = anonymous.get("/search/", {"q": "zztwin"}).content.decode()
    assert html.count("<mark>Zztwin</mark> empleo juvenil</a>") == 2
    assert places[0] in html and places[1] in html
    body = anonymous.get("/api/v1/search", {"q": "zztwin"}).json()
    assert {r["id"]: r["details"] for r in body["results"]} == details
