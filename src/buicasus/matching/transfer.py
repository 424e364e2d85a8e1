"""From retrieval hits to explained transferability: gathering the facts each component needs
from the registry (in a few batched queries), and re-ranking under any weights.

A search's outcome is kept as a JSON-able *payload* (the hits with their components, which do
not depend on the weights), in the session or in a `SavedSearch`; changing the weights then only
re-combines the stored components (`ranked`), without running the retrieval again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone

from buicasus.core import transferability as tr
from buicasus.matching import gdp
from buicasus.matching.models import Need
from buicasus.registry import services as registry
from buicasus.registry.models import Initiative

OPERATING_ROLES = ("lead", "partner")


@dataclass(frozen=True)
class Target:
    """Where the solution would go and what is at hand there."""

    country: str | None = None
    region: str | None = None
    types: tuple[str, ...] = ()
    budget: float | None = None
    currency: str = "EUR"


def target_of(need: Need) -> Target:
    return Target(
        country=need.country.code,
        region=need.region.code if need.region_id else None,
        types=tuple(need.legal_forms or ()),
        budget=float(need.budget) if need.budget is not None else None,
        currency=need.currency or "EUR",
    )


# --- facts → components --------------------------------------------------------------------


def _required_types(initiative: Initiative) -> frozenset[str]:
    roles = list(initiative.roles.all())
    operating = [r for r in roles if r.role.code in OPERATING_ROLES] or roles
    return frozenset(r.organisation.actor_type.code for r in operating)


def _cost(initiative: Initiative, currency: str) -> float | None:
    amounts = [
        f.amount
        for f in initiative.fundings.all()
        if f.amount is not None and f.currency == currency
    ]
    return float(sum(amounts, Decimal(0))) if amounts else None


def _source_place(initiative: Initiative) -> str:
    """The finest region of the initiative (first by code), else its country."""
    regions = sorted(initiative.regions.all(), key=lambda r: (-r.level, r.code))
    return regions[0].code if regions else initiative.country.code


def _available_types(user: Any, target: Target) -> tuple[frozenset[str], str]:
    if target.types:
        return frozenset(target.types), "need"
    if not target.country:
        return frozenset(), "none"
    codes = (
        registry.visible_organisations(user)
        .filter(country__code=target.country)
        .values_list("actor_type__code", flat=True)
        .distinct()
    )
    return frozenset(codes), "country"


def components_for(
    user: Any, similarities: Mapping[int, float], target: Target
) -> dict[int, list[tr.Component]]:
    """The six components of each initiative in `similarities` (id → problem fit)."""
    ids = list(similarities)
    initiatives = (
        Initiative.objects.filter(pk__in=ids)
        .select_related("country", "evidence_level")
        .prefetch_related("regions", "fundings", "roles__role", "roles__organisation__actor_type")
        .annotate(
            n_methods=Count("methods", distinct=True),
            n_groups=Count("target_groups", distinct=True),
        )
    )
    replications: dict[int, list[str]] = defaultdict(list)
    for source, country in (
        registry.visible_initiatives(user)
        .filter(replicated_from__in=ids)
        .values_list("replicated_from_id", "country__code")
    ):
        replications[source].append(country)
    available, available_from = _available_types(user, target)
    by_id = {i.pk: i for i in initiatives}
    source_codes = {pk: _source_place(i) for pk, i in by_id.items()}
    target_code = target.region or target.country or ""
    places = gdp.places([*source_codes.values(), target_code])
    figures = gdp.series(p.code for p in places.values() if p is not None)
    out: dict[int, list[tr.Component]] = {}
    for pk, initiative in by_id.items():
        copies = replications.get(pk, [])
        abroad = {c for c in copies if c != initiative.country.code}
        required = _required_types(initiative)
        if available_from == "none":
            required = frozenset()
        out[pk] = [
            tr.problem_fit(similarities[pk]),
            tr.evidence(initiative.evidence_level.code if initiative.evidence_level else None),
            tr.spread(len(copies), len(abroad)),
            tr.essentials(
                tr.Documentation(
                    description_chars=len(initiative.description.strip()),
                    outcome_evidence=bool(initiative.outcome_evidence.strip()),
                    methods=initiative.n_methods,
                    target_groups=initiative.n_groups,
                    website=bool(initiative.website),
                    organisations=len({r.organisation_id for r in initiative.roles.all()}),
                )
            ),
            tr.ease(
                tr.Resources(
                    required_types=required,
                    available_types=available,
                    available_from=available_from if available_from != "none" else "country",
                    budget=target.budget,
                    source_cost=_cost(initiative, target.currency),
                )
            ),
            tr.context(*gdp.align(places.get(source_codes[pk]), places.get(target_code), figures)),
        ]
    return out


# --- payloads ------------------------------------------------------------------------------


def _reason_json(reason: tr.Reason) -> dict[str, Any]:
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in reason.params.items()}
    return {"code": reason.code, "params": params}


def component_json(component: tr.Component) -> dict[str, Any]:
    return {
        "key": component.key,
        "value": component.value,
        "reasons": [_reason_json(r) for r in component.reasons],
    }


def component_from_json(data: Mapping[str, Any]) -> tr.Component:
    reasons = tuple(
        tr.Reason(
            r["code"],
            {k: tuple(v) if isinstance(v, list) else v for k, v in r.get("params", {}).items()},
        )
        for r in data.get("reasons", [])
    )
    value = data.get("value")
    return tr.Component(str(data["key"]), None if value is None else float(value), reasons)


def build_payload(
    user: Any,
    *,
    text: str,
    hits: Sequence[Any],
    target: Target,
    need_id: int | None = None,
    filters: Mapping[str, Any] | None = None,
    language: str | None = None,
    notice: str | None = None,
) -> dict[str, Any]:
    """The JSON-able outcome of a search: hits (F's `Hit`s) with their components."""
    similarities = {int(h.initiative_id): float(h.similarity) for h in hits}
    components = components_for(user, similarities, target)
    return {
        "text": text,
        "need": need_id,
        "target": asdict(target),
        "filters": dict(filters or {}),
        "language": language,
        "notice": notice,
        "searched_at": timezone.now().isoformat(),
        "hits": [
            {
                "initiative": int(h.initiative_id),
                "similarity": float(h.similarity),
                "passage": str(getattr(h, "passage", "") or ""),
                "components": [component_json(c) for c in components[int(h.initiative_id)]],
            }
            for h in hits
            if int(h.initiative_id) in components
        ],
    }


@dataclass
class Match:
    """One ranked initiative with its scored components."""

    initiative: Initiative
    similarity: float
    passage: str
    scored: tr.Scored
    rank: int = 0


def ranked(user: Any, payload: Mapping[str, Any], weights: Mapping[str, float]) -> list[Match]:
    """The payload's initiatives the user may still see, best first under `weights`
    (normalised)."""
    hits = {int(h["initiative"]): h for h in payload.get("hits", [])}
    visible = (
        registry.visible_initiatives(user)
        .filter(pk__in=list(hits))
        .select_related("country", "evidence_level", "stage")
    )
    by_id = {i.pk: i for i in visible}
    scored = [
        (pk, tr.combine([component_from_json(c) for c in hits[pk]["components"]], weights))
        for pk in hits
        if pk in by_id
    ]
    out = []
    for n, (pk, result) in enumerate(tr.rank(scored), start=1):
        hit = hits[pk]
        out.append(Match(by_id[pk], hit["similarity"], hit.get("passage", ""), result, n))
    return out


def searched_at(payload: Mapping[str, Any]) -> dt.datetime | None:
    raw = payload.get("searched_at")
    return dt.datetime.fromisoformat(raw) if raw else None
