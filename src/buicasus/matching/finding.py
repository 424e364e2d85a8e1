"""Finding solutions for a need: run the retrieval once, explain every hit, re-rank on demand.

A search's outcome (see `transfer.build_payload`) is kept in the session under a short token,
or in a `SavedSearch`; weights change the order, never the hits.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from buicasus.core import transferability as tr
from buicasus.core import vocabulary_fields
from buicasus.matching import services, transfer
from buicasus.matching.models import Need, SavedSearch
from buicasus.matching.reasons import component_label
from buicasus.reference.models import Country

SESSION_KEY = "matching_searches"
MAX_REMEMBERED = 5
DEFAULT_K = 20
MAX_K = 100


@dataclass(frozen=True)
class SearchRequest:
    """What to look for (a need, or typed text with a target place) and the filters."""

    text: str = ""
    need: Need | None = None
    target: transfer.Target = field(default_factory=transfer.Target)
    countries: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    evidence_levels: tuple[str, ...] = ()
    k: int = DEFAULT_K

    def filters(self) -> dict[str, Any]:
        return {
            "countries": list(self.countries),
            "stages": list(self.stages),
            "evidence_levels": list(self.evidence_levels),
            "k": self.k,
        }


def request_for_need(need: Need, **filters: Any) -> SearchRequest:
    return SearchRequest(text=need.text, need=need, target=transfer.target_of(need), **filters)


def need_terms(need: Need | None) -> tuple[str, ...]:
    """The need's challenge terms, as `vocabulary:code`, for the retrieval's concept match."""
    if need is None or need.pk is None:
        return ()
    terms: list[str] = []
    for f in vocabulary_fields.fields_of(vocabulary_fields.NEED):
        if not f.many:
            continue
        terms += [f"{f.vocabulary}:{t.code}" for t in getattr(need, f.name).all()]
    return tuple(terms)


def check_target(target: transfer.Target) -> None:
    if target.country and not Country.objects.filter(code=target.country).exists():
        raise services.NeedInvalid({"country": [_("Unknown country: %s.") % target.country]})


def search(user: Any, req: SearchRequest) -> dict[str, Any]:
    """Run the retrieval for the need and explain each hit; the JSON-able payload."""
    if req.need is not None and not services.can_view(user, req.need):
        raise PermissionDenied(_("You may not see this need."))
    text = services.check_text(req.text)
    check_target(req.target)
    if not 1 <= req.k <= MAX_K:
        raise services.NeedInvalid({"k": [_("Ask for 1 to %d matches.") % MAX_K]})
    result = services.retrieve(
        text,
        k=req.k,
        exclude_country=req.target.country,
        countries=[c for c in req.countries if c != req.target.country] or None,
        stages=req.stages,
        evidence_levels=req.evidence_levels,
        terms=need_terms(req.need),
        user=user,
    )
    return transfer.build_payload(
        user,
        text=text,
        hits=result.hits,
        target=req.target,
        need_id=req.need.pk if req.need is not None else None,
        filters=req.filters(),
        language=result.language,
        notice=result.notice,
    )


# --- weights -------------------------------------------------------------------------------


def default_weights() -> dict[str, float]:
    return dict(tr.DEFAULT_WEIGHTS)


def parse_weights(data: Mapping[str, Any]) -> dict[str, float]:
    """Normalised weights from user input (any non-negative numbers; missing ones count 0);
    `NeedInvalid` on the field `weights` with a message naming the component at fault."""
    raw: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str):
            value = value.strip().replace(",", ".") or "0"
        raw[key] = value
    try:
        return tr.normalise_weights(raw)
    except tr.WeightsError as exc:
        name = component_label(exc.component) if exc.component in tr.COMPONENTS else exc.component
        messages = {
            "weights.all_zero": _("All weights are zero; give at least one component a weight."),
            "weights.negative": _("The weight of “%(name)s” is negative; use 0 or more."),
            "weights.not_a_number": _("The weight of “%(name)s” is not a number."),
            "weights.unknown_component": _("“%(name)s” is not a component of the score."),
        }
        raise services.NeedInvalid({"weights": [messages[exc.code] % {"name": name}]}) from exc


# --- the session cache ---------------------------------------------------------------------


def remember(session: Any, payload: dict[str, Any]) -> str:
    """Keep a search's payload in the session (the last MAX_REMEMBERED); its token."""
    token = secrets.token_urlsafe(8)
    kept: dict[str, Any] = dict(session.get(SESSION_KEY, {}))
    while len(kept) >= MAX_REMEMBERED:
        kept.pop(next(iter(kept)))
    kept[token] = payload
    session[SESSION_KEY] = kept
    return token


def recall(session: Any, token: str) -> dict[str, Any] | None:
    found = session.get(SESSION_KEY, {}).get(token)
    return found if isinstance(found, dict) else None


# --- saved searches ------------------------------------------------------------------------


def save_search(
    user: Any, payload: Mapping[str, Any], weights: Mapping[str, float], name: str
) -> SavedSearch:
    """Keep a search with its hits, weights and filters for its owner."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to save searches."))
    name = (name or "").strip() or payload.get("text", "")[:80]
    if len(name) > 200:
        raise services.NeedInvalid({"name": [_("The name has more than 200 characters.")]})
    need = None
    if payload.get("need"):
        need = Need.objects.filter(pk=payload["need"]).first()
    country_code = (payload.get("target") or {}).get("country")
    with transaction.atomic():
        return SavedSearch.objects.create(
            owner=user,
            name=name or _("Search"),
            need=need,
            text=payload.get("text", ""),
            country=Country.objects.filter(code=country_code).first() if country_code else None,
            weights=dict(weights),
            filters=dict(payload.get("filters", {})),
            results=dict(payload),
        )


def saved_searches(user: Any) -> Any:
    if not getattr(user, "is_authenticated", False):
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(owner=user).select_related("need", "country")


def get_saved(user: Any, pk: int) -> SavedSearch:
    """The owner's saved search; `PermissionDenied` for anyone else."""
    saved = SavedSearch.objects.select_related("need", "need__country").get(pk=pk)
    if saved.owner_id != getattr(user, "pk", None):
        raise PermissionDenied(_("This saved search belongs to someone else."))
    if saved.need is not None and not services.can_view(user, saved.need):
        raise PermissionDenied(_("You may not see this need."))
    return saved


def update_weights(user: Any, saved: SavedSearch, weights: Mapping[str, float]) -> SavedSearch:
    if saved.owner_id != user.pk:
        raise PermissionDenied(_("This saved search belongs to someone else."))
    saved.weights = dict(weights)
    saved.save(update_fields=["weights", "updated_at"])
    return saved


def refresh_saved(user: Any, saved: SavedSearch) -> SavedSearch:
    """Run the retrieval again for a saved search (new initiatives may have appeared)."""
    payload = saved.results or {}
    filters = saved.filters or {}
    target = transfer.Target(**(payload.get("target") or {}))
    req = SearchRequest(
        text=saved.need.text if saved.need else saved.text,
        need=saved.need,
        target=transfer.target_of(saved.need) if saved.need else target,
        countries=tuple(filters.get("countries", ())),
        stages=tuple(filters.get("stages", ())),
        evidence_levels=tuple(filters.get("evidence_levels", ())),
        k=int(filters.get("k", DEFAULT_K)),
    )
    saved.results = search(user, req)
    saved.save(update_fields=["results", "updated_at"])
    return saved


def delete_saved(user: Any, saved: SavedSearch) -> None:
    if saved.owner_id != user.pk:
        raise PermissionDenied(_("This saved search belongs to someone else."))
    saved.delete()
