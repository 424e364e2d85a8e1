"""Search behaviour through the service: folding, prefixes, phrases, snippets, facets, sorting,
pagination, browsing and tolerated syntax. The same cases run on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from buicasus.search.params import MAX_WINDOW
from tests.registry.factories import initiative, organisation
from tests.search.conftest import Corpus, facet, keys, run

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cooperative etoilee", "fr_org"),  # fr: é, ï, û
        ("ÉTOILÉE Coopérative", "fr_org"),
        ("mais brule", "fr_org"),
        ("andalucia innovacion", "es_init"),  # es: ó, í
        ("jovenes empleo", "es_init"),
        ("sjofartens kooperativ", "se_org"),  # sv: ö, å
        ("are sjöfart", "se_org"),
        ("socialajiem uznemumiem", "lv_init"),  # lv: ā, ņ, ē
        ("rīgā ķekavā", "lv_init"),
        ("riga entrepreneurship", "lv_init"),  # an English translation of the title
    ],
)
def test_accents_are_folded_in_every_language(corpus: Corpus, query: str, expected: str) -> None:
    record = getattr(corpus, expected)
    assert keys(run(query)) == [(record._meta.model_name, record.pk)]


def test_prefix_query(corpus: Corpus) -> None:
    assert keys(run("etoil*")) == [("organisation", corpus.fr_org.pk)]
    assert ("initiative", corpus.es_init.pk) in keys(run("emprend*"))


def test_phrase_query_needs_adjacent_words(corpus: Corpus) -> None:
    assert keys(run('"economía social" zzcorpus')) == [("initiative", corpus.es_init.pk)]
    # No record has the phrase: the records with the other word are partial matches.
    page = run('"social economía" zzcorpus')
    assert page.partial and (page.matched_words, page.query_words) == (1, 2)
    assert keys(run('"innovación social" "economia soc*"')) == [("initiative", corpus.es_init.pk)]


def test_all_words_must_match(corpus: Corpus) -> None:
    assert keys(run("andalucia zzcorpus")) == [("initiative", corpus.es_init.pk)]
    # No record has both: each record having one of them is a partial match, so labelled.
    page = run("andalucia riga")
    assert page.partial and page.matched_words == 1
    assert sorted(keys(page)) == [
        ("initiative", corpus.es_init.pk),
        ("initiative", corpus.lv_init.pk),
    ]


def test_snippet_and_title_are_highlighted(corpus: Corpus) -> None:
    hit = run("empleo").hits[0]
    assert "<mark>Empleo</mark> de calidad" in hit.snippet_html
    hit = run("andalucía").hits[0]
    assert hit.title_html == "Innovación social en <mark>Andalucía</mark>"


def test_snippet_from_other_names(corpus: Corpus) -> None:
    hit = run('"are sjofart"').hits[0]
    assert hit.snippet_html == "<mark>Åre</mark> <mark>Sjöfart</mark>"


def test_content_is_escaped_before_marking(db: None) -> None:
    organisation(
        "LV",
        name="<script>alert('zzxss')</script> & Co",
        description="<b>zzxss</b> <i>bold</i>",
    )
    hit = run("zzxss").hits[0]
    assert hit.title_html == (
        "&lt;script&gt;alert(&#x27;<mark>zzxss</mark>&#x27;)&lt;/script&gt; &amp; Co"
    )
    assert hit.snippet_html == "&lt;b&gt;<mark>zzxss</mark>&lt;/b&gt; &lt;i&gt;bold&lt;/i&gt;"


def test_facet_counts(corpus: Corpus) -> None:
    page = run("zzcorpus")
    assert page.total == len(page.hits) == 4
    assert facet(page, "kind") == {"organisation": 2, "initiative": 2}
    assert facet(page, "country") == {"FR": 1, "SE": 1, "ES": 1, "LV": 1}
    assert facet(page, "policy_field") == {"employment": 2, "education": 1}
    assert facet(page, "sdg") == {"8": 2, "4": 1}
    assert facet(page, "fund") == {"esf": 1, "erdf": 1, "national": 1}
    assert facet(page, "esf_objective") == {"a": 1}
    assert facet(page, "stage") == {"implementation": 1, "testing": 1}
    assert facet(page, "evidence_level") == {"promising-practice": 1}
    assert facet(page, "actor_type") == {"network-federation": 1, "cooperative": 1}
    assert facet(page, "language") == {"fr": 1, "sv": 1, "es": 1, "lv": 1, "en": 1}
    assert facet(page, "region") == {"FR1": 1, "ES6": 1, "LV0": 1}


def test_facets_filter_and_count_disjunctively(corpus: Corpus) -> None:
    page = run("zzcorp*", country=["ES", "LV"])
    assert {k for k, _ in keys(page)} == {"initiative"}
    assert page.total == 2
    # the country facet ignores its own selection; the others apply it
    assert facet(page, "country") == {"FR": 1, "SE": 1, "ES": 1, "LV": 1}
    assert facet(page, "kind") == {"initiative": 2}
    page = run("zzcorp*", country=["ES", "LV"], fund=["erdf"])
    assert keys(page) == [("initiative", corpus.lv_init.pk)]
    assert facet(page, "fund") == {"esf": 1, "erdf": 1, "national": 1}
    assert facet(page, "country") == {"LV": 1}


def test_region_filter_includes_sub_regions(corpus: Corpus) -> None:
    assert keys(run("zzcorp*", region="LV0")) == [("initiative", corpus.lv_init.pk)]
    page = run("zzcorp*", region="LV00")
    assert keys(page) == [("initiative", corpus.lv_init.pk)]
    assert facet(page, "region") == {"LV006": 1}
    assert [(r.code, r.selected) for r in page.regions] == [("LV0", False), ("LV00", True)]
    assert keys(run("", region="FR10", kind="organisation")) == [("organisation", corpus.fr_org.pk)]


def test_unknown_codes_match_nothing(corpus: Corpus) -> None:
    assert run("zzcorp*", country="XX").total == 0
    assert run("zzcorp*", sdg="99").hits == []


def test_sort_by_name_and_newest(corpus: Corpus) -> None:
    names = [hit.title for hit in run("zzcorp*", sort="name").hits]
    assert names == sorted(names, key=lambda t: t.casefold().replace("é", "e"))
    newest = keys(run("zzcorp*", sort="newest"))
    assert newest[0] == ("initiative", corpus.lv_init.pk)  # created last
    assert newest[-1] == ("organisation", corpus.fr_org.pk)  # created first


def test_relevance_puts_title_matches_first(db: None) -> None:
    older_title = organisation("ES", name="Zzrelevance asociación")
    body = initiative("ES", title="Proyecto B", description="Habla de zzrelevance en el texto.")
    title = initiative("ES", title="zzrelevance en el título", description="Nada más.")
    assert keys(run("zzrelevance")) == [
        ("initiative", title.pk),
        ("organisation", older_title.pk),
        ("initiative", body.pk),
    ]


def test_deep_pagination(db: None) -> None:
    made = [initiative("SE", title=f"Zzpage projekt {i:03d}") for i in range(53)]
    by_name = [("initiative", r.pk) for r in made]
    pages = [run("zzpage", sort="name", page=n, page_size=10) for n in range(1, 8)]
    assert [p.pages for p in pages] == [6] * 7
    assert sum((keys(p) for p in pages), []) == by_name
    assert pages[-1].hits == []  # past the end: empty, not an error
    newest = [run("zzpage", page=n, page_size=7) for n in range(1, 9)]
    assert sum((keys(p) for p in newest), []) == by_name[::-1]
    browse = [run("", country="SE", kind="initiative", page=n, page_size=10) for n in (5, 6)]
    assert keys(browse[0]) + keys(browse[1]) == by_name[::-1][40:]


def test_beyond_the_window_is_refused_politely(corpus: Corpus) -> None:
    page = run("zzcorp*", page=MAX_WINDOW // 25 + 1, page_size=25)
    assert page.hits == []
    assert page.total == 4
    assert any("narrow" in n for n in page.notices)


def test_empty_query_browses_every_visible_record(corpus: Corpus) -> None:
    page = run("", page_size=200)
    from buicasus.registry.models import Initiative, Organisation

    expected = Organisation.objects.filter(published=True, review_status="approved").count()
    expected += Initiative.objects.filter(published=True, review_status="approved").count()
    assert page.total == len(page.hits) == expected
    assert sum(facet(page, "kind").values()) == expected
    assert sum(facet(page, "country").values()) == expected


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ('"social enterp', "quotation mark"),
        ("*", "lone *"),
        ("so* social*", "three letters"),
        ("?!%", "nothing to search"),
    ],
)
def test_bad_syntax_is_explained_not_refused(corpus: Corpus, query: str, notice: str) -> None:
    page = run(query)
    assert any(notice in text for text in page.notices)
    assert page.total >= 0


def test_browsing_with_tag_filters(corpus: Corpus) -> None:
    es, lv = ("initiative", corpus.es_init.pk), ("initiative", corpus.lv_init.pk)
    page = run("", fund=["erdf", "esf"], sort="name")
    assert keys(page) == [es, lv]
    assert facet(page, "fund") == {"esf": 1, "erdf": 1, "national": 1}
    page = run("", fund="national", region="LV0")
    assert keys(page) == [lv]
    assert facet(page, "region") == {"LV00": 1}
    assert facet(page, "fund") == {"erdf": 1, "national": 1}
    page = run("", sdg="4", policy_field="education", kind="initiative")
    assert keys(page) == [lv]
    assert facet(page, "policy_field") == {"employment": 1, "education": 1}
    assert facet(page, "sdg") == {"8": 1, "4": 1}
    assert facet(page, "country") == {"LV": 1}


def test_relevance_pages_run_across_the_two_tiers(db: None) -> None:
    titles = [initiative("LV", title=f"Zztier projekts {i}") for i in range(3)]
    bodies = [initiative("LV", title=f"Projekts {i}", description="Par zztier.") for i in range(4)]
    expected = [("initiative", r.pk) for r in titles[::-1] + bodies[::-1]]
    for size in (1, 2, 3, 5):
        pages = [run("zztier", page=n, page_size=size) for n in range(1, 9)]
        assert sum((keys(p) for p in pages), []) == expected
