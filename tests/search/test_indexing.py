"""Index maintenance: `reindex`, the change event that keeps edits in sync once per
transaction, the `search-reindex` command, and the stored counts always equal to what they
count."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models.signals import post_migrate

from buicasus.reference.models import Country, NutsRegion
from buicasus.registry.models import Funding, Initiative, Organisation
from buicasus.search import indexing
from buicasus.search.models import COMBO_MASK, SearchCombo, SearchDocument, SearchTagCount
from tests.registry.factories import organisation, term
from tests.search.conftest import Corpus, facet, keys, run

pytestmark = pytest.mark.django_db


def assert_consistent() -> None:
    """Stored counts equal a fresh count; every record has exactly one document."""
    docs = list(SearchDocument.objects.values_list("id", "combo", "kind", "record_id"))
    assert all(doc_id & COMBO_MASK == combo for doc_id, combo, _k, _r in docs)
    per_combo: dict[int, int] = {}
    for _d, combo, _k, _r in docs:
        per_combo[combo] = per_combo.get(combo, 0) + 1
    stored = {c: n for c, n in SearchCombo.objects.values_list("id", "n") if n}
    assert stored == per_combo
    wanted = {(0, pk) for pk in Organisation.objects.values_list("pk", flat=True)}
    wanted |= {(1, pk) for pk in Initiative.objects.values_list("pk", flat=True)}
    assert {(k, r) for _d, _c, k, r in docs} == wanted
    assert len(docs) == len(wanted)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.combo, t.tag, count(*) FROM search_searchtag t "
            "JOIN search_searchdocument d ON d.id = t.doc_id GROUP BY d.combo, t.tag"
        )
        tags = {(c, tag): n for c, tag, n in cursor.fetchall()}
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM search_fts")
            assert cursor.fetchone()[0] == len(docs)
    stored_tags = {
        (c, tag): n for c, tag, n in SearchTagCount.objects.values_list("combo", "tag", "n") if n
    }
    assert stored_tags == tags


def test_corpus_is_consistent(corpus: Corpus) -> None:
    assert_consistent()


def test_saving_and_deleting_a_record(corpus: Corpus) -> None:
    corpus.se_org.name = "Zzrenamed Kooperativ"
    corpus.se_org.save()
    assert keys(run("zzrenamed")) == [("organisation", corpus.se_org.pk)]
    # "Sjöfart" is still one of its other names: the old name's phrase is what is gone.
    assert keys(run('"sjofartens kooperativ"')) == []
    pk = corpus.es_init.pk
    corpus.es_init.delete()
    assert ("initiative", pk) not in keys(run("zzcorpus"))
    assert_consistent()


def test_links_and_fundings_follow(corpus: Corpus) -> None:
    record = corpus.es_init
    record.sdgs.add(term("sdg", "10"))
    assert facet(run("andalucia"), "sdg") == {"8": 1, "10": 1}
    record.policy_fields.clear()
    assert facet(run("andalucia"), "policy_field") == {}
    NutsRegion.objects.get(code="ES30").initiatives.add(record)  # from the other side
    assert facet(run("andalucia"), "region") == {"ES6": 1, "ES3": 1}
    Funding.objects.create(initiative=record, source=term("funding-source", "easi"))
    assert facet(run("andalucia"), "fund") == {"esf": 1, "easi": 1}
    Funding.objects.filter(initiative=record, source__code="esf").delete()
    assert facet(run("andalucia"), "fund") == {"easi": 1}
    assert_consistent()


def test_changing_country_and_publication_moves_counts(corpus: Corpus) -> None:
    corpus.se_org.country = Country.objects.get(code="LV")
    corpus.se_org.save()
    assert facet(run("sjofartens"), "country") == {"LV": 1}
    corpus.se_org.published = False
    corpus.se_org.save()
    assert run("sjofartens").total == 0
    assert_consistent()


def test_bulk_writes_are_indexed_by_reindex(db: None) -> None:
    country = Country.objects.get(code="FR")
    made = Organisation.objects.bulk_create(
        Organisation(
            name=f"Zzbulk association {i}",
            actor_type=term("actor-type", "association-ngo"),
            country=country,
            published=True,
        )
        for i in range(5)
    )
    assert run("zzbulk").total == 0  # bulk_create sends no signals
    assert indexing.reindex("organisation", [o.pk for o in made]) == 5
    assert run("zzbulk").total == 5
    assert_consistent()


def test_full_reindex_drops_records_deleted_behind_its_back(corpus: Corpus) -> None:
    Organisation.objects.filter(pk=corpus.se_org.pk)._raw_delete(connection.alias)
    assert indexing.reindex("organisation") == Organisation.objects.count()
    # "Sjöfart" is still one of its other names: the old name's phrase is what is gone.
    assert keys(run('"sjofartens kooperativ"')) == []
    assert_consistent()


def test_reindex_refuses_an_unknown_kind(db: None) -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        indexing.reindex("tie", [1])


def test_a_transaction_is_reindexed_once_after_it_commits(db: None) -> None:
    with transaction.atomic():
        record = organisation("LV", name="Zzdeferred biedrība")
        with transaction.atomic():
            record.name = "Zzdeferred biedrība otrā"
            record.save()
        assert run("zzdeferred").total == 0
    assert [h.title for h in run("zzdeferred").hits] == ["Zzdeferred biedrība otrā"]
    assert_consistent()


def test_a_rolled_back_transaction_leaves_the_index_alone(corpus: Corpus) -> None:
    before = keys(run("zzcorpus"))
    with pytest.raises(RuntimeError), transaction.atomic():
        corpus.fr_org.name = "Zzrolledback"
        corpus.fr_org.save()
        raise RuntimeError
    assert keys(run("zzcorpus")) == before and run("zzrolledback").total == 0
    assert_consistent()


def test_reindexing_keeps_a_records_place_in_time(corpus: Corpus) -> None:
    before = keys(run("zzcorpus", sort="newest"))
    indexing.reindex("initiative")
    indexing.reindex("organisation", [corpus.fr_org.pk])
    assert keys(run("zzcorpus", sort="newest")) == before


def test_command_rebuilds_the_index(corpus: Corpus) -> None:
    out = io.StringIO()
    call_command("search_reindex", "--rebuild", stdout=out, stderr=io.StringIO())
    assert "initiative:" in out.getvalue()
    assert keys(run("andalucia")) == [("initiative", corpus.es_init.pk)]
    call_command("search_reindex", "--kind", "organisation", verbosity=0)
    assert_consistent()


def test_flush_also_empties_the_full_text_table(corpus: Corpus) -> None:
    """`flush` (between transactional tests) empties Django's tables, then sends post_migrate."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps the text in the document table itself")
    SearchDocument.objects.all().delete()
    post_migrate.send(sender=indexing_app(), app_config=indexing_app(), using="default")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_fts")
        assert cursor.fetchone()[0] == 0


def indexing_app():  # noqa: ANN201 - an AppConfig
    from django.apps import apps

    return apps.get_app_config("search")
