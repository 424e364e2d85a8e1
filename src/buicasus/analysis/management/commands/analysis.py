"""`buicasus analysis ES`: a country's registry indicators and SWOT lines, as text or JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from buicasus.analysis import services, wording
from buicasus.reference.models import Country


class Command(BaseCommand):
    help = "Print a country's registry indicators and SWOT table (every line, edits applied)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("country", help="ISO 3166-1 alpha-2 code, e.g. LV.")
        parser.add_argument("--json", action="store_true", help="JSON instead of text.")
        parser.add_argument("--language", default="en", help="Language of labels and lines.")

    def handle(self, *args: Any, **options: Any) -> None:
        code = str(options["country"]).upper()
        if not Country.objects.filter(code=code).exists():
            raise CommandError(f"Unknown country: {code}")
        indicators = services.registry_indicators(code)
        table = services.swot(code, lang=options["language"])
        if options["json"]:
            out = {
                "country": code,
                "indicators": [i.__dict__ for i in indicators],
                "swot": {
                    q: [{"key": x.key, "text": x.text, "origin": x.origin} for x in lines]
                    for q, lines in table.quadrants.items()
                },
            }
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2, default=str))
            return
        self.stdout.write(f"Indicators of {code}")
        for i in indicators:
            self.stdout.write(f"  {i.label}: {wording.indicator_text(i.value, i.unit)}")
        for quadrant, lines in table.quadrants.items():
            self.stdout.write(f"{quadrant.capitalize()} ({len(lines)})")
            for line in lines:
                self.stdout.write(f"  - {line.text}")
