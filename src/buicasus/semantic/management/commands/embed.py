"""`buicasus embed [--all] [--batch-size N] [--queue]`: compute the embeddings of initiatives
waiting for one (new, changed text, or none of the configured model); `--all` checks every
initiative's text. It runs here with a progress bar, recorded as a background job like the
worker's; `--queue` leaves it to a worker (`buicasus worker`) and returns at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from buicasus.jobs import services as jobs
from buicasus.jobs.runner import JobError
from buicasus.semantic import tasks
from buicasus.semantic.encoders import encoder_name


class Command(BaseCommand):
    help = "Embed initiatives for cross-lingual matching (unchanged texts are skipped)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Check every initiative's text.")
        parser.add_argument("--batch-size", type=int, default=64, help="Texts per batch.")
        parser.add_argument(
            "--queue", action="store_true", help="Leave the work to a background worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        arguments = {"check_all": options["all"], "batch_size": options["batch_size"]}
        if options["queue"]:
            job = jobs.start(
                tasks.embed_initiatives,
                label=_("Embed initiatives for matching"),
                key="" if options["all"] else tasks.KEY,
                **arguments,
            )
            self.stdout.write(f"Queued for a worker: job {job.pk} ({job.get_status_display()}).")
            return
        try:
            job = jobs.run_here(
                tasks.embed_initiatives,
                label=_("Embed initiatives for matching"),
                bar=options["verbosity"] > 0,
                **arguments,
            )
        except JobError as exc:
            raise CommandError(str(exc)) from exc
        done, checked = job.outcome["computed"], job.outcome["checked"]
        self.stdout.write(
            f"{done} initiatives embedded, {checked - done} unchanged ({encoder_name()})."
        )
