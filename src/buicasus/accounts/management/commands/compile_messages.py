from pathlib import Path
from typing import Any

import polib
from django.core.management.base import BaseCommand, CommandParser

LOCALE = Path(__file__).resolve().parents[3] / "locale"


class Command(BaseCommand):
    help = "Compile the .po catalogues to .mo (pure Python: no GNU gettext needed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
            catalogue = polib.pofile(str(po_path))
            catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
            if not options["quiet"]:
                self.stdout.write(
                    f"{po_path.relative_to(LOCALE)}: {catalogue.percent_translated()}% translated"
                )
