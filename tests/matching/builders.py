"""Small builders for matching tests: needs, GDP figures, initiatives with partners."""

from __future__ import annotations

from typing import Any

from buicasus.matching.models import Need, RegionalGdp
from buicasus.reference.models import Country, NutsRegion
from buicasus.registry.models import Funding, InitiativeRole
from tests.registry.factories import initiative, organisation, term

LV_TEXT = "Jaunieši bez darba Latgalē: vajag apmācību un atbalstu, lai atrastu darbu."


def need(country: str = "LV", **fields: Any) -> Need:
    values: dict[str, Any] = {
        "title": f"Need of {country}",
        "text": LV_TEXT,
        "language": "lv",
        "country": Country.objects.get(code=country),
    }
    values.update(fields)
    return Need.objects.create(**values)


def region(code: str, country: str, level: int | None = None) -> NutsRegion:
    """The NUTS region (reference data may lack it when the GeoJSON folder is absent)."""
    found, _ = NutsRegion.objects.get_or_create(
        code=code,
        defaults={
            "name": code,
            "level": level if level is not None else len(code) - 2,
            "country": Country.objects.get(code=country),
        },
    )
    return found


def gdp(code: str, value: float, year: int = 2021) -> RegionalGdp:
    return RegionalGdp.objects.create(nuts_code=code, year=year, pps_per_head=value)


def documented_initiative(country: str = "ES", **fields: Any) -> Any:
    """An initiative with everything the essentials checklist reads, run by a cooperative,
    funded with 100,000 EUR."""
    values: dict[str, Any] = {
        "title": "Itinerarios de empleo para jóvenes",
        "description": "Itinerarios personalizados de formación y empleo para jóvenes. " * 8,
        "outcome_evidence": "Evaluación externa: 60 % con empleo a los seis meses.",
        "website": "https://example.org/itinerarios",
        "evidence_level": term("evidence-level", "good-practice"),
    }
    values.update(fields)
    item = initiative(country, **values)
    item.methods.set([term("method", "co-creation")])
    item.target_groups.set([term("target-group", "young-people")])
    coop = organisation(country, name="Cooperativa", actor_type=term("actor-type", "cooperative"))
    InitiativeRole.objects.create(
        organisation=coop, initiative=item, role=term("initiative-role", "lead")
    )
    Funding.objects.create(initiative=item, source=term("funding-source", "esf"), amount=100_000)
    return item
