"""`buicasus embed [--all] [--batch-size N]`: compute the embeddings of initiatives whose text
changed (or that have none); `--all` checks every initiative, the default only those without a
current embedding of the configured model."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from buicasus.registry.models import Initiative
from buicasus.semantic.embeddings import ensure_embeddings
from buicasus.semantic.encoders import get_encoder
from buicasus.semantic.models import InitiativeEmbedding


class Command(BaseCommand):
    help = "Embed initiatives for cross-lingual matching (unchanged texts are skipped)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Check every initiative's text.")
        parser.add_argument("--batch-size", type=int, default=64, help="Texts per batch.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        encoder = get_encoder()
        ids = Initiative.objects.order_by("id").values_list("id", flat=True)
        if not options["all"]:
            have = InitiativeEmbedding.objects.filter(model=encoder.name).values("initiative_id")
            ids = ids.exclude(id__in=have)
        wanted = list(ids)
        with tqdm(
            total=len(wanted),
            unit=" initiatives",
            file=sys.stderr,
            disable=options["verbosity"] == 0,
        ) as bar:
            done = ensure_embeddings(
                wanted, batch_size=options["batch_size"], progress=bar.update, encoder=encoder
            )
        self.stdout.write(
            f"{done} initiatives embedded, {len(wanted) - done} unchanged ({encoder.name})."
        )
