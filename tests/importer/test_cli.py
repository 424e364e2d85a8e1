"""`buicasus import`, `import-undo` and `import-batches`: thin shells over the services."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from buicasus.importer.models import ImportBatch
from buicasus.registry.models import Organisation

pytestmark = pytest.mark.django_db
Write = Callable[..., Path]

MAPPING = """
name: cli-test
licence: "CC0 1.0"
records:
  - kind: organisation
    source_id: "{id}"
    fields:
      name: {column: name, required: true}
      country: {column: country}
      actor_type: {value: cooperative}
"""


@pytest.fixture
def files(write: Write) -> dict[str, Path]:
    return {
        "good": write("good.csv", "id;name;country\n1;Alfa;FR\n2;Beta;LV\n"),
        "bad": write("bad.csv", "id;name;country\n1;Alfa;FR\n2;;XX\n"),
        "mapping": write("m.yaml", MAPPING),
    }


def call(*args: Any) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_writes_and_prints_counts(
    files: dict[str, Path], admin: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _err = call("import", files["good"], "--source", "cli", "--mapping", files["mapping"])
    assert "2 new" in out and "0 invalid rows" in out
    assert "rows/s" in capsys.readouterr().err  # the progress bar on stderr, with its rate
    assert Organisation.objects.filter(source_name="cli").count() == 2
    assert Organisation.objects.get(source_record_id="1", source_name="cli").licence == "CC0 1.0"
    batch = ImportBatch.objects.get(source_name="cli")
    assert batch.user == admin and batch.mapping_name == "cli-test"


def test_dry_run_lists_every_invalid_row(files: dict[str, Path], admin: Any) -> None:
    out, _err = call(
        "import",
        files["bad"],
        "--source",
        "cli",
        "--mapping",
        files["mapping"],
        "--dry-run",
        "--no-progress",
    )
    assert "Dry run" in out and "1 new" in out and "1 invalid rows" in out
    assert "row 3, field “name”: column “name” is empty." in out
    assert "row 3, field “country”: Unknown country code “XX”." in out
    assert not Organisation.objects.filter(source_name="cli").exists()


def test_invalid_rows_fail_the_command_and_write_nothing(
    files: dict[str, Path], admin: Any
) -> None:
    with pytest.raises(CommandError, match="nothing was written"):
        call(
            "import",
            files["bad"],
            "--source",
            "cli",
            "--mapping",
            files["mapping"],
            "--no-progress",
        )
    assert not Organisation.objects.filter(source_name="cli").exists()


def test_skip_invalid_with_rejects(files: dict[str, Path], admin: Any, tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.csv"
    out, _err = call(
        "import",
        files["bad"],
        "--source",
        "cli",
        "--mapping",
        files["mapping"],
        "--skip-invalid",
        "--rejects",
        rejects,
        "--no-progress",
    )
    assert f"Rejected rows and reasons: {rejects}" in out
    assert rejects.read_text(encoding="utf-8-sig").startswith("row,field,reason,id,name,country")
    assert Organisation.objects.filter(source_name="cli").count() == 1


def test_bad_input_is_a_command_error_not_a_traceback(
    files: dict[str, Path], admin: Any, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match=r"missing\.csv: The file cannot be read"):
        call("import", tmp_path / "missing.csv", "--source", "cli", "--mapping", files["mapping"])
    with pytest.raises(CommandError, match="bad.yaml, field “records"):
        bad_mapping = files["mapping"].parent / "bad.yaml"
        bad_mapping.write_text("records: [{kind: nope}]")
        call("import", files["good"], "--source", "cli", "--mapping", bad_mapping)
    with pytest.raises(CommandError):
        call("import", files["good"], "--source", "cli")


def test_user_option_and_the_admin_default(files: dict[str, Path], make_user: Any) -> None:
    with pytest.raises(CommandError, match="no platform admin"):
        call("import", files["good"], "--source", "cli", "--mapping", files["mapping"])
    with pytest.raises(CommandError, match="No active user named"):
        call(
            "import",
            files["good"],
            "--source",
            "cli",
            "--mapping",
            files["mapping"],
            "--user",
            "nobody",
        )
    editor = make_user("editor", "FR", username="ed")
    with pytest.raises(CommandError, match="nothing was written"):
        call(
            "import",
            files["good"],
            "--source",
            "cli",
            "--mapping",
            files["mapping"],
            "--user",
            "ed",
            "--no-progress",
        )
    assert editor.pk and not Organisation.objects.filter(source_name="cli").exists()
    make_user("contributor", "FR", username="co")
    with pytest.raises(CommandError, match="Only editors"):
        call(
            "import",
            files["good"],
            "--source",
            "cli",
            "--mapping",
            files["mapping"],
            "--user",
            "co",
        )


def test_undo_and_list_batches(files: dict[str, Path], admin: Any) -> None:
    call("import", files["good"], "--source", "cli", "--mapping", files["mapping"], "--no-progress")
    batch = ImportBatch.objects.get(source_name="cli")
    out, _err = call("import_batches")
    assert f"#{batch.pk}" in out and "cli" in out and "new 2" in out
    out, _err = call("import_undo", batch.pk)
    assert "2 records deleted" in out
    assert not Organisation.objects.filter(source_name="cli").exists()
    with pytest.raises(CommandError, match="already undone"):
        call("import_undo", batch.pk)


def test_the_command_is_named_import_on_the_command_line(files: dict[str, Path]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "buicasus", "import", "--help"],
        env={**os.environ, "DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "--skip-invalid" in result.stdout and "--mapping" in result.stdout
    for name in ("import-undo", "import-batches"):
        result = subprocess.run(
            [sys.executable, "-m", "buicasus", name, "--help"],
            env={**os.environ, "DEBUG": "true"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
