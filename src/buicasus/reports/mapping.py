"""The mapping report (WP2): what it says about one country or several, as one dataclass.

`mapping_report(user, codes, lang)` gathers everything the report shows — method, actors and
initiatives in numbers with their charts, map, network, self-assessment radar, indicators and
SWOT, interesting initiatives, data sources and dates — from the records `user` may see, in
`lang`. Pages, the PDF and the CLI all render this one object (`services.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from buicasus.accounts import permissions
from buicasus.maps.geometry import MapUnavailable
from buicasus.reference.models import Country
from buicasus.registry import services as registry
from buicasus.registry.models import Initiative, Organisation
from buicasus.reports import tallies
from buicasus.reports.assessment_parts import AssessmentPart, assessment_part
from buicasus.reports.charts import Bar, bar_chart_svg
from buicasus.reports.ecosystem_parts import (
    CountryAnalysis,
    NetworkPart,
    analysis_parts,
    network_part,
)
from buicasus.reports.figures import MapFigure, organisation_map
from buicasus.reports.highlights import Highlight, interesting_initiatives
from buicasus.reports.sources import SourceRow, data_sources

# The BuiCaSuS partner countries: the transnational report covers them unless told otherwise.
PARTNERS = ("ES", "FR", "LV", "SE")


class ReportError(ValueError):
    """A bad choice of country or language; the message names the field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def check_language(lang: str | None) -> str:
    code = (lang or "").strip().lower()
    if code not in languages():
        raise ReportError(
            "lang",
            _("Unknown language %(lang)r: choose one of %(choices)s.")
            % {"lang": lang, "choices": ", ".join(languages())},
        )
    return code


def parse_countries(country: str | None = None, countries: str | None = None) -> list[str]:
    """Country codes from `--country XX` (ALL or nothing = the partners) or `--countries
    ES,FR`; each must be a country of the registry."""
    raw = countries if countries else country
    text = (raw or "").strip().upper()
    if text in ("", "ALL"):
        codes = list(PARTNERS)
    else:
        codes = list(dict.fromkeys(c.strip() for c in text.split(",") if c.strip()))
    known = set(Country.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    field_name = "countries" if countries else "country"
    if unknown or not codes:
        raise ReportError(
            field_name,
            _("Unknown country code %(codes)s: use ISO codes such as LV, or ALL.")
            % {"codes": ", ".join(unknown) or repr(raw)},
        )
    return codes


@dataclass(frozen=True)
class MethodStep:
    title: str
    text: str
    platform: str


@dataclass
class MappingReport:
    lang: str
    codes: list[str]
    names: list[str]
    title: str
    generated_at: datetime
    method: list[MethodStep]
    organisations: str
    initiatives: str
    per_country: list[dict[str, Any]]
    actors_by_type: list[tallies.Tally]
    actors_by_region: list[tallies.Tally]
    by_stage: list[tallies.Tally]
    by_evidence: list[tallies.Tally]
    by_policy_field: list[tallies.Tally]
    charts: dict[str, str]  # name → standalone SVG
    map: MapFigure | None
    map_note: str
    network: NetworkPart
    assessment: AssessmentPart
    analysis: list[CountryAnalysis]
    highlights: list[Highlight]
    sources: list[SourceRow]
    has_demo: bool
    sees_unpublished: bool
    site_url: str = ""

    @property
    def transnational(self) -> bool:
        return len(self.codes) > 1

    @property
    def campaigns(self) -> list[Any]:
        return [c for c in self.assessment.countries if c.campaign]


def method_steps() -> list[MethodStep]:
    """The three-step BuiCaSuS mapping method and how this platform computed each step."""
    return [
        MethodStep(
            _("Nomination survey"),
            _("Partners and stakeholders name the actors and initiatives of the ecosystem."),
            _(
                "The registry holds them: records entered or proposed on the platform and "
                "reviewed by editors, and records imported from open data sets. The numbers "
                "below count the records you may see, classified with shared vocabularies "
                "(actor types, SI-DRIVE stages and policy fields, evidence levels)."
            ),
        ),
        MethodStep(
            _("Deeper inquiry"),
            _("Questionnaires ask the stakeholder groups how mature the ecosystem is."),
            _(
                "The self-assessment campaign scores statements from 0 to 10; “no answer” is "
                "left out of the means; a dimension is flagged when stakeholder groups' means "
                "differ by more than %(gap)s points. Scores describe one ecosystem and are not "
                "meant to rank countries."
            )
            % {"gap": tallies.number(settings.MATURITY_GAP, -1)},
        ),
        MethodStep(
            _("Case studies"),
            _("Selected initiatives are studied in depth."),
            _(
                "The platform proposes candidates by a published rule (evidence level, "
                "replication, partners in another country) and shows how organisations are "
                "tied to each other in the network figure."
            ),
        ),
    ]


def _bars(rows: list[tallies.Tally]) -> list[Bar]:
    return [Bar(r.label, r.n, r.shown) for r in rows]


def _charts(report: dict[str, list[tallies.Tally]]) -> dict[str, str]:
    titles = {
        "actors_by_type": _("Actors by type"),
        "by_stage": _("Initiatives by stage"),
        "by_evidence": _("Initiatives by evidence level"),
        "by_policy_field": _("Initiatives by policy field"),
    }
    return {
        name: bar_chart_svg(_bars(report[name]), title=title)
        for name, title in titles.items()
        if report[name]
    }


def _scope(user: Any, codes: list[str]) -> tuple[QuerySet[Organisation], QuerySet[Initiative]]:
    orgs = registry.visible_organisations(user).filter(country__code__in=codes)
    inits = registry.visible_initiatives(user).filter(country__code__in=codes)
    return orgs, inits


def _sees_unpublished(user: Any, codes: list[str]) -> bool:
    return any(permissions.can_read_unpublished(user, code) for code in codes)


def mapping_report(user: Any, codes: list[str], lang: str, *, site_url: str = "") -> MappingReport:
    """Everything the mapping report of `codes` shows `user`, in `lang`."""
    lang = check_language(lang)
    with translation.override(lang):
        countries = {c.code: c.name(lang) for c in Country.objects.filter(code__in=codes)}
        names = [countries[c] for c in codes]
        orgs, inits = _scope(user, codes)
        counts = {
            "actors_by_type": tallies.actors_by_type(orgs),
            "by_stage": tallies.initiatives_by_term(inits, "stage"),
            "by_evidence": tallies.initiatives_by_term(inits, "evidence_level"),
            "by_policy_field": tallies.initiatives_by_policy_field(inits),
        }
        try:
            figure: MapFigure | None = organisation_map(user, codes)
            map_note = ""
        except MapUnavailable as exc:
            figure, map_note = None, str(exc)
        sources, has_demo = data_sources(orgs, inits)
        pairs = list(zip(codes, names, strict=True))
        if len(codes) == 1:
            title = _("Mapping report: %(country)s") % {"country": names[0]}
        else:
            title = _("Transnational mapping report: %(countries)s") % {
                "countries": ", ".join(names)
            }
        return MappingReport(
            lang=lang,
            codes=codes,
            names=names,
            title=title,
            generated_at=timezone.now(),
            method=method_steps(),
            organisations=tallies.number(orgs.order_by().count()),
            initiatives=tallies.number(inits.order_by().count()),
            per_country=tallies.by_country(orgs, inits, codes),
            actors_by_region=tallies.actors_by_region(orgs),
            charts=_charts(counts),
            map=figure,
            map_note=map_note,
            network=network_part(user, codes),
            assessment=assessment_part(user, pairs, lang),
            analysis=analysis_parts(user, pairs, lang),
            highlights=interesting_initiatives(inits, user),
            sources=sources,
            has_demo=has_demo,
            sees_unpublished=_sees_unpublished(user, codes),
            site_url=site_url.rstrip("/"),
            actors_by_type=counts["actors_by_type"],
            by_stage=counts["by_stage"],
            by_evidence=counts["by_evidence"],
            by_policy_field=counts["by_policy_field"],
        )
