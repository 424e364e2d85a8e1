"""Restore a backup archive (`backup.py`) into this instance: the database, then the files.

Checks come first and change nothing when they refuse:

- the archive is a BuiCaSuS backup of a format this code reads, and its files are intact
  (sizes and SHA-256 as in the manifest);
- the backup's schema is not newer than the code: every migration it had applied must be one
  this code knows (else: upgrade BuiCaSuS first);
- it was made on the same backend. Cross-backend restores (a SQLite backup into PostgreSQL, or
  back) are refused: the archive holds the engine's native copy (SQLite file, pg_dump), and a
  portable path through JSON would skip the parts Django does not model (SQLite's full-text
  table) and replay audit signals. Move between engines by restoring on the old engine and
  moving with `dumpdata`/`loaddata` — see docs/operations.md;
- the instance is empty (no user accounts, initiatives, import batches, or organisations
  beyond the reference data), unless `force` is given.

Then the database is replaced — on SQLite through the online backup API into the live
database; on PostgreSQL with one `psql --single-transaction` run that drops and recreates the
schema and loads `pg_restore`'s output, so a failure leaves the old database as it was — and
the row counts are compared with the manifest. Files go back into the data folder (files of
the same name are replaced; others are left alone). Last, `migrate` brings a backup from an
older version up to this code's schema. Stop the app servers while restoring.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from buicasus.importer.models import ImportBatch
from buicasus.operations.backup import (
    FILES,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    Manifest,
    pg_environment,
    pg_tool,
    scratch_folder,
    sha256,
)
from buicasus.registry.models import Initiative, Organisation
from buicasus.registry.reference import FIXTURES


@dataclass
class RestoreReport:
    manifest: Manifest
    files: int = 0
    migrated: list[str] = field(default_factory=list)


def read_manifest(archive: tarfile.TarFile) -> Manifest:
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise BackupError(_("This file is not a BuiCaSuS backup (no backup manifest)."))
    try:
        manifest = Manifest.from_json(member.read().decode("utf-8"))
    except (ValueError, TypeError) as exc:
        raise BackupError(_("The backup's manifest is damaged: %(e)s") % {"e": exc}) from exc
    if manifest.format_version > FORMAT_VERSION:
        raise BackupError(
            _(
                "This backup uses format version %(found)s, made by a newer BuiCaSuS "
                "(%(version)s); this one reads version %(known)s. Upgrade BuiCaSuS first."
            )
            % {
                "found": manifest.format_version,
                "known": FORMAT_VERSION,
                "version": manifest.platform_version,
            }
        )
    return manifest


def unknown_migrations(manifest: Manifest) -> list[str]:
    """Migrations the backup's database had applied that this code does not have."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        for name in names
        if (app, name) not in known
    ]


def check_compatible(manifest: Manifest) -> None:
    newer = unknown_migrations(manifest)
    if newer:
        shown = ", ".join(newer[:5]) + (" …" if len(newer) > 5 else "")
        raise BackupError(
            _(
                "This backup comes from a newer version of BuiCaSuS (%(version)s): its database "
                "has %(n)s migrations this code does not know (%(names)s). Nothing was changed. "
                "Upgrade BuiCaSuS to that version or later, then restore."
            )
            % {"version": manifest.platform_version, "n": len(newer), "names": shown}
        )
    if manifest.backend != connection.vendor:
        raise BackupError(
            _(
                "This is a %(backup)s backup and this instance runs on %(here)s. Nothing was "
                "changed. A backup restores onto the database engine it was made on; to move "
                "between engines see “Moving between SQLite and PostgreSQL” in "
                "docs/operations.md."
            )
            % {"backup": manifest.backend, "here": connection.vendor}
        )


def reference_sources() -> list[str]:
    """Source names of the organisations `load-reference` creates (the consortium)."""
    doc = yaml.safe_load((FIXTURES / "reference" / "consortium.yaml").read_text("utf-8"))
    return [str(doc["source"])]


def instance_data() -> dict[str, int]:
    """What a restore would overwrite: counts of data made in this instance (not reference
    data, which `load-reference` recreates). Empty for a new instance."""

    tables = set(connection.introspection.table_names())
    found: dict[str, int] = {}
    checks: list[tuple[str, str, str, list[str]]] = [
        (_("user accounts"), get_user_model()._meta.db_table, "", []),
        (_("initiatives"), Initiative._meta.db_table, "", []),
        (_("import batches"), ImportBatch._meta.db_table, "", []),
    ]
    sources = reference_sources()
    marks = ", ".join(["%s"] * len(sources))
    checks.append(
        (
            _("organisations"),
            Organisation._meta.db_table,
            f" WHERE source_name NOT IN ({marks})",
            sources,
        )
    )
    with connection.cursor() as cursor:
        for label, table, where, params in checks:
            if table not in tables:
                continue
            cursor.execute(
                f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}{where}", params
            )
            count = int(cursor.fetchone()[0])
            if count:
                found[str(label)] = count
    return found


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """Only plain files and folders inside the archive (no links, no paths climbing out)."""
    members = []
    for member in archive.getmembers():
        parts = Path(member.name).parts
        if member.name.startswith("/") or ".." in parts or not (member.isfile() or member.isdir()):
            raise BackupError(_("The backup holds an unsafe entry: %(n)s") % {"n": member.name})
        members.append(member)
    return members


def _check_files(manifest: Manifest, folder: Path) -> None:
    for name, info in manifest.files.items():
        path = folder / FILES / name
        if (
            not path.is_file()
            or path.stat().st_size != info["size"]
            or sha256(path) != info["sha256"]
        ):
            raise BackupError(
                _(
                    "The backup is damaged: the file %(n)s is missing or altered. "
                    "Nothing was changed."
                )
                % {"n": name}
            )


def _restore_sqlite(dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_postgres(dump: Path) -> None:
    """Drop and recreate the schema, then load the dump: one transaction, all or nothing."""
    listing = subprocess.run(
        [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(dump)],
        capture_output=True,
        check=False,
    )
    if listing.returncode != 0:
        raise BackupError(
            _("pg_restore could not read the dump: %(e)s") % {"e": listing.stderr.decode().strip()}
        )
    schema = "DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"
    connection.close()  # our session must not hold locks on the tables being dropped
    done = subprocess.run(
        [
            pg_tool("psql"),
            "--quiet",
            "--no-psqlrc",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            "--file=-",
        ],
        input=schema.encode() + listing.stdout,
        env=pg_environment(),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(
            _("The database could not be restored (it is unchanged): %(e)s")
            % {"e": done.stderr.decode(errors="replace").strip()[-2000:]}
        )


def _check_counts(manifest: Manifest) -> None:
    differ = []
    with connection.cursor() as cursor:
        for table, expected in manifest.counts.items():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            found = int(cursor.fetchone()[0])
            if found != expected:
                differ.append(f"{table}: {found} ≠ {expected}")
    if differ:
        raise BackupError(
            _("The restored database does not match the backup's counts: %(d)s")
            % {"d": "; ".join(differ[:10])}
        )


def _put_files(folder: Path, data_dir: Path) -> int:
    count = 0
    for source in sorted((folder / FILES).rglob("*")):
        if source.is_file():
            target = data_dir / source.relative_to(folder / FILES)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
            count += 1
    return count


def restore_backup(path: Path, *, force: bool = False) -> RestoreReport:
    """Restore the archive at `path`; refuse (changing nothing) as the module says."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("No backup file at %(p)s.") % {"p": path})
    data_dir = Path(settings.DATA_DIR).resolve()
    try:
        archive = tarfile.open(path, "r:*")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(_("This file is not a BuiCaSuS backup: %(e)s") % {"e": exc}) from exc
    with archive, scratch_folder(data_dir) as scratch:
        manifest = read_manifest(archive)
        check_compatible(manifest)
        held = instance_data()
        if held and not force:
            what = ", ".join(f"{n} {label}" for label, n in held.items())
            raise BackupError(
                _(
                    "This instance already holds data (%(what)s). Nothing was changed. Restore "
                    "into an empty instance, or add --force to replace everything with the backup."
                )
                % {"what": what}
            )
        archive.extractall(scratch, members=_safe_members(archive), filter="data")
        _check_files(manifest, scratch)
        dump = scratch / manifest.database_file
        if not dump.is_file():
            raise BackupError(_("The backup holds no database file. Nothing was changed."))
        if manifest.backend == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgres(dump)
        ContentType.objects.clear_cache()
        _check_counts(manifest)
        report = RestoreReport(manifest=manifest, files=_put_files(scratch, data_dir))
    before = {(a, n) for a, names in manifest.migrations.items() for n in names}
    call_command("migrate", interactive=False, verbosity=0)
    loader = MigrationLoader(connection)
    report.migrated = sorted(
        f"{a}.{n}" for a, n in loader.applied_migrations if (a, n) not in before
    )
    return report
