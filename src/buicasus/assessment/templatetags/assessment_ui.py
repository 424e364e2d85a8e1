"""Template helpers of the assessment pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.simple_tag
def lookup(mapping: dict[str, Any] | None, key: str) -> Any:
    """`{% lookup errors code as found %}`: a value of a dict by a key held in a variable."""
    return (mapping or {}).get(key)


@register.filter
def score(value: float | None) -> str:
    """A score with one decimal in the reader's number format, or a dash when there is none."""
    return "—" if value is None else str(floatformat(value, 1))
