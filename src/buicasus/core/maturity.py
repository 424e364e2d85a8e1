"""Scoring a maturity self-assessment: dimension means, dispersion, bands and disagreement.

Pure (see core/README.md): answers in, scores out, so the rules are unit-tested without a
database and reused by the pages, the API, the analysis (SWOT, radar) and the reports alike.

The rules follow the OECD/EC Better Entrepreneurship Policy Tool, which the framework is based
on: every statement is scored 0–10; "no answer" (`value is None`) is left out of the mean and
counted apart. Per dimension we report

- `mean` of the answered statements (every answer of every respondent weighs the same),
  `count` of those answers and `no_answer`, the number of "no answer"s;
- `sd`, the population standard deviation of the answers (it describes the answers given,
  not a sample of a larger population; one answer has sd 0), and `minimum`/`maximum`;
- `band`: emerging (< 2.5), developing (< 5), established (< 7.5), advanced;
- `group_means`: the mean per stakeholder group that answered at least once, and `gap`, the
  difference between the highest and the lowest group mean (`None` with fewer than two
  groups). `disagreement` is set when the gap is *more than* the threshold: the
  "confrontation of viewpoints" the mapping asks for. A gap equal to the threshold is not
  flagged (the comparison tolerates float rounding, so 7.3 − 4.3 counts as exactly 3).

Answers for dimensions not asked for are ignored; scores come in the order of `dimensions`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

BANDS = ("emerging", "developing", "established", "advanced")
_BAND_LIMITS = (2.5, 5.0, 7.5)
_EPSILON = 1e-9  # float tolerance when comparing a gap to its threshold


def band(score: float) -> str:
    """The maturity band of a 0–10 score: <2.5 emerging, <5 developing, <7.5 established,
    else advanced."""
    if math.isnan(score):
        raise ValueError("A score must be a number, not NaN.")
    for limit, name in zip(_BAND_LIMITS, BANDS, strict=False):
        if score < limit:
            return name
    return BANDS[-1]


@dataclass(frozen=True)
class Answer:
    """One respondent's score of one statement; `value` None means "no answer"."""

    statement: str
    dimension: str
    group: str
    value: float | None


@dataclass(frozen=True)
class DimensionScore:
    """The scores of one dimension (see the module docstring for each member's meaning)."""

    dimension: str
    mean: float | None
    count: int
    no_answer: int
    sd: float | None
    minimum: float | None
    maximum: float | None
    band: str | None
    group_means: dict[str, float] = field(default_factory=dict)
    gap: float | None = None
    disagreement: bool = False


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _population_sd(values: Sequence[float], mean: float) -> float:
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


def _score(dimension: str, answers: Sequence[Answer], gap_threshold: float) -> DimensionScore:
    values = [float(a.value) for a in answers if a.value is not None]
    no_answer = len(answers) - len(values)
    if not values:
        return DimensionScore(dimension, None, 0, no_answer, None, None, None, None, {}, None)
    by_group: dict[str, list[float]] = defaultdict(list)
    for a in answers:
        if a.value is not None:
            by_group[a.group].append(float(a.value))
    group_means = {g: _mean(v) for g, v in sorted(by_group.items())}
    gap = max(group_means.values()) - min(group_means.values()) if len(group_means) > 1 else None
    mean = _mean(values)
    return DimensionScore(
        dimension=dimension,
        mean=mean,
        count=len(values),
        no_answer=no_answer,
        sd=_population_sd(values, mean),
        minimum=min(values),
        maximum=max(values),
        band=band(mean),
        group_means=group_means,
        gap=gap,
        disagreement=gap is not None and gap > gap_threshold + _EPSILON,
    )


def score_dimensions(
    answers: Iterable[Answer], dimensions: Sequence[str], *, gap: float = 3.0
) -> list[DimensionScore]:
    """One `DimensionScore` per code of `dimensions`, in that order; `gap` is the difference
    between stakeholder-group means above which a dimension is flagged as disputed."""
    if math.isnan(gap) or gap < 0:
        raise ValueError("The disagreement gap must be a number of 0 or more.")
    wanted = set(dimensions)
    grouped: dict[str, list[Answer]] = {code: [] for code in dimensions}
    for answer in answers:
        if answer.value is not None and not math.isfinite(answer.value):
            raise ValueError(f"Statement {answer.statement}: the value must be a finite number.")
        if answer.dimension in wanted:
            grouped[answer.dimension].append(answer)
    return [_score(code, grouped[code], gap) for code in dimensions]
