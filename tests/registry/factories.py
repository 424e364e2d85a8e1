"""Small builders for registry records in tests (codes, not ids, as users type them)."""

from __future__ import annotations

from typing import Any

from buicasus.reference.models import Country
from buicasus.registry.models import Initiative, Organisation, Term


def term(key: str, code: str) -> Term:
    return Term.objects.get(vocabulary__key=key, code=code)


def organisation(country: str = "LV", **fields: Any) -> Organisation:
    values: dict[str, Any] = {
        "name": f"Test organisation {country}",
        "actor_type": term("actor-type", "social-enterprise"),
        "country": Country.objects.get(code=country),
        "published": True,
    }
    values.update(fields)
    return Organisation.objects.create(**values)


def initiative(country: str = "ES", **fields: Any) -> Initiative:
    values: dict[str, Any] = {
        "title": f"Test initiative {country}",
        "description": "Una iniciativa de prueba.",
        "description_language": "es",
        "country": Country.objects.get(code=country),
        "published": True,
    }
    values.update(fields)
    return Initiative.objects.create(**values)
