"""Initiatives waiting to be embedded belong to their transaction, not to the thread."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from buicasus.semantic import embeddings
from buicasus.semantic.models import InitiativeEmbedding
from tests.registry.factories import initiative

pytestmark = pytest.mark.django_db


def test_ids_left_by_a_rolled_back_transaction_do_not_count_against_the_next(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embeddings, "ON_COMMIT_LIMIT", 3)
    embeddings.schedule(range(900_001, 900_006))
    connection.run_on_commit.clear()  # what a rollback does to the transaction's hooks
    with django_capture_on_commit_callbacks(execute=True):
        saved = initiative("FR", title="Crèche solidaire", description="Garde d'enfants.")
    assert InitiativeEmbedding.objects.filter(initiative=saved).exists()
