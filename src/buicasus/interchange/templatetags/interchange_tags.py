"""`{% export_menu "organisations" form %}`: the "Export what I see" menu of a list page."""

from __future__ import annotations

from typing import Any

from django import template

from buicasus.interchange.views import menu_context

register = template.Library()


@register.inclusion_tag("interchange/export_menu.html")
def export_menu(kind: str, form: Any) -> dict[str, Any]:
    """Links that download the list as filtered by `form` (its valid filters, by code)."""
    params = form.params() if hasattr(form, "params") else {}
    filters = {k: str(v) for k, v in params.items() if v not in (None, "")}
    return menu_context(kind, filters)
