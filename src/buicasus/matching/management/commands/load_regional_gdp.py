"""`buicasus load-regional-gdp [PATH]`: Eurostat GDP per head in PPS by NUTS region."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from buicasus.matching import gdp


class Command(BaseCommand):
    help = (
        "Load GDP per head in PPS by NUTS region and year from Eurostat's nama_10r_3gdp TSV "
        "(default: ../shared/data/eurostat-regional-gdp). Replaces earlier figures."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=None, help="The TSV file or its folder.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when figures are already loaded (quick repeated `make run`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["verbosity"] < 1
        if options["if_empty"] and gdp.loaded_count():
            self.stdout.write(f"Regional GDP: {gdp.loaded_count()} figures already loaded.")
            return
        try:
            summary = gdp.load(
                options["path"],
                progress=None if quiet else lambda rows: tqdm(rows, desc="GDP rows", unit="row"),
            )
        except gdp.GdpFileError as exc:
            raise CommandError(str(exc)) from exc
        span = f"{summary.years[0]}–{summary.years[1]}" if summary.years else "no years"
        self.stdout.write(
            f"Regional GDP: {summary.rows} figures for {summary.regions} NUTS codes ({span}). "
            f"{gdp.SOURCE_NOTE}."
        )
