"""`buicasus semantic-index status|rebuild`: the state of the cross-lingual index, or embed
what is missing and rebuild the approximate index."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from buicasus.registry.models import Initiative
from buicasus.semantic import services


class Command(BaseCommand):
    help = "Show the cross-lingual index status, or rebuild it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["status", "rebuild"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "status":
            status = services.index_status()
        else:
            with tqdm(
                total=Initiative.objects.count(),
                unit=" initiatives",
                file=sys.stderr,
                disable=options["verbosity"] == 0,
            ) as bar:
                status = services.rebuild(progress=bar.update)
        for key, value in status.items():
            self.stdout.write(f"{key}: {value}")
        self.stdout.write(json.dumps(status))
