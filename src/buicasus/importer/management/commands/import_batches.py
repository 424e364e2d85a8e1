"""`buicasus import-batches`: the latest import batches and what each did."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from buicasus.importer.models import ImportBatch


class Command(BaseCommand):
    help = "List the latest import batches with their counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--source", help="only batches of this source")

    def handle(self, *args: Any, **options: Any) -> None:
        batches = ImportBatch.objects.select_related("user").order_by("-pk")
        if options["source"]:
            batches = batches.filter(source_name=options["source"])
        for batch in batches[: options["limit"]]:
            when = timezone.localtime(batch.started_at).strftime("%Y-%m-%d %H:%M")
            user = batch.user.get_username() if batch.user else "-"
            self.stdout.write(
                f"#{batch.pk:<5} {when}  {batch.get_status_display():<12.40}  "
                f"{batch.source_name[:40]:<40}  {batch.file_name[:30]:<30}  "
                + _(
                    "new %(new)s, updated %(updated)s, unchanged %(unchanged)s, invalid %(invalid)s"
                )
                % {
                    "new": batch.count_new,
                    "updated": batch.count_updated,
                    "unchanged": batch.count_unchanged,
                    "invalid": batch.count_invalid,
                }
                + f"  ({user})"
            )
