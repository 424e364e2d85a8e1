"""The import pages: upload and dry run, confirm, batch detail, undo, rejects download."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from buicasus.importer.models import ImportBatch
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


def test_only_editors_see_the_import_pages(client_for: Any) -> None:
    assert client_for().get(reverse("importer:index")).status_code == 302  # to the login
    assert client_for("contributor", "FR").get(reverse("importer:index")).status_code == 403
    page = client_for("editor", "FR").get(reverse("importer:index"))
    assert page.status_code == 200
    assert b"Check the file (dry run)" in page.content


def test_dry_run_then_confirm_with_skip_invalid(client_for: Any, data_dir: Path) -> None:
    client = client_for("admin")
    response = upload(client)
    dry = ImportBatch.objects.get(source_name="page-src")
    assert response.status_code == 302 and response["Location"] == dry.get_absolute_url()
    assert dry.dry_run and dry.status == "dry-run" and dry.file_name == "orgs.csv"
    assert (data_dir / dry.stored_file).exists()
    page = client.get(dry.get_absolute_url())
    assert "Unknown country code “XX”." in page.content.decode()
    assert b"Import this file" in page.content
    assert not Organisation.objects.filter(source_name="page-src").exists()

    response = client.post(reverse("importer:batch-confirm", args=[dry.pk]), {"skip_invalid": "on"})
    real = ImportBatch.objects.exclude(pk=dry.pk).get(source_name="page-src")
    assert response["Location"] == real.get_absolute_url()
    assert real.status == "done" and real.skip_invalid and real.mapping_name == "page-test"
    assert Organisation.objects.filter(source_name="page-src").count() == 1
    page = client.get(real.get_absolute_url())
    assert b"Undo this import" in page.content
    rejects = client.get(reverse("importer:batch-rejects", args=[real.pk]))
    assert rejects.status_code == 200
    assert b"Beta" in b"".join(rejects.streaming_content)


def test_confirm_without_skip_refuses_the_whole_file(client_for: Any) -> None:
    client = client_for("admin")
    upload(client)
    dry = ImportBatch.objects.get(source_name="page-src")
    client.post(reverse("importer:batch-confirm", args=[dry.pk]), {})
    real = ImportBatch.objects.exclude(pk=dry.pk).get()
    assert real.status == "refused"
    assert not Organisation.objects.filter(source_name="page-src").exists()


def test_undo_from_the_page(client_for: Any) -> None:
    client = client_for("admin")
    upload(client)
    dry = ImportBatch.objects.get(source_name="page-src")
    client.post(reverse("importer:batch-confirm", args=[dry.pk]), {"skip_invalid": "on"})
    real = ImportBatch.objects.exclude(pk=dry.pk).get()
    response = client.post(reverse("importer:batch-undo", args=[real.pk]), follow=True)
    assert "undone" in response.content.decode()
    assert not Organisation.objects.filter(source_name="page-src").exists()
    again = client.post(reverse("importer:batch-undo", args=[real.pk]), follow=True)
    assert "already undone" in again.content.decode()
    assert client.get(reverse("importer:batch-undo", args=[real.pk])).status_code == 405


def test_bad_files_come_back_as_form_errors(client_for: Any) -> None:
    client = client_for("editor", "FR")
    response = client.post(
        reverse("importer:index"),
        {"file": SimpleUploadedFile("orgs.csv", CSV), "source": "page-src"},
    )
    assert response.status_code == 200
    assert "needs a mapping" in response.content.decode()
    response = upload(client, mapping="no-such-mapping")
    assert response.status_code == 200 and "not" in response.content.decode()
    bad_yaml = SimpleUploadedFile("m.yaml", b"records: [{kind: x}]")
    response = upload(client, mapping_file=bad_yaml)
    assert "m.yaml, field “records[0]”" in response.content.decode()


def test_file_size_limit_on_the_form(client_for: Any, settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 10
    response = upload(client_for("editor", "FR"))
    assert response.status_code == 200 and "more than the 10 bytes" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_batch_list_and_detail_show_counts(client_for: Any) -> None:
    client = client_for("admin")
    upload(client)
    page = client.get(reverse("importer:index"))
    assert b"page-src" in page.content and b"orgs.csv" in page.content
    dry = ImportBatch.objects.get()
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
