"""`buicasus backup` and `buicasus restore`: every record and file comes back; refusals change
nothing (a non-empty instance without --force, a newer schema, another database engine)."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from buicasus.importer.models import ImportBatch
from buicasus.importer.services import import_records
from buicasus.operations.backup import MANIFEST, BackupError, create_backup
from buicasus.operations.restore import instance_data, restore_backup
from buicasus.registry.models import Initiative, Organisation
from tests.registry import factories

pytestmark = pytest.mark.django_db(transaction=True)


def every_row() -> dict[str, list[tuple[Any, ...]]]:
    """All rows of all model tables (with many-to-many tables), in primary-key order."""
    return {
        model._meta.db_table: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "static" not in p.relative_to(folder).parts
    }


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    return settings.DATA_DIR


@pytest.fixture
def populated(data_dir: Path) -> None:
    """Users, registry records through the ORM and an import, and files in the data folder."""
    get_user_model().objects.create_user("ilze", password="pw-test-123")
    for n in range(3):
        factories.organisation("LV", name=f"Backup test organisation {n}")
        factories.initiative("ES", title=f"Backup test initiative {n}")
    records = [
        {
            "kind": "organisation",
            "source_id": f"b{n}",
            "row": n + 2,
            "fields": {"name": f"Imported Ltd {n}", "actor_type": "cooperative", "country": "SE"},
        }
        for n in range(5)
    ]
    upload = data_dir / "imports" / "uploads" / "abc123" / "orgs.jsonl"
    upload.parent.mkdir(parents=True)
    upload.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    import_records(records, source="backup test source", file_name="orgs.jsonl")
    (data_dir / "exports").mkdir()
    (data_dir / "exports" / "all.csv").write_bytes(b"id,name\n1,\xc3\x85sa\n")
    (data_dir / "static").mkdir()
    (data_dir / "static" / "site.css").write_text("body{}", encoding="utf-8")


@pytest.mark.usefixtures("populated")
def test_restore_into_an_empty_instance_finds_every_record_and_file(
    data_dir: Path, tmp_path: Path, settings: Any
) -> None:
    rows, files = every_row(), files_of(data_dir)
    archive = tmp_path / "backup.tar.gz"
    manifest = create_backup(archive)
    assert manifest.backend == connection.vendor
    assert manifest.counts[Organisation._meta.db_table] == Organisation.objects.count()
    assert "imports/uploads/abc123/orgs.jsonl" in manifest.files
    assert not any(name.startswith("static/") for name in manifest.files)

    # An empty instance: a migrated database with nothing in it, and an empty data folder.
    call_command("flush", interactive=False, verbosity=0)
    settings.DATA_DIR = tmp_path / "new-data"
    settings.DATA_DIR.mkdir()
    assert instance_data() == {}

    report = restore_backup(archive)
    assert report.files == len(manifest.files)
    assert every_row() == rows
    assert files_of(settings.DATA_DIR) == files
    assert Initiative.objects.filter(title="Backup test initiative 2").exists()
    assert ImportBatch.objects.get().source_name == "backup test source"


def _rewrite_manifest(archive: Path, out: Path, change: Any) -> Path:
    """The same archive with its manifest changed (as a newer version or engine would write)."""
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            if member.name == MANIFEST and data is not None:
                manifest = json.loads(data.read())
                change(manifest)
                body = json.dumps(manifest).encode()
                member.size = len(body)
                target.addfile(member, io.BytesIO(body))
            else:
                target.addfile(member, data)
    return out


@pytest.mark.usefixtures("populated")
def test_refusals_change_nothing(tmp_path: Path) -> None:
    """A newer schema, the other engine, a damaged archive, not a backup: refused, clearly."""
    archive = tmp_path / "backup.tar.gz"
    create_backup(archive)
    factories.organisation("SE", name="Made after the backup")
    before = every_row()

    def newer(manifest: dict[str, Any]) -> None:
        manifest["migrations"]["registry"].append("9999_from_the_future")
        manifest["platform_version"] = "9.0.0"

    future = _rewrite_manifest(archive, tmp_path / "future.tar.gz", newer)
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(future), "--force")
    message = str(refused.value)
    assert "newer version of BuiCaSuS (9.0.0)" in message
    assert "registry.9999_from_the_future" in message and "Nothing was changed" in message

    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def elsewhere(manifest: dict[str, Any]) -> None:
        manifest["backend"] = other

    moved = _rewrite_manifest(archive, tmp_path / "other.tar.gz", elsewhere)
    with pytest.raises(BackupError, match=f"This is a {other} backup.*Nothing was changed"):
        restore_backup(moved, force=True)

    def altered(manifest: dict[str, Any]) -> None:
        manifest["files"]["exports/all.csv"]["sha256"] = "0" * 64

    damaged = _rewrite_manifest(archive, tmp_path / "damaged.tar.gz", altered)
    with pytest.raises(BackupError, match="damaged: the file exports/all.csv"):
        restore_backup(damaged, force=True)
    with pytest.raises(BackupError, match="not a BuiCaSuS backup"):
        restore_backup(Path(__file__), force=True)
    assert every_row() == before


@pytest.mark.usefixtures("populated")
def test_restore_refuses_a_non_empty_instance_without_force(tmp_path: Path) -> None:
    archive = tmp_path / "nightly.tar.gz"
    out = io.StringIO()
    call_command("backup", "--out", str(archive), stdout=out)
    assert f"Backup written to {archive}: {connection.vendor} database" in out.getvalue()
    later = factories.organisation("FR", name="Made after the backup")
    with pytest.raises(CommandError, match="already holds data.*--force"):
        call_command("restore", str(archive))
    assert Organisation.objects.filter(pk=later.pk).exists()

    out = io.StringIO()
    call_command("restore", str(archive), "--force", stdout=out)
    assert "Restored the backup of" in out.getvalue() and "2 files" in out.getvalue()
    assert not Organisation.objects.filter(name="Made after the backup").exists()
    assert Organisation.objects.filter(name="Backup test organisation 0").exists()
