from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from buicasus.registry.reference import load_reference


class Command(BaseCommand):
    help = "Load vocabularies, countries, NUTS regions and the BuiCaSuS consortium (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--nuts", type=Path, help="folder of NUTS 2021 GeoJSON files")

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_reference(options["nuts"])
        self.stdout.write(
            f"{report.vocabularies} vocabularies, {report.terms} terms, "
            f"{report.countries} countries, {report.regions} NUTS regions, "
            f"{report.organisations} organisations, {report.ties} ties loaded."
        )
        for note in report.notes:
            self.stdout.write(f"note: {note}")
