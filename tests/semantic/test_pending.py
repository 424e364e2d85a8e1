"""Initiatives wait for a worker to embed them: the change event queues one job, the page and
the status say how many wait, and a rolled-back transaction asks for nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from buicasus.jobs.models import Job
from buicasus.jobs.services import run_queued
from buicasus.semantic import services
from buicasus.semantic.models import InitiativeEmbedding
from buicasus.semantic.tasks import embedding_job
from tests.registry.factories import initiative

pytestmark = pytest.mark.django_db


def test_saved_initiatives_wait_for_one_job_that_embeds_them(make_user: Any) -> None:
    first = initiative("FR", title="Crèche solidaire", description="Garde d'enfants.")
    second = initiative("ES", title="Taller de bicicletas", description="Reparación.")
    job = embedding_job()
    assert job is not None and job.status == Job.Status.QUEUED
    assert Job.objects.filter(kind="embed").count() == 1  # the second save joined it
    assert not InitiativeEmbedding.objects.exists()  # nothing encoded on commit
    assert services.index_status()["pending"] == 2

    run_queued()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.message == "2 initiatives embedded for matching."
    assert set(InitiativeEmbedding.objects.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert services.index_status()["pending"] == 0
    assert embedding_job() is None

    # A platform admin follows it like any job.
    admin = Client()
    admin.force_login(make_user("admin"))
    page = admin.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Embed initiatives for matching" in page and "2 initiatives embedded" in page


def test_a_rolled_back_transaction_queues_nothing() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        initiative("FR", title="Jamais enregistrée", description="Annulée.")
        raise RuntimeError("rolled back")
    assert embedding_job() is None


def test_a_failed_embedding_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    from buicasus.semantic import tasks

    initiative("FR", title="Crèche solidaire", description="Garde d'enfants.")
    calls = {"n": 0}
    real = tasks.ensure_embeddings

    def flaky(*args: Any, **kwargs: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            raise MemoryError("the encoder ran out of memory")
        return real(*args, **kwargs)

    monkeypatch.setattr(tasks, "ensure_embeddings", flaky)
    run_queued()
    job = Job.objects.get(kind="embed")
    assert job.status == Job.Status.QUEUED and "Attempt 1 failed (MemoryError)" in job.error
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_queued()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 2
    assert InitiativeEmbedding.objects.count() == 1
