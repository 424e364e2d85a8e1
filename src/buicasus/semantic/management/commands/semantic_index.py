"""`buicasus semantic-index status|rebuild`: the state of the cross-lingual index, or embed
what is missing or stale (every text checked) and rebuild the approximate index, here with a
progress bar (the API's rebuild leaves the same task to a worker)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from buicasus.jobs import services as jobs
from buicasus.semantic import services, tasks


class Command(BaseCommand):
    help = "Show the cross-lingual index status, or rebuild it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["status", "rebuild"])

    def handle(self, *args: Any, **options: Any) -> None:
        status = {}
        if options["action"] == "rebuild":
            job = jobs.run_here(
                tasks.embed_initiatives,
                label=_("Check every embedding and rebuild the matching index"),
                bar=options["verbosity"] > 0,
                check_all=True,
                rebuild_index=True,
            )
            status["computed"] = job.outcome["computed"]
        status.update(services.index_status())
        for key, value in status.items():
            self.stdout.write(f"{key}: {value}")
        self.stdout.write(json.dumps(status))
