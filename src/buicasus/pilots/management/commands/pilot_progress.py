"""`buicasus pilot-progress [--country LV]`: one line per pilot with its progress figures."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from buicasus.pilots import services
from buicasus.pilots.models import Pilot


class Command(BaseCommand):
    help = "Print each pilot's phase, milestones done/overdue, sessions and readiness checklist."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--country", help="Only pilots whose target or source is this code.")

    def handle(self, *args: Any, **options: Any) -> None:
        params = {"country": (options.get("country") or "").upper()}
        pilots = services.filter_pilots(Pilot.objects.all(), params)
        for pilot in pilots.select_related("target_country", "source_initiative__country"):
            p = services.progress(pilot)
            self.stdout.write(
                f"#{pilot.pk} {pilot.title} [{pilot.source_initiative.country.code}→"
                f"{pilot.target_country.code}] {p.status}, phase {p.phase_number}/{p.phase_count} "
                f"{p.phase}; milestones {p.milestones_done}/{p.milestones_total} done, "
                f"{p.milestones_overdue} overdue; {p.sessions} sessions; "
                f"checklist {p.checklist_done}/{p.checklist_total}"
            )
