"""Finding the same organisation twice: name normalisation, identifier keys, scoring.

Pure (see core/README.md): plain values in, plain values out, so the rules are tested without a
database and reused by the CLI, the pages and the benchmark alike.

Two rules, in order:

1. **Identifier** — two organisations sharing a national identifier are the same, whatever
   their names. Identifiers are reduced to canonical keys first, so that a SIRET (its first nine
   digits are the SIREN), a VAT number (FR + key + SIREN, ES + NIF, LV + register number,
   SE + organisation number + 01) and differently punctuated values meet. Such pairs are certain.
2. **Name and place** — names are normalised (accents, punctuation, legal-form words such as
   "SL", "asociación", "AB", "SIA", "biedrība", common abbreviations) and compared with rapidfuzz;
   the place (city, else NUTS region) and the legal-form family adjust the score. Pairs scoring
   at or above `Thresholds.certain` are certain, those at or above `Thresholds.review` go to the
   review queue, the rest are dropped. Different values of the same identifier scheme mean two
   different organisations: score 0.

Which pairs get compared at all is `core.dedup_blocking`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

IDENTIFIER = "identifier"
NAME_PLACE = "name-place"
CERTAIN, REVIEW, DROP = "certain", "review", "drop"

# --- names ---------------------------------------------------------------------------------


def _table(text: str) -> dict[str, str]:
    """ "family: word word-phrase …" lines → {word or phrase: family} (dashes join phrases)."""
    pairs = (line.split(":", 1) for line in text.strip().splitlines())
    return {w.replace("-", " "): k.strip() for k, words in pairs for w in words.split()}


# Legal-form words and phrases (accent-folded, lower case) → family. Removed from the name
# before comparison; the families found are compared separately.
LEGAL_FORMS = _table(
    """
association: asociacion asoc assoc asso ass association associacio associazione asbl vzw ev
    biedriba ideell-forening
foundation: fundacion fundacio fundazioa fondation foundation stiftelse stiftelsen nodibinajums
cooperative: coop s-coop sdad-coop cooperativa cooperative scoop scop scic sccl ekonomisk-forening
    ekonomisk-foren
    kooperativa-sabiedriba sociedad-cooperativa
company: sl sa slu sll slp sal sau srl sc scl cb sarl sas sasu eurl sci snc sca earl selarl ab
    publ hb kb aktiebolag handelsbolag sia ltd limited inc llc plc gmbh bv nv cic cio
    sociedad-limitada sociedad-anonima sociedad-civil comunidad-de-bienes akciju-sabiedriba
    sabiedriba-ar-ierobezotu-atbildibu valsts-akciju-sabiedriba
""".replace("\n    ", " ")
)
# Words that are legal forms only in one country ("AS" is a Latvian joint-stock company, while
# a Spanish "As." abbreviates asociación).
COUNTRY_LEGAL_FORMS: dict[str, dict[str, str]] = {
    "LV": _table("company: as vas ps ik"),
    "SE": _table("cooperative: ek-for ek-foren"),
    "ES": _table("association: as"),
}
# Abbreviations and translations folded onto one word, so "Ayto." meets "Ayuntamiento".
CANONICAL = _table(
    """
ayuntamiento: ayto ayunt ajuntament ajunt concello udala
university: univ universidad universitat universite universitet universita
federation: fed federacion federacio
institute: inst instituto institut
centre: ctro ctre centro center centrum
saint: st san sant sankt
sainte: ste santa
hermanos: hnos
comunidad: cdad
"""
)
STOPWORDS = frozenset(
    "de del la las el los le les l d du des et y e i o och and the of for pour para por en "
    "a al au aux da do dos das di un una une un".split()
)
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "œ": "oe", "þ": "th"})
_NON_WORD = re.compile(r"[^a-z0-9]+")
_LONGEST_PHRASE = max(len(k.split()) for k in LEGAL_FORMS)


def fold(text: str) -> str:
    """Lower case without accents: "Biedrība Ğ" → "biedriba g" (for comparison only)."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    return "".join(c for c in text if not unicodedata.combining(c))


def _tokens(text: str) -> list[str]:
    """Folded words; runs of single letters are joined ("S. L. L." → "sll", "A B C" → "abc")."""
    words = _NON_WORD.sub(" ", fold(text)).split()
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if run:
            out.append("".join(run))
            run = []
        if word:
            out.append(word)
    return out


@dataclass(frozen=True, slots=True)
class NormalName:
    """A name reduced for comparison: its significant words, and the legal forms it named."""

    key: str
    tokens: tuple[str, ...]
    legal_forms: frozenset[str]


def legal_families(text: str, country: str = "") -> frozenset[str]:
    """Families of the legal forms named in `text` ("S.L." → company), e.g. a legal_form field."""
    return normalise_name(text, country).legal_forms


def normalise_name(name: str, country: str = "") -> NormalName:
    """Strip legal forms, stop words and punctuation; fold abbreviations and accents.

    "Asociación Demo Tejiendo Redes" and "ASOC. DEMO TEJIENDO REDES" both become
    "demo tejiendo redes" (association). A name made only of such words keeps its words,
    so "Asociación" alone is still compared with something.
    """
    forms = {**LEGAL_FORMS, **COUNTRY_LEGAL_FORMS.get(country.upper(), {})}
    words = _tokens(name)
    kept: list[str] = []
    families: set[str] = set()
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST_PHRASE, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + size])
            if phrase in forms:
                families.add(forms[phrase])
                i += size
                break
        else:
            word = CANONICAL.get(words[i], words[i])
            if word not in STOPWORDS:
                kept.append(word)
            i += 1
    if not kept:
        kept = [w for w in words if len(w) > 1] or words
    return NormalName(" ".join(kept), tuple(kept), frozenset(families))


def normalise_city(city: str) -> str:
    """ "75002 Paris" → "paris", "ST YRIEIX LA PERCHE" → "saint yrieix perche", "Cedex" dropped."""
    words = [CANONICAL.get(w, w) for w in _tokens(city) if not w.isdigit() and w != "cedex"]
    return " ".join(w for w in words if w not in STOPWORDS)


# --- identifiers ---------------------------------------------------------------------------

_VAT_NATIONAL = {
    "FR": (re.compile(r"^FR[0-9A-Z]{2}(\d{9})$"), "fr-siren"),
    "ES": (re.compile(r"^ES([0-9A-Z]\d{7}[0-9A-Z])$"), "es-nif"),
    "LV": (re.compile(r"^LV(\d{11})$"), "lv-reg"),
    "SE": (re.compile(r"^SE(\d{10})01$"), "se-orgnr"),
}


def identifier_keys(scheme: str, value: str) -> list[str]:
    """Canonical `scheme:value` keys of one identifier; equal keys mean the same organisation.

    Unknown schemes and "other" give no key: their values are not comparable across sources.
    """
    raw = re.sub(r"[\s.\-/_]", "", value).upper()
    if not raw:
        return []
    digits = re.sub(r"\D", "", raw)
    if scheme == "fr-siren" and len(digits) == 9:
        return [f"fr-siren:{digits}"]
    if scheme == "fr-siret" and len(digits) == 14:
        return [f"fr-siret:{digits}", f"fr-siren:{digits[:9]}"]
    if scheme == "fr-rna":
        return [f"fr-rna:{raw}"]
    if scheme == "es-nif":
        return [f"es-nif:{raw.removeprefix('ES')}"]
    if scheme == "lv-reg" and len(digits) == 11:
        return [f"lv-reg:{digits}"]
    if scheme == "se-orgnr" and len(digits) in (10, 12):
        return [f"se-orgnr:{digits[-10:]}"]
    if scheme == "eu-vat":
        keys = [f"eu-vat:{raw}"]
        pattern, national = _VAT_NATIONAL.get(raw[:2], (None, ""))
        match = pattern.match(raw) if pattern else None
        if match:
            keys.append(f"{national}:{match.group(1)}")
        return keys
    return []


def group_keys(keys: Iterable[str]) -> dict[str, set[str]]:
    """Identifier keys by scheme, as `Prepared.keys` holds them."""
    by_scheme: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        by_scheme[key.split(":", 1)[0]].add(key)
    return by_scheme


# --- records and scores --------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """Name-and-place scores (0–100): `review` and up are queued, `certain` and up merge."""

    review: float = 80.0
    certain: float = 97.0

    def decide(self, score: float) -> str:
        if score >= self.certain:
            return CERTAIN
        return REVIEW if score >= self.review else DROP


@dataclass(frozen=True)
class OrgRecord:
    """What deduplication needs to know of an organisation."""

    id: int
    name: str
    country: str
    other_names: tuple[str, ...] = ()
    city: str = ""
    region: str = ""
    legal_form: str = ""
    identifiers: tuple[tuple[str, str], ...] = ()  # (scheme code, value)


@dataclass(slots=True)
class Prepared:
    """An `OrgRecord` reduced once for all its comparisons."""

    id: int
    country: str
    names: list[NormalName]
    city: str
    region: str
    families: frozenset[str]
    keys: dict[str, set[str]]


def prepare(record: OrgRecord) -> Prepared:
    country = record.country.upper()
    names, seen = [], set()
    for raw in (record.name, *record.other_names):
        normal = normalise_name(raw, country)
        if normal.key and normal.key not in seen:
            seen.add(normal.key)
            names.append(normal)
    families = legal_families(record.legal_form, country) if record.legal_form else frozenset()
    families = families | (names[0].legal_forms if names else frozenset())
    keys = [k for scheme, value in record.identifiers for k in identifier_keys(scheme, value)]
    return Prepared(
        record.id,
        country,
        names,
        normalise_city(record.city),
        record.region.upper(),
        families,
        group_keys(keys),
    )


@dataclass(frozen=True)
class Candidate:
    """A pair of organisations (a < b) that may be one, with the score and why."""

    a: int
    b: int
    score: float
    rule: str
    decision: str
    reasons: dict[str, Any]


SUBSET_WEIGHT = 0.9  # one name's words all inside the other's: strong, but not identity


Weights = Callable[[str], float]


def token_weights(records: Iterable[Prepared]) -> Weights:
    """How telling each word is among `records`: log(1 + N / documents containing it), so
    "ayuntamiento" or "servicios" count far less than "cotillas" (inverse document frequency)."""
    frequency: Counter[str] = Counter()
    total = 0
    for rec in records:
        total += 1
        frequency.update({t for name in rec.names for t in name.tokens})
    rare = math.log(1 + total)
    return lambda token: math.log(1 + total / frequency[token]) if token in frequency else rare


def _closeness(word: str, other: str) -> float:
    """0–100; a word of three letters or more that starts the other counts 90 ("fuenteal",
    "inv." and "investigación": truncated and abbreviated words)."""
    shorter, longer = (word, other) if len(word) <= len(other) else (other, word)
    if len(shorter) >= 3 and longer.startswith(shorter):
        return 100.0 if shorter == longer else 90.0
    return fuzz.ratio(word, other)


def _covered(x: tuple[str, ...], y: tuple[str, ...], weight: Weights) -> float:
    """Weighted share of the words of `x` that have a close match (≥ 80) in `y`."""
    total = got = 0.0
    for word in x:
        w = weight(word)
        total += w
        best = max(_closeness(word, other) for other in y)
        if best >= 80:
            got += w * best / 100
    return got / total if total else 0.0


def name_score(a: NormalName, b: NormalName, weight: Weights | None = None) -> float:
    """Word order is ignored; a name of two or more words that are all in the other scores at
    most 90 (a single word inside a longer name, "Ajuntament", says too little).

    With word weights (`token_weights`), the words must also match one by one (a truncated or
    abbreviated word matches the word it starts), each counting by how telling it is, so a
    shared common word ("ayuntamiento", "servicios") cannot carry a pair, while a name cut
    short still scores high when the lost words were common ones: the lower of the two scores
    is kept. Names equal but for their spaces ("diseño gráfico", "diseñográfico") are equal.
    """
    score = fuzz.token_sort_ratio(a.key, b.key)
    if min(len(set(a.tokens)), len(set(b.tokens))) > 1:
        score = max(score, SUBSET_WEIGHT * fuzz.token_set_ratio(a.key, b.key))
    if weight is None or score == 0:
        return score
    cover_a = _covered(a.tokens, b.tokens, weight)
    cover_b = _covered(b.tokens, a.tokens, weight)
    weighted = (cover_a + cover_b) / 2
    compact = fuzz.ratio(a.key.replace(" ", ""), b.key.replace(" ", "")) / 100
    if compact >= 0.95:
        weighted = max(weighted, compact)
    return min(score, 100 * weighted)


CITY_DIFFERS = -15.0
REGION_SAME = -3.0
REGION_DIFFERS = -15.0
PLACE_UNKNOWN = -5.0
FORM_DIFFERS = -10.0


def place_adjustment(a: Prepared, b: Prepared) -> tuple[float, str, bool | None]:
    """Score change for the place, the field it was judged on, and whether it agreed (None:
    neither city nor region known on both sides)."""
    if a.city and b.city:
        same = a.city == b.city or fuzz.ratio(a.city, b.city) >= 90
        return (0.0 if same else CITY_DIFFERS), "city", same
    if a.region and b.region:
        same = a.region.startswith(b.region) or b.region.startswith(a.region)
        return (REGION_SAME if same else REGION_DIFFERS), "region", same
    return PLACE_UNKNOWN, "unknown", None


def score_pair(
    a: Prepared, b: Prepared, thresholds: Thresholds, weight: Weights | None = None
) -> Candidate:
    """Both rules on one pair: identifier first, then name and place (`token_weights`)."""
    first, second = (a, b) if a.id < b.id else (b, a)
    conflicts = []
    for scheme in sorted(a.keys.keys() & b.keys.keys()):
        shared = a.keys[scheme] & b.keys[scheme]
        if shared:
            reasons: dict[str, Any] = {
                "rule": IDENTIFIER,
                "agreed": [scheme],
                "identifier": min(shared),
            }
            return Candidate(first.id, second.id, 100.0, IDENTIFIER, CERTAIN, reasons)
        conflicts.append(scheme)
    best, pair = 0.0, ("", "")
    for na in a.names:
        for nb in b.names:
            s = name_score(na, nb, weight)
            if s > best:
                best, pair = s, (na.key, nb.key)
    agreed = ["name"] if best >= thresholds.review else []
    differed = [] if agreed else ["name"]
    adjust, place, same = place_adjustment(a, b)
    if same is not None:
        (agreed if same else differed).append(place)
    score = best + adjust
    if a.families and b.families:
        if a.families & b.families:
            agreed.append("legal_form")
        else:
            score += FORM_DIFFERS
            differed.append("legal_form")
    if a.country != b.country:
        differed.append("country")
    if conflicts:
        score = 0.0
        differed.extend(conflicts)
    score = round(max(0.0, min(100.0, score)), 1)
    reasons = {
        "rule": NAME_PLACE,
        "name_score": round(best, 1),
        "names": list(pair) if first is a else [pair[1], pair[0]],
        "place": place,
        "place_adjustment": adjust,
        "agreed": agreed,
        "differed": differed,
    }
    return Candidate(first.id, second.id, score, NAME_PLACE, thresholds.decide(score), reasons)


def choose_kept(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Which of two (id, richness) to keep: the richer record, else the older (smaller id)."""
    if a[1] != b[1]:
        return a[0] if a[1] > b[1] else b[0]
    return min(a[0], b[0])
