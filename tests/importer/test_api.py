"""/api/v1/imports: batches listed and read by editors, files uploaded, batches undone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from buicasus.accounts.models import ApiToken
from buicasus.importer.services import import_records
from buicasus.jobs import services as jobs
from buicasus.registry.models import Organisation
from tests.importer.builders import org

pytestmark = pytest.mark.django_db

LINES = "\n".join(
    json.dumps(r)
    for r in (
        {
            "kind": "organisation",
            "source_id": "a",
            "fields": {"name": "A", "actor_type": "cooperative", "country": "FR"},
        },
        {
            "kind": "organisation",
            "source_id": "b",
            "fields": {"name": "B", "actor_type": "robot", "country": "FR"},
        },
    )
).encode()


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def bearer(user: Any) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_list_and_read_batches(make_user: Any) -> None:
    editor = make_user("editor", "FR")
    report = import_records([org("a", 2), org("b", 3, country="XX")], source="api-src", user=editor)
    client = Client()
    assert client.get("/api/v1/imports").status_code == 401
    assert client.get("/api/v1/imports", **bearer(make_user("viewer", "FR"))).status_code == 403
    listing = client.get("/api/v1/imports", **bearer(editor)).json()
    assert listing["count"] == 1 and listing["results"][0]["status"] == "refused"
    assert listing["results"][0]["user"] == editor.username
    detail = client.get(f"/api/v1/imports/{report.batch_id}", **bearer(editor)).json()
    assert detail["problems"] == [
        {"row": 3, "field": "country", "message": "Unknown country code “XX”."}
    ]
    assert detail["counts"]["organisation"] == {"new": 1, "invalid": 1}
    assert client.get("/api/v1/imports/999", **bearer(editor)).json() == {"detail": "Not found."}


def test_upload_dry_run_then_import_then_undo(make_user: Any) -> None:
    editor = make_user("editor", "FR")
    client = Client()

    def post(**fields: Any) -> Any:
        """Upload, check the 202 answer, let the worker run it, and return the finished job."""
        data = {"file": SimpleUploadedFile("r.jsonl", LINES), "source": "api-src", **fields}
        accepted = client.post("/api/v1/imports", data, **bearer(editor))
        assert accepted.status_code == 202, accepted.content
        body = accepted.json()
        assert body["status"] == "queued" and body["kind"] == "import"
        assert body["poll_url"] == f"/api/v1/jobs/{body['id']}"
        assert jobs.run_queued() == 1
        return client.get(body["poll_url"], **bearer(editor)).json()

    dry = post()
    assert dry["status"] == "succeeded"
    assert dry["outcome"]["invalid"] == 1 and dry["outcome"]["status"] == "dry-run"
    batch = client.get(dry["outcome"]["api_url"], **bearer(editor)).json()
    assert batch["dry_run"] and batch["count_invalid"] == 1
    assert not Organisation.objects.filter(source_name="api-src").exists()
    real = post(dry_run="false", skip_invalid="true")["outcome"]
    assert real["status"] == "done" and real["new"] == 1
    assert Organisation.objects.filter(source_name="api-src").count() == 1
    undone = client.post(f"/api/v1/imports/{real['batch_id']}/undo", **bearer(editor))
    assert undone.json() == {
        "batch_id": real["batch_id"],
        "deleted": 1,
        "restored": 0,
        "unlinked": 0,
    }
    again = client.post(f"/api/v1/imports/{real['batch_id']}/undo", **bearer(editor))
    assert again.status_code == 400 and "already undone" in again.json()["detail"]


def test_upload_errors_name_the_file(make_user: Any) -> None:
    client = Client()
    editor = make_user("editor", "FR")
    auth = bearer(editor)

    def failed(name: str, content: bytes) -> dict[str, Any]:
        data = {"file": SimpleUploadedFile(name, content), "source": "s"}
        accepted = client.post("/api/v1/imports", data, **auth).json()
        jobs.run_queued()
        return client.get(accepted["poll_url"], **auth).json()

    bad = failed("x.csv", b"a,b\n1,2\n")
    assert bad["status"] == "failed" and bad["error"].startswith("x.csv: ")
    broken = failed("x.jsonl", b'{"kind": "organisation"}\n{oops\n')
    assert broken["status"] == "failed" and broken["error"].startswith("x.jsonl, row 2")
    stranger = bearer(make_user("editor", "LV"))
    other = Client().get(f"/api/v1/jobs/{bad['id']}", **stranger)
    assert other.status_code == 404  # a job is its starter's (and platform admins')
