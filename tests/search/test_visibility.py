"""Search never shows, nor counts, a record its reader may not see: the results and every facet
agree with the registry's permission policy (`registry.policies`) for each kind of reader."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from buicasus.registry import services
from tests.registry.factories import initiative, organisation
from tests.search.conftest import Corpus, facet, keys, run

pytestmark = pytest.mark.django_db

READERS = [None, ("viewer", "LV"), ("editor", "ES"), ("contributor", "FR"), ("admin", None)]


def expected(user: Any, word: str | None = None) -> set[tuple[str, int]]:
    orgs = services.visible_organisations(user)
    inits = services.visible_initiatives(user)
    if word:
        orgs = orgs.filter(description__icontains=word) | orgs.filter(name__icontains=word)
        inits = inits.filter(description__icontains=word) | inits.filter(title__icontains=word)
    found = {("organisation", o.pk) for o in orgs} | {("initiative", i.pk) for i in inits}
    return found


def countries(user: Any, found: set[tuple[str, int]]) -> Counter[str]:
    by_kind = {
        "organisation": dict(
            services.visible_organisations(user).values_list("pk", "country__code")
        ),
        "initiative": dict(services.visible_initiatives(user).values_list("pk", "country__code")),
    }
    return Counter(by_kind[kind][pk] for kind, pk in found)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("word", ["", "zzcorpus", "zzsecret"])
def test_results_and_facets_match_visibility(
    corpus: Corpus, make_user: Callable[..., Any], reader: tuple[str, str | None] | None, word: str
) -> None:
    user = make_user(*reader) if reader else AnonymousUser()
    if reader and reader[0] == "contributor":
        own = initiative(
            "ES",
            title="Mi propuesta zzsecret",
            description="Zzcorpus.",
            created_by=user,
            published=False,
            review_status="proposed",
        )
        assert ("initiative", own.pk) in expected(user)
    want = expected(user, word or None)
    page = run(word, user, page_size=200)
    assert set(keys(page)) == want
    assert page.total == len(want)
    assert facet(page, "country") == dict(countries(user, want))
    assert sum(facet(page, "kind").values()) == len(want)
    assert sum(facet(page, "language").values()) >= len({k for k in want if k[0] == "initiative"})


def test_anonymous_sees_no_secret_anywhere(corpus: Corpus) -> None:
    page = run("zzsecret", page_size=200)
    assert page.total == 0
    assert page.hits == []
    assert all(not facet(page, f.name) for f in page.facets)
    browse = run("", page_size=200)
    hidden = {
        ("organisation", corpus.lv_org_hidden.pk),
        ("initiative", corpus.fr_init_unpublished.pk),
        ("initiative", corpus.es_init_proposed.pk),
    }
    assert not hidden & set(keys(browse))


def test_viewer_reads_approved_unpublished_of_their_country_only(
    corpus: Corpus, make_user: Callable[..., Any]
) -> None:
    viewer = make_user("viewer", "FR")
    assert keys(run("zzsecret", viewer)) == [("initiative", corpus.fr_init_unpublished.pk)]
    editor = make_user("editor", "ES")
    assert keys(run("zzsecret", editor)) == [("initiative", corpus.es_init_proposed.pk)]


def test_publishing_makes_a_record_findable(corpus: Corpus, make_user: Callable[..., Any]) -> None:
    editor = make_user("editor", "LV")
    services.review(editor, corpus.lv_org_hidden, approve=True, publish=True)
    assert keys(run("zzsecret")) == [("organisation", corpus.lv_org_hidden.pk)]
    services.review(editor, corpus.lv_org_hidden, approve=False)
    assert keys(run("zzsecret")) == []


def test_region_counts_respect_visibility(db: None) -> None:
    from buicasus.reference.models import NutsRegion

    region = NutsRegion.objects.get(code="SE110")
    organisation("SE", name="Zzregion öppen", region=region)
    organisation("SE", name="Zzregion dold", region=region, published=False)
    assert facet(run("zzregion"), "region") == {"SE1": 1}
    assert facet(run("", region="SE11"), "region") == {"SE110": 1}
