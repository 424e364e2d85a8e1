"""Scores and answers made ready for reading: labels in the reader's language, the
disagreement explained in words. Used by the pages, and available to the reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buicasus.assessment.models import (
    Answer,
    Campaign,
    Dimension,
    Response,
    StakeholderGroup,
    Statement,
)
from buicasus.assessment.services import campaign_scores
from buicasus.core.maturity import DimensionScore

BAND_LABELS: dict[str, Promise] = {
    "emerging": gettext_lazy("Emerging"),
    "developing": gettext_lazy("Developing"),
    "established": gettext_lazy("Established"),
    "advanced": gettext_lazy("Advanced"),
}
GROUP_LABELS = dict(StakeholderGroup.choices)


def band_label(code: str | None) -> str:
    return str(BAND_LABELS[code]) if code else ""


def group_label(code: str) -> str:
    return str(GROUP_LABELS.get(code, code))


@dataclass(frozen=True)
class GroupMean:
    group: str
    label: str
    mean: float


@dataclass(frozen=True)
class ScoreRow:
    """One dimension's scores with its label, band label, group means and explanation."""

    code: str
    label: str
    score: DimensionScore
    band: str
    groups: list[GroupMean]
    explanation: str


def explain(score: DimensionScore, threshold: float) -> str:
    """Why a dimension is (or is not) flagged, in one sentence."""
    if score.gap is None:
        if score.count == 0:
            return _("No answers yet.")
        return _("Only one stakeholder group answered; viewpoints cannot be compared.")
    high = max(score.group_means, key=lambda g: score.group_means[g])
    low = min(score.group_means, key=lambda g: score.group_means[g])
    values = {
        "gap": f"{score.gap:.1f}",
        "threshold": f"{threshold:g}",
        "high": group_label(high),
        "high_mean": f"{score.group_means[high]:.1f}",
        "low": group_label(low),
        "low_mean": f"{score.group_means[low]:.1f}",
    }
    if score.disagreement:
        return (
            _(
                "Stakeholder groups disagree: %(high)s (%(high_mean)s) and %(low)s "
                "(%(low_mean)s) are %(gap)s points apart, more than the %(threshold)s allowed."
            )
            % values
        )
    return (
        _("Groups are within %(gap)s points of each other (flagged above %(threshold)s).") % values
    )


def score_table(campaign: Campaign, **options: Any) -> list[ScoreRow]:
    """`campaign_scores` as rows for a table, labelled in the current language."""
    threshold = options.get("gap", settings.MATURITY_GAP)
    framework = options.get("framework") or campaign.framework
    labels = {d.code: d.name() for d in Dimension.objects.filter(framework=framework)}
    rows = []
    for score in campaign_scores(campaign, **options):
        groups = [GroupMean(g, group_label(g), m) for g, m in score.group_means.items()]
        rows.append(
            ScoreRow(
                code=score.dimension,
                label=labels.get(score.dimension, score.dimension),
                score=score,
                band=band_label(score.band),
                groups=sorted(groups, key=lambda g: g.label),
                explanation=explain(score, threshold),
            )
        )
    return rows


@dataclass(frozen=True)
class StatementBlock:
    """A dimension's statements for the answer form or a response page."""

    dimension: Dimension
    items: list[tuple[Statement, Answer | None]]


def statement_blocks(campaign: Campaign, response: Response | None) -> list[StatementBlock]:
    """The campaign framework's statements by dimension, each with the saved answer if any."""
    saved: dict[int, Answer] = {}
    if response is not None:
        answers = response.answers.select_related("evidence_organisation", "evidence_initiative")
        saved = {a.statement_id: a for a in answers}
    statements = Statement.objects.filter(framework=campaign.framework).select_related("dimension")
    blocks: dict[int, StatementBlock] = {}
    for s in statements.order_by("dimension__order", "order"):
        block = blocks.setdefault(s.dimension_id, StatementBlock(s.dimension, []))
        block.items.append((s, saved.get(s.pk)))
    return list(blocks.values())
