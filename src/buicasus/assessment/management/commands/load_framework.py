"""`buicasus load-framework [FILE ...]`: validate and load maturity-framework files."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from buicasus.assessment.frameworks import FrameworkFileError
from buicasus.assessment.services import load_frameworks


class Command(BaseCommand):
    help = (
        "Validate and load maturity-framework YAML files (default: every file in "
        "assessment/frameworks/). A file with any fault is refused whole, with the line at "
        "fault; loading the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="framework files to load")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = load_frameworks(options["files"] or None)
        except FrameworkFileError as exc:
            raise CommandError(f"Framework refused, nothing loaded:\n{exc.describe()}") from exc
        for item in loaded:
            state = "new" if item.created else "up to date"
            self.stdout.write(
                f"{item.key} v{item.version}: {item.dimensions} dimensions, "
                f"{item.statements} statements ({state})."
            )
