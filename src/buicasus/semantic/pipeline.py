"""The matching pipeline shared by the page (`services.find`) and the evaluation: prepare a
need, turn stored passage vectors into a `VectorSet`, rank.

Where the vectors and the lexical ranking come from is the caller's business (the database
and the search index for the page, an in-memory corpus for `buicasus eval matching`); every
step in between is this module and `core.retrieval_engine`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from buicasus.core.encoder import Encoder, Vectors
from buicasus.core.retrieval import LANGUAGES, concept_profile, cut_need, detect_language
from buicasus.core.retrieval_engine import VectorSet
from buicasus.semantic.reference import Reference

LONG_CHARS = 400  # texts longer than this are calibrated apart from short titles


class NeedError(ValueError):
    """A need that cannot be matched (empty); the message names the field."""


@dataclass
class PreparedNeed:
    text: str
    language: str | None
    raw: Vectors  # (dim,) as encoded
    vector: Vectors  # (dim,) language-centred
    profile: Vectors | None
    notices: list[str]


def group_of(language: str | None, chars: int) -> int:
    """Calibration group: language (or "other") × short/long text."""
    index = LANGUAGES.index(language) if language in LANGUAGES else len(LANGUAGES)
    return index * 2 + int(chars > LONG_CHARS)


def prepare_need(text: str, encoder: Encoder, ref: Reference) -> PreparedNeed:
    """Check, cut, detect the language of and encode a need statement."""
    if not text or not text.strip():
        raise NeedError(_("The need text is empty: describe the problem to match."))
    cut, was_cut = cut_need(text)
    notices: list[str] = []
    if was_cut:
        notices.append(
            _("The need text was cut to its first %(n)s characters for matching.") % {"n": len(cut)}
        )
    language = detect_language(cut)
    if language is None:
        notices.append(
            _(
                "The need does not look like English, French, Spanish, Swedish or Latvian: "
                "it is matched anyway, but results may be weaker."
            )
        )
    raw = encoder.encode_queries([cut])[0]
    vector = ref.centre_queries(raw[None, :], [language])[0]
    profile = None
    if len(ref.concepts):
        profile = concept_profile(vector[None, :], ref.concepts)[0]
    return PreparedNeed(cut, language, raw, vector, profile, notices)


def vector_set(
    ids: Sequence[int],
    languages: Sequence[str | None],
    chars: Sequence[int],
    matrices: Sequence[Vectors],
    ref: Reference,
    dim: int,
) -> VectorSet:
    """Documents' stored passage matrices (whole text first) → a `VectorSet`, centred by
    their language. Concept profiles are left to the caller: they come from the terms a
    record is classified with, which the text alone does not tell."""
    counts = [len(m) for m in matrices]
    owners = np.repeat(np.arange(len(ids), dtype=np.int64), counts)
    if matrices:
        stacked = np.concatenate(matrices).astype(np.float32)
    else:
        stacked = np.zeros((0, dim), dtype=np.float32)
    passage_langs = [languages[i] for i in owners]
    centred = ref.centre_passages(stacked, passage_langs) if len(stacked) else stacked
    firsts = np.cumsum([0, *counts[:-1]]).astype(np.int64) if counts else np.zeros(0, np.int64)
    whole = stacked[firsts] if len(stacked) else stacked
    return VectorSet(
        ids=np.asarray(ids, dtype=np.int64),
        groups=np.asarray(
            [group_of(lang, n) for lang, n in zip(languages, chars, strict=True)], dtype=np.int64
        ),
        passages=centred,
        owners=owners,
        whole=whole,
        profiles=None,
    )
