"""Labels for the codes the progress view works with (phases, checklist items, states)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from buicasus.pilots.models import Phase

register = template.Library()

_CHECKLIST = {
    "proven_impact": _("Impact proven"),
    "viable_economic_model": _("Viable economic model"),
    "trigger": _("Trigger known (pulsion or traction)"),
}
_STATES = {"done": _("done"), "current": _("current phase"), "upcoming": _("to come")}


@register.filter
def phase_label(code: str) -> str:
    return str(dict(Phase.choices).get(code, code))


@register.filter
def checklist_label(code: str) -> str:
    return str(_CHECKLIST.get(code, code))


@register.filter
def step_state(code: str) -> str:
    return str(_STATES.get(code, code))
