"""`buicasus backup --out FILE`: the database and the data folder's files in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from buicasus.operations.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump) and the data folder's files "
        "(uploads, rejects, exports, matching index) into one .tar.gz archive with a manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, required=True, help="archive to write (.tar.gz)")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        if out.is_dir():
            raise CommandError(_("--out names a folder; give a file name such as backup.tar.gz."))
        try:
            manifest = create_backup(out)
        except (BackupError, OSError) as exc:
            raise CommandError(_("Backup failed, no archive written: %(e)s") % {"e": exc}) from exc
        self.stdout.write(
            _(
                "Backup written to %(out)s: %(backend)s database, %(records)s rows in %(tables)s "
                "tables, %(files)s files; BuiCaSuS %(version)s, %(at)s."
            )
            % {
                "out": out,
                "backend": manifest.backend,
                "records": manifest.records,
                "tables": len(manifest.counts),
                "files": len(manifest.files),
                "version": manifest.platform_version,
                "at": manifest.created_at,
            }
        )
