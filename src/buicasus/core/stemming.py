"""Word stems in the platform's five languages, so that a search for one form of a word finds
the others ("jóvenes" and "jovenes", "sociālā" and "sociālās").

Stems are taken from *folded* words (lower case, accents stripped: `core.search_query.fold`),
because readers type without accents as often as with them and the index has always matched
either way; a stem is therefore folded too, and the same word stems the same whoever typed it.

English, French, Spanish and Swedish use the Snowball algorithms (the maintained C library
PyStemmer). Snowball has no Latvian, so Latvian uses the rules below, written for this platform
and tested on inflection pairs from the registry's texts (`tests/core/test_stemming.py`).

Latvian rules, applied to a folded word:

1. Strip the longest inflectional ending of nouns and adjectives in the list `_LV_ENDINGS`
   (the cases of the six noun declensions and of adjectives), as long as at least
   `_LV_MIN_STEM` letters remain.
2. Strip a final `aj` left by that: it is the definite adjective's marker (sociāl-aj-am,
   sociāl-aj-iem) and the suffix of agent nouns (iedzīvot-āj-s, iedzīvot-āj-iem), whose forms
   all carry it. Stripping the ending first and `aj` after keeps the two apart from endings
   that merely begin with `a`.
3. Undo the consonant alternations that some forms show before their ending, once folded:
   a final `t`/`d`/`k` that becomes `š`/`ž`/`c` (jaunietis, jauniešu) is written as the latter,
   and the `j` inserted after a labial (zeme, zemju) is dropped. Every form of a word then
   ends the same way, whichever alternated.

Verb conjugation is not handled: registry texts name things (organisations, services,
programmes) far more than they conjugate, and a wrong verb rule would merge unrelated nouns.
"""

from __future__ import annotations

from functools import lru_cache

import Stemmer

# Snowball algorithm per BCP 47 primary language subtag.
SNOWBALL = {"en": "english", "fr": "french", "es": "spanish", "sv": "swedish"}
LANGUAGES = ("en", "fr", "es", "sv", "lv")

# Folded Latvian endings (ā → a, ē → e …), longest first so that `-iem` wins over `-em`.
_LV_ENDINGS = tuple(
    sorted(
        "iem ais am em im um os as es is us ai ei ie ij a e i o u s".split(),
        key=len,
        reverse=True,
    )
)
_LV_MIN_STEM = 3
# Final consonant → the form it alternates with (folded), so both spellings meet.
_LV_ALTERNATIONS = {"t": "s", "d": "z", "k": "c"}
_LV_LABIAL_J = ("pj", "bj", "mj", "vj")


@lru_cache(maxsize=8)
def _snowball(algorithm: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(algorithm)


def latvian_stem(word: str) -> str:
    """The stem of a folded Latvian word (rules in the module docstring)."""
    for ending in _LV_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _LV_MIN_STEM:
            word = word[: -len(ending)]
            break
    if word.endswith("aj") and len(word) - 2 >= _LV_MIN_STEM:
        word = word[:-2]
    if len(word) > _LV_MIN_STEM:
        if word.endswith(_LV_LABIAL_J):
            word = word[:-1]
        elif word[-1] in _LV_ALTERNATIONS:
            word = word[:-1] + _LV_ALTERNATIONS[word[-1]]
    return word


@lru_cache(maxsize=65536)
def stem(word: str, language: str) -> str:
    """The stem of a folded `word` in `language` (a primary subtag); unchanged when the
    language has no stemmer here or the word is not made of letters."""
    if not word.isalpha():
        return word
    if language == "lv":
        return latvian_stem(word)
    algorithm = SNOWBALL.get(language)
    if algorithm is None:
        return word
    return str(_snowball(algorithm).stemWord(word))


def stems(words: list[str], language: str) -> list[str]:
    """`stem` of each word, in order."""
    if language != "lv" and language not in SNOWBALL:
        return words
    return [stem(word, language) for word in words]


@lru_cache(maxsize=65536)
def variants(word: str) -> tuple[str, ...]:
    """The word as typed (folded) and its stem in each language, distinct, shortest last.

    A query's language is not known (a reader in Riga may type Spanish), and a record is
    indexed in its own language: any of these stems may be the one the index holds. The
    folded word itself is kept for records in languages without a stemmer."""
    found = dict.fromkeys([word, *(stem(word, language) for language in LANGUAGES)])
    # Spanish Snowball stems a plural to the singular ("jóvenes" → joven, "mujeres" → mujer)
    # but the singular further ("joven" → jov): stemming twice reaches records in the singular.
    found[stem(stem(word, "es"), "es")] = None
    return tuple(sorted(found, key=lambda v: (-len(v), v)))
