"""`semantic.services.find` on the real database with the hashing encoder: ranking, filters,
visibility, bad input."""

from __future__ import annotations

from typing import Any

import pytest

from buicasus.semantic import services
from buicasus.semantic.models import InitiativeEmbedding
from buicasus.semantic.pipeline import NeedError
from tests.registry.factories import initiative, term

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    with django_capture_on_commit_callbacks(execute=True):
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
    return records


def test_saving_embeds_and_find_ranks_the_matching_initiative_first(
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


def test_unchanged_text_is_not_embedded_again(
    registry: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    record = registry["bikes"]
    before = InitiativeEmbedding.objects.get(pk=record.pk)
    with django_capture_on_commit_callbacks(execute=True):
        record.website = "https://example.org/"
        record.save()
    assert InitiativeEmbedding.objects.get(pk=record.pk).updated_at == before.updated_at
    with django_capture_on_commit_callbacks(execute=True):
        record.description = "Talleres de reparación de bicicletas con aprendices."
        record.save()
    after = InitiativeEmbedding.objects.get(pk=record.pk)
    assert after.text_hash != before.text_hash
    assert services.ensure_embeddings([record.pk]) == 0


def test_missing_embeddings_are_computed_at_search_time(registry: dict[str, Any]) -> None:
    InitiativeEmbedding.objects.all().delete()
    result = services.find("Läxhjälp studenter barn")
    assert result.hits[0].initiative_id == registry["homework"].pk
    # Only what the reader may see is embedded on the way (the unpublished one waits).
    assert InitiativeEmbedding.objects.count() == 3
