"""`buicasus restore FILE [--force]`: put a backup archive back (database and files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from buicasus.operations.backup import BackupError
from buicasus.operations.restore import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `buicasus backup` into this instance. Refuses an instance "
        "that already holds data unless --force, a backup from a newer schema, and a backup "
        "made on the other database engine. Stop the app servers first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="backup archive (.tar.gz)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the data this instance holds with the backup's",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore_backup(options["file"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = report.manifest
        self.stdout.write(
            _(
                "Restored the backup of %(at)s (BuiCaSuS %(version)s): %(records)s rows in "
                "%(tables)s tables, %(files)s files."
            )
            % {
                "at": manifest.created_at,
                "version": manifest.platform_version,
                "records": manifest.records,
                "tables": len(manifest.counts),
                "files": report.files,
            }
        )
        if report.migrated:
            self.stdout.write(
                _("Brought up to this version's schema: %(names)s")
                % {"names": ", ".join(report.migrated)}
            )
