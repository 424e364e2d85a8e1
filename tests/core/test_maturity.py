"""Scoring of the maturity self-assessment (core.maturity)."""

from __future__ import annotations

import math

import pytest

from buicasus.core.maturity import BANDS, Answer, DimensionScore, band, score_dimensions


def a(dimension: str, group: str, value: float | None, statement: str = "s") -> Answer:
    return Answer(statement=statement, dimension=dimension, group=group, value=value)


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0, "emerging"),
        (2.49, "emerging"),
        (2.5, "developing"),
        (4.99, "developing"),
        (5, "established"),
        (7.49, "established"),
        (7.5, "advanced"),
        (10, "advanced"),
    ],
)
def test_band_limits(score: float, expected: str) -> None:
    assert band(score) == expected


def test_bands_are_ordered_from_least_to_most_mature() -> None:
    assert BANDS == ("emerging", "developing", "established", "advanced")


def test_band_refuses_nan() -> None:
    with pytest.raises(ValueError, match="NaN"):
        band(math.nan)


def test_no_answers_at_all_gives_empty_scores_in_the_asked_order() -> None:
    scores = score_dimensions([], ["legal", "culture"])
    assert [s.dimension for s in scores] == ["legal", "culture"]
    assert scores[0] == DimensionScore("legal", None, 0, 0, None, None, None, None, {}, None, False)


def test_only_no_answer_counts_them_and_gives_no_mean() -> None:
    [score] = score_dimensions(
        [a("culture", "funder", None), a("culture", "academia", None)], ["culture"]
    )
    assert score.mean is None
    assert score.count == 0
    assert score.no_answer == 2
    assert score.band is None
    assert score.group_means == {}
    assert score.disagreement is False


def test_mean_leaves_no_answer_out() -> None:
    answers = [
        a("culture", "funder", 4, "c1"),
        a("culture", "funder", 8, "c2"),
        a("culture", "funder", None, "c3"),
    ]
    [score] = score_dimensions(answers, ["culture"])
    assert score.mean == 6
    assert score.count == 2
    assert score.no_answer == 1
    assert score.minimum == 4
    assert score.maximum == 8
    assert score.sd == pytest.approx(2.0)  # population sd of 4 and 8
    assert score.band == "established"


def test_one_answer_has_zero_spread() -> None:
    [score] = score_dimensions([a("data", "academia", 3)], ["data"])
    assert score.sd == 0
    assert score.minimum == score.maximum == 3
    assert score.band == "developing"


def test_one_group_has_no_gap_and_no_disagreement() -> None:
    answers = [a("finance", "funder", 0), a("finance", "funder", 10)]
    [score] = score_dimensions(answers, ["finance"], gap=1)
    assert score.group_means == {"funder": 5}
    assert score.gap is None
    assert score.disagreement is False


def test_groups_differing_more_than_the_gap_are_flagged() -> None:
    answers = [
        a("legal", "public-authority", 8),
        a("legal", "public-authority", 9),
        a("legal", "social-economy", 3),
        a("legal", "social-economy", 4),
        a("legal", "academia", 6),
    ]
    [score] = score_dimensions(answers, ["legal"], gap=3)
    assert score.group_means == {"academia": 6, "public-authority": 8.5, "social-economy": 3.5}
    assert score.gap == pytest.approx(5)
    assert score.disagreement is True


def test_gap_exactly_at_threshold_is_not_disagreement() -> None:
    answers = [a("skills", "funder", 7), a("skills", "initiative", 4)]
    [score] = score_dimensions(answers, ["skills"], gap=3)
    assert score.gap == 3
    assert score.disagreement is False


def test_gap_at_threshold_despite_float_rounding_is_not_disagreement() -> None:
    # 7.3 - 4.3 is 2.9999999999999996 or 3.0000000000000004 depending on the path taken
    answers = [a("skills", "funder", 7.3), a("skills", "initiative", 4.3)]
    [score] = score_dimensions(answers, ["skills"], gap=3)
    assert score.disagreement is False
    [score] = score_dimensions(answers, ["skills"], gap=2.99)
    assert score.disagreement is True


def test_a_group_with_only_no_answer_takes_no_part_in_the_gap() -> None:
    answers = [a("impact", "funder", 9), a("impact", "initiative", None)]
    [score] = score_dimensions(answers, ["impact"], gap=1)
    assert score.group_means == {"funder": 9}
    assert score.gap is None
    assert score.no_answer == 1


def test_answers_for_other_dimensions_are_ignored_and_dimensions_kept_apart() -> None:
    answers = [a("culture", "funder", 2), a("markets", "funder", 9), a("unknown", "funder", 5)]
    scores = score_dimensions(answers, ["markets", "culture"])
    assert [(s.dimension, s.mean) for s in scores] == [("markets", 9), ("culture", 2)]


def test_every_answer_weighs_the_same_in_the_mean() -> None:
    answers = [a("networks", "funder", 10)] + [a("networks", "academia", 0)] * 3
    [score] = score_dimensions(answers, ["networks"])
    assert score.mean == 2.5
    assert score.band == "developing"
    assert score.group_means == {"academia": 0, "funder": 10}


def test_accepts_a_generator_of_answers() -> None:
    scores = score_dimensions((a("data", "funder", v) for v in (1, 2, 3)), ["data"])
    assert scores[0].mean == 2
    assert scores[0].sd == pytest.approx(math.sqrt(2 / 3))


def test_refuses_infinite_values_and_a_negative_gap() -> None:
    with pytest.raises(ValueError, match="finite"):
        score_dimensions([a("data", "funder", math.inf)], ["data"])
    with pytest.raises(ValueError, match="gap"):
        score_dimensions([], ["data"], gap=-1)


def test_scores_are_frozen() -> None:
    [score] = score_dimensions([a("data", "funder", 1)], ["data"])
    with pytest.raises(AttributeError):
        score.mean = 3  # type: ignore[misc]
