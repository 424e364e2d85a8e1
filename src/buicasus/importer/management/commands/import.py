"""`buicasus import FILE --source NAME [--mapping M.yaml] …`: one file, one import batch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from buicasus.importer.errors import ImportFailure
from buicasus.importer.management.commands._common import acting_user, print_report
from buicasus.importer.services import import_file


class Command(BaseCommand):
    help = (
        "Import a CSV, XLSX, JSON, JSON Lines or standard-format file as one batch: all valid "
        "rows or nothing (or, with --skip-invalid, the valid rows and a rejects file)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", required=True, help="name of the source (keys re-imports)")
        parser.add_argument("--mapping", help="mapping YAML file, or the name of a shipped one")
        parser.add_argument("--format", help="csv, xlsx, json, jsonl, or a standard format")
        parser.add_argument("--delimiter", help="CSV delimiter (detected when left out)")
        parser.add_argument("--encoding", help="file encoding (detected when left out)")
        parser.add_argument("--sheet", help="XLSX sheet name (default: the first)")
        parser.add_argument("--key", help="JSON: the key holding the list of records")
        parser.add_argument("--licence", help="licence note (default: the mapping's)")
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
        parser.add_argument("--skip-invalid", action="store_true", help="write the valid rows")
        parser.add_argument("--rejects", type=Path, help="where to write rejected rows (CSV)")
        parser.add_argument("--user", help="import as this user (default: a platform admin)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--show", type=int, default=1000, help="problems to print at most (default 1000)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options["user"])
        try:
            report = import_file(
                options["file"],
                source=options["source"],
                mapping=options["mapping"],
                format=options["format"],
                delimiter=options["delimiter"],
                encoding=options["encoding"],
                sheet=options["sheet"],
                key=options["key"],
                licence=options["licence"],
                user=user,
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                rejects=options["rejects"],
                progress=not options["no_progress"],
            )
        except ImportFailure as exc:
            raise CommandError(exc.describe()) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        print_report(self.stdout, report, options["show"])
        if report.invalid and not report.dry_run and not report.skip_invalid:
            raise CommandError(
                _("%(n)s invalid rows: nothing was written (fix them, or use --skip-invalid).")
                % {"n": report.invalid}
            )
