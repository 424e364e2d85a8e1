"""`find_duplicates`: identifier merges across sources, fuzzy pairs, remembered decisions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from buicasus.core.dedup import Thresholds
from buicasus.dedup import merging, services
from buicasus.dedup.finding import find_duplicates
from buicasus.dedup.models import CandidatePair, MergeRecord, PairStatus
from buicasus.importer.models import SourceRecord
from buicasus.registry.models import Organisation
from tests.dedup.conftest import TwoSources
from tests.registry.factories import organisation

pytestmark = pytest.mark.django_db


def pending(*orgs: Organisation) -> list[CandidatePair]:
    ids = [o.pk for o in orgs]
    return list(CandidatePair.objects.filter(status=PairStatus.PENDING, a_id__in=ids, b_id__in=ids))


def test_same_identifier_from_two_sources_becomes_one_actor(two_sources: TwoSources) -> None:
    t = two_sources
    report = find_duplicates(country="FR")
    assert report.merged == 1 and report.certain >= 1 and report.examined >= 1
    record = MergeRecord.objects.get()
    # the richer record is kept: the DSI4EU one, with website, description and founding year
    assert (record.kept_id, record.merged_id) == (t.b.pk, t.a.pk)
    assert not Organisation.objects.filter(pk=t.a.pk).exists()
    assert record.automatic and record.merged_by is None
    assert {record.kept_id, record.merged_id} == {t.a.pk, t.b.pk}
    sources = SourceRecord.objects.filter(kind="organisation")
    assert set(sources.values_list("organisation_id", flat=True)) == {record.kept_id}
    assert set(sources.values_list("source_name", flat=True)) == {
        "ess-france-numerique",
        "dsi4eu-2017",
    }
    pair = CandidatePair.objects.get(pk=record.pair_id)
    assert pair.status == PairStatus.MERGED and pair.rule == "identifier"
    assert pair.reasons["identifier"] == "fr-siren:552100554"
    # a second run finds nothing more to do
    again = find_duplicates(country="FR")
    assert again.merged == 0 and MergeRecord.objects.count() == 1


def test_without_auto_merge_certain_pairs_wait_for_review(two_sources: TwoSources) -> None:
    t = two_sources
    report = find_duplicates(country="FR", auto_merge=False)
    assert report.merged == 0 and report.queued >= 1
    (pair,) = pending(t.a, t.b)
    assert pair.rule == "identifier" and pair.score == 100 and pair.reasons["decision"] == "certain"
    assert Organisation.objects.filter(pk__in=[t.a.pk, t.b.pk]).count() == 2


def test_abbreviated_names_in_the_same_city() -> None:
    full = organisation("ES", name="Asociación Demo Tejiendo Redes", city="Sevilla")
    short = organisation("ES", name="Asoc. Demo Tejiendo Redes", city="Sevilla")
    # certain at the default thresholds: merged when automatic merging is on …
    queued = find_duplicates(country="ES", auto_merge=False)
    (pair,) = pending(full, short)
    assert pair.rule == "name-place" and pair.score == 100.0 and queued.merged == 0
    assert {"name", "city", "legal_form"} <= set(pair.reasons["agreed"])
    report = find_duplicates(country="ES")
    assert report.merged == 1
    assert Organisation.objects.filter(pk__in=[full.pk, short.pk]).count() == 1


def test_with_a_stricter_certainty_threshold_they_are_queued() -> None:
    full = organisation("ES", name="Asociación Demo Tejiendo Redes", city="Sevilla")
    short = organisation("ES", name="Asoc. Demo Tejiendo Redes", city="Sevilla")
    report = find_duplicates(country="ES", thresholds=Thresholds(review=80, certain=100.5))
    assert report.merged == 0
    assert len(pending(full, short)) == 1


def test_different_cities_lower_the_score() -> None:
    sevilla = organisation("ES", name="Asociación Demo Tejiendo Redes", city="Sevilla")
    madrid = organisation("ES", name="Asoc. Demo Tejiendo Redes", city="Madrid")
    report = find_duplicates(country="ES")
    assert report.merged == 0
    (pair,) = pending(sevilla, madrid)
    assert pair.score < 100 and "city" in pair.reasons["differed"]


def test_clear_non_matches_are_dropped() -> None:
    one = organisation("ES", name="Cocina Solidaria Triana", city="Sevilla")
    other = organisation("ES", name="Taller de Bicicletas", city="Sevilla")
    find_duplicates(country="ES")
    assert pending(one, other) == []


def test_keep_apart_is_remembered(make_user: Callable[..., Any]) -> None:
    sevilla = organisation("ES", name="Asociación Demo Tejiendo Redes", city="Sevilla")
    madrid = organisation("ES", name="Asoc. Demo Tejiendo Redes", city="Madrid")
    find_duplicates(country="ES")
    (pair,) = pending(sevilla, madrid)
    services.decide(make_user("editor", "ES"), pair, "keep_apart")
    report = find_duplicates(country="ES")
    assert report.already_decided >= 1
    assert pending(sevilla, madrid) == []
    assert CandidatePair.objects.get(pk=pair.pk).status == PairStatus.KEPT_APART


def test_keep_apart_survives_a_merge_of_one_side() -> None:
    a = organisation("ES", name="Tejiendo Redes", city="Sevilla")
    b = organisation("ES", name="Tejiendo Redes Sevilla", city="Sevilla")
    c = organisation("ES", name="Tejiendo Redes", city="Cádiz")
    CandidatePair.objects.create(a=b, b=c, score=85, rule="name-place", status="kept_apart")
    merging.merge(None, a.pk, b.pk)  # b is now part of a
    find_duplicates(country="ES", thresholds=Thresholds(review=60, certain=101))
    assert pending(a, c) == []


def test_an_undone_merge_is_not_merged_again_automatically(two_sources: TwoSources) -> None:
    t = two_sources
    find_duplicates(country="FR")
    record = MergeRecord.objects.get()
    merging.undo(None, record)
    report = find_duplicates(country="FR")
    assert report.merged == 0
    assert len(pending(t.a, t.b)) == 1


def test_pending_pairs_are_rescored_and_withdrawn() -> None:
    a = organisation("ES", name="Cocina Solidaria Triana", city="Sevilla")
    b = organisation("ES", name="Taller de Bicicletas", city="Sevilla")
    stale = CandidatePair.objects.create(a=a, b=b, score=90, rule="name-place")
    report = find_duplicates(country="ES")
    assert report.withdrawn == 1 and not CandidatePair.objects.filter(pk=stale.pk).exists()


def test_pairs_of_a_deleted_organisation_leave_the_queue(
    make_user: Callable[..., Any],
) -> None:
    a = organisation("ES", name="Tejiendo Redes", city="Sevilla")
    b = organisation("ES", name="Tejiendo Redes", city="Cádiz")
    pair = CandidatePair.objects.create(a=a, b=b, score=85, rule="name-place")
    editor = make_user("editor", "ES")
    assert list(services.visible_pairs(editor)) == [pair]
    b.delete()
    assert list(services.visible_pairs(editor)) == []
    find_duplicates(country="ES")
    assert not CandidatePair.objects.filter(pk=pair.pk).exists()
