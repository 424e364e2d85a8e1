"""Facet arithmetic over combinations of facet codes (no database here).

Every indexed record carries one `Combo`: its kind, country, review state and its codes of the
single-valued facets (and its set of content languages, a small set). Given how many matching
documents carry each combination, this module answers which pass the reader's filters (who may
see them is the registry's permission policy, see `search.services.visibility`), and the count of
every value of those facets. Multi-valued facets with many possible sets (policy fields, SDGs,
ESF+ objectives, funds) and regions are *tags* instead, counted in the database (`TAGS`).

Counts are *disjunctive*: a facet's own selection is ignored when counting that facet, so a
reader who ticked "France" still sees how many results "Spain" would add; every other selection
applies.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from buicasus.core import vocabulary_fields

KINDS = ("organisation", "initiative")

# Facets carried by the combination: URL parameter → Combo attribute.
FACETS: dict[str, str] = {
    "kind": "kind",
    "country": "country",
    "actor_type": "actor_type",
    "stage": "stage",
    "evidence_level": "evidence_level",
    "language": "languages",
}
# Facets stored as tags, one row per (document, value): URL parameter → facet number.
TAGS: dict[str, int] = {"region": 1, "policy_field": 2, "sdg": 3, "esf_objective": 4, "fund": 5}
TAG_NAMES = {number: name for name, number in TAGS.items()}
# The order in which a page shows the facets.
ORDER = (
    "kind",
    "country",
    "region",
    "actor_type",
    "policy_field",
    "stage",
    "evidence_level",
    "sdg",
    "esf_objective",
    "fund",
    "language",
)
# The term fields that are facets, by URL parameter (`core.vocabulary_fields` names them).
_FIELDS = vocabulary_fields.filters(
    vocabulary_fields.ORGANISATION, vocabulary_fields.INITIATIVE, vocabulary_fields.FUNDING
)
# Facets whose values are vocabulary terms: URL parameter → vocabulary key.
VOCABULARIES: dict[str, str] = {n: _FIELDS[n].vocabulary for n in ORDER if n in _FIELDS}
# Tags read from an initiative's many-to-many term fields: URL parameter → field name.
INITIATIVE_TERM_TAGS: dict[str, str] = {
    n: _FIELDS[n].name
    for n in TAGS
    if n in _FIELDS and _FIELDS[n].model == vocabulary_fields.INITIATIVE
}


@dataclass(frozen=True)
class Combo:
    """The facet codes shared by a group of documents (one row of `SearchCombo`)."""

    kind: str
    country: str
    published: bool
    review_status: str
    actor_type: str = ""
    stage: str = ""
    evidence_level: str = ""
    languages: frozenset[str] = frozenset()

    def values(self, facet: str) -> frozenset[str]:
        """The codes this combination has for a facet (by URL parameter name)."""
        value = getattr(self, FACETS[facet])
        if isinstance(value, frozenset):
            return value
        return frozenset((value,)) if value else frozenset()

    def key(self) -> str:
        """A stable digest identifying the combination, for the unique column."""
        parts = [self.kind, self.country, "1" if self.published else "0", self.review_status]
        parts += [self.actor_type, self.stage, self.evidence_level]
        parts.append(" ".join(sorted(self.languages)))
        return hashlib.sha1("|".join(parts).encode()).hexdigest()


Filters = Mapping[str, frozenset[str]]


def failing(combo: Combo, filters: Filters) -> list[str]:
    """The filtered combination facets this combination does not satisfy (any selected value
    will do); tag filters are not its business and are skipped."""
    return [
        name
        for name, wanted in filters.items()
        if wanted and name in FACETS and not combo.values(name) & wanted
    ]


def passes(combo: Combo, filters: Filters) -> bool:
    return not failing(combo, filters)


@dataclass
class FacetCounts:
    total: int
    by_facet: dict[str, Counter[str]]


def count(counts: Mapping[int, int], combos: Mapping[int, Combo], filters: Filters) -> FacetCounts:
    """Total of the documents passing every filter, and each facet value's count under all the
    other filters. `counts` maps combination ids to the visible matching documents carrying
    them; unknown ids are skipped."""
    result = FacetCounts(0, {name: Counter() for name in FACETS})
    for combo_id, n in counts.items():
        combo = combos.get(combo_id)
        if combo is None or n <= 0:
            continue
        missed = failing(combo, filters)
        if not missed:
            result.total += n
            for name in FACETS:
                for value in combo.values(name):
                    result.by_facet[name][value] += n
        elif len(missed) == 1:
            for value in combo.values(missed[0]):
                result.by_facet[missed[0]][value] += n
    return result


def allowed(combos: Mapping[int, Combo], ids: Iterable[int], filters: Filters) -> list[int]:
    """The ids among `ids` whose combination passes every filter."""
    return sorted(i for i in ids if i in combos and passes(combos[i], filters))


Tag = tuple[int, str, str]  # (facet number, code, parent code)


def region_tags(codes: Iterable[str]) -> set[Tag]:
    """Tags of NUTS codes and all their ancestors: FR101 → FR101 (parent FR10), FR10 (FR1),
    FR1 (no parent). NUTS codes nest by prefix; the two-letter level is the country facet."""
    tags: set[Tag] = set()
    for code in codes:
        code = (code or "").strip().upper()
        while len(code) >= 3:
            tags.add((TAGS["region"], code, code[:-1] if len(code) > 3 else ""))
            code = code[:-1]
    return tags


def term_tags(name: str, codes: Iterable[str]) -> set[Tag]:
    return {(TAGS[name], code, "") for code in codes if code}
