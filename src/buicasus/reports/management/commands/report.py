"""`buicasus report mapping --country LV --lang lv --format pdf --out FILE`.

Sub-commands (argparse subparsers), one per kind of report; today: `mapping`. Without
`--country`, or with `--country ALL`, the transnational report covers the four partner
countries; `--countries ES,FR` picks others. The report counts published records unless
`--user NAME` asks for what that user may see. The file is written atomically.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from buicasus.reports import services


class Command(BaseCommand):
    help = "Build a report as HTML or PDF. Sub-commands: mapping."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
        mapping = kinds.add_parser(
            "mapping",
            help="The WP2 mapping report of a country, or the transnational one.",
            description=(
                "The mapping report: method, actors and initiatives in numbers, map, network, "
                "maturity radar, SWOT, interesting initiatives, data sources and dates."
            ),
        )
        mapping.add_argument(
            "--country", help="ISO code (LV), or ALL for the transnational report (default)."
        )
        mapping.add_argument(
            "--countries", help="Comma-separated ISO codes for a transnational report (ES,FR)."
        )
        mapping.add_argument("--lang", default="en", help="en, fr, es, sv or lv (default en).")
        mapping.add_argument("--format", default="pdf", help="pdf (default) or html.")
        mapping.add_argument("--out", required=True, help="File to write.")
        mapping.add_argument(
            "--user", help="Build the report as this user sees it (default: published records)."
        )
        mapping.add_argument(
            "--site-url", default="", help="Address of the platform, for links in the report."
        )
        mapping.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kind"] != "mapping":  # argparse already refuses others
            raise CommandError(f"Unknown report kind: {options['kind']}")
        if options.get("country") and options.get("countries"):
            raise CommandError("Give --country or --countries, not both.")
        try:
            codes = services.parse_countries(options.get("country"), options.get("countries"))
            lang = services.check_language(options["lang"])
            fmt = services.check_format(options["format"])
        except services.ReportError as exc:
            raise CommandError(f"--{exc.field}: {exc}") from exc
        user = None
        if options.get("user"):
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"--user: no user named {options['user']!r}") from exc
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"--out: folder {out.parent} does not exist")
        bar = tqdm(
            total=services.BUILD_STEPS,
            desc="report",
            unit="step",
            disable=options.get("no_progress", False),
            file=getattr(self.stderr, "_out", sys.stderr),
            leave=False,
        )

        def progress(done: int, _total: int, step: str) -> None:
            bar.update(done - bar.n)
            bar.set_postfix_str(step)

        started = time.perf_counter()
        with bar:
            size = services.build_mapping_file(
                user, codes, lang, fmt, out, site_url=options["site_url"], progress=progress
            )
        self.stdout.write(
            f"Wrote {out} ({fmt}, {size:,} bytes, {', '.join(codes)}, {lang}) "
            f"in {time.perf_counter() - started:.1f} s."
        )
