"""The hashing encoder: deterministic, normalised, and close for similar spellings."""

from __future__ import annotations

import numpy as np

from buicasus.core.encoder import Encoder, HashingEncoder, l2_normalise


def test_vectors_are_unit_float32_and_deterministic() -> None:
    encoder = HashingEncoder(dim=64)
    assert isinstance(encoder, Encoder)
    a = encoder.encode_passages(["Läxhjälp för barn", "Crèche solidaire"])
    b = HashingEncoder(dim=64).encode_queries(["Läxhjälp för barn", "Crèche solidaire"])
    assert a.dtype == np.float32 and a.shape == (2, 64)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(a, b)


def test_similar_spellings_are_closer_than_unrelated_texts() -> None:
    encoder = HashingEncoder()
    v = encoder.encode_passages(
        ["social enterprise network", "social enterprises networks", "bicycle repair"]
    )
    assert v[0] @ v[1] > v[0] @ v[2] + 0.3


def test_empty_inputs() -> None:
    encoder = HashingEncoder(dim=16)
    assert encoder.encode_queries([]).shape == (0, 16)
    assert not encoder.encode_passages(["!!"]).any()  # no word, zero vector, no division by zero
    np.testing.assert_array_equal(l2_normalise([[0.0, 0.0]]), [[0.0, 0.0]])
