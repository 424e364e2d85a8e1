"""The approximate index (kept in step with the database), the status/rebuild API and the
commands `embed`, `semantic-index` and `eval`."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from buicasus.jobs.models import Job
from buicasus.jobs.services import run_queued
from buicasus.semantic import services, store
from buicasus.semantic.encoders import get_encoder
from buicasus.semantic.models import InitiativeEmbedding
from tests.registry.factories import initiative

pytestmark = pytest.mark.django_db
DEV = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "matching-dev"


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def _records(n: int) -> list[Any]:
    topics = ["bicycle repair workshop", "homework help for children", "childcare for job seekers"]
    return [
        initiative("FR", title=f"{topics[i % 3]} {i}", description=f"{topics[i % 3]} number {i}")
        for i in range(n)
    ]


def test_approximate_index_follows_the_database(settings: Any, data_dir: Path) -> None:
    settings.ANN_THRESHOLD = 5
    records = _records(9)
    services.ensure_embeddings([r.pk for r in records])
    assert services.index_status()["approximate"] is True
    assert services.index_status()["index_in_step"] is None  # not built yet
    # A search does not build it (exact search meanwhile): a worker does.
    hits = services.find("bicycle repair workshop", k=3).hits
    assert all("bicycle" in h.passage for h in hits)
    assert services.index_status()["index_in_step"] is None
    run_queued()
    assert services.index_status()["index_in_step"] is True
    assert (data_dir / "semantic").is_dir()

    # A changed text: the index is out of step, and catches up on the next search.
    records[1].title = "bicycle repair workshop 1"
    records[1].description = "bicycle repair workshop, formerly homework help"
    records[1].save()
    services.ensure_embeddings([records[1].pk])
    assert services.index_status()["index_in_step"] is False
    ids = [h.initiative_id for h in services.find("bicycle repair workshop", k=4).hits]
    assert records[1].pk in ids
    assert services.index_status()["index_in_step"] is True

    # A deletion cannot be caught up: searches use the index as it is (the record is gone
    # from their candidates) and the worker rebuilds it.
    gone = records[0].pk
    records[0].delete()
    ids = [h.initiative_id for h in services.find("bicycle repair workshop", k=9).hits]
    assert gone not in ids and ids
    assert services.index_status()["index_in_step"] is False
    run_queued()
    assert services.index_status()["index_in_step"] is True
    assert store.ann_index is not None


def test_status_and_rebuild_api(client_for: Any, settings: Any, data_dir: Path) -> None:
    settings.ANN_THRESHOLD = 2
    _records(3)
    InitiativeEmbedding.objects.all().delete()
    editor = client_for("editor", "FR")
    status = editor.get("/api/v1/semantic/index").json()
    assert status["embedded"] == 0 and status["missing"] >= 3
    assert status["pending"] >= 3
    assert editor.post("/api/v1/semantic/index/rebuild").status_code == 403
    assert client_for(None).get("/api/v1/semantic/index").status_code == 401
    admin = client_for("admin")
    answer = admin.post("/api/v1/semantic/index/rebuild")
    assert answer.status_code == 202 and answer.json()["status"] == "queued"
    run_queued()
    job = admin.get(f"/api/v1/jobs/{answer.json()['id']}").json()
    # Every text was checked (the saves' own job may have embedded them first).
    assert job["status"] == "succeeded" and job["outcome"]["checked"] >= 3
    status = admin.get("/api/v1/semantic/index").json()
    assert status["missing"] == 0 and status["pending"] == 0 and status["index_in_step"] is True


def test_embed_and_semantic_index_commands(data_dir: Path) -> None:
    records = _records(3)
    InitiativeEmbedding.objects.all().delete()
    out = StringIO()
    call_command("embed", "--batch-size", "2", stdout=out, verbosity=0)
    assert out.getvalue().startswith("3 initiatives embedded")
    out = StringIO()
    call_command("embed", "--all", stdout=out, verbosity=0)
    assert out.getvalue().startswith("0 initiatives embedded, 3 unchanged")
    out = StringIO()
    call_command("embed", "--queue", stdout=out, verbosity=0)
    queued = Job.objects.get(pk=out.getvalue().split("job ")[1].split(" ")[0])
    assert queued.status == Job.Status.QUEUED  # left to a worker
    out = StringIO()
    call_command("semantic_index", "status", stdout=out)
    status = json.loads(out.getvalue().strip().splitlines()[-1])
    assert status["embedded"] == 3 and status["model"] == get_encoder().name
    assert records
    with pytest.raises(CommandError, match="batch-size"):
        call_command("embed", "--batch-size", "0")


def test_eval_matching_prints_three_systems_and_ends_with_json(data_dir: Path) -> None:
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
    lines = out.getvalue().strip().splitlines()
    last = json.loads(lines[-1])
    assert set(last) == {"engine", "semantic", "lexical", "queries"}
    assert last["queries"] == 12
    assert 0 <= last["engine"]["ndcg@10"] <= 1 and "mrr" in last["lexical"]
    with pytest.raises(CommandError, match="--corpus"):
        call_command("eval", "matching", "--corpus", "nope.jsonl", "--queries", "q.jsonl")


def test_eval_encoder_reports_accuracy_per_direction(tmp_path: Path) -> None:
    lines = ["Good morning.", "Where is the station?", "I like green tea."]
    (tmp_path / "tatoeba.xxx-eng.eng").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "tatoeba.xxx-eng.xxx").write_text("\n".join(lines), encoding="utf-8")
    out = StringIO()
    call_command("eval", "encoder", "--tatoeba", str(tmp_path), stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result == {"xxx": {"xxx->eng": 1.0, "eng->xxx": 1.0}}
    with pytest.raises(CommandError, match="--tatoeba"):
        call_command("eval", "encoder", "--tatoeba", str(tmp_path / "missing"))
