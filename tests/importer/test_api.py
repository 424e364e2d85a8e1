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
        data = {"file": SimpleUploadedFile("r.jsonl", LINES), "source": "api-src", **fields}
        return client.post("/api/v1/imports", data, **bearer(editor))

    dry = post()
    assert dry.status_code == 201, dry.content
    assert dry.json()["dry_run"] and dry.json()["count_invalid"] == 1
    assert not Organisation.objects.filter(source_name="api-src").exists()
    real = post(dry_run="false", skip_invalid="true").json()
    assert real["status"] == "done" and real["count_new"] == 1
    assert Organisation.objects.filter(source_name="api-src").count() == 1
    undone = client.post(f"/api/v1/imports/{real['id']}/undo", **bearer(editor))
    assert undone.json() == {"batch_id": real["id"], "deleted": 1, "restored": 0, "unlinked": 0}
    again = client.post(f"/api/v1/imports/{real['id']}/undo", **bearer(editor))
    assert again.status_code == 400 and "already undone" in again.json()["detail"]


def test_upload_errors_name_the_file(make_user: Any) -> None:
    client = Client()
    auth = bearer(make_user("editor", "FR"))
    bad = client.post(
        "/api/v1/imports",
        {"file": SimpleUploadedFile("x.csv", b"a,b\n1,2\n"), "source": "s"},
        **auth,
    )
    assert bad.status_code == 400 and bad.json()["detail"].startswith("x.csv: ")
    broken = client.post(
        "/api/v1/imports",
        {
            "file": SimpleUploadedFile("x.jsonl", b'{"kind": "organisation"}\n{oops\n'),
            "source": "s",
        },
        **auth,
    )
    assert broken.status_code == 400 and broken.json()["detail"].startswith("x.jsonl, row 2")
