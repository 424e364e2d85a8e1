"""The self-assessment part of a report: latest campaign per country, its dimension table and
the radar chart (assessment app, `core.radar`).

Scores are shown only to readers the assessment app lets read them (`can_read_scores`):
anonymous visitors and readers from elsewhere get a note instead, never the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from buicasus.assessment import services as assessment
from buicasus.assessment.models import Framework
from buicasus.core.radar import radar_svg
from buicasus.reports.tallies import number


@dataclass(frozen=True)
class DimensionRow:
    label: str
    mean: str
    band: str
    answers: str
    no_answer: str
    disagreement: bool


@dataclass(frozen=True)
class CountryAssessment:
    code: str
    name: str
    campaign: str = ""
    is_demo: bool = False
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    rows: list[DimensionRow] = field(default_factory=list)
    note: str = ""  # why there is no table (no campaign, or not allowed to read it)


@dataclass(frozen=True)
class AssessmentPart:
    countries: list[CountryAssessment]
    radar_svg: str  # "" when no country has scores the reader may see
    framework: str


def _band(code: str | None) -> str:
    labels = {
        "emerging": _("emerging"),
        "developing": _("developing"),
        "established": _("established"),
        "advanced": _("advanced"),
    }
    return labels.get(code or "", "–")


def assessment_part(user: Any, countries: list[tuple[str, str]], lang: str) -> AssessmentPart:
    """Latest campaign with submitted answers for each (code, name), scored by dimension."""
    try:
        framework = assessment.current_framework()
    except Framework.DoesNotExist:
        notes = [
            CountryAssessment(c, n, note=_("No maturity framework is loaded."))
            for c, n in countries
        ]
        return AssessmentPart(notes, "", "")
    labels = assessment.dimension_labels(framework, lang)
    axes = list(labels.values())
    series: list[tuple[str, list[float | None]]] = []
    parts: list[CountryAssessment] = []
    for code, name in countries:
        campaign = assessment.latest_campaign(code)
        if campaign is None:
            parts.append(
                CountryAssessment(
                    code, name, note=_("No self-assessment with submitted answers yet.")
                )
            )
            continue
        # user None: the trusted CLI building a publication (as the analysis app treats it)
        if user is not None and not assessment.can_read_scores(user, campaign):
            parts.append(
                CountryAssessment(
                    code,
                    name,
                    note=_(
                        "The self-assessment results are shown to members of the platform only."
                    ),
                )
            )
            continue
        scores = assessment.campaign_scores(campaign, framework=framework)
        by_code = {s.dimension: s for s in scores}
        rows = []
        for dim_code, label in labels.items():
            s = by_code.get(dim_code)
            rows.append(
                DimensionRow(
                    label=label,
                    mean="–" if s is None or s.mean is None else number(s.mean, 1),
                    band=_band(s.band if s else None),
                    answers=number(s.count if s else 0),
                    no_answer=number(s.no_answer if s else 0),
                    disagreement=bool(s and s.disagreement),
                )
            )
        series.append((name, [by_code[c].mean if c in by_code else None for c in labels]))
        parts.append(
            CountryAssessment(
                code,
                name,
                campaign=campaign.title,
                is_demo=campaign.is_demo,
                opened_at=campaign.opened_at or campaign.created_at,
                closed_at=campaign.closed_at,
                rows=rows,
            )
        )
    svg = ""
    if series and axes:
        svg = radar_svg(
            axes,
            series,
            size=520,
            max_value=float(framework.scale_max or 10),
            title=_("Maturity by dimension (0–10)"),
            missing_text=_("no score on {n} axes"),
        )
    return AssessmentPart(parts, svg, f"{framework.label(lang)} (v{framework.version})")
