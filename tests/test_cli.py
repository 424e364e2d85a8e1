"""The `buicasus` command: sub-commands and Django's management commands beneath it."""

import io
import os
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from buicasus.accounts.models import Membership, Role
from buicasus.registry.models import Organisation, Term


def test_help_lists_the_platform_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "buicasus", "help"],
        env={**os.environ, "DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    names = ("load_reference", "load_demo", "createuser", "compile_messages", "migrate", "import")
    more = ("import_undo", "load_open_data", "export", "find_duplicates", "search_reindex")
    for name in names + more:
        assert name in result.stdout


@pytest.mark.django_db
def test_createuser_with_role_and_country() -> None:
    out = io.StringIO()
    call_command("createuser", "ilze", "--role", "editor", "--country", "lv", stdout=out)
    membership = Membership.objects.get(user__username="ilze")
    assert (membership.role, membership.country.code) == (Role.EDITOR, "LV")
    assert "Created ilze" in out.getvalue()


@pytest.mark.django_db
def test_createuser_rejects_unknown_country_and_missing_country() -> None:
    with pytest.raises(CommandError, match="Unknown country code"):
        call_command("createuser", "x", "--role", "editor", "--country", "ZZ")
    with pytest.raises(CommandError, match="needs --country"):
        call_command("createuser", "y", "--role", "viewer")
    assert not Membership.objects.filter(user__username__in=["x", "y"]).exists()


@pytest.mark.django_db
def test_load_reference_is_idempotent() -> None:
    before = (Term.objects.count(), Organisation.objects.count())
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    assert (Term.objects.count(), Organisation.objects.count()) == before
    assert "vocabularies" in out.getvalue()


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_marked_as_demo() -> None:
    call_command("load_demo", stdout=io.StringIO())
    first = Organisation.objects.filter(source_name__icontains="demo").count()
    call_command("load_demo", stdout=io.StringIO())
    assert Organisation.objects.filter(source_name__icontains="demo").count() == first > 0
    assert all("Demo" in o.name for o in Organisation.objects.filter(source_name__icontains="demo"))


# A fresh checkout: the installed `buicasus` script, nothing exported but PATH and HOME (and the
# data folder, so that the test owns it), SQLite by default.
BUICASUS = Path(sys.executable).with_name("buicasus")


def _fresh(data: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    bare = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "")}
    return subprocess.run(
        [str(BUICASUS), *args],
        env={**bare, "BUICASUS_DATA_DIR": str(data), **env},
        cwd=next(p for p in data.parents if p.is_dir()),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _one_clear_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("buicasus: ")
    return lines[0]


def test_fresh_checkout_says_the_database_is_not_migrated(tmp_path: Path) -> None:
    data = tmp_path / "data"
    rows = tmp_path / "organisations.csv"
    rows.write_text("name,country\nBiedrība Alfa,LV\n", encoding="utf-8")
    for args in (
        ["report", "mapping", "--country", "LV", "--format", "html", "--out", "r.html"],
        ["import", str(rows), "--source", "test", "--no-progress"],
    ):
        line = _one_clear_line(_fresh(data, *args))
        database = data / "buicasus.sqlite3"
        assert line == (
            f"buicasus: the database at {database} has not been migrated: run `buicasus migrate`"
        ), args
    # No SECRET_KEY and DEBUG off: the key was generated once into the data folder.
    secret = data / "secret_key"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600


def test_fresh_checkout_works_once_migrated(tmp_path: Path) -> None:
    data = tmp_path / "data"
    migrated = _fresh(data, "migrate", "--no-input", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    key = (data / "secret_key").read_text()
    listed = _fresh(data, "import-batches")
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stderr
    created = _fresh(data, "createuser", "alice", "--role", "admin", "--password", "pw-" + "9" * 12)
    assert created.returncode == 0, created.stderr
    assert "Created alice" in created.stdout
    assert (data / "secret_key").read_text() == key  # read back, not generated again


def test_configuration_problems_are_one_line_with_exit_code_2(tmp_path: Path) -> None:
    bad_url = _one_clear_line(_fresh(tmp_path / "data", "check", DATABASE_URL="mysq1://x/y"))
    assert "DATABASE_URL" in bad_url
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    unusable = _one_clear_line(_fresh(not_a_folder / "data", "report", "mapping", "--out", "x"))
    assert "BUICASUS_DATA_DIR" in unusable and str(not_a_folder / "data") in unusable
    number = _one_clear_line(_fresh(tmp_path / "data", "check", BUICASUS_PAGE_SIZE="many"))
    assert "'many'" in number


def test_an_unreachable_database_is_one_line(tmp_path: Path) -> None:
    # Port 9 (discard) has no PostgreSQL server: the connection is refused at once.
    url = "postgres://someone:not-secret@127.0.0.1:9/nowhere"
    line = _one_clear_line(_fresh(tmp_path / "data", "import-batches", DATABASE_URL=url))
    assert "cannot open the database at postgresql://someone@127.0.0.1:9/nowhere" in line
    assert "not-secret" not in line


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs a PostgreSQL server (DATABASE_URL)",
)
def test_an_unmigrated_postgresql_database_is_one_line(tmp_path: Path) -> None:
    """PostgreSQL says "relation … does not exist" where SQLite says "no such table"."""
    server = urlsplit(os.environ["DATABASE_URL"])
    name = f"{server.path.lstrip('/') or 'buicasus'}_fresh_cli"
    admin = server._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        url = server._replace(path=f"/{name}").geturl()
        args = ["report", "mapping", "--country", "LV", "--format", "html", "--out", "r.html"]
        line = _one_clear_line(_fresh(tmp_path / "data", *args, DATABASE_URL=url))
        assert line.endswith(f"/{name} has not been migrated: run `buicasus migrate`")
        assert line.startswith("buicasus: the database at postgresql://")
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
