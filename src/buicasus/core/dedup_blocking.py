"""Candidate pairs at scale: which organisations get compared at all (`core.dedup` scores them).

Never all pairs: identifier pairs come from grouping canonical identifier keys; name-and-place
pairs only from records that share a *block* — their country and the 4-letter prefix of one of
their two rarest name words (rarest within the country, so "ayuntamiento" or "servicios" rarely
makes a block). A block larger than `max_block` (names made of common words only) is compared in
a sliding window over its sorted names instead (the sorted-neighbourhood method), so the work
stays near-linear in the number of records. Within a block, rapidfuzz's `process.extract`
prefilters each record against the others in C; only the pairs it lets through are scored.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from buicasus.core.dedup import (
    CERTAIN,
    DROP,
    IDENTIFIER,
    SUBSET_WEIGHT,
    Candidate,
    NormalName,
    Prepared,
    Thresholds,
    score_pair,
    token_weights,
)


@dataclass
class Stats:
    """What a run looked at: the figures the CLI and the benchmark print."""

    records: int = 0
    blocks: int = 0
    windowed_blocks: int = 0
    examined: int = 0
    identifier_pairs: int = 0
    candidates: Counter[str] = field(default_factory=Counter)


def identifier_candidates(
    keys: Iterable[tuple[int, Iterable[str]]], stats: Stats
) -> Iterator[Candidate]:
    """Pairs of ids sharing a canonical identifier key (any country): one per pair, certain.

    `keys` gives each organisation's id with its `identifier_keys`.
    """
    by_key: dict[str, set[int]] = defaultdict(set)
    for pk, own in keys:
        for key in own:
            by_key[key].add(pk)
    seen: set[tuple[int, int]] = set()
    for key in sorted(k for k, ids in by_key.items() if len(ids) > 1):
        group = sorted(by_key[key])
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if (first, second) in seen:
                    continue
                seen.add((first, second))
                stats.identifier_pairs += 1
                scheme = key.split(":", 1)[0]
                why: dict[str, Any] = {"rule": IDENTIFIER, "agreed": [scheme], "identifier": key}
                yield Candidate(first, second, 100.0, IDENTIFIER, CERTAIN, why)


KEYS_PER_NAME = 2
PREFIX = 4


def blocking_keys(name: NormalName, country: str, frequency: Counter[str]) -> list[str]:
    """Block keys of a name: its country with the prefixes of its rarest words there."""
    keys = {f"{country}|{t[:PREFIX]}" for t in name.tokens}
    return sorted(keys, key=lambda k: (frequency[k], k))[:KEYS_PER_NAME]


def build_blocks(records: list[Prepared]) -> dict[str, list[tuple[int, int]]]:
    """Block key → (record index, name index) entries; a record sits in a block once."""
    frequency: Counter[str] = Counter()
    for rec in records:
        for name in rec.names:
            frequency.update({f"{rec.country}|{t[:PREFIX]}" for t in name.tokens})
    blocks: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for index, rec in enumerate(records):
        seen: set[str] = set()
        for n, name in enumerate(rec.names):
            for key in blocking_keys(name, rec.country, frequency):
                if key not in seen:
                    seen.add(key)
                    blocks[key].append((index, n))
    return blocks


def _compare(
    records: list[Prepared],
    entries: list[tuple[int, int]],
    cutoff: float,
    stats: Stats,
    window: int | None,
) -> Iterator[tuple[int, int]]:
    """Index pairs within one block whose names may reach `cutoff` (a cheap prefilter)."""
    keys = [records[i].names[n].key for i, n in entries]
    subset_cutoff = cutoff / SUBSET_WEIGHT
    for pos, key in enumerate(keys):
        end = len(keys) if window is None else min(len(keys), pos + 1 + window)
        others = keys[pos + 1 : end]
        if not others:
            continue
        stats.examined += len(others)
        hits = {
            j
            for _, _, j in process.extract(
                key, others, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff, limit=None
            )
        }
        if subset_cutoff <= 100:
            hits.update(
                j
                for _, _, j in process.extract(
                    key, others, scorer=fuzz.token_set_ratio, score_cutoff=subset_cutoff, limit=None
                )
            )
        for j in hits:
            a, b = entries[pos][0], entries[pos + 1 + j][0]
            if a != b:
                yield (a, b) if a < b else (b, a)


def name_candidates(
    records: list[Prepared],
    thresholds: Thresholds,
    *,
    skip: set[tuple[int, int]] | None = None,
    max_block: int = 300,
    window: int = 50,
    stats: Stats | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Candidate]:
    """Pairs of `records` whose name and place score reaches `thresholds.review`, each once.

    Pairs in `skip` (e.g. already found by identifier) are not scored again. `progress` is
    called with (entries just done, total entries) as blocks are worked through.
    """
    stats = stats if stats is not None else Stats()
    stats.records += len(records)
    done = set(skip or ())
    weight = token_weights(records)
    blocks = build_blocks(records)
    total = sum(len(entries) for entries in blocks.values())
    for key in sorted(blocks):
        entries = blocks[key]
        if len(entries) > 1:
            stats.blocks += 1
            limit = None
            if len(entries) > max_block:
                stats.windowed_blocks += 1
                entries = sorted(entries, key=lambda e: records[e[0]].names[e[1]].tokens)
                limit = window
            for i, j in _compare(records, entries, thresholds.review, stats, limit):
                a, b = records[i], records[j]
                pair = (a.id, b.id) if a.id < b.id else (b.id, a.id)
                if pair in done:
                    continue
                done.add(pair)
                cand = score_pair(a, b, thresholds, weight)
                if cand.decision != DROP:
                    stats.candidates[cand.decision] += 1
                    yield cand
        if progress:
            progress(len(entries), total)


def find_candidates(
    records: list[Prepared],
    thresholds: Thresholds,
    *,
    stats: Stats | None = None,
    **options: Any,
) -> Iterator[Candidate]:
    """Identifier pairs, then name-and-place pairs not already found: every pair once."""
    stats = stats if stats is not None else Stats()
    found: set[tuple[int, int]] = set()
    keys = ((r.id, [k for ks in r.keys.values() for k in ks]) for r in records)
    for cand in identifier_candidates(keys, stats):
        found.add((cand.a, cand.b))
        stats.candidates[cand.decision] += 1
        yield cand
    yield from name_candidates(records, thresholds, skip=found, stats=stats, **options)
