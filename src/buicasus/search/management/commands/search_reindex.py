"""`buicasus search-reindex [--kind organisation|initiative] [--rebuild]`: bring the search
index up to date with the registry, with a progress bar."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from buicasus.search import indexing


class Command(BaseCommand):
    help = "Update the search index from the registry (all records, or one kind)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kind", choices=sorted(indexing.MODELS), help="Only this kind of record."
        )
        parser.add_argument(
            "--rebuild", action="store_true", help="Empty the index first, then index everything."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kinds = [options["kind"]] if options["kind"] else list(indexing.MODELS)
        if options["rebuild"]:
            indexing.clear()
        quiet = options["verbosity"] == 0
        for kind in kinds:
            with tqdm(
                total=indexing.count_records(kind),
                desc=kind,
                unit=" records",
                disable=quiet,
                file=sys.stderr,
            ) as bar:
                done = indexing.reindex(kind, None, progress=bar.update)
            if not quiet:
                self.stdout.write(f"{kind}: {done} records indexed.")
