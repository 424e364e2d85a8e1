"""The real multilingual-e5 model (CI installs it; slow: two tests only)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from buicasus.jobs.services import run_queued
from buicasus.semantic import services
from buicasus.semantic.models import InitiativeEmbedding
from tests.registry.factories import initiative

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "matching-dev"


@pytest.mark.real_encoder
def test_eval_matching_engine_beats_plain_semantic_on_the_dev_set() -> None:
    out = StringIO()
    call_command(
        "eval",
        "matching",
        "--corpus",
        str(DEV / "corpus.jsonl"),
        "--queries",
        str(DEV / "queries.jsonl"),
        stdout=out,
    )
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result["queries"] == 12
    assert result["engine"]["ndcg@10"] >= result["semantic"]["ndcg@10"]


@pytest.mark.real_encoder
@pytest.mark.django_db
def test_saved_initiatives_are_found_across_languages() -> None:
    childcare = initiative(
        "FR",
        title="Crèche à vocation d'insertion professionnelle",
        description="La crèche réserve des places aux enfants de parents en recherche "
        "d'emploi et accompagne ces parents vers l'emploi.",
        description_language="fr",
    )
    initiative(
        "LV",
        title="Velosipēdu remonta darbnīca",
        description="Jaunieši mācās remontēt velosipēdus.",
        description_language="lv",
    )
    initiative(
        "ES",
        title="Huertos urbanos comunitarios",
        description="Vecinos cultivan juntos huertos en solares vacíos.",
        description_language="es",
    )
    run_queued()  # the worker embeds them
    assert InitiativeEmbedding.objects.filter(model__startswith="multilingual-e5").count() == 3
    result = services.find(
        "Föräldrar som söker jobb kan inte gå på intervjuer eftersom de saknar barnomsorg.",
        exclude_country="SE",
    )
    assert result.language == "sv"
    assert result.hits[0].initiative_id == childcare.pk
