"""`buicasus export --format F [--kind K] [--country XX …] --output PATH`: the same files as the
export page, written through a temporary file so a failed run leaves nothing half-written."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from buicasus.interchange.downloads import prepare
from buicasus.interchange.exporters import EXPORTERS
from buicasus.interchange.exporters.base import shared_file_mode
from buicasus.interchange.services import FILTERS, KINDS, ExportError


class Command(BaseCommand):
    help = "Export the registry (or a filtered list) as CSV, XLSX, JSON, HSDS, Popolo, …"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=list(EXPORTERS))
        parser.add_argument("--kind", default="registry", choices=KINDS)
        parser.add_argument("--output", required=True, help=_("File to write; - for stdout."))
        parser.add_argument(
            "--user",
            help=_(
                "Export what this user may see (default: what anonymous visitors see, i.e. "
                "published, approved records)."
            ),
        )
        parser.add_argument(
            "--base-url",
            default="",
            help=_("Address of the site, for record links and IRIs (default: BUICASUS_SITE_URL)."),
        )
        parser.add_argument(
            "--bom",
            action="store_true",
            help=_(
                "CSV only: start the file with a UTF-8 byte-order mark, for Microsoft Excel "
                "(default: no mark)."
            ),
        )
        parser.add_argument("--quiet", action="store_true", help=_("No progress bar."))
        for name in FILTERS:
            parser.add_argument(
                f"--{name.replace('_', '-')}",
                dest=name,
                help=_("Filter, as on the list pages (a code)."),
            )

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("No user named “%(name)s”.") % {"name": options["user"]})
        params = {name: options[name] for name in FILTERS if options.get(name)}
        base_url = (options["base_url"] or settings.SITE_URL).rstrip("/")
        if not base_url and EXPORTERS[options["format"]].absolute_links:
            raise CommandError(
                _(
                    "%(format)s needs absolute links: give --base-url https://… or set "
                    "BUICASUS_SITE_URL."
                )
                % {"format": options["format"]},
                returncode=2,
            )
        try:
            exporter, selection = prepare(
                user, options["kind"], options["format"], params, base_url=base_url
            )
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        to_stdout = options["output"] == "-"
        quiet = options["quiet"] or to_stdout
        bar = tqdm(
            total=selection.count(),
            unit=" records",
            desc=f"{exporter.name} {selection.kind}",
            disable=quiet,
            file=getattr(self.stderr, "_out", sys.stderr),
        )
        selection.progress = bar.update
        try:
            if to_stdout:
                for block in exporter.stream(selection, bom=options["bom"]):
                    sys.stdout.buffer.write(block)
                sys.stdout.buffer.flush()
                return
            blocks = exporter.stream(selection, bom=options["bom"])
            written = self._write(Path(options["output"]), blocks)
        finally:
            bar.close()
        if not options["quiet"]:
            self.stdout.write(
                _("Wrote %(path)s (%(size)s bytes, %(format)s).")
                % {"path": options["output"], "size": f"{written:,}", "format": exporter.label}
            )

    def _write(self, path: Path, blocks: Any) -> int:
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": folder})
        try:
            descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        except OSError as exc:
            raise CommandError(self._cannot_write(path, exc)) from exc
        written = 0
        try:
            os.fchmod(descriptor, shared_file_mode())
            with os.fdopen(descriptor, "wb") as handle:
                for block in blocks:
                    handle.write(block)
                    written += len(block)
            os.replace(temporary, path)
        except OSError as exc:
            Path(temporary).unlink(missing_ok=True)
            raise CommandError(self._cannot_write(path, exc)) from exc
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return written

    @staticmethod
    def _cannot_write(path: Path, exc: OSError) -> str:
        return _("Cannot write %(path)s: %(error)s") % {
            "path": path,
            "error": exc.strerror or exc,
        }
