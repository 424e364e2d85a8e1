"""`semantic.services.find` on the real database with the hashing encoder: ranking, filters,
visibility, bad input, and initiatives still waiting for a worker to embed them."""

from __future__ import annotations

from typing import Any

import pytest

from buicasus.jobs.services import run_queued
from buicasus.semantic import services
from buicasus.semantic.models import InitiativeEmbedding
from buicasus.semantic.pipeline import NeedError
from buicasus.semantic.tasks import embedding_job
from tests.registry.factories import initiative, term

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry() -> dict[str, Any]:
    records = {
        "childcare": initiative(
            "FR",
            title="Crèche solidaire pour parents en recherche d'emploi",
            description="Garde d'enfants pour les parents qui cherchent un emploi.",
            description_language="fr",
            stage=term("si-stage", "impact"),
        ),
        "homework": initiative(
            "SE",
            title="Läxhjälp med studenter",
            description="Studenter hjälper barn med läxor efter skolan.",
            description_language="sv",
        ),
        "bikes": initiative(
            "ES",
            title="Taller de bicicletas para jóvenes",
            description="Reparación de bicicletas y formación para jóvenes.",
            description_language="es",
        ),
        "hidden": initiative(
            "LV",
            title="Crèche solidaire cachée",
            description="Garde d'enfants pour parents.",
            published=False,
        ),
    }
    run_queued()
    return records


def test_a_worker_embeds_saved_initiatives_and_find_ranks_the_matching_one_first(
    registry: dict[str, Any],
) -> None:
    assert InitiativeEmbedding.objects.count() == 4
    result = services.find("Crèche solidaire pour les parents qui cherchent un emploi")
    assert result.hits[0].initiative_id == registry["childcare"].pk
    assert result.language == "fr"
    top = result.hits[0]
    assert 0.0 <= top.similarity <= 1.0
    assert top.lexical_rank == 1
    assert "Crèche" in top.passage


def test_anonymous_never_sees_unpublished(registry: dict[str, Any], make_user: Any) -> None:
    ids = {h.initiative_id for h in services.find("Crèche solidaire garde d'enfants").hits}
    assert registry["hidden"].pk not in ids
    editor = make_user("editor", "LV")
    ids = {h.initiative_id for h in services.find("Crèche solidaire garde", user=editor).hits}
    assert registry["hidden"].pk in ids


def test_filters_other_countries_and_stage(registry: dict[str, Any]) -> None:
    need = "Crèche solidaire pour parents en recherche d'emploi"
    ids = {h.initiative_id for h in services.find(need, exclude_country="FR").hits}
    assert registry["childcare"].pk not in ids and ids
    only = services.find(need, stages=["impact"]).hits
    assert [h.initiative_id for h in only] == [registry["childcare"].pk]
    assert services.find(need, countries=["SE"]).hits[0].initiative_id == registry["homework"].pk
    assert services.find(need, evidence_levels=["best-practice"]).hits == []


def test_terms_asked_for_lift_classified_initiatives(registry: dict[str, Any]) -> None:
    registry["bikes"].target_groups.add(term("target-group", "young-people"))
    plain = services.find("training workshop", k=3)
    lifted = services.find("training workshop", k=3, terms=["target-group:young-people"])
    bikes = registry["bikes"].pk
    rank_plain = [h.initiative_id for h in plain.hits].index(bikes)
    assert [h.initiative_id for h in lifted.hits].index(bikes) <= rank_plain
    assert next(h for h in lifted.hits if h.initiative_id == bikes).concept is not None


def test_empty_need_is_refused_and_a_huge_one_cut_with_a_notice(registry: dict[str, Any]) -> None:
    with pytest.raises(NeedError, match="need"):
        services.find("   ")
    result = services.find("crèche parents emploi " * 5_000)
    assert result.notice and "cut" in result.notice
    assert result.hits


def test_unsupported_language_is_matched_with_a_notice(registry: dict[str, Any]) -> None:
    result = services.find("Детский сад для родителей, которые ищут работу")
    assert result.language is None
    assert result.notice and "anyway" in result.notice
    assert result.hits  # still ranked, by vectors


def test_unchanged_text_is_not_embedded_again(registry: dict[str, Any]) -> None:
    record = registry["bikes"]
    before = InitiativeEmbedding.objects.get(pk=record.pk)
    record.website = "https://example.org/"
    record.save()
    assert embedding_job() is None  # nothing was asked of a worker
    assert InitiativeEmbedding.objects.get(pk=record.pk).updated_at == before.updated_at
    record.description = "Talleres de reparación de bicicletas con aprendices."
    record.save()
    # Until the worker runs, the old vector serves and the initiative counts as waiting.
    assert InitiativeEmbedding.objects.get(pk=record.pk).text_hash == ""
    assert services.index_status()["pending"] == 1 and embedding_job() is not None
    run_queued()
    after = InitiativeEmbedding.objects.get(pk=record.pk)
    assert after.text_hash not in {"", before.text_hash}
    assert services.ensure_embeddings([record.pk]) == 0


def test_no_search_embeds_initiatives_waiting_are_matched_on_their_words(
    registry: dict[str, Any],
) -> None:
    InitiativeEmbedding.objects.all().delete()
    result = services.find("Läxhjälp studenter barn")
    assert result.hits[0].initiative_id == registry["homework"].pk
    # The reader sees three (the unpublished one is not theirs): all three wait.
    assert result.notice and "3 initiatives are not embedded yet" in result.notice
    assert not InitiativeEmbedding.objects.exists()


def test_a_waiting_initiative_that_fits_still_comes_first(registry: dict[str, Any]) -> None:
    InitiativeEmbedding.objects.filter(pk=registry["homework"].pk).delete()
    result = services.find("Läxhjälp med studenter: studenter hjälper barn med läxor")
    assert result.hits[0].initiative_id == registry["homework"].pk
    assert result.hits[0].semantic is None and result.hits[0].lexical_rank == 1
    assert "1 initiatives are not embedded yet" in (result.notice or "")
    assert {h.initiative_id for h in result.hits} >= {registry["childcare"].pk}
