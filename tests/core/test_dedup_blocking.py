"""Candidate generation: blocks by country and rare words, each pair once, windowed big blocks."""

from __future__ import annotations

import random

from buicasus.core.dedup import IDENTIFIER, REVIEW, OrgRecord, Thresholds, prepare
from buicasus.core.dedup_blocking import Stats, build_blocks, find_candidates, name_candidates

T = Thresholds()
NIF = "G12345678"


def org(pk: int, name: str, country: str = "ES", **fields: object) -> OrgRecord:
    return OrgRecord(id=pk, name=name, country=country, **fields)  # type: ignore[arg-type]


def test_blocks_share_rare_words_not_common_ones() -> None:
    records = [
        prepare(org(1, "Construcciones García SL")),
        prepare(org(2, "Construcciones Pérez SL")),
        prepare(org(3, "Construcciones García Hermanos")),
        prepare(org(4, "Garcia Construcciones", country="FR")),
    ]
    blocks = build_blocks(records)
    assert "ES|garc" in blocks and "FR|garc" in blocks
    assert {i for i, _ in blocks["ES|garc"]} == {0, 2}  # never across countries


def test_find_candidates_each_pair_once_and_identifier_first() -> None:
    records = [
        prepare(org(1, "Tejiendo Redes", city="Sevilla", identifiers=(("es-nif", NIF),))),
        prepare(org(2, "Asoc. Tejiendo Redes", city="Sevilla", identifiers=(("es-nif", NIF),))),
        prepare(org(3, "Tejiendo Redes", city="Cádiz")),
        prepare(org(4, "Otra Cosa Distinta", city="Sevilla")),
        prepare(org(5, "Cosa Rara", "LV", identifiers=(("eu-vat", f"ES{NIF}"),))),
    ]
    stats = Stats()
    found = list(find_candidates(records, T, stats=stats))
    pairs = [(c.a, c.b) for c in found]
    assert len(pairs) == len(set(pairs))
    by_pair = {(c.a, c.b): c for c in found}
    assert by_pair[(1, 2)].rule == IDENTIFIER
    assert by_pair[(1, 5)].rule == IDENTIFIER  # across countries through the VAT number
    assert by_pair[(1, 3)].decision == REVIEW and by_pair[(2, 3)].decision == REVIEW
    assert not any(4 in p for p in pairs)
    assert stats.identifier_pairs == 3 and stats.examined > 0


def test_oversized_blocks_are_windowed_and_still_find_neighbours() -> None:
    rng = random.Random(7)
    words = {"".join(rng.choice("bcdfgklmnprstvz") for _ in range(7)) for _ in range(1300)}
    unique = sorted(words)[:1200]
    records = [
        prepare(org(i, f"Servicios {word}", city="Madrid")) for i, word in enumerate(unique, 1)
    ]
    records.append(prepare(org(5000, f"Servicios {unique[0]} SL", city="Madrid")))
    stats = Stats()
    found = list(name_candidates(records, T, max_block=100, window=20, stats=stats))
    assert stats.windowed_blocks >= 1
    assert stats.examined < len(records) * (len(records) - 1) // 2 / 10
    assert any({c.a, c.b} == {1, 5000} for c in found)
