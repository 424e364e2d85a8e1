"""Pieces of the matching pipeline that need no database: language guess, passages, search.

- `detect_language`: a cheap guess among the five supported languages (stopwords and letters),
  or None when the text looks like none of them (it is still matched, with a notice).
- `passages`: a long description is cut into sentence-aligned pieces, each prefixed with the
  title, so that a one-line need is compared with a paragraph-sized text rather than with the
  average of a long document (e5 also stops reading at 512 tokens).
- `top_k` / `max_by_owner`: exact search over passage vectors, scored per document by its best
  passage.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

LANGUAGES = ("en", "fr", "es", "sv", "lv")
MAX_NEED_CHARS = 2_000  # longer needs are cut (with a notice): e5 reads 512 tokens at most
PASSAGE_WORDS = 80  # target size of a passage of a long description
LONG_TEXT_WORDS = 100  # descriptions longer than this get passages besides the whole text
MAX_PASSAGES = 12

_STOPWORDS = {
    "en": "the and of to in for with is are that this on by from we our have be not an".split(),
    "fr": "le la les des et du un une pour dans est sont que qui avec pas au aux sur ne".split(),
    "es": "el los las del y un una para en es son que con por al se su no nuestro como".split(),
    "sv": "och att det som en ett för med är av på till inte har vi den de om kan".split(),
    "lv": "un ar par ir uz no kas lai tiek mūsu nav bet arī kā vai pie savu vajag".split(),
}
_LETTERS = {
    "fr": set("éèêàçùœâîôû"),
    "es": set("ñ¿¡áíóú"),
    "sv": set("åäö"),
    "lv": set("āēīūķļņšžčģ"),
}
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")


def detect_language(text: str) -> str | None:
    """The most likely of the five supported languages, or None when none fits.

    Counts stopwords (weight 1) and language-specific letters (weight 2, once per letter
    kind). Needs no model; good enough to choose a calibration and to warn a reader that
    their language is not one the platform was built for.
    """
    words = _WORD.findall(text.casefold())
    if not words:
        return None
    latin = sum(1 for w in words if all(ord(c) < 0x250 for c in w))
    if latin < len(words) / 2:
        return None  # mostly another script (Cyrillic, Greek, CJK …)
    scores = {lang: 0.0 for lang in LANGUAGES}
    for lang, stop in _STOPWORDS.items():
        stopset = set(stop)
        scores[lang] += sum(1 for w in words if w in stopset)
    letters = set(text.casefold())
    for lang, special in _LETTERS.items():
        scores[lang] += 2 * len(letters & special)
    best = max(scores, key=lambda k: scores[k])
    if scores[best] == 0:
        return None
    return best


def text_hash(*parts: str) -> str:
    """A stable fingerprint of the text an embedding was made from (SHA-256, hex)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()


def document_text(title: str, description: str) -> str:
    """The text embedded for an initiative: `title. description` (title alone if no text)."""
    title, description = title.strip(), description.strip()
    return f"{title}. {description}" if description else title


def passages(title: str, description: str) -> list[str]:
    """The texts embedded for one initiative: the whole text first, then, for a long
    description, sentence-aligned pieces of about `PASSAGE_WORDS` words each prefixed with the
    title (at most `MAX_PASSAGES`)."""
    whole = document_text(title, description)
    if len(description.split()) <= LONG_TEXT_WORDS:
        return [whole]
    pieces: list[str] = []
    current: list[str] = []
    for sentence in _SENTENCE.split(description.strip()):
        words = sentence.split()
        if current and len(current) + len(words) > PASSAGE_WORDS:
            pieces.append(" ".join(current))
            current = []
        current += words
        while len(current) > 2 * PASSAGE_WORDS:  # a run-on "sentence"
            pieces.append(" ".join(current[:PASSAGE_WORDS]))
            current = current[PASSAGE_WORDS:]
    if current:
        if pieces and len(current) < PASSAGE_WORDS // 3:
            pieces[-1] += " " + " ".join(current)
        else:
            pieces.append(" ".join(current))
    return [whole] + [f"{title.strip()}. {p}" for p in pieces[:MAX_PASSAGES]]


def max_by_owner(
    scores: npt.NDArray[np.float32], owners: npt.NDArray[np.int64], n_docs: int
) -> npt.NDArray[np.float32]:
    """Per document, the best score of its passages (`owners[i]` = document of passage i)."""
    best = np.full(n_docs, -np.inf, dtype=np.float32)
    np.maximum.at(best, owners, scores)
    return best


def top_k(scores: npt.NDArray[np.float32], k: int) -> npt.NDArray[np.int64]:
    """Indices of the k highest scores, best first (argpartition, then a small sort)."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.argsort(-scores[part], kind="stable")].astype(np.int64)


def cut_need(text: str) -> tuple[str, bool]:
    """The need text as it will be matched, and whether it was cut to `MAX_NEED_CHARS`."""
    text = " ".join(text.split())
    if len(text) <= MAX_NEED_CHARS:
        return text, False
    cut = text[:MAX_NEED_CHARS]
    space = cut.rfind(" ")
    return (cut[:space] if space > MAX_NEED_CHARS // 2 else cut), True


def concept_profile(
    vectors: npt.NDArray[np.float32], term_vectors: npt.NDArray[np.float32], top: int = 5
) -> npt.NDArray[np.float32]:
    """A language-neutral view of texts: similarity to each vocabulary concept (whose vector
    averages its labels in the five languages), keeping each text's `top` concepts, centred and
    normalised. Two texts in different languages about the same concepts get close profiles."""
    sims = vectors @ term_vectors.T
    sims = sims - sims.mean(axis=1, keepdims=True)
    if sims.shape[1] > top:
        cutoff = np.partition(sims, -top, axis=1)[:, -top][:, None]
        sims = np.where(sims >= cutoff, sims, 0.0)
    norms = np.linalg.norm(sims, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: npt.NDArray[np.float32] = (sims / norms).astype(np.float32)
    return result


def centre(
    vectors: npt.NDArray[np.float32],
    languages: Sequence[str | None],
    means: dict[str, npt.NDArray[np.float32]],
) -> npt.NDArray[np.float32]:
    """Remove each vector's language direction (the mean vector of that language, estimated on
    parallel texts) and renormalise: what is left is closer to meaning alone, so a French need
    no longer prefers French texts for being French. Unknown languages are left as they are."""
    out = np.array(vectors, dtype=np.float32, copy=True)
    for i, lang in enumerate(languages):
        mean = means.get(lang or "")
        if mean is not None:
            out[i] -= mean
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: npt.NDArray[np.float32] = (out / norms).astype(np.float32)
    return result
