"""Profiles side by side (deltas to the selection's mean, dispersion) and change over time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from buicasus.analysis import services
from buicasus.assessment.models import Campaign

pytestmark = pytest.mark.django_db


def row(comparison: services.Comparison, dimension: str) -> Any:
    return next(r for r in comparison.rows if r.dimension == dimension)


def test_countries_side_by_side(run_campaign: Callable[..., Campaign]) -> None:
    run_campaign("ES", {"culture": 8, "finance": 2})
    run_campaign("LV", {"culture": 4, "finance": None})
    found = services.compare(["es", "LV", "FR"], lang="en")
    assert [s.code for s in found.series] == ["ES", "LV"]
    assert [c.code for c in found.without_scores] == ["FR"]
    assert found.dimensions[0] == "culture" and found.labels[0] == "Culture and awareness"
    culture = row(found, "culture")
    assert culture.values == [8, 4] and culture.mean == 6
    assert culture.deltas == [2, -2] and culture.sd == 2 and culture.spread == 4
    finance = row(found, "finance")  # Latvia answered "no answer" on finance
    assert finance.values == [2, None] and finance.deltas == [0, None]
    assert finance.sd is None and finance.spread is None


def test_radar_has_one_series_per_country(run_campaign: Callable[..., Campaign]) -> None:
    run_campaign("ES")
    run_campaign("LV", {"finance": None})
    svg = services.compare(["ES", "LV"], lang="en").radar("Profiles")
    assert svg.count("<polygon points=") >= 1 and "<polyline" in svg  # LV has a gap
    assert "Spain" in svg and "Latvia (dimensions without a score: 1)" in svg


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        (["ES"], "at least two"),
        (["ES", "es"], "at least two"),
        (["ES", "XX"], "Unknown country: XX"),
        ([c for c in "AT BE BG HR CY CZ DK EE ES".split()], "at most 8"),
    ],
)
def test_bad_selection_names_the_field(db: None, codes: list[str], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.compare(codes)
    assert message in caught.value.message_dict["countries"][0]


def test_anonymous_callers_see_no_scores(
    run_campaign: Callable[..., Campaign], django_user_model: Any
) -> None:
    from django.contrib.auth.models import AnonymousUser

    run_campaign("ES")
    run_campaign("LV")
    found = services.compare(["ES", "LV"], user=AnonymousUser())
    assert found.series == [] and len(found.without_scores) == 2


def test_change_between_two_campaigns(run_campaign: Callable[..., Campaign]) -> None:
    first = run_campaign("ES", {"culture": 4}, title="2025")
    second = run_campaign("ES", {"culture": 7, "finance": 3}, title="2026")
    change = services.compare_campaigns("ES", lang="en")  # default: the latest two
    assert (change.before, change.after) == (first, second)
    culture = next(r for r in change.rows if r.dimension == "culture")
    assert (culture.before, culture.after, culture.change) == (4, 7, 3)
    finance = next(r for r in change.rows if r.dimension == "finance")
    assert finance.change == -2
    assert [c.pk for c in change.campaigns] == [second.pk, first.pk]
    reverse = services.compare_campaigns("ES", second.pk, first.pk)
    assert next(r for r in reverse.rows if r.dimension == "culture").change == -3
    assert "2025" in change.radar("Spain") and "2026" in change.radar("Spain")


def test_one_campaign_has_no_before(run_campaign: Callable[..., Campaign]) -> None:
    only = run_campaign("ES")
    change = services.compare_campaigns("ES")
    assert change.after == only and change.before is None
    assert all(r.change is None for r in change.rows)


def test_campaign_choices_are_checked(
    run_campaign: Callable[..., Campaign], make_user: Callable[..., Any]
) -> None:
    es = run_campaign("ES")
    lv = run_campaign("LV")
    with pytest.raises(ValidationError) as caught:
        services.compare_campaigns("ES", lv.pk, es.pk)
    assert "campaign" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.compare_campaigns("ES", es.pk, es.pk)
    with pytest.raises(ValidationError) as unknown:
        services.compare_campaigns("XX")
    assert "country" in unknown.value.message_dict
    outsider = make_user()  # no role anywhere, not invited
    with pytest.raises(PermissionDenied):
        services.compare_campaigns("ES", None, es.pk, user=outsider)
