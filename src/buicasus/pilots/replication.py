"""The replicated initiative a finished pilot leaves in the registry.

It is built as an `InitiativeForm` and saved by `registry.services.save_record`, exactly as if
the user had filled in the registry's form: the registry checks the permission, records the
audit entries, and applies its rules for the user's role (editors' records go in approved but
unpublished here; a contributor's would be a proposal).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from buicasus.core import vocabulary_fields as vf
from buicasus.pilots.models import Pilot
from buicasus.registry import services as registry_services
from buicasus.registry.forms import LANGUAGE_CODES, InitiativeForm, InitiativeRoleForm
from buicasus.registry.models import Initiative, Term

# A transfer that went through its test is being implemented in the new context.
REPLICA_STAGE = "implementation"
# Taking an initiative to another country is scaling out (more places).
REPLICA_DIRECTION = "out"


def _codes(terms: Any) -> list[str]:
    return [t.code for t in terms.all()]


def replica_data(pilot: Pilot, title: str, evaluation: dict[str, Any]) -> dict[str, Any]:
    """Form data for the new initiative: the source's classification, the target's country,
    the observed impact as outcome evidence, `replicated_from` pointing at the source."""
    source = pilot.source_initiative
    directions = _codes(source.scaling_directions)
    if Term.objects.filter(
        vocabulary__key=vf.vocabulary_of(vf.INITIATIVE, "scaling_directions"),
        code=REPLICA_DIRECTION,
    ).exists():
        directions = sorted({*directions, REPLICA_DIRECTION})
    strategy = pilot.scaling_strategy or source.scaling_strategy
    data: dict[str, Any] = {
        "title": title,
        "description": source.description,
        "description_language": source.description_language,
        "country": pilot.target_country.code,
        "regions": [],
        "stage": REPLICA_STAGE,
        "evidence_level": "",
        "policy_fields": _codes(source.policy_fields),
        "esf_objectives": _codes(source.esf_objectives),
        "sdgs": _codes(source.sdgs),
        "target_groups": _codes(source.target_groups),
        "methods": _codes(source.methods),
        "start_date": pilot.start_date.isoformat(),
        "end_date": "",
        "website": "",
        "outcome_evidence": evaluation.get("impact_observed", ""),
        "replicated_from": str(source.pk),
        "scaling_strategy": strategy.code if strategy is not None else "",
        "scaling_directions": directions,
        "fundings": "",
    }
    for lang in LANGUAGE_CODES:
        text = (source.translations or {}).get(lang, {}).get("description", "")
        data[f"tr_{lang}_description"] = text
        data[f"tr_{lang}_title"] = ""
    return data


def create_replica(user: Any, pilot: Pilot, title: str, evaluation: dict[str, Any]) -> Initiative:
    """Create the replicated initiative and record the two organisations' roles in it."""
    form = InitiativeForm(data=replica_data(pilot, title, evaluation))
    if not form.is_valid():
        raise ValidationError(
            {"initiative_title": [f"{k}: {'; '.join(v)}" for k, v in form.errors.items()]}
        )
    initiative = registry_services.save_record(user, form)
    assert isinstance(initiative, Initiative)
    roles = [(pilot.target_organisation, "lead"), (pilot.source_organisation, "mentor")]
    for organisation, role in roles:
        if organisation is None:
            continue
        role_form = InitiativeRoleForm(
            data={"organisation": organisation.pk, "initiative": initiative.pk, "role": role}
        )
        if role_form.is_valid():
            registry_services.save_relationship(user, role_form)
    return initiative
