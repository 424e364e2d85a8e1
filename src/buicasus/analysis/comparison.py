"""Profiles side by side: several countries, or two campaigns of one country.

A comparison of profiles, not a league table: no total, no rank. Each dimension shows every
country's score, its difference from the mean of the countries selected, and the dispersion
(standard deviation and range) of the selection, so readers see where profiles differ, not who
"wins". The OECD/EC Better Entrepreneurship Policy Tool, on which the framework builds, warns
against ranking countries with self-assessment scores: respondents judge against their own
expectations, which differ from country to country.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from buicasus.analysis import profiles
from buicasus.assessment import services as assessment
from buicasus.assessment.models import Campaign
from buicasus.core.indicators import std_dev
from buicasus.core.radar import radar_svg
from buicasus.reference.models import Country

MAX_COUNTRIES = 8


@dataclass(frozen=True)
class Series:
    """One country's (or campaign's) scores, one value per dimension of the comparison."""

    code: str
    name: str
    campaign: Campaign | None
    values: list[float | None]


@dataclass(frozen=True)
class Row:
    dimension: str
    label: str
    values: list[float | None]
    mean: float | None
    deltas: list[float | None]
    sd: float | None
    spread: float | None


@dataclass
class Comparison:
    dimensions: list[str]
    labels: list[str]
    series: list[Series]
    rows: list[Row]
    without_scores: list[Country] = field(default_factory=list)

    def radar(self, title: str = "") -> str:
        """The radar chart of the series that have scores."""
        return radar_svg(
            self.labels,
            [(s.name, s.values) for s in self.series],
            title=title,
            missing_text=_("dimensions without a score: {n}"),
        )


@dataclass(frozen=True)
class ChangeRow:
    dimension: str
    label: str
    before: float | None
    after: float | None
    change: float | None


@dataclass
class CampaignChange:
    country: Country
    before: Campaign | None
    after: Campaign | None
    rows: list[ChangeRow]
    campaigns: list[Campaign]

    def radar(self, title: str = "") -> str:
        series = []
        for campaign, values in ((self.before, "before"), (self.after, "after")):
            if campaign is not None:
                series.append((campaign.title, [getattr(r, values) for r in self.rows]))
        return radar_svg(
            [r.label for r in self.rows],
            series,
            title=title,
            missing_text=_("dimensions without a score: {n}"),
        )


def _rows(dimensions: list[str], labels: list[str], series: list[Series]) -> list[Row]:
    rows = []
    for i, (dim, label) in enumerate(zip(dimensions, labels, strict=True)):
        values = [s.values[i] for s in series]
        known = [v for v in values if v is not None]
        mean = sum(known) / len(known) if known else None
        deltas = [None if v is None or mean is None else v - mean for v in values]
        spread = max(known) - min(known) if len(known) > 1 else None
        rows.append(Row(dim, label, values, mean, deltas, std_dev(values), spread))
    return rows


def clean_codes(codes: list[str]) -> list[Country]:
    """The countries named (upper-cased, in order, once each); `ValidationError` on
    `countries` when fewer than two, more than MAX_COUNTRIES, or unknown."""
    wanted = list(dict.fromkeys(c.strip().upper() for c in codes if c and c.strip()))
    if len(wanted) < 2:
        raise ValidationError({"countries": [_("Choose at least two countries.")]})
    if len(wanted) > MAX_COUNTRIES:
        raise ValidationError(
            {"countries": [_("Choose at most %(n)d countries.") % {"n": MAX_COUNTRIES}]}
        )
    found = {c.code: c for c in Country.objects.filter(code__in=wanted)}
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise ValidationError(
            {"countries": [_("Unknown country: %(code)s") % {"code": ", ".join(unknown)}]}
        )
    return [found[c] for c in wanted]


def compare(country_codes: list[str], *, user: Any = None, lang: str | None = None) -> Comparison:
    """The latest profile the reader may see of each country, on the current framework's
    dimensions. Countries without one are listed in `without_scores`."""
    countries = clean_codes(country_codes)
    lang = lang or get_language() or "en"
    labels_by_code = profiles.dimension_labels(lang)
    dimensions, labels = list(labels_by_code), list(labels_by_code.values())
    series: list[Series] = []
    without: list[Country] = []
    for country in countries:
        found = profiles.profile(country, user)
        if found.campaign is None:
            without.append(country)
            continue
        by_dim = found.by_dimension
        values = [by_dim[d].mean if d in by_dim else None for d in dimensions]
        series.append(Series(country.code, country.name(lang), found.campaign, values))
    return Comparison(dimensions, labels, series, _rows(dimensions, labels, series), without)


def _campaign(country: Country, campaign_id: int | None, user: Any) -> Campaign | None:
    if campaign_id is None:
        return None
    found = (
        Campaign.objects.filter(pk=campaign_id, country=country).select_related("framework").first()
    )
    if found is None:
        raise ValidationError({"campaign": [_("No such campaign for this country.")]})
    if not profiles.may_read(user, found):
        raise PermissionDenied
    return found


def readable_campaigns(country: Country, user: Any) -> list[Campaign]:
    """The country's campaigns with submitted responses that `user` may read, newest first."""
    qs = assessment.campaigns_for(country.code).filter(responses__status="submitted").distinct()
    return [c for c in qs if profiles.may_read(user, c)]


def compare_campaigns(
    country_code: str,
    before: int | None = None,
    after: int | None = None,
    *,
    user: Any = None,
    lang: str | None = None,
) -> CampaignChange:
    """Change per dimension between two campaigns of one country (by id); by default the
    latest readable campaign and the one before it."""
    country = Country.objects.filter(code=country_code.upper()).first()
    if country is None:
        raise ValidationError(
            {"country": [_("Unknown country: %(code)s") % {"code": country_code}]}
        )
    lang = lang or get_language() or "en"
    campaigns = readable_campaigns(country, user)
    after_c = _campaign(country, after, user) or (campaigns[0] if campaigns else None)
    before_c = _campaign(country, before, user)
    if before_c is None and after_c is not None and before is None:
        older = [c for c in campaigns if (c.created_at, c.pk) < (after_c.created_at, after_c.pk)]
        before_c = older[0] if older else None
    if before_c is not None and after_c is not None and before_c.pk == after_c.pk:
        raise ValidationError({"campaign": [_("Choose two different campaigns.")]})
    labels = profiles.dimension_labels(lang)
    scores = {
        key: {s.dimension: s.mean for s in profiles.scores_of(c)} if c else {}
        for key, c in (("before", before_c), ("after", after_c))
    }
    rows = []
    for dim, label in labels.items():
        b, a = scores["before"].get(dim), scores["after"].get(dim)
        change = a - b if a is not None and b is not None else None
        rows.append(ChangeRow(dim, label, b, a, change))
    return CampaignChange(country, before_c, after_c, rows, campaigns)
