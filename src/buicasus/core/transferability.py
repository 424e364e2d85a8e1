"""Transferability of an initiative to a need, as a weighted sum of named, explained components.

The components follow G. Mulgan's transferability questions (BuiCaSuS WP3) plus the fit of the
problem itself:

- `problem_fit`  how close the initiative's problem is to the need (retrieval similarity);
- `evidence`     where it stands on the evidence ladder (innovation → … → best practice);
- `spread`       SPREAD: has it already been replicated, and in how many other countries;
- `essentials`   ESSENTIALS: are its active ingredients documented (a checklist);
- `ease`         EASE: does the target have the kinds of organisations and the money it needs;
- `context`      RELEVANCE: how alike the source and target regions are (GDP per head in PPS).

Each component is a value in [0, 1], or `None` when it cannot be known; an unknown component's
weight is shared among the known ones in proportion to their weights, and the result says so.
Reasons are message codes with parameters, never sentences: the application translates them.
Pure: no Django, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

ParamValue = str | int | float | tuple[str, ...]

PROBLEM_FIT = "problem_fit"
EVIDENCE = "evidence"
SPREAD = "spread"
ESSENTIALS = "essentials"
EASE = "ease"
CONTEXT = "context"
COMPONENTS: tuple[str, ...] = (PROBLEM_FIT, EVIDENCE, SPREAD, ESSENTIALS, EASE, CONTEXT)

DEFAULT_WEIGHTS: Mapping[str, float] = {
    PROBLEM_FIT: 0.35,
    EVIDENCE: 0.15,
    SPREAD: 0.10,
    ESSENTIALS: 0.10,
    EASE: 0.15,
    CONTEXT: 0.15,
}

# The evidence ladder, lowest rung first, with the value each rung is worth.
EVIDENCE_LADDER: Mapping[str, float] = {
    "innovation": 0.25,
    "promising-practice": 0.5,
    "good-practice": 0.75,
    "best-practice": 1.0,
}

# What "essentials documented" checks, and what each item is worth (they sum to 1).
ESSENTIAL_ITEMS: Mapping[str, float] = {
    "description": 0.25,
    "outcome_evidence": 0.25,
    "methods": 0.15,
    "target_groups": 0.15,
    "website": 0.10,
    "organisations": 0.10,
}
DESCRIPTION_FULL = 400  # characters from which a description counts as documented
DESCRIPTION_SHORT = 100  # characters from which it counts half

# GDP per head ratio (larger / smaller) at which the context similarity reaches 0.
CONTEXT_ZERO_RATIO = 4.0


class WeightsError(ValueError):
    """Weights that cannot be used; `code` names the problem, `component` the weight at fault."""

    def __init__(self, code: str, component: str = "") -> None:
        super().__init__(f"{code}: {component}" if component else code)
        self.code = code
        self.component = component


@dataclass(frozen=True)
class Reason:
    """A message code and its parameters, e.g. `Reason("spread.replicated", {"count": 2})`."""

    code: str
    params: Mapping[str, ParamValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Component:
    """One named part of the score: its value (None = unknown) and why."""

    key: str
    value: float | None
    reasons: tuple[Reason, ...]

    @property
    def known(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Scored:
    """Components with the weights actually applied and the weighted score (None when no
    component with a weight is known)."""

    components: tuple[Component, ...]
    weights: Mapping[str, float]
    applied: Mapping[str, float]
    score: float | None
    redistributed: tuple[str, ...]


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


# --- weights -------------------------------------------------------------------------------


def normalise_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights scaled to sum to 1, for every component (missing ones weigh 0).

    Raises `WeightsError` for an unknown component, a value that is not a finite number, a
    negative one, or weights that are all zero.
    """
    out = dict.fromkeys(COMPONENTS, 0.0)
    for key, raw in weights.items():
        if key not in out:
            raise WeightsError("weights.unknown_component", key)
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise WeightsError("weights.not_a_number", key) from None
        if not math.isfinite(value):
            raise WeightsError("weights.not_a_number", key)
        if value < 0:
            raise WeightsError("weights.negative", key)
        out[key] = value
    total = sum(out.values())
    if total <= 0:
        raise WeightsError("weights.all_zero")
    return {key: value / total for key, value in out.items()}


def combine(components: Sequence[Component], weights: Mapping[str, float]) -> Scored:
    """The weighted score of `components` under normalised `weights`.

    The weight of an unknown component goes to the known ones in proportion to their own
    weights, and `redistributed` names the unknown components that had a weight.
    """
    known_total = sum(weights.get(c.key, 0.0) for c in components if c.known)
    redistributed = tuple(c.key for c in components if not c.known and weights.get(c.key, 0.0))
    if known_total <= 0:
        applied = {c.key: 0.0 for c in components}
        return Scored(tuple(components), dict(weights), applied, None, redistributed)
    applied = {
        c.key: (weights.get(c.key, 0.0) / known_total if c.known else 0.0) for c in components
    }
    score = sum(applied[c.key] * (c.value or 0.0) for c in components)
    return Scored(tuple(components), dict(weights), applied, _clamp(score), redistributed)


def rank(items: Iterable[tuple[int, Scored]]) -> list[tuple[int, Scored]]:
    """Best first: by score (unknown last), then by problem fit, then by id for stability."""

    def key(item: tuple[int, Scored]) -> tuple[float, float, int]:
        ident, scored = item
        fit = next((c.value for c in scored.components if c.key == PROBLEM_FIT), None)
        score = scored.score if scored.score is not None else -1.0
        return (-score, -(fit or 0.0), ident)

    return sorted(items, key=key)


# --- components ----------------------------------------------------------------------------


def problem_fit(similarity: float) -> Component:
    """The retrieval's 0–1 similarity between the need and the initiative, as is."""
    value = _clamp(similarity)
    band = "strong" if value >= 0.75 else "partial" if value >= 0.5 else "weak"
    percent = round(value * 100)
    return Component(PROBLEM_FIT, value, (Reason(f"problem_fit.{band}", {"percent": percent}),))


def evidence(level: str | None) -> Component:
    """The rung of the evidence ladder; an unstated level counts as no evidence (0)."""
    if not level:
        return Component(EVIDENCE, 0.0, (Reason("evidence.not_stated"),))
    if level not in EVIDENCE_LADDER:
        return Component(EVIDENCE, None, (Reason("evidence.unknown_level", {"level": level}),))
    rung = list(EVIDENCE_LADDER).index(level) + 1
    return Component(
        EVIDENCE,
        EVIDENCE_LADDER[level],
        (Reason("evidence.level", {"level": level, "rung": rung, "rungs": len(EVIDENCE_LADDER)}),),
    )


def spread(replications: int, other_countries: int) -> Component:
    """Replications recorded (initiatives `replicated_from` this one) and how many countries
    other than the source's they are in: 0.2 per replication plus 0.3 per other country,
    capped at 1 — working in diverse contexts counts more than repeating at home."""
    if replications <= 0:
        return Component(SPREAD, 0.0, (Reason("spread.none"),))
    value = _clamp(0.2 * replications + 0.3 * other_countries)
    params: dict[str, ParamValue] = {"count": replications, "countries": other_countries}
    code = "spread.abroad" if other_countries else "spread.home_only"
    return Component(SPREAD, value, (Reason(code, params),))


@dataclass(frozen=True)
class Documentation:
    """What an initiative documents: the facts the essentials checklist reads."""

    description_chars: int
    outcome_evidence: bool
    methods: int
    target_groups: int
    website: bool
    organisations: int


def essentials(doc: Documentation) -> Component:
    """The share of the checklist `ESSENTIAL_ITEMS` an initiative fills; a description counts
    fully from DESCRIPTION_FULL characters and half from DESCRIPTION_SHORT."""
    shares = {
        "description": 1.0
        if doc.description_chars >= DESCRIPTION_FULL
        else 0.5
        if doc.description_chars >= DESCRIPTION_SHORT
        else 0.0,
        "outcome_evidence": 1.0 if doc.outcome_evidence else 0.0,
        "methods": 1.0 if doc.methods else 0.0,
        "target_groups": 1.0 if doc.target_groups else 0.0,
        "website": 1.0 if doc.website else 0.0,
        "organisations": 1.0 if doc.organisations else 0.0,
    }
    value = sum(ESSENTIAL_ITEMS[item] * share for item, share in shares.items())
    present = tuple(item for item, share in shares.items() if share >= 1.0)
    partial = tuple(item for item, share in shares.items() if 0.0 < share < 1.0)
    missing = tuple(item for item, share in shares.items() if share == 0.0)
    reasons = [Reason("essentials.present", {"items": present})] if present else []
    if partial:
        reasons.append(Reason("essentials.partial", {"items": partial}))
    if missing:
        reasons.append(Reason("essentials.missing", {"items": missing}))
    return Component(ESSENTIALS, _clamp(value), tuple(reasons))


@dataclass(frozen=True)
class Resources:
    """What the source relies on and what the target has.

    `required_types`: kinds of organisation (actor-type codes) running the source initiative;
    `available_types`: kinds the target can use, from the need's list (`available_from`
    "need") or those present in the target country's registry ("country");
    `budget` / `source_cost`: the need's budget and the source's recorded funding (same
    currency), None when not known.
    """

    required_types: frozenset[str]
    available_types: frozenset[str]
    available_from: str
    budget: float | None
    source_cost: float | None


def ease(res: Resources) -> Component:
    """How little must change: the share of the source's organisation types the target has,
    and the budget against the source's funding (1 when the budget covers it). The mean of
    the parts that can be known; unknown when none can."""
    parts: list[float] = []
    reasons: list[Reason] = []
    if res.required_types:
        have = res.required_types & res.available_types
        lacking = tuple(sorted(res.required_types - res.available_types))
        parts.append(len(have) / len(res.required_types))
        code = f"ease.types_from_{res.available_from}"
        reasons.append(Reason(code, {"have": tuple(sorted(have)), "lacking": lacking}))
    else:
        reasons.append(Reason("ease.types_unknown"))
    if res.budget is not None and res.source_cost:
        ratio = res.budget / res.source_cost
        parts.append(_clamp(ratio))
        percent = round(ratio * 100)
        reasons.append(
            Reason(
                "ease.budget_covers" if ratio >= 1 else "ease.budget_short",
                {"percent": percent, "budget": res.budget, "cost": res.source_cost},
            )
        )
    else:
        reasons.append(Reason("ease.budget_unknown"))
    if not parts:
        return Component(EASE, None, tuple(reasons))
    return Component(EASE, sum(parts) / len(parts), tuple(reasons))


@dataclass(frozen=True)
class Place:
    """GDP per head in PPS of a place, the NUTS code the figure is for and the code asked."""

    asked: str
    code: str
    value: float
    year: int


def context(source: Place | None, target: Place | None) -> Component:
    """Similarity of the two places' GDP per head in PPS: 1 when equal, falling linearly with
    the log of their ratio to 0 at CONTEXT_ZERO_RATIO. Unknown when either figure is."""
    if source is None or target is None or source.value <= 0 or target.value <= 0:
        missing = tuple(p for p, place in (("source", source), ("target", target)) if place is None)
        return Component(CONTEXT, None, (Reason("context.unknown", {"missing": missing}),))
    ratio = max(source.value, target.value) / min(source.value, target.value)
    value = _clamp(1 - math.log(ratio) / math.log(CONTEXT_ZERO_RATIO))
    reasons = [
        Reason(
            "context.gdp",
            {
                "source": round(source.value),
                "source_code": source.code,
                "target": round(target.value),
                "target_code": target.code,
                "source_year": source.year,
                "target_year": target.year,
                "ratio": round(ratio, 2),
            },
        )
    ]
    for place in (source, target):
        if place.code != place.asked:
            reasons.append(Reason("context.fallback", {"asked": place.asked, "used": place.code}))
    return Component(CONTEXT, value, tuple(reasons))


def nuts_ancestors(code: str) -> list[str]:
    """A NUTS code and the codes above it, finest first: `LV006` → LV006, LV00, LV0, LV."""
    code = code.strip().upper()
    return [code[:n] for n in range(len(code), 1, -1)]
