"""`buicasus find-duplicates`: counts printed, options checked."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from buicasus.dedup.models import CandidatePair, MergeRecord
from tests.dedup.conftest import TwoSources
from tests.registry.factories import organisation

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("find_duplicates", *args, "--no-progress", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_counts_are_printed_and_certain_pairs_merged(two_sources: TwoSources) -> None:
    organisation("FR", name="Tiers Lieu Numérique", city="Marseille")
    output = run("--country", "fr")
    assert "pairs examined:" in output and "pairs/s" in output
    assert "merged: 1" in output and "queued for review:" in output
    assert MergeRecord.objects.count() == 1


def test_no_auto_merge_queues_them(two_sources: TwoSources) -> None:
    output = run("--country", "FR", "--no-auto-merge")
    assert "merged: 0" in output and not MergeRecord.objects.exists()
    assert CandidatePair.objects.filter(status="pending").exists()


def test_the_progress_bar_goes_to_standard_error(two_sources: TwoSources) -> None:
    err = io.StringIO()
    call_command("find_duplicates", "--country", "FR", stdout=io.StringIO(), stderr=err)
    assert "comparing FR" in err.getvalue() and "merging" in err.getvalue()


def test_bad_options() -> None:
    with pytest.raises(CommandError, match="Unknown country code: ZZ"):
        run("--country", "ZZ")
    with pytest.raises(CommandError, match="Thresholds"):
        run("--review-threshold", "99", "--certain-threshold", "90")
