"""The report's numbers: actors by type and region, initiatives by stage, evidence and field.

Every count is taken from the registry's visible querysets (`registry.services`), so a report
shows a reader exactly the records the lists show them, and grouped in the database, so a
registry of tens of thousands of organisations costs a handful of GROUP BY queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from buicasus.reference.models import Country, NutsRegion
from buicasus.registry.models import Initiative, Organisation, label_in
from buicasus.web.numbers import number

TOP_REGIONS = 15


@dataclass(frozen=True)
class Tally:
    """One row of a tally: a code, its label in the reader's language, the number."""

    code: str
    label: str
    n: int

    @property
    def shown(self) -> str:
        return number(self.n)


def percent(part: int, whole: int) -> str:
    return number(100 * part / whole, 0) + " %" if whole else "–"


def _rows(rows: Any, code_key: str, labels_key: str, position_key: str | None) -> list[Tally]:
    """Turn `values(code, labels[, position]).annotate(n)` rows into sorted `Tally`s; the
    NULL group (no term recorded) comes last as "not recorded"."""
    found: list[tuple[Any, Tally]] = []
    missing = 0
    for row in rows:
        if row[code_key] is None:
            missing += row["n"]
            continue
        order = row[position_key] if position_key else -row["n"]
        label = label_in(row[labels_key] or {}, row[code_key])
        found.append((order, Tally(row[code_key], label, row["n"])))
    result = [c for _o, c in sorted(found, key=lambda pair: (pair[0], pair[1].label))]
    if missing:
        result.append(Tally("", _("not recorded"), missing))
    return result


def actors_by_type(orgs: QuerySet[Organisation]) -> list[Tally]:
    rows = orgs.order_by().values("actor_type__code", "actor_type__labels").annotate(n=Count("pk"))
    return _rows(rows, "actor_type__code", "actor_type__labels", None)


def actors_by_region(orgs: QuerySet[Organisation]) -> list[Tally]:
    """Organisations per NUTS 2 region (codes nest by prefix), busiest first; the others and
    the organisations without a region that fine are summed in two closing rows."""
    rows = (
        orgs.order_by()
        .annotate(prefix=Substr("region__code", 1, 4))
        .values_list("prefix")
        .annotate(n=Count("pk"))
    )
    counts: dict[str, int] = {}
    unplaced = 0
    for prefix, n in rows:
        if prefix and len(prefix) == 4:
            counts[prefix] = n
        else:
            unplaced += n
    names = dict(NutsRegion.objects.filter(code__in=list(counts)).values_list("code", "name"))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    result = [Tally(code, f"{names.get(code, code)} ({code})", n) for code, n in ranked]
    if len(result) > TOP_REGIONS:
        rest = sum(c.n for c in result[TOP_REGIONS:])
        result = [*result[:TOP_REGIONS], Tally("*", _("other regions"), rest)]
    if unplaced:
        result.append(Tally("", _("no NUTS 2 region recorded"), unplaced))
    return result


def by_country(
    orgs: QuerySet[Organisation], inits: QuerySet[Initiative], codes: list[str]
) -> list[dict[str, Any]]:
    """Organisations and initiatives per country of the report, in the given order."""
    org_n = dict(orgs.order_by().values_list("country__code").annotate(n=Count("pk")))
    init_n = dict(inits.order_by().values_list("country__code").annotate(n=Count("pk")))
    names = {c.code: c.name() for c in Country.objects.filter(code__in=codes)}
    return [
        {
            "code": code,
            "name": names.get(code, code),
            "organisations": number(org_n.get(code, 0)),
            "initiatives": number(init_n.get(code, 0)),
        }
        for code in codes
    ]


def initiatives_by_term(inits: QuerySet[Initiative], field: str) -> list[Tally]:
    """Initiatives per stage or evidence level, in the vocabulary's own order."""
    rows = (
        inits.order_by()
        .values(f"{field}__code", f"{field}__labels", f"{field}__position")
        .annotate(n=Count("pk"))
    )
    return _rows(rows, f"{field}__code", f"{field}__labels", f"{field}__position")


def initiatives_by_policy_field(inits: QuerySet[Initiative]) -> list[Tally]:
    """Initiatives per SI-DRIVE policy field (an initiative may count in several)."""
    through = Initiative.policy_fields.through.objects.filter(
        initiative__in=inits.order_by().values("pk")
    )
    rows = (
        through.order_by()
        .values("term__code", "term__labels", "term__position")
        .annotate(n=Count("initiative_id", distinct=True))
    )
    result = _rows(rows, "term__code", "term__labels", "term__position")
    without = inits.filter(policy_fields__isnull=True).order_by().count()
    if without:
        result.append(Tally("", _("no policy field recorded"), without))
    return result
