"""The import pages: upload and dry run, confirm, batch detail, undo, rejects download.

The request stores the upload and queues the work; the page follows the job (a status block
that polls) and links to the batch. These tests run the queue with the real database worker
(`run_queued`), as `buicasus worker` would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from buicasus.importer.models import ImportBatch
from buicasus.jobs import services as jobs
from buicasus.jobs.models import Job
from buicasus.registry.models import Organisation

pytestmark = pytest.mark.django_db

MAPPING = b"""
name: page-test
records:
  - kind: organisation
    source_id: "{id}"
    fields:
      name: {column: name, required: true}
      country: {column: country}
      actor_type: {value: foundation}
"""
CSV = b"id,name,country\n1,Alfa,FR\n2,Beta,XX\n"


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def upload(client: Client, **extra: Any) -> Any:
    data = {
        "file": SimpleUploadedFile("orgs.csv", CSV, content_type="text/csv"),
        "source": "page-src",
        "mapping_file": SimpleUploadedFile("m.yaml", MAPPING),
        **extra,
    }
    return client.post(reverse("importer:index"), data)


def checked(client: Client, **extra: Any) -> ImportBatch:
    """Upload, let the worker run the dry run, and return its batch."""
    upload(client, **extra)
    assert jobs.run_queued() == 1
    return ImportBatch.objects.get(source_name="page-src", dry_run=True)


def confirmed(client: Client, dry: ImportBatch, **data: Any) -> ImportBatch:
    """Confirm a dry run, let the worker import it, and return the new batch."""
    client.post(reverse("importer:batch-confirm", args=[dry.pk]), data)
    assert jobs.run_queued() == 1
    return ImportBatch.objects.exclude(pk=dry.pk).get(source_name="page-src")


def test_only_editors_see_the_import_pages(client_for: Any) -> None:
    assert client_for().get(reverse("importer:index")).status_code == 302  # to the login
    assert client_for("contributor", "FR").get(reverse("importer:index")).status_code == 403
    page = client_for("editor", "FR").get(reverse("importer:index"))
    assert page.status_code == 200
    assert b"Check the file (dry run)" in page.content


def test_dry_run_then_confirm_with_skip_invalid(client_for: Any, data_dir: Path) -> None:
    client = client_for("admin")
    response = upload(client)
    job = Job.objects.get(kind="import")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('importer:index')}?job={job.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Dry run of orgs.csv" in page and "Waiting for a worker" in page
    assert f'hx-get="{reverse("jobs:status", args=[job.pk])}"' in page
    assert not ImportBatch.objects.exists()  # the request only stored the file

    assert jobs.run_queued() == 1
    dry = ImportBatch.objects.get(source_name="page-src")
    assert dry.dry_run and dry.status == "dry-run" and dry.file_name == "orgs.csv"
    assert (data_dir / dry.stored_file).exists()
    fragment = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert "Dry run: 1 new, 0 updated, 0 unchanged records, 1 invalid rows." in fragment
    assert f'href="{dry.get_absolute_url()}"' in fragment
    page = client.get(dry.get_absolute_url())
    assert "Unknown country code “XX”." in page.content.decode()
    assert b"Import this file" in page.content
    assert not Organisation.objects.filter(source_name="page-src").exists()

    response = client.post(reverse("importer:batch-confirm", args=[dry.pk]), {"skip_invalid": "on"})
    job = Job.objects.filter(kind="import").exclude(status="succeeded").get()
    assert response["Location"] == f"{dry.get_absolute_url()}?job={job.pk}"
    assert "Import of orgs.csv" in client.get(response["Location"]).content.decode()
    assert jobs.run_queued() == 1
    real = ImportBatch.objects.exclude(pk=dry.pk).get(source_name="page-src")
    assert real.status == "done" and real.skip_invalid and real.mapping_name == "page-test"
    assert Organisation.objects.filter(source_name="page-src").count() == 1
    fragment = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert "Imported: 1 new, 0 updated, 0 unchanged records." in fragment
    assert f'href="{real.get_absolute_url()}"' in fragment
    page = client.get(real.get_absolute_url())
    assert b"Undo this import" in page.content
    rejects = client.get(reverse("importer:batch-rejects", args=[real.pk]))
    assert rejects.status_code == 200
    assert b"Beta" in b"".join(rejects.streaming_content)


def test_confirm_without_skip_refuses_the_whole_file(client_for: Any) -> None:
    client = client_for("admin")
    real = confirmed(client, checked(client))
    assert real.status == "refused"
    assert not Organisation.objects.filter(source_name="page-src").exists()
    job = Job.objects.filter(kind="import").latest("created_at")
    assert job.message == "Nothing was written: 1 rows are invalid."


def test_undo_from_the_page(client_for: Any) -> None:
    client = client_for("admin")
    real = confirmed(client, checked(client), skip_invalid="on")
    response = client.post(reverse("importer:batch-undo", args=[real.pk]), follow=True)
    assert "undone" in response.content.decode()
    assert not Organisation.objects.filter(source_name="page-src").exists()
    again = client.post(reverse("importer:batch-undo", args=[real.pk]), follow=True)
    assert "already undone" in again.content.decode()
    assert client.get(reverse("importer:batch-undo", args=[real.pk])).status_code == 405


def _failure(client: Client, **extra: Any) -> str:
    """Upload, let the worker fail, and return the status block the page shows."""
    Job.objects.all().delete()
    response = upload(client, **extra)
    assert jobs.run_queued() == 1
    job = Job.objects.get()
    assert job.status == "failed" and job.attempts == 1  # the person's to fix: no retry
    page = client.get(response["Location"]).content.decode()
    assert f"Reference: {job.pk}" in page
    return page


def test_bad_files_fail_the_job_with_the_importers_message(client_for: Any) -> None:
    client = client_for("editor", "FR")
    response = client.post(
        reverse("importer:index"),
        {"file": SimpleUploadedFile("orgs.csv", CSV), "source": "page-src"},
    )
    assert jobs.run_queued() == 1
    assert "needs a mapping" in client.get(response["Location"]).content.decode()
    response = upload(client, mapping="no-such-mapping")  # the form knows the mappings
    assert response.status_code == 200 and "not" in response.content.decode()
    bad_yaml = SimpleUploadedFile("m.yaml", b"records: [{kind: x}]")
    assert "m.yaml, field “records[0]”" in _failure(client, mapping_file=bad_yaml)
    assert not Organisation.objects.filter(source_name="page-src").exists()


def test_someone_elses_import_job_is_not_shown(client_for: Any) -> None:
    response = upload(client_for("editor", "FR"))
    other = client_for("editor", "LV")
    job = Job.objects.get(kind="import")
    assert "Dry run of" not in other.get(response["Location"]).content.decode()
    assert other.get(reverse("jobs:status", args=[job.pk])).status_code == 404


def test_file_size_limit_on_the_form(client_for: Any, settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 10
    response = upload(client_for("editor", "FR"))
    assert response.status_code == 200 and "more than the 10 bytes" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_batch_list_and_detail_show_counts(client_for: Any) -> None:
    client = client_for("admin")
    dry = checked(client)
    page = client.get(reverse("importer:index"))
    assert b"page-src" in page.content and b"orgs.csv" in page.content
    detail = client.get(dry.get_absolute_url()).content.decode()
    assert "1 new" in detail and "1 invalid" in detail
    assert client.get(reverse("importer:batch-rejects", args=[dry.pk])).status_code == 404


def test_batch_list_pages(client_for: Any, settings: Any) -> None:
    from buicasus.importer.services import import_records
    from tests.importer.builders import org

    settings.PAGE_SIZE = 2
    for n in range(3):
        import_records([org(f"o{n}")], source=f"paged-{n}", dry_run=True)
    client = client_for("editor", "FR")
    first = client.get(reverse("importer:index")).content.decode()
    assert "paged-2" in first and "paged-0" not in first and "?page=2" in first
    second = client.get(reverse("importer:index") + "?page=2").content.decode()
    assert "paged-0" in second
