"""What the search index keeps of a record: its title and text as stems (each text stemmed in
its own language: the record's description language, or a translation's), its combination of
facet codes, its tags. Records are read with plain SQL and codes looked up in memory, so that a
chunk of thousands of records costs a handful of queries."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model

from buicasus.core.multilingual import primary_subtag
from buicasus.core.search_query import index_text, stemmed_text
from buicasus.reference.models import Country, NutsRegion
from buicasus.registry.models import Funding, Initiative, Organisation, Term
from buicasus.search.backends import Backend
from buicasus.search.facets import INITIATIVE_TERM_TAGS, Combo, Tag, region_tags, term_tags

SORT_KEY_LENGTH = 100


@dataclass
class Source:
    """What the index keeps of one record."""

    record_id: int
    combo: Combo
    title: str
    body: str
    sort_key: str
    created_by_id: int | None
    tags: set[Tag]


def _strings(values: Any) -> list[str]:
    if isinstance(values, str):
        return [values]
    if isinstance(values, list | tuple):
        return [str(v) for v in values if isinstance(v, str | int | float)]
    return []


def _in_languages(translations: Any, *attributes: str) -> list[tuple[str, str]]:
    """(text, language) of the translated attributes, for stemming each in its language."""
    texts: list[tuple[str, str]] = []
    if isinstance(translations, dict):
        for lang, values in translations.items():
            if isinstance(values, dict):
                code = primary_subtag(str(lang))
                texts += [(str(values[a]), code) for a in attributes if values.get(a)]
    return texts


def _languages(description_language: str, translations: Any) -> frozenset[str]:
    """The languages the record's content is available in (BCP 47 primary subtags)."""
    found = {primary_subtag(description_language)} if description_language else set()
    if isinstance(translations, dict):
        for lang, values in translations.items():
            if isinstance(values, dict) and any(str(v).strip() for v in values.values()):
                found.add(primary_subtag(str(lang)))
    return frozenset(code for code in found if code)


def _json(value: Any) -> Any:
    """A JSON column as Python: SQLite hands back text, PostgreSQL already-decoded values."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


class _Codes:
    """Codes of countries, terms and NUTS regions by database id, read as needed and kept for
    the run, so that loading records needs no joins (and one record, few rows)."""

    def __init__(self) -> None:
        self.countries: dict[int, str] = {}
        self.terms: dict[int, str] = {}
        self.regions: dict[int, str] = {}

    def learn(self, model: type[Model], ids: set[Any]) -> dict[int, str]:
        known = {Country: self.countries, Term: self.terms, NutsRegion: self.regions}[model]
        missing = [i for i in ids if i is not None and i not in known]
        if missing:
            known.update(model._default_manager.filter(pk__in=missing).values_list("id", "code"))
        return known


def _column(model: type[Model], name: str) -> str:
    return str(model._meta.get_field(name).column)


def _select(run: Reader, model: type[Model], names: tuple[str, ...], ids: list[int]) -> list[Any]:
    columns = ", ".join(_column(model, n) for n in names)
    where, params = run.backend.in_list(_column(model, names[0]), ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {model._meta.db_table} WHERE {where}", params)
        return list(cursor.fetchall())


ORGANISATION_COLUMNS = (
    "id",
    "name",
    "other_names",
    "description",
    "description_language",
    "translations",
    "country",
    "region",
    "actor_type",
    "published",
    "review_status",
    "created_by",
)
INITIATIVE_COLUMNS = (
    "id",
    "title",
    "description",
    "description_language",
    "translations",
    "country",
    "stage",
    "evidence_level",
    "published",
    "review_status",
    "created_by",
)


def _organisations(run: Reader, ids: list[int]) -> dict[int, Source]:
    codes, sources = run.codes, {}
    rows = _select(run, Organisation, ORGANISATION_COLUMNS, ids)
    codes.learn(Country, {r[6] for r in rows})
    codes.learn(NutsRegion, {r[7] for r in rows})
    codes.learn(Term, {r[8] for r in rows})
    for pk, name, others, desc, lang, tr, country, region, actor, pub, status, creator in rows:
        tr = _json(tr)
        own = primary_subtag(lang) if lang else ""
        combo = run.intern(
            Combo(
                kind="organisation",
                country=codes.countries[country],
                published=bool(pub),
                review_status=status,
                actor_type=codes.terms.get(actor, ""),
                languages=_languages(lang, tr),
            )
        )
        region_code = codes.regions.get(region)
        sources[pk] = Source(
            record_id=pk,
            combo=combo,
            title=stemmed_text(
                [
                    *((t, own) for t in [name, *_strings(_json(others))]),
                    *_in_languages(tr, "name", "title"),
                ]
            ),
            body=stemmed_text([(desc, own), *_in_languages(tr, "description")]),
            sort_key=index_text([name])[:SORT_KEY_LENGTH],
            created_by_id=creator,
            tags=region_tags([region_code] if region_code else []),
        )
    return sources


def _initiative_links(run: Reader, ids: list[int]) -> dict[str, dict[int, set[str]]]:
    """Codes of each initiative's regions, tagged term fields (policy fields, SDGs …) and funds."""
    links: dict[str, dict[int, set[str]]] = {}
    for name, target in (
        ("regions", "nutsregion"),
        *((field, "term") for field in INITIATIVE_TERM_TAGS.values()),
    ):
        through = getattr(Initiative, name).through
        pairs = _select(run, through, ("initiative", target), ids)
        names = run.codes.learn(
            NutsRegion if target == "nutsregion" else Term, {r for _p, r in pairs}
        )
        found: dict[int, set[str]] = {}
        for pk, ref in pairs:
            found.setdefault(pk, set()).add(names[ref])
        links[name] = found
    funds: dict[int, set[str]] = {}
    pairs = _select(run, Funding, ("initiative", "source"), ids)
    names = run.codes.learn(Term, {r for _p, r in pairs})
    for pk, ref in pairs:
        funds.setdefault(pk, set()).add(names[ref])
    links["funds"] = funds
    return links


def _initiatives(run: Reader, ids: list[int]) -> dict[int, Source]:
    codes, sources = run.codes, {}
    rows = _select(run, Initiative, INITIATIVE_COLUMNS, ids)
    links = _initiative_links(run, [r[0] for r in rows])
    codes.learn(Country, {r[5] for r in rows})
    codes.learn(Term, {r[6] for r in rows} | {r[7] for r in rows})
    for pk, title, desc, lang, tr, country, stage, evidence, pub, status, creator in rows:
        tr = _json(tr)
        own = primary_subtag(lang) if lang else ""

        def linked(name: str, pk: int = pk) -> frozenset[str]:
            return frozenset(links[name].get(pk, ()))

        combo = run.intern(
            Combo(
                kind="initiative",
                country=codes.countries[country],
                published=bool(pub),
                review_status=status,
                stage=codes.terms.get(stage, ""),
                evidence_level=codes.terms.get(evidence, ""),
                languages=_languages(lang, tr),
            )
        )
        tags = region_tags(linked("regions")) | term_tags("fund", linked("funds"))
        for facet, field in INITIATIVE_TERM_TAGS.items():
            tags |= term_tags(facet, linked(field))
        sources[pk] = Source(
            record_id=pk,
            combo=combo,
            title=stemmed_text([(title, own), *_in_languages(tr, "title", "name")]),
            body=stemmed_text([(desc, own), *_in_languages(tr, "description")]),
            sort_key=index_text([title])[:SORT_KEY_LENGTH],
            created_by_id=creator,
            tags=tags,
        )
    return sources


LOADERS: dict[str, Callable[[Reader, list[int]], dict[int, Source]]] = {
    "organisation": _organisations,
    "initiative": _initiatives,
}


class Reader:
    """Reads records for one indexing run: the backend, the codes, one object per combination."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.codes = _Codes()
        self.combos: dict[Combo, Combo] = {}

    def intern(self, combo: Combo) -> Combo:
        """The one equal Combo object of this run (its key is computed once)."""
        return self.combos.setdefault(combo, combo)

    def read(self, kind: str, ids: list[int]) -> dict[int, Source]:
        """The records of `kind` among `ids` that exist, by id."""
        return LOADERS[kind](self, ids)
