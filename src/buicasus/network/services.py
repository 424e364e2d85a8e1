"""Network operations used by the page, the API, the CLI and the reports alike.

The network's nodes are the organisations the reader may see (isolated ones included); its
edges are the ties between them and co-participation links between organisations holding roles
in the same initiative (`core.network.co_participation_edges`: weight = shared initiatives;
initiatives with more than `MAX_CLIQUE` organisations are linked as a star around their leads).
A country's network holds that country's organisations, their links, and the foreign
organisations they are linked to (so cross-border ties show); isolated actors and brokers are
counted among the country's own organisations.

Results are cached in `NetworkSnapshot`, one row per (visibility scope, country), and
recomputed only when `data_version()` changes: a counter the registry's change event moves on
for every committed change to organisations, initiatives, roles or ties, whichever path wrote
them (pages, API, admin, import, undo, merge).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import networkx as nx
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from buicasus.accounts import permissions
from buicasus.accounts.models import Role
from buicasus.core import network as core
from buicasus.core import vocabulary_fields as vf
from buicasus.core.network_figure import network_svg, type_colours
from buicasus.network import signals as network_signals
from buicasus.network.models import NetworkSnapshot
from buicasus.reference.models import Country
from buicasus.registry import services as registry
from buicasus.registry.models import (
    Organisation,
    Term,
    label_in,
)

MAX_CLIQUE = 50
LEAD_ROLE = "lead"
Progress = Callable[[str], None]


class NetworkError(ValueError):
    """A request the network cannot answer as asked; the message names the field."""


@dataclass(frozen=True)
class Records:
    nodes: list[core.NodeRecord]
    edges: list[core.EdgeRecord]
    focus: set[int] | None


# --- scope and version ----------------------------------------------------------------------


def clean_country(code: str | None) -> str | None:
    """`code` upper-cased and checked, or None for every country."""
    value = (code or "").strip().upper()
    if not value:
        return None
    if not Country.objects.filter(code=value).exists():
        raise NetworkError(
            _("Unknown country “%(code)s” in the field “country”.") % {"code": value}
        )
    return value


def visibility_scope(user: Any) -> str:
    """A name for what `user` may see: readers with the same name see the same network."""
    if permissions.is_platform_admin(user):
        return "all"
    readers = permissions.countries_with(user, Role.VIEWER)
    if not readers:
        return "public"  # anonymous, or signed in without any role: published records only
    editors = permissions.countries_with(user, Role.EDITOR)
    # Proposals a user created are visible to them alone, hence the user id.
    return f"u{user.pk}:r={','.join(readers)}:e={','.join(editors)}"[:200]


def data_version() -> str:
    """The version of the registry data networks are built from: moved on by the change
    event (`network.signals`) whenever organisations, initiatives, roles or ties change."""
    return f"v{network_signals.current()}"


# --- reading the registry -------------------------------------------------------------------


def load_records(user: Any, country: str | None) -> Records:
    """Nodes and edges of the network `user` may see, for one country or all."""
    orgs = registry.visible_organisations(user).order_by()
    rows = orgs.values_list("id", "name", "actor_type__code", "country__code")
    everyone = {pk: core.NodeRecord(pk, name, kind, code) for pk, name, kind, code in rows}
    ties = registry.visible_ties(user).order_by()
    roles = registry.visible_roles(user).order_by()
    focus: set[int] | None = None
    if country is not None:
        focus = {pk for pk, node in everyone.items() if node.country == country}
        ties = ties.filter(Q(source__country__code=country) | Q(target__country__code=country))
        touched = roles.filter(organisation__country__code=country).values("initiative_id")
        roles = roles.filter(initiative_id__in=touched)
    edges = [
        core.EdgeRecord(s, t, kind)
        for s, t, kind in ties.values_list("source_id", "target_id", "tie_type__code")
    ]
    memberships = roles.values_list("initiative_id", "organisation_id", "role__code")
    edges += core.co_participation_edges(
        ((i, o, code == LEAD_ROLE) for i, o, code in memberships), max_clique=MAX_CLIQUE
    )
    if focus is None:
        return Records(list(everyone.values()), edges, None)
    edges = [e for e in edges if e.source in focus or e.target in focus]
    kept = set(focus)
    kept.update(x for e in edges for x in (e.source, e.target))
    return Records([everyone[pk] for pk in sorted(kept) if pk in everyone], edges, focus)


def build(user: Any, country: str | None) -> tuple[nx.Graph, set[int] | None]:
    records = load_records(user, country)
    return core.build_graph(records.nodes, records.edges), records.focus


# --- computing and caching ------------------------------------------------------------------


def _metrics_columns(graph: nx.Graph, analysis: core.Analysis) -> dict[str, list[Any]]:
    ids = sorted(analysis.metrics)
    m = analysis.metrics
    return {
        "ids": ids,
        "degree": [m[i].degree for i in ids],
        "betweenness": [round(m[i].betweenness, 9) for i in ids],
        "brokerage": [round(m[i].brokerage, 9) for i in ids],
        "community": [m[i].community for i in ids],
        "actor_type": [graph.nodes[i]["actor_type"] for i in ids],
        "country": [graph.nodes[i]["country"] for i in ids],
        "isolated": list(analysis.isolated),
    }


def compute(user: Any, country: str | None, *, progress: Progress | None = None) -> NetworkSnapshot:
    """Read, analyse and store the network of `country` (None: all) as `user` sees it."""
    say = progress or (lambda _step: None)
    version = data_version()
    started = time.perf_counter()
    say("reading")
    graph, focus = build(user, country)
    read_seconds = time.perf_counter() - started
    say("analysing")
    analysis = core.analyse(graph, country=country, focus=focus)
    seconds = round(time.perf_counter() - started, 3)
    summary = analysis.summary
    timings = {"read": round(read_seconds, 3), **summary.timings}
    values = {
        "data_version": version,
        "computed_at": timezone.now(),
        "seconds": seconds,
        "metrics": _metrics_columns(graph, analysis),
    }
    values["summary"] = core.NetworkSummary(
        **{
            **summary.__dict__,
            "computed_at": values["computed_at"],
            "seconds": seconds,
            "data_version": version,
            "timings": timings,
        }
    ).to_dict()
    say("storing")
    scope = visibility_scope(user)
    try:
        with transaction.atomic():
            snapshot, _created = NetworkSnapshot.objects.update_or_create(
                scope=scope, country=country or "", defaults=values
            )
    except IntegrityError:  # another process stored the same scope meanwhile
        NetworkSnapshot.objects.filter(scope=scope, country=country or "").update(**values)
        snapshot = NetworkSnapshot.objects.get(scope=scope, country=country or "")
    return snapshot


def stored_snapshot(
    user: Any, country: str | None, *, metrics: bool = True
) -> NetworkSnapshot | None:
    """The snapshot last stored for what `user` sees of `country`, current or not (None when
    it was never computed). Pages read this: they never compute (see `tasks.py`)."""
    rows = NetworkSnapshot.objects.filter(scope=visibility_scope(user), country=country or "")
    return (rows if metrics else rows.defer("metrics")).first()


def is_current(snapshot: NetworkSnapshot | None) -> bool:
    """Whether `snapshot` was computed from the registry as it stands."""
    return snapshot is not None and snapshot.data_version == data_version()


Asker = Callable[[Any, str | None], Any]  # asks a worker to recompute; returns its job
_STORED_ONLY: ContextVar[Asker | None] = ContextVar("network_stored_only", default=None)


class NetworkPending(NetworkError):
    """The network was never computed for this reader; `job` is computing it."""

    def __init__(self, job: Any) -> None:
        super().__init__(_("The network is being computed; try again in a moment."))
        self.job = job


@contextmanager
def stored_only(ask: Asker) -> Iterator[None]:
    """Within this block `snapshot_for` never computes: when the stored snapshot is out of
    date it calls `ask(user, country)` (which queues a recompute) and gives the stored one
    still, or raises `NetworkPending` when there is none. Requests read networks this way
    (`tasks.reading_stored`), however deep the call (a report's figures, an indicator)."""
    token = _STORED_ONLY.set(ask)
    try:
        yield
    finally:
        _STORED_ONLY.reset(token)


def snapshot_for(
    user: Any,
    country: str | None,
    *,
    progress: Progress | None = None,
    metrics: bool = True,
) -> NetworkSnapshot:
    """The cached snapshot when the registry has not changed since, else a fresh one (inside
    `stored_only()`, the stored one whatever its age). `metrics=False` leaves the per-node
    columns (megabytes on large registries) unread."""
    found = stored_snapshot(user, country, metrics=metrics)
    if found is not None and is_current(found):
        return found
    ask = _STORED_ONLY.get()
    if ask is None:
        return compute(user, country, progress=progress)
    job = ask(user, country)
    if found is None:  # a backend that runs tasks at once (tests) has stored it by now
        found = stored_snapshot(user, country, metrics=metrics)
    if found is None:
        raise NetworkPending(job)
    return found


def network_summary(country_code: str | None, *, user: Any = None) -> core.NetworkSummary:
    """The figures of a country's network (None: every country); without `user`, what
    anonymous visitors see (published, approved records). Cached until the data change."""
    snapshot = snapshot_for(user, clean_country(country_code), metrics=False)
    return core.NetworkSummary.from_dict(snapshot.summary)


# --- parts of the network -------------------------------------------------------------------


def ranked_ids(
    snapshot: NetworkSnapshot, *, actor_types: Collection[str] = (), limit: int | None = None
) -> tuple[list[int], int]:
    """Node ids by degree (highest first, then id), narrowed to `actor_types`, at most
    `limit` of them; and how many matched before the limit."""
    m = snapshot.metrics
    rows = [
        (degree, pk)
        for pk, degree, kind in zip(m["ids"], m["degree"], m["actor_type"], strict=True)
        if not actor_types or kind in actor_types
    ]
    rows.sort(key=lambda r: (-r[0], r[1]))
    chosen = rows if limit is None else rows[:limit]
    return [pk for _deg, pk in chosen], len(rows)


def subgraph(user: Any, ids: Iterable[int]) -> nx.Graph:
    """The organisations `ids` (those `user` may see) and the links among them."""
    wanted = set(ids)
    orgs = registry.visible_organisations(user).order_by().filter(pk__in=wanted)
    nodes = [
        core.NodeRecord(pk, name, kind, code)
        for pk, name, kind, code in orgs.values_list(
            "id", "name", "actor_type__code", "country__code"
        )
    ]
    ties = registry.visible_ties(user).order_by().filter(source_id__in=wanted, target_id__in=wanted)
    edges = [
        core.EdgeRecord(s, t, kind)
        for s, t, kind in ties.values_list("source_id", "target_id", "tie_type__code")
    ]
    roles = registry.visible_roles(user).order_by()
    shared = roles.filter(organisation_id__in=wanted).values("initiative_id")
    memberships = roles.filter(initiative_id__in=shared).values_list(
        "initiative_id", "organisation_id", "role__code"
    )
    edges += core.co_participation_edges(
        ((i, o, code == LEAD_ROLE) for i, o, code in memberships), max_clique=MAX_CLIQUE
    )
    return core.build_graph(nodes, edges)


def type_labels(language: str | None = None) -> dict[str, str]:
    """Actor type code → label in the current language."""
    terms = Term.objects.filter(
        vocabulary__key=vf.vocabulary_of(vf.ORGANISATION, "actor_type")
    ).values_list("code", "labels")
    return {code: label_in(labels, code, language) for code, labels in terms}


def network_figure_svg(country_code: str | None, *, max_nodes: int = 150, user: Any = None) -> str:
    """A static SVG (inline styles, for WeasyPrint) of the `max_nodes` best-connected
    organisations of the network and the links among them, coloured by actor type."""
    country = clean_country(country_code)
    snapshot = snapshot_for(user, country)
    ids, total = ranked_ids(snapshot, limit=max_nodes)
    graph = subgraph(user, ids)
    where = country or _("all countries")
    title = _("Ecosystem network: %(where)s") % {"where": where}
    caption = _("The %(shown)d best-connected of %(total)d organisations; circle size: links.") % {
        "shown": len(ids),
        "total": total,
    }
    labels = type_labels()
    return network_svg(
        graph,
        max_nodes=max_nodes,
        title=title,
        type_labels=labels,
        colours=type_colours(labels),
        caption=caption,
        empty_text=_("No organisations to draw."),
    )


def isolated_organisations(user: Any, country: str | None) -> Any:
    """The isolated organisations of the network, as a queryset for a list."""
    snapshot = snapshot_for(user, country)
    ids = snapshot.metrics.get("isolated", [])
    return registry.visible_organisations(user).filter(pk__in=ids).order_by("name", "pk")


def organisation_names(user: Any, ids: Iterable[int]) -> dict[int, str]:
    orgs = registry.visible_organisations(user).order_by().filter(pk__in=set(ids))
    return dict(orgs.values_list("id", "name"))


# --- the interactive view -------------------------------------------------------------------

VIEW_LIMIT = 2000


def clean_actor_types(codes: Iterable[str]) -> list[str]:
    """Actor type codes, checked against the vocabulary."""
    wanted = sorted({c.strip() for c in codes if c and c.strip()})
    known = set(
        Term.objects.filter(
            vocabulary__key=vf.vocabulary_of(vf.ORGANISATION, "actor_type"), code__in=wanted
        ).values_list("code", flat=True)
    )
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise NetworkError(
            _("Unknown value “%(value)s” in the field “actor_type”.") % {"value": unknown[0]}
        )
    return wanted


def graph_view(
    user: Any,
    country: str | None,
    *,
    actor_types: Collection[str] = (),
    max_nodes: int = VIEW_LIMIT,
) -> dict[str, Any]:
    """Nodes and edges for the browser (Cytoscape elements), with each node's metrics.

    Above `max_nodes` organisations the view holds the `max_nodes` best-connected ones and the
    links among them, and says so (`sampled`, `total_nodes`), so the page stays interactive.
    """
    snapshot = snapshot_for(user, country)
    ids, matched = ranked_ids(snapshot, actor_types=actor_types, limit=max_nodes)
    graph = subgraph(user, ids)
    m = snapshot.metrics
    index = {pk: i for i, pk in enumerate(m["ids"])}
    labels = type_labels()
    nodes = []
    for pk in sorted(graph.nodes, key=lambda p: (-m["degree"][index[p]], p)):
        i, data = index[pk], graph.nodes[pk]
        nodes.append(
            {
                "data": {
                    "id": str(pk),
                    "label": data["label"],
                    "actor_type": data["actor_type"],
                    "type_label": labels.get(data["actor_type"], data["actor_type"]),
                    "country": data["country"],
                    "external": bool(country and data["country"] != country),
                    "degree": m["degree"][i],
                    "betweenness": m["betweenness"][i],
                    "brokerage": m["brokerage"][i],
                    "community": m["community"][i],
                    "url": Organisation(pk=pk).get_absolute_url(),
                }
            }
        )
    edges = []
    for u, v, data in sorted(
        graph.edges(data=True), key=lambda e: (min(e[0], e[1]), max(e[0], e[1]))
    ):
        a, b = sorted((int(u), int(v)))
        if country and country not in (graph.nodes[a]["country"], graph.nodes[b]["country"]):
            continue  # two foreign partners: outside the country's network
        edges.append(
            {
                "data": {
                    "id": f"e{a}-{b}",
                    "source": str(a),
                    "target": str(b),
                    "weight": data["weight"],
                    "kinds": sorted(data["kinds"]),
                }
            }
        )
    return {
        "country": country,
        "actor_types": list(actor_types),
        "total_nodes": matched,
        "shown_nodes": len(nodes),
        "sampled": matched > len(ids),
        "computed_at": snapshot.computed_at.isoformat(),
        "nodes": nodes,
        "edges": edges,
    }
