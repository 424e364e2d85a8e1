"""Text encoders for cross-lingual matching: one small interface, a deterministic stand-in.

The platform turns texts into L2-normalised float32 vectors so that cosine similarity is a dot
product. The real encoder (multilingual-e5-small, `semantic.encoders.E5Encoder`) embeds a
*query* (a need) and a *passage* (an initiative) differently, so the interface keeps the two
apart. `HashingEncoder` is pure numpy and deterministic: character n-grams of the folded text are
hashed into the vector, so texts that share spelling are close. It knows nothing of meaning or
of other languages; tests use it because it costs nothing to load.
"""

from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


@runtime_checkable
class Encoder(Protocol):
    """What the matcher needs from an encoder (vectors are rows, L2-normalised float32)."""

    name: str
    dim: int

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        """Vectors for need statements (short questions)."""
        ...

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        """Vectors for the texts searched (initiatives)."""
        ...


def l2_normalise(vectors: npt.ArrayLike) -> Vectors:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    array = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: Vectors = (array / norms).astype(np.float32)
    return result


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class HashingEncoder:
    """Character n-gram hashing (signed feature hashing of 3- and 4-grams of each word).

    Deterministic across processes (CRC32, not Python's salted `hash`); queries and passages
    are encoded alike. Similar spellings give similar vectors, which is what tests need.
    """

    def __init__(self, dim: int = 384, ngrams: tuple[int, ...] = (3, 4)) -> None:
        self.dim = dim
        self.ngrams = ngrams
        self.name = f"hashing-{dim}"

    def _vector(self, text: str) -> Vectors:
        vector = np.zeros(self.dim, dtype=np.float32)
        for word in _fold(text).split():
            token = f"<{''.join(c for c in word if c.isalnum())}>"
            if len(token) <= 2:
                continue
            for n in self.ngrams:
                for i in range(max(1, len(token) - n + 1)):
                    code = zlib.crc32(token[i : i + n].encode("utf-8"))
                    vector[code % self.dim] += 1.0 if (code >> 31) & 1 else -1.0
        return vector

    def _encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return l2_normalise(np.stack([self._vector(t) for t in texts]))

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        """Same as passages: hashing has no notion of a question."""
        return self._encode(texts)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        """Same as queries."""
        return self._encode(texts)
