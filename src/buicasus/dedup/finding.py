"""`find-duplicates`: candidate pairs over the whole registry, automatic merges, the queue.

One run reads the organisations country by country (names, place, legal form) and every
national identifier once, asks `core.dedup` for the pairs (identifier pairs across countries,
name-and-place pairs within a country, by blocking: never all pairs), then

- merges the certain pairs when automatic merging is on (each merge its own transaction; a
  chain A=B, B=C becomes one organisation), unless an editor kept the pair apart or undid its
  merge before — such pairs wait for review instead;
- writes the uncertain ones (and the certain ones when automatic merging is off) to the review
  queue, updating the score of pairs already pending and skipping decided ones. A decision is
  remembered across merges: a pair kept apart from an organisation that was later merged away
  stays apart from the organisation it became;
- removes pending pairs of the examined scope that are no longer candidates.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from buicasus.core import dedup as core
from buicasus.core import dedup_blocking as blocking
from buicasus.dedup import merging
from buicasus.dedup.models import CandidatePair, MergeRecord, PairStatus
from buicasus.dedup.rows import row
from buicasus.reference.models import Country
from buicasus.registry.models import Organisation, OrganisationIdentifier

Progress = Callable[[str, int, int], None]  # (stage label, advance, total)
BATCH = 2000


def configured_thresholds() -> core.Thresholds:
    """The `BUICASUS_DEDUP_REVIEW_THRESHOLD` / `…_CERTAIN_THRESHOLD` settings."""
    return core.Thresholds(
        review=float(settings.DEDUP_REVIEW_THRESHOLD),
        certain=float(settings.DEDUP_CERTAIN_THRESHOLD),
    )


def auto_merge_default() -> bool:
    return bool(settings.DEDUP_AUTO_MERGE)


@dataclass
class RunReport:
    """The counts `find-duplicates` prints."""

    organisations: int = 0
    examined: int = 0
    certain: int = 0
    queued: int = 0
    merged: int = 0
    already_decided: int = 0
    withdrawn: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def pairs_per_second(self) -> float:
        return self.examined / self.seconds if self.seconds else 0.0


class _Aliases:
    """Union-find over organisation ids: where a merged organisation went."""

    def __init__(self, merged_into: dict[int, int]) -> None:
        self.parent = dict(merged_into)

    def find(self, pk: int) -> int:
        root = pk
        while root in self.parent:
            root = self.parent[root]
        while pk != root:
            self.parent[pk], pk = root, self.parent[pk]
        return root


def _pair(x: int, y: int) -> tuple[int, int]:
    return (x, y) if x < y else (y, x)


@dataclass
class _Memory:
    """What editors decided before, and the queue as it stands."""

    aliases: _Aliases
    apart: set[tuple[int, int]]
    merged: set[tuple[int, int]]
    undone: set[tuple[int, int]]
    pending: dict[tuple[int, int], int]

    def decided(self, a: int, b: int) -> bool:
        pair = _pair(self.aliases.find(a), self.aliases.find(b))
        return pair in self.apart or pair[0] == pair[1] or (a, b) in self.merged


def _memory() -> _Memory:
    live = MergeRecord.objects.filter(undone_at__isnull=True)
    aliases = _Aliases(dict(live.values_list("merged_id", "kept_id")))
    apart, merged, pending = set(), set(), {}
    for pk, a, b, status in CandidatePair.objects.values_list("pk", "a_id", "b_id", "status"):
        if status == PairStatus.KEPT_APART:
            apart.add(_pair(aliases.find(a), aliases.find(b)))
        elif status == PairStatus.MERGED:
            merged.add((a, b))
        else:
            pending[(a, b)] = pk
    undone = MergeRecord.objects.filter(undone_at__isnull=False, pair__isnull=False)
    undone_pairs = set(undone.values_list("pair__a_id", "pair__b_id"))
    return _Memory(aliases, apart, merged, undone_pairs, pending)


def _identifier_keys() -> Iterator[tuple[int, list[str]]]:
    """Every organisation's canonical identifier keys, in all countries (a VAT number crosses
    borders); pairs outside the examined country are left out afterwards."""
    keys: dict[int, list[str]] = defaultdict(list)
    rows = OrganisationIdentifier.objects.values_list("organisation_id", "scheme__code", "value")
    for org_id, scheme, value in rows.iterator(chunk_size=10_000):
        keys[org_id].extend(core.identifier_keys(scheme, value))
    yield from keys.items()


def _records(code: str, keys: dict[int, list[str]]) -> list[core.Prepared]:
    rows = Organisation.objects.filter(country__code=code).values_list(
        "id", "name", "other_names", "city", "region__code", "legal_form"
    )
    records = []
    for pk, name, other, city, region, legal_form in rows.iterator(chunk_size=10_000):
        rec = core.prepare(
            core.OrgRecord(
                id=pk,
                name=name,
                country=code,
                other_names=tuple(n for n in other or () if isinstance(n, str)),
                city=city,
                region=region or "",
                legal_form=legal_form,
            )
        )
        if pk in keys:
            rec.keys = core.group_keys(keys[pk])
        records.append(rec)
    return records


def _richness(pk: int) -> int:
    """How much a record holds: filled fields, identifiers, roles and ties."""
    org = Organisation.objects.filter(pk=pk).first()
    if org is None:
        return -1
    filled = sum(1 for v in row(org).values() if v not in (None, "", [], {}))
    links = org.identifiers.count() + org.initiative_roles.count()
    return filled + links + org.ties_out.count() + org.ties_in.count()


def default_kept(a: int, b: int) -> int:
    """The organisation a merge keeps unless the editor chooses: see `core.choose_kept`."""
    return core.choose_kept((a, _richness(a)), (b, _richness(b)))


def find_duplicates(
    *,
    country: str | None = None,
    auto_merge: bool | None = None,
    thresholds: core.Thresholds | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Find candidate pairs, merge the certain ones (if asked), queue the rest (see module)."""
    started = time.perf_counter()
    thresholds = thresholds or configured_thresholds()
    auto_merge = auto_merge_default() if auto_merge is None else auto_merge
    report = RunReport()
    stats = blocking.Stats()
    memory = _memory()
    codes = [country] if country else list(Country.objects.values_list("code", flat=True))
    in_scope = set(
        Organisation.objects.filter(country__code__in=codes).values_list("id", flat=True)
    )
    report.organisations = len(in_scope)
    keys = dict(_identifier_keys())
    found: dict[tuple[int, int], core.Candidate] = {}
    for cand in blocking.identifier_candidates(keys.items(), stats):
        if cand.a in in_scope or cand.b in in_scope:
            found[(cand.a, cand.b)] = cand
    for code in codes:
        records = _records(code, keys)

        def step(advance: int, total: int, code: str = code) -> None:
            if progress:
                progress(code, advance, total)

        skip = set(found)
        for cand in blocking.name_candidates(
            records, thresholds, skip=skip, stats=stats, progress=step
        ):
            found[(cand.a, cand.b)] = cand
        del records
    report.examined = stats.examined + stats.identifier_pairs
    certain = sorted((c for c in found.values() if c.decision == core.CERTAIN), key=_order)
    report.certain = len(certain)
    queue: list[core.Candidate] = [c for c in found.values() if c.decision != core.CERTAIN]
    if auto_merge:
        queue += _auto_merge(certain, memory, report, progress)
    else:
        queue += certain
    _write_queue(queue, memory, report, in_scope if country else None)
    report.seconds = time.perf_counter() - started
    return report


def _order(cand: core.Candidate) -> tuple[int, float, int, int]:
    """Identifier pairs first, then the best scores."""
    return (0 if cand.rule == core.IDENTIFIER else 1, -cand.score, cand.a, cand.b)


def _auto_merge(
    certain: list[core.Candidate], memory: _Memory, report: RunReport, progress: Progress | None
) -> list[core.Candidate]:
    """Merge certain pairs; those that may not be merged automatically go back to the queue."""
    left = []
    for cand in certain:
        if progress:
            progress("merge", 1, len(certain))
        if memory.decided(cand.a, cand.b):
            report.already_decided += 1
            continue
        if (cand.a, cand.b) in memory.undone:
            left.append(cand)  # an editor undid this merge once: ask again
            continue
        a, b = memory.aliases.find(cand.a), memory.aliases.find(cand.b)
        kept = default_kept(a, b)
        other = b if kept == a else a
        pair = _save_pair(cand, memory)
        try:
            merging.merge(None, kept, other, pair=pair, automatic=True)
        except merging.DedupError as exc:
            report.problems.append(f"#{a} + #{b}: {exc}")
            left.append(cand)
            continue
        memory.aliases.parent[other] = kept
        memory.pending.pop((cand.a, cand.b), None)
        report.merged += 1
    return left


def _save_pair(cand: core.Candidate, memory: _Memory) -> CandidatePair:
    pk = memory.pending.get((cand.a, cand.b))
    values = {"score": cand.score, "rule": cand.rule, "reasons": _reasons(cand)}
    if pk is not None:
        CandidatePair.objects.filter(pk=pk).update(**values)
        return CandidatePair.objects.get(pk=pk)
    return CandidatePair.objects.create(a_id=cand.a, b_id=cand.b, **values)


def _reasons(cand: core.Candidate) -> dict[str, Any]:
    return {**cand.reasons, "decision": cand.decision}


def _write_queue(
    queue: list[core.Candidate],
    memory: _Memory,
    report: RunReport,
    scope: set[int] | None,
) -> None:
    """Pending pairs: new ones created, known ones re-scored, vanished ones withdrawn."""
    best: dict[tuple[int, int], core.Candidate] = {}
    for cand in queue:
        a, b = memory.aliases.find(cand.a), memory.aliases.find(cand.b)
        if a == b or memory.decided(cand.a, cand.b):
            report.already_decided += 1
            continue
        key = _pair(a, b)
        if key != (cand.a, cand.b):
            cand = core.Candidate(
                key[0],
                key[1],
                cand.score,
                cand.rule,
                cand.decision,
                {**cand.reasons, "via": [cand.a, cand.b]},
            )
        if key not in best or best[key].score < cand.score:
            best[key] = cand
    new, changed = [], []
    for key, cand in best.items():
        pk = memory.pending.get(key)
        if pk is None:
            new.append(
                CandidatePair(
                    a_id=key[0],
                    b_id=key[1],
                    score=cand.score,
                    rule=cand.rule,
                    reasons=_reasons(cand),
                )
            )
        else:
            changed.append(
                CandidatePair(pk=pk, score=cand.score, rule=cand.rule, reasons=_reasons(cand))
            )
    stale = [
        pk
        for key, pk in memory.pending.items()
        if key not in best and (scope is None or key[0] in scope or key[1] in scope)
    ]
    with transaction.atomic():
        CandidatePair.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
        CandidatePair.objects.bulk_update(changed, ["score", "rule", "reasons"], batch_size=BATCH)
        for start in range(0, len(stale), 500):
            chunk = stale[start : start + 500]
            pending = CandidatePair.objects.filter(pk__in=chunk, status=PairStatus.PENDING)
            report.withdrawn += pending.delete()[0]
    report.queued = len(best)
