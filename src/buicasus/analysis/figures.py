"""Registry indicators: counts from the database, formulas from `core.indicators`.

Only **published** records that the reader may see count (the registry's visibility helpers,
then `published=True`), so every reader — anonymous visitors, staff, the PDF report — gets the
same figures and countries are compared on the same footing. All countries' counts are taken in
a handful of grouped queries (one per kind of count), not one round per country, because the
SWOT compares a country with the median of all the others.

A tie counts for the country of each of its two organisations (a cross-border tie counts for
both); it is cross-sector when the two organisations have different actor types.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from buicasus.core import indicators as core
from buicasus.core import vocabulary_fields as vf
from buicasus.core.indicators import Indicator, RegistryFacts
from buicasus.network import services as network
from buicasus.reference.models import Country
from buicasus.registry import services as registry
from buicasus.registry.models import Funding, Initiative, Term

LABELS: dict[str, Any] = {
    "actors-per-million": _("Actors per million inhabitants"),
    "initiatives-per-million": _("Initiatives per million inhabitants"),
    "initiatives-by-stage": _("Initiatives by stage"),
    "established-evidence": _("Initiatives with good or best practice evidence"),
    "replicated-share": _("Initiatives replicated or scaled"),
    "funding-diversity": _("Funding-source diversity"),
    "cross-sector-ties": _("Cross-sector ties"),
    "network-density": _("Network density"),
}
HELP: dict[str, Any] = {
    "actors-per-million": _(
        "Published organisations per million inhabitants; unknown when the country's population "
        "is not recorded."
    ),
    "initiatives-per-million": _("Published initiatives per million inhabitants."),
    "initiatives-by-stage": _("Published initiatives, by SI-DRIVE stage and by evidence level."),
    "established-evidence": _(
        "Share of initiatives with a recorded evidence level that are good or best practice."
    ),
    "replicated-share": _(
        "Share of initiatives replicated from another one, with a scaling strategy or "
        "direction, or replicated by others."
    ),
    "funding-diversity": _(
        "Shannon index of funding records per funding source, divided by its maximum (every "
        "source of the vocabulary funding equally often): 0 = one source only, 1 = all equal."
    ),
    "cross-sector-ties": _(
        "Share of ties between organisations that link two different actor types."
    ),
    "network-density": _(
        "Share of all possible links between the organisations that exist (ties and shared "
        "initiatives), from the network analysis; published records only."
    ),
}


def _published(user: Any) -> tuple[QuerySet[Any], QuerySet[Initiative]]:
    orgs = registry.visible_organisations(user).filter(published=True).order_by()
    inits = registry.visible_initiatives(user).filter(published=True).order_by()
    return orgs, inits


def _grouped(rows: Iterable[tuple[Any, ...]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for code, key, n in rows:
        out[code][key or ""] = out[code].get(key or "", 0) + n
    return out


def _replicated(user: Any, inits: QuerySet[Initiative]) -> dict[str, int]:
    """Initiatives replicated from another, with a scaling strategy or direction, or with a
    published replication of their own, per country."""
    directions = Initiative.scaling_directions.through.objects.filter(initiative=OuterRef("pk"))
    # Unfiltered by country (a replication may be abroad) and kept simple for the planner.
    replicas = _published(user)[1].filter(replicated_from=OuterRef("pk")).values("pk")
    flagged = inits.filter(
        Q(replicated_from__isnull=False)
        | Q(scaling_strategy__isnull=False)
        | Exists(directions)
        | Exists(replicas)
    )
    return dict(flagged.values_list("country__code").annotate(n=Count("pk")))


Counts = dict[str, dict[str, int]]
Amounts = dict[str, dict[str, float]]


def _fundings(inits: QuerySet[Initiative]) -> tuple[Counts, Amounts]:
    """Funding records per country and source, and their EUR amounts."""
    rows = (
        Funding.objects.filter(initiative__in=inits.values("pk"))
        .order_by()
        .values_list("initiative__country__code", "source__code")
        .annotate(
            n=Count("pk"),
            eur=Sum("amount", filter=Q(currency="EUR", amount__isnull=False)),
        )
    )
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    amounts: dict[str, dict[str, float]] = defaultdict(dict)
    for code, source, n, eur in rows:
        counts[code][source] = n
        if eur is not None and Decimal(eur) > 0:
            amounts[code][source] = float(eur)
    return counts, amounts


def _ties(user: Any, only: list[str] | None = None) -> dict[str, tuple[int, int]]:
    """(ties, cross-sector ties) per country touching at least one of its organisations
    (of the countries `only`, when given)."""
    ties = registry.visible_ties(user).filter(source__published=True, target__published=True)
    if only is not None:
        ties = ties.filter(Q(source__country__code__in=only) | Q(target__country__code__in=only))
    cross = Count("pk", filter=~Q(source__actor_type=F("target__actor_type")))
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_source = (
        ties.order_by().values_list("source__country__code").annotate(n=Count("pk"), c=cross)
    )
    for code, n, c in by_source:
        totals[code][0] += n
        totals[code][1] += c
    by_target = (
        ties.exclude(source__country=F("target__country"))
        .order_by()
        .values_list("target__country__code")
        .annotate(n=Count("pk"), c=cross)
    )
    for code, n, c in by_target:
        totals[code][0] += n
        totals[code][1] += c
    return {code: (n, c) for code, (n, c) in totals.items()}


def registry_facts(
    user: Any = None, codes: Iterable[str] | None = None, *, include: Iterable[str] = ()
) -> dict[str, RegistryFacts]:
    """Counts for every country holding a published record (or for `codes`), and for the
    countries in `include` even when they hold none."""
    orgs, inits = _published(user)
    only = None if codes is None else sorted(set(codes) | set(include))
    if only is not None:  # one country's page: count its records only
        orgs, inits = orgs.filter(country__code__in=only), inits.filter(country__code__in=only)
    actors = _grouped(orgs.values_list("country__code", "actor_type__code").annotate(n=Count("pk")))
    stages = _grouped(inits.values_list("country__code", "stage__code").annotate(n=Count("pk")))
    evidence = _grouped(
        inits.values_list("country__code", "evidence_level__code").annotate(n=Count("pk"))
    )
    replicated = _replicated(user, inits)
    funding_counts, funding_amounts = _fundings(inits)
    ties = _ties(user, only)
    vocabulary = Term.objects.filter(vocabulary__key=vf.vocabulary_of(vf.FUNDING, "source")).count()
    wanted = set(codes) if codes is not None else set(actors) | set(stages)
    wanted |= set(include)
    countries = Country.objects.filter(code__in=wanted)
    return {
        c.code: RegistryFacts(
            country=c.code,
            population=c.population,
            actors_by_type=actors.get(c.code, {}),
            initiatives=sum(stages.get(c.code, {}).values()),
            initiatives_by_stage=stages.get(c.code, {}),
            initiatives_by_evidence=evidence.get(c.code, {}),
            replicated_or_scaled=replicated.get(c.code, 0),
            funding_counts=funding_counts.get(c.code, {}),
            funding_amounts=funding_amounts.get(c.code, {}),
            funding_vocabulary_size=vocabulary,
            ties=ties.get(c.code, (0, 0))[0],
            cross_sector_ties=ties.get(c.code, (0, 0))[1],
        )
        for c in countries
    }


def _list_url(name: str, **query: str) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


EVIDENCE: dict[str, Callable[[str], str]] = {
    "actors-per-million": lambda c: _list_url("registry:organisation-list", country=c),
    "initiatives-per-million": lambda c: _list_url("registry:initiative-list", country=c),
    "initiatives-by-stage": lambda c: _list_url("registry:initiative-list", country=c),
    "established-evidence": lambda c: _list_url("registry:initiative-list", country=c),
    "replicated-share": lambda c: _list_url("registry:initiative-list", country=c),
    "funding-diversity": lambda c: _list_url("registry:initiative-list", country=c),
    "cross-sector-ties": lambda c: _list_url("registry:organisation-list", country=c),
}


def network_indicator(country_code: str, *, user: Any = None) -> Indicator:
    """Network density from the network app's summary, over the records `user` may see
    (anonymous visitors' view without a user); cached there until the registry changes.

    Pages read it through `network.tasks.reading_stored()`: a network never computed yet is
    then left to a worker and the density shows as unknown, marked `pending`.
    """
    try:
        summary = network.network_summary(country_code, user=user)
    except network.NetworkPending:
        return Indicator(
            "network-density",
            str(LABELS["network-density"]),
            None,
            "ratio",
            {"pending": True},
            _network_url(country_code),
        )
    return Indicator(
        "network-density",
        str(LABELS["network-density"]),
        float(summary.density) if summary.nodes > 1 else None,
        "ratio",
        {
            "nodes": summary.nodes,
            "edges": summary.edges,
            "components": summary.components,
            "isolated": summary.isolated,
        },
        _network_url(country_code),
    )


def _network_url(country_code: str) -> str:
    try:
        return f"{reverse('network:index')}?{urlencode({'country': country_code})}"
    except NoReverseMatch:  # the network page is not mounted
        return _list_url("registry:organisation-list", country=country_code)


def to_indicators(facts: RegistryFacts) -> list[Indicator]:
    """The core's figures with translated labels and links to the registry lists."""
    return [
        Indicator(
            v.code,
            str(LABELS[v.code]),
            v.value,
            v.unit,
            v.detail,
            EVIDENCE[v.code](facts.country),
        )
        for v in core.compute(facts)
    ]


def registry_indicators(country_code: str, *, user: Any = None) -> list[Indicator]:
    """Every registry indicator of one country (pages, API and reports), network density
    included. Raises `Country.DoesNotExist` for an unknown code."""
    code = country_code.upper()
    Country.objects.get(code=code)
    found = to_indicators(registry_facts(user, [code])[code])
    found.append(network_indicator(code))
    return found
