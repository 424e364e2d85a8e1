"""`buicasus network compute [--country XX] [--user NAME]` and
`buicasus network export --format gexf|graphml|kumu [--country XX] [--user NAME] [--out FILE]`.

Both are thin over `network.services`: `compute` refreshes the cache (always recomputing) and
prints the time of each step; `export` writes the analysed network (stdout by default), through
a temporary file so a failed run leaves nothing half-written.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from buicasus.core.network import NetworkSummary
from buicasus.interchange.exporters.base import shared_file_mode
from buicasus.network import exports, services

STEPS = ("reading", "analysing", "storing")


class Command(BaseCommand):
    help = "Compute the network analysis cache, or export the analysed network."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("compute", _("Recompute the metrics and communities now, and print timings.")),
            ("export", _("Write the network as GEXF, GraphML or Kumu JSON.")),
        ):
            sub = actions.add_parser(name, help=text)
            sub.add_argument("--country", default="", help=_("ISO code; default: all countries."))
            sub.add_argument(
                "--user",
                help=_("Use what this user may see (default: published, approved records)."),
            )
            if name == "export":
                sub.add_argument("--format", required=True, choices=list(exports.FORMATS))
                sub.add_argument("--out", default="-", help=_("File to write; default stdout."))
            else:
                sub.add_argument("--quiet", action="store_true", help=_("No progress bar."))

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("No user named “%(name)s”.") % {"name": options["user"]})
        try:
            country = services.clean_country(options["country"])
        except services.NetworkError as exc:
            raise CommandError(str(exc)) from exc
        if options["action"] == "compute":
            self._compute(user, country, quiet=options["quiet"])
        else:
            self._export(user, country, options["format"], options["out"])

    def _compute(self, user: Any, country: str | None, *, quiet: bool) -> None:
        bar = tqdm(
            total=len(STEPS),
            desc=_("network"),
            disable=quiet,
            file=getattr(self.stderr, "_out", sys.stderr),
        )

        def progress(step: str) -> None:
            bar.set_postfix_str(step)
            if step != STEPS[0]:
                bar.update(1)

        started = time.perf_counter()
        try:
            snapshot = services.compute(user, country, progress=progress)
            bar.update(1)
        finally:
            bar.close()
        summary = NetworkSummary.from_dict(snapshot.summary)
        self.stdout.write(
            _(
                "%(where)s: %(nodes)s organisations, %(edges)s links, %(communities)s "
                "communities, %(isolated)s isolated, %(border)s cross-border links."
            )
            % {
                "where": country or _("all countries"),
                "nodes": summary.nodes,
                "edges": summary.edges,
                "communities": summary.community_count,
                "isolated": summary.isolated,
                "border": summary.cross_border_ties,
            }
        )
        for step, seconds in summary.timings.items():
            self.stdout.write(f"  {step:<12} {seconds:8.3f} s")
        self.stdout.write(
            _("Total %(seconds)s s (betweenness: %(method)s; communities: %(communities)s).")
            % {
                "seconds": f"{time.perf_counter() - started:.3f}",
                "method": summary.betweenness_method,
                "communities": summary.community_method,
            }
        )

    def _export(self, user: Any, country: str | None, format_name: str, out: str) -> None:
        try:
            _chosen, blocks = exports.export(user, country, format_name)
        except services.NetworkError as exc:
            raise CommandError(str(exc)) from exc
        if out == "-":
            for block in blocks:
                sys.stdout.buffer.write(block)
            sys.stdout.buffer.flush()
            return
        path = Path(out)
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": folder})
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        written = 0
        try:
            # Readable by the group, as a file `open()` creates (mkstemp's is owner-only).
            os.fchmod(descriptor, shared_file_mode())
            with os.fdopen(descriptor, "wb") as handle:
                for block in blocks:
                    handle.write(block)
                    written += len(block)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stderr.write(_("Wrote %(path)s (%(size)s bytes).") % {"path": out, "size": written})
