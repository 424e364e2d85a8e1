"""`buicasus find-duplicates [--country XX] [--auto-merge/--no-auto-merge]`."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from buicasus.core.dedup import Thresholds
from buicasus.dedup.finding import configured_thresholds, find_duplicates
from buicasus.reference.models import Country


class Bars:
    """One tqdm bar per stage (a country's comparisons, the merges), on standard error."""

    def __init__(self, enabled: bool, stream: TextIO) -> None:
        self.enabled = enabled
        self.stream = stream
        self.bars: dict[str, tqdm] = {}

    def __call__(self, stage: str, advance: int, total: int) -> None:
        if not self.enabled:
            return
        bar = self.bars.get(stage)
        if bar is None:
            label = "merging" if stage == "merge" else f"comparing {stage}"
            bar = tqdm(total=total, desc=label, unit="rec", leave=False, file=self.stream)
            self.bars[stage] = bar
        bar.update(advance)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


class Command(BaseCommand):
    help = (
        "Find organisations recorded twice: same national identifier (certain) or similar "
        "name and place (scored). Certain pairs are merged unless --no-auto-merge; the others "
        "go to the review queue at /duplicates/."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--country", help="Only organisations of this country (ISO code).")
        parser.add_argument(
            "--auto-merge",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Merge certain pairs at once (default: the DEDUP_AUTO_MERGE setting, on).",
        )
        parser.add_argument("--review-threshold", type=float, help="Lowest score to queue.")
        parser.add_argument("--certain-threshold", type=float, help="Lowest certain score.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        country = (options.get("country") or "").strip().upper() or None
        if country and not Country.objects.filter(code=country).exists():
            raise CommandError(f"Unknown country code: {country}")
        default = configured_thresholds()
        review, certain = options.get("review_threshold"), options.get("certain_threshold")
        thresholds = Thresholds(
            review=default.review if review is None else review,
            certain=default.certain if certain is None else certain,
        )
        if not 0 <= thresholds.review <= thresholds.certain:
            raise CommandError("Thresholds must satisfy 0 ≤ review ≤ certain.")
        # tqdm writes carriage returns: give it the stream itself, not Django's line wrapper.
        bars = Bars(not options.get("no_progress"), getattr(self.stderr, "_out", sys.stderr))
        try:
            report = find_duplicates(
                country=country,
                auto_merge=options.get("auto_merge"),
                thresholds=thresholds,
                progress=bars,
            )
        except DatabaseError as exc:
            # Each merge is its own transaction: those before the error stay, this one did not.
            raise CommandError(f"The database refused a change, run stopped: {exc}") from exc
        finally:
            bars.close()
        self.stdout.write(
            f"Organisations: {report.organisations}; pairs examined: {report.examined} "
            f"({report.pairs_per_second:,.0f} pairs/s); certain: {report.certain}; "
            f"queued for review: {report.queued}; merged: {report.merged}; "
            f"already decided: {report.already_decided}; withdrawn: {report.withdrawn}; "
            f"{report.seconds:.1f} s."
        )
        for problem in report.problems:
            self.stderr.write(f"Not merged: {problem}")
