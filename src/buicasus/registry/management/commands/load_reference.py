from typing import Any

from django.core.management.base import BaseCommand

from buicasus.registry.reference import load_reference


class Command(BaseCommand):
    help = "Load vocabularies, the four countries and the BuiCaSuS consortium (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_reference()
        self.stdout.write(
            f"{report.vocabularies} vocabularies, {report.terms} terms, "
            f"{report.countries} countries, {report.organisations} organisations, "
            f"{report.ties} ties loaded."
        )
