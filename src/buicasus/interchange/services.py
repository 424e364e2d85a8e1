"""What an export holds: the records a user may see, narrowed by the list filters.

`select(user, kind, params)` is shared by the download page, the API and the CLI: it checks
the kind and the filters (an unknown code is an `ExportError` naming the parameter, not an
empty file), and returns a `Selection` whose querysets start from `registry.services.visible_*`,
so an anonymous export holds exactly the published, approved records the public pages show.
Relationships are kept only when both of their ends are in the export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from buicasus.core import vocabulary_fields
from buicasus.core.dcat import Source
from buicasus.core.standard_records import Record, TermSet
from buicasus.interchange import records
from buicasus.reference.models import Country, NutsRegion
from buicasus.registry import services as registry
from buicasus.registry.models import ReviewStatus, Term, Vocabulary

KINDS = ("organisations", "initiatives", "registry")
# Filter parameter → vocabulary whose code it takes (None: checked otherwise).
FILTERS: dict[str, str | None] = {
    "q": None,
    "country": None,
    "region": None,
    **{
        name: f.vocabulary
        for name, f in vocabulary_fields.filters(
            vocabulary_fields.ORGANISATION, vocabulary_fields.INITIATIVE
        ).items()
    },
    "published": None,
    "review_status": None,
}


class ExportError(Exception):
    """The request cannot be exported as asked; the message says why, for the user."""


def clean_filters(params: Mapping[str, Any]) -> dict[str, str]:
    """The known, non-empty filters, checked: every code must exist."""
    cleaned: dict[str, str] = {}
    for name, vocabulary in FILTERS.items():
        value = str(params.get(name) or "").strip()
        if not value:
            continue
        if name == "country":
            value = value.upper()
            known = Country.objects.filter(code=value).exists()
        elif name == "region":
            value = value.upper()
            known = NutsRegion.objects.filter(code=value).exists()
        elif name == "published":
            value = value.lower()
            known = value in ("true", "false")
        elif name == "review_status":
            known = value in ReviewStatus.values
        elif vocabulary is not None:
            known = Term.objects.filter(vocabulary__key=vocabulary, code=value).exists()
        else:
            known = True
        if not known:
            raise ExportError(
                _("Unknown value “%(value)s” for the filter “%(name)s”.")
                % {"value": value, "name": name}
            )
        cleaned[name] = value
    return cleaned


@dataclass
class Selection:
    """The querysets of one export, and the metadata every format writes beside the records."""

    kind: str
    filters: dict[str, str]
    base_url: str
    generated_at: dt.datetime
    organisations: QuerySet[Any] | None
    initiatives: QuerySet[Any] | None
    roles: QuerySet[Any] | None
    ties: QuerySet[Any] | None
    chunk_size: int = records.CHUNK_SIZE
    # Called with the number of records just produced (the CLI's progress bar).
    progress: Callable[[int], None] | None = None
    _lookups: records.Lookups | None = field(default=None, repr=False)
    _vocabularies: dict[str, TermSet] | None = field(default=None, repr=False)

    @property
    def lookups(self) -> records.Lookups:
        if self._lookups is None:
            self._lookups = records.Lookups.load(self.base_url)
        return self._lookups

    def _tick(self, batch: list[Record]) -> list[Record]:
        if self.progress is not None:
            self.progress(len(batch))
        return batch

    # --- records, by kind, in chunks or one by one

    def organisation_chunks(self) -> Iterator[list[Record]]:
        if self.organisations is not None:
            for batch in records.organisation_chunks(
                self.organisations, self.lookups, self.chunk_size
            ):
                yield self._tick(batch)

    def initiative_chunks(self) -> Iterator[list[Record]]:
        if self.initiatives is not None:
            qs = self.initiatives

            def selected(ids: set[int]) -> set[int]:
                return set(qs.filter(pk__in=ids).values_list("pk", flat=True))

            for batch in records.initiative_chunks(
                qs, self.lookups, self.chunk_size, selected=selected
            ):
                yield self._tick(batch)

    def role_chunks(self) -> Iterator[list[Record]]:
        if self.roles is not None:
            for batch in records.role_chunks(self.roles, self.lookups, self.chunk_size):
                yield self._tick(batch)

    def tie_chunks(self) -> Iterator[list[Record]]:
        if self.ties is not None:
            for batch in records.tie_chunks(self.ties, self.lookups, self.chunk_size):
                yield self._tick(batch)

    def organisation_records(self) -> Iterator[Record]:
        for batch in self.organisation_chunks():
            yield from batch

    def initiative_records(self) -> Iterator[Record]:
        for batch in self.initiative_chunks():
            yield from batch

    def role_records(self) -> Iterator[Record]:
        for batch in self.role_chunks():
            yield from batch

    def tie_records(self) -> Iterator[Record]:
        for batch in self.tie_chunks():
            yield from batch

    def records(self) -> Iterator[Record]:
        """Every record, in the order an importer needs: what others refer to comes first."""
        yield from self.organisation_records()
        yield from self.initiative_records()
        yield from self.role_records()
        yield from self.tie_records()

    # --- metadata

    def count(self) -> int:
        querysets = (self.organisations, self.initiatives, self.roles, self.ties)
        return sum(qs.count() for qs in querysets if qs is not None)

    def vocabularies(self) -> dict[str, TermSet]:
        """Every vocabulary with its terms, as the pure converters take them."""
        if self._vocabularies is None:
            result: dict[str, TermSet] = {}
            for vocab in Vocabulary.objects.prefetch_related("terms").order_by("key"):
                terms = {
                    t.code: {"labels": dict(t.labels), "definitions": dict(t.definitions)}
                    for t in vocab.terms.all()
                }
                result[vocab.key] = TermSet(
                    vocab.key, dict(vocab.labels), vocab.source, vocab.version, terms
                )
            self._vocabularies = result
        return self._vocabularies

    def sources(self) -> list[Source]:
        """The sources of the exported organisations and initiatives, with their licences."""
        counts: dict[tuple[str, str], int] = {}
        for qs in (self.organisations, self.initiatives):
            if qs is None:
                continue
            rows = qs.order_by().values_list("source_name", "licence").annotate(n=Count("pk"))
            for name, licence, n in rows:
                counts[(name, licence)] = counts.get((name, licence), 0) + n
        return [Source(name, licence, n) for (name, licence), n in sorted(counts.items())]

    def countries(self) -> list[str]:
        codes: set[str] = set()
        for qs in (self.organisations, self.initiatives):
            if qs is not None:
                codes.update(qs.order_by().values_list("country__code", flat=True).distinct())
        return sorted(codes)

    def modified(self) -> dt.datetime | None:
        dates = [
            qs.order_by().aggregate(m=Max("updated_at"))["m"]
            for qs in (self.organisations, self.initiatives)
            if qs is not None
        ]
        found = [d for d in dates if d is not None]
        return max(found) if found else None

    def providers(self, initiative_ids: list[int]) -> dict[int, int]:
        """The organisation delivering each initiative (HSDS `service.organization_id`): its
        lead if it has one, else its first partner, funder … in the role vocabulary's order."""
        if self.roles is None:
            return {}
        rows = (
            self.roles.filter(initiative_id__in=initiative_ids)
            .order_by("initiative_id", "role__position", "pk")
            .values_list("initiative_id", "organisation_id")
        )
        result: dict[int, int] = {}
        for initiative_id, organisation_id in rows:
            result.setdefault(initiative_id, organisation_id)
        return result

    def parents(self, organisation_ids: list[int]) -> dict[int, int]:
        """The organisation each one is a subsidiary of (HSDS `parent_organization_id`)."""
        if self.ties is None:
            return {}
        rows = (
            self.ties.filter(source_id__in=organisation_ids, tie_type__code="subsidiary-of")
            .order_by("source_id", "pk")
            .values_list("source_id", "target_id")
        )
        result: dict[int, int] = {}
        for source_id, target_id in rows:
            result.setdefault(source_id, target_id)
        return result


def select(
    user: Any,
    kind: str,
    params: Mapping[str, Any] | None = None,
    *,
    base_url: str = "",
) -> Selection:
    """The records of `kind` that `user` may see, narrowed by the list filters in `params`.

    `organisations` and `initiatives` are the two lists (with the ties between the exported
    organisations); `registry` is both, with every role and tie between exported records, and
    takes the filters that apply to each (`country`, `q` …).
    """
    if kind not in KINDS:
        raise ExportError(
            _("Unknown kind “%(kind)s”; use one of %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(KINDS)}
        )
    filters = clean_filters(params or {})
    orgs = inits = roles = ties = None
    if kind in ("organisations", "registry"):
        orgs = registry.filter_organisations(registry.visible_organisations(user), filters)
        ties = registry.visible_ties(user)
        if filters:
            ids = orgs.values("pk")
            ties = ties.filter(source__in=ids, target__in=ids)
    if kind in ("initiatives", "registry"):
        inits = registry.filter_initiatives(registry.visible_initiatives(user), filters)
    if kind == "registry":
        roles = registry.visible_roles(user)
        if filters:
            roles = roles.filter(
                organisation__in=orgs.values("pk"),  # type: ignore[union-attr]
                initiative__in=inits.values("pk"),  # type: ignore[union-attr]
            )
    return Selection(
        kind=kind,
        filters=filters,
        base_url=base_url.rstrip("/"),
        generated_at=timezone.now(),
        organisations=orgs,
        initiatives=inits,
        roles=roles,
        ties=ties,
    )
