"""Backups: the database and the data folder's files in one archive, with a manifest.

`create_backup(out)` writes a gzipped tar archive holding

- `manifest.json`: format version, backend, the Django migration state (applied migrations per
  app), row counts per table, when it was made, the platform and Django versions, and each
  file's size and SHA-256;
- the database: on SQLite `database.sqlite3`, a consistent copy made with SQLite's online
  backup API (the platform may keep serving meanwhile); on PostgreSQL `database.pgdump`, a
  `pg_dump --format=custom` run inside the same REPEATABLE READ snapshot the counts were taken
  in (so counts and dump agree even while users write);
- `files/…`: the data folder (uploads, import rejects, exports, the matching index), without
  the SQLite database itself and without `static/` (rebuilt by `collectstatic`).

Files are copied after the database snapshot; uploads are written once under fresh names, so
every file the snapshot refers to is in the archive. `restore.py` reads the archive back.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

FORMAT = "buicasus-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FILES = "files"
# Never copied from the data folder: rebuilt (static), or restore's own scratch folders.
SKIPPED_DIRS = {"static"}
SCRATCH_PREFIX = ".restore-"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass
class Manifest:
    backend: str
    migrations: dict[str, list[str]]
    counts: dict[str, int]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    created_at: str = ""
    platform_version: str = ""
    django_version: str = ""
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @property
    def database_file(self) -> str:
        return DATABASE_FILES[self.backend]

    @property
    def records(self) -> int:
        return sum(self.counts.values())

    def to_json(self) -> str:
        return json.dumps(vars(self), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BackupError(_("This file is not a BuiCaSuS backup (no backup manifest)."))
        known = {f: data[f] for f in cls.__dataclass_fields__ if f in data}
        return cls(**known)


def platform_version() -> str:
    try:
        return metadata.version("buicasus")
    except metadata.PackageNotFoundError:
        return "unknown"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_tables() -> list[str]:
    """The tables of Django models (with many-to-many tables) present in the database."""
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _quote(name: str) -> str:
    return str(connection.ops.quote_name(name))


def _migrations(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app, name in rows:
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def data_files(data_dir: Path, skip: set[Path]) -> Iterator[Path]:
    """Files of the data folder worth keeping, in a stable order."""
    for root, dirs, files in os.walk(data_dir):
        here = Path(root)
        if here == data_dir:
            dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
        dirs[:] = sorted(d for d in dirs if not d.startswith(SCRATCH_PREFIX))
        for name in sorted(files):
            path = here / name
            if path.resolve() not in skip and path.is_file() and not path.is_symlink():
                yield path


def _sqlite_snapshot(target: Path) -> Manifest:
    """Copy the live SQLite database with the online backup API; describe the copy."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        tables = model_tables()
        counts = {
            t: int(copy.execute(f"SELECT COUNT(*) FROM {_quote(t)}").fetchone()[0]) for t in tables
        }
        rows = copy.execute("SELECT app, name FROM django_migrations").fetchall()
    finally:
        copy.close()
    return Manifest(backend="sqlite", migrations=_migrations(rows), counts=counts)


def pg_environment() -> dict[str, str]:
    """libpq variables naming the platform's PostgreSQL database, for pg_dump and psql."""
    conf = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(conf["NAME"])}
    for key, var in (("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST")):
        if conf.get(key):
            env[var] = str(conf[key])
    if conf.get("PORT"):
        env["PGPORT"] = str(conf["PORT"])
    if conf.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(conf["OPTIONS"]["sslmode"])
    return env


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _(
                "%(tool)s is not installed: install the PostgreSQL client tools (Debian: "
                "postgresql-client) of the server's version or newer."
            )
            % {"tool": name}
        )
    return found


def _postgres_snapshot(target: Path) -> Manifest:
    """pg_dump inside the REPEATABLE READ snapshot the counts and migrations are read from."""
    pg_dump = pg_tool("pg_dump")
    snapshot = not connection.in_atomic_block  # a fresh transaction can export its snapshot
    with transaction.atomic(), connection.cursor() as cursor:
        if snapshot:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
        counts = {}
        for table in model_tables():
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
            counts[table] = int(cursor.fetchone()[0])
        cursor.execute("SELECT app, name FROM django_migrations")
        rows = cursor.fetchall()
        command = [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"]
        if snapshot:
            command.append(f"--snapshot={snapshot_id}")
        done = subprocess.run(
            command, env=pg_environment(), capture_output=True, text=True, check=False
        )
    if done.returncode != 0:
        raise BackupError(_("pg_dump failed: %(error)s") % {"error": done.stderr.strip()})
    return Manifest(backend="postgresql", migrations=_migrations(rows), counts=counts)


@contextmanager
def scratch_folder(near: Path) -> Iterator[Path]:
    """A temporary folder on the same file system as `near` (renames stay cheap)."""
    near.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=near))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def create_backup(out: Path) -> Manifest:
    """Write a backup archive of the database and the data folder to `out`; return its manifest.

    The archive is written under a temporary name and renamed when complete, so `out` is
    never a half-written backup.
    """
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(v)s.") % {"v": vendor})
    out = Path(out).resolve()
    data_dir = Path(settings.DATA_DIR).resolve()
    with scratch_folder(out.parent) as scratch:
        dump = scratch / DATABASE_FILES[vendor]
        manifest = _sqlite_snapshot(dump) if vendor == "sqlite" else _postgres_snapshot(dump)
        skip = {out, dump.resolve()}
        db_name = str(connection.settings_dict["NAME"])
        if vendor == "sqlite" and not connection.is_in_memory_db():
            skip |= {
                Path(db_name + suffix).resolve() for suffix in ("", "-wal", "-shm", "-journal")
            }
        files = list(data_files(data_dir, skip))
        manifest.files = {
            str(p.relative_to(data_dir)): {"size": p.stat().st_size, "sha256": sha256(p)}
            for p in files
        }
        manifest.created_at = datetime.now(UTC).isoformat(timespec="seconds")
        manifest.platform_version = platform_version()
        manifest.django_version = django.get_version()
        (scratch / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        partial = scratch / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(scratch / MANIFEST, arcname=MANIFEST)
            archive.add(dump, arcname=manifest.database_file)
            for path in files:
                archive.add(path, arcname=f"{FILES}/{path.relative_to(data_dir).as_posix()}")
        os.replace(partial, out)
    return manifest
