"""Ranked matches as pages and the API show them: texts in the reader's language beside the
original, every component with its value, weight and reasons in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from buicasus.core import transferability as tr
from buicasus.core.multilingual import Shown, pick_text
from buicasus.matching import reasons, transfer


@dataclass(frozen=True)
class ComponentRow:
    key: str
    label: str
    help: str
    value: float | None
    percent: int | None
    weight: float  # as chosen, normalised (0–1)
    applied: float  # after redistributing the weight of unknown components
    reasons: list[str]


@dataclass(frozen=True)
class MatchRow:
    rank: int
    initiative: Any
    title: Shown
    description: Shown
    passage: str
    similarity: float
    score: float | None
    score_percent: int | None
    components: list[ComponentRow]
    redistributed: str
    pilot_url: str | None


def pilot_url(initiative_id: int, need_id: int | None) -> str | None:
    """The link to start a mentoring pilot from a match, when the pilots app offers it."""
    try:
        base = reverse("pilots:create")
    except NoReverseMatch:
        return None
    query = {"initiative": initiative_id}
    if need_id:
        query["need"] = need_id
    return f"{base}?{urlencode(query)}"


def _percent(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


def component_rows(scored: tr.Scored) -> list[ComponentRow]:
    return [
        ComponentRow(
            key=c.key,
            label=reasons.component_label(c.key),
            help=str(reasons.COMPONENT_HELP.get(c.key, "")),
            value=c.value,
            percent=_percent(c.value),
            weight=scored.weights.get(c.key, 0.0),
            applied=scored.applied.get(c.key, 0.0),
            reasons=reasons.describe_all(c.reasons),
        )
        for c in scored.components
    ]


def rows(
    matches: list[transfer.Match], need_id: int | None, *, with_pilots: bool = True
) -> list[MatchRow]:
    language = get_language() or "en"
    out = []
    for m in matches:
        i = m.initiative
        original = i.description_language or ""
        out.append(
            MatchRow(
                rank=m.rank,
                initiative=i,
                title=pick_text(i.title, original, i.translations or {}, "title", language),
                description=pick_text(
                    i.description, original, i.translations or {}, "description", language
                ),
                passage=m.passage,
                similarity=m.similarity,
                score=m.scored.score,
                score_percent=_percent(m.scored.score),
                components=component_rows(m.scored),
                redistributed=reasons.redistributed_note(m.scored.redistributed)
                if m.scored.redistributed
                else "",
                pilot_url=pilot_url(i.pk, need_id) if with_pilots else None,
            )
        )
    return out


def as_json(row: MatchRow) -> dict[str, Any]:
    """A match for the API."""
    i = row.initiative
    return {
        "rank": row.rank,
        "initiative_id": i.pk,
        "title": row.title.text,
        "title_language": row.title.language,
        "original_title": i.title,
        "original_language": i.description_language,
        "country": i.country.code,
        "url": i.get_absolute_url(),
        "similarity": row.similarity,
        "score": row.score,
        "passage": row.passage,
        "redistributed": row.redistributed,
        "components": [
            {
                "key": c.key,
                "label": c.label,
                "value": c.value,
                "known": c.value is not None,
                "weight": c.weight,
                "applied_weight": c.applied,
                "reasons": c.reasons,
            }
            for c in row.components
        ],
        "pilot_url": row.pilot_url,
    }


def weights_for_form(weights: Mapping[str, float]) -> list[dict[str, Any]]:
    """Each component's weight as a whole percentage, for the weights inputs."""
    return [
        {
            "key": k,
            "label": reasons.component_label(k),
            "help": str(reasons.COMPONENT_HELP[k]),
            "percent": round(weights.get(k, 0.0) * 100),
        }
        for k in tr.COMPONENTS
    ]
