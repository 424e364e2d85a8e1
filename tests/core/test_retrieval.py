"""Language guess, passages, need cutting, exact top-k, centring and concept profiles."""

from __future__ import annotations

import numpy as np
import pytest

from buicasus.core.encoder import l2_normalise
from buicasus.core.retrieval import (
    LONG_TEXT_WORDS,
    MAX_NEED_CHARS,
    centre,
    concept_profile,
    cut_need,
    detect_language,
    max_by_owner,
    passages,
    text_hash,
    top_k,
)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Parents looking for work cannot attend training because they have no childcare.", "en"),
        ("Les enfants des quartiers populaires n'ont pas accès à la pratique musicale.", "fr"),
        ("Los jóvenes del barrio no tienen un lugar para aprender un oficio.", "es"),
        ("Hur kan personer med funktionsnedsättning få och behålla ett arbete?", "sv"),
        ("Bērniem no trūcīgām ģimenēm vajag palīdzību mājasdarbu pildīšanā.", "lv"),
        ("Детский сад для родителей, которые ищут работу", None),
        ("12345 !!!", None),
    ],
)
def test_detect_language(text: str, language: str | None) -> None:
    assert detect_language(text) == language


def test_short_texts_are_one_passage_and_long_ones_are_cut_at_sentences() -> None:
    assert passages("Title", "Short text.") == ["Title. Short text."]
    assert passages("Title", "") == ["Title"]
    sentence = "Ten words make up this sentence about local social work. "
    long_text = sentence * 40
    pieces = passages("Project", long_text)
    assert len(long_text.split()) > LONG_TEXT_WORDS
    assert pieces[0] == f"Project. {long_text.strip()}"
    assert len(pieces) > 3
    assert all(p.startswith("Project. Ten words") and p.endswith("work.") for p in pieces[1:])


def test_cut_need() -> None:
    assert cut_need("  a  need ") == ("a need", False)
    text, cut = cut_need("word " * 100_000)
    assert cut and len(text) <= MAX_NEED_CHARS and not text.endswith(" ")


def test_top_k_and_max_by_owner() -> None:
    scores = np.array([0.1, 0.9, 0.5, 0.7], dtype=np.float32)
    assert top_k(scores, 2).tolist() == [1, 3]
    assert top_k(scores, 10).tolist() == [1, 3, 2, 0]
    assert top_k(scores, 0).tolist() == []
    best = max_by_owner(scores, np.array([0, 0, 1, 1]), 3)
    assert best[:2].tolist() == pytest.approx([0.9, 0.7]) and best[2] == -np.inf


def test_centring_removes_the_language_direction() -> None:
    language = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    meaning_a, meaning_b = np.array([0.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0])
    docs = l2_normalise([language + meaning_a, meaning_b * 0.5 + language * 0.2])
    centred = centre(docs, ["fr", None], {"fr": language * docs[0][0]})
    assert abs(centred[0] @ meaning_a - 1.0) < 1e-5
    np.testing.assert_allclose(centred[1], docs[1])  # unknown language: untouched


def test_concept_profiles_keep_the_top_concepts() -> None:
    terms = np.eye(6, dtype=np.float32)
    texts = l2_normalise([[0.9, 0.4, 0.1, 0, 0, 0], [0.85, 0.5, 0, 0, 0.1, 0]])
    profiles = concept_profile(texts, terms, top=2)
    assert (profiles > 0).sum(axis=1).tolist() == [2, 2]
    assert profiles[0] @ profiles[1] > 0.9
    assert text_hash("a", "b") != text_hash("ab", "")
