"""Search text and search queries, the same way on every database.

The registry is searched in five languages with accents folded (é→e, ā→a, å→a, ñ→n, ø→o …).
Databases fold differently (SQLite's tokenizers, PostgreSQL's locale-dependent parser), so the
platform does all of it here, in Python: `index_tokens` turns a text into folded tokens, which
are stored as they are (FTS5 with the `ascii` tokenizer only splits them on spaces; PostgreSQL
receives a ready-made `tsvector`), and `parse_query` turns what a reader typed into clauses that
`to_fts5` and `to_tsquery` spell for each engine. Both engines therefore see identical tokens
and answer identically.

Inflected forms meet through stems (`core.stemming`): each text is indexed as the stems of its
folded words in the text's own language (`stemmed_text`), and each word of a query matches any
of its `variants` (the word and its stem in every language), since a query's language is not
known. A prefix (`innov*`) matches stems starting with it, and also the few stems it could have
been cut to (`innovat*` must find "innovation", indexed as `innov`).

`highlight` and `snippet` mark the matches in the original text, for the result list, with
the same tokenisation.

Query language: words (all must match), `innov*` (prefix), `"social enterprise"` (phrase; a
trailing `*` makes its last word a prefix). Anything else is tolerated, never an error: an
unclosed quote is closed, a lone `*` is ignored, and the caller receives notice codes to explain.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, product

from buicasus.core.stemming import stems, variants

# Letters that Unicode does not decompose into a base letter plus accents.
_SPECIAL = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ŀ": "l",
        "ħ": "h",
        "ŧ": "t",
        "ı": "i",
        "ȷ": "j",
        "þ": "th",
        "ß": "ss",
        "ĸ": "k",
    }
)


def _combining_class() -> str:
    """A regex character class of every combining mark (accents and the like), as ranges."""
    ranges: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        if unicodedata.combining(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]"


_MARKS = _combining_class()
_COMBINING = re.compile(_MARKS + "+")
_LATIN_MARKS = re.compile("[\u0300-\u036f]+")  # the accents of Latin scripts, a fast first pass
_NON_ASCII = re.compile("[^\x00-\x7f]")
# A token is a run of letters and digits (no underscore), possibly carrying combining marks.
_WORD = re.compile(r"[^\W_]+")
_WORD_IN_ORIGINAL = re.compile(r"(?:[^\W_]|" + _MARKS + r")+")

MAX_TOKEN_LENGTH = 60  # longer runs (hashes, glued URLs) are not words anyone searches for
MAX_TOKENS_PER_FIELD = 10_000  # PostgreSQL positions stop at 16,383; both engines cut here
MAX_POSITIONS_PER_TOKEN = 255  # PostgreSQL keeps at most 256 positions of a lexeme
MAX_CLAUSES = 12
MAX_QUERY_LENGTH = 500
MIN_PREFIX = 3  # shorter prefixes match too much to narrow anything

# Words too common to narrow a search, in the platform's five languages. They are still
# indexed (phrases need them) but dropped from a query that has other words.
STOPWORDS = frozenset(
    """a an and are as at be by for from in into is it of on or the to with
    au aux avec ce ces dans de des du en et la le les leur par pour sur un une
    al con del el las los para por se su y
    att av den det ett for fran har i med och om pa som till
    ar ir ka kas no par pie uz un""".split()
)


def fold(text: str) -> str:
    """Lower-case `text` and strip its accents: `Éléonore Ågren Rīga` → `eleonore agren riga`.

    Case is folded first (some capitals fold into a letter plus an accent), then letters are
    decomposed and their accents dropped; letters with no decomposition are mapped by hand.
    """
    if text.isascii():
        return text.lower()
    decomposed = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))
    if any(unicodedata.combining(c) for c in _NON_ASCII.findall(decomposed)):
        decomposed = _COMBINING.sub("", decomposed)
    return decomposed.translate(_SPECIAL)


def index_tokens(text: str) -> list[str]:
    """The folded words of `text`, in order, as both search engines store them."""
    words: list[str] = _WORD.findall(fold(text))
    if words and max(map(len, words)) > MAX_TOKEN_LENGTH:
        words = [w for w in words if len(w) <= MAX_TOKEN_LENGTH]
    return words[:MAX_TOKENS_PER_FIELD]


@lru_cache(maxsize=4096)
def _token_string(text: str) -> str:
    # Registry texts repeat a lot (one objective text for thousands of operations).
    return " ".join(index_tokens(text))


def index_text(texts: Iterable[str]) -> str:
    """Several texts (a name and its other names …) as one space-separated token string."""
    strings = [_token_string(text) for text in texts if text]
    joined = " ".join(s for s in strings if s)
    if joined.count(" ") >= MAX_TOKENS_PER_FIELD:
        joined = " ".join(joined.split(" ")[:MAX_TOKENS_PER_FIELD])
    return joined


@lru_cache(maxsize=4096)
def _stemmed_string(text: str, language: str) -> str:
    return " ".join(stems(index_tokens(text), language))


def stemmed_text(texts: Iterable[tuple[str, str]]) -> str:
    """Several (text, language) pairs as one space-separated string of stems, each text stemmed
    in its own language (a primary subtag; empty or unknown: folded words as they are)."""
    strings = [_stemmed_string(text, language) for text, language in texts if text]
    joined = " ".join(s for s in strings if s)
    if joined.count(" ") >= MAX_TOKENS_PER_FIELD:
        joined = " ".join(joined.split(" ")[:MAX_TOKENS_PER_FIELD])
    return joined


def tsvector_literal(fields: Iterable[tuple[str, str]]) -> str:
    """A PostgreSQL `tsvector` literal for token strings, each with its weight letter.

    Positions run on within a field and jump by two between fields, so that a phrase never
    spans two fields (FTS5 keeps fields apart as columns).
    """
    positions: dict[str, list[str]] = {}
    position = 0
    for tokens, weight in fields:
        suffix = "" if weight == "D" else weight
        for token in tokens.split():
            position += 1
            found = positions.setdefault(token, [])
            if len(found) < MAX_POSITIONS_PER_TOKEN and position <= 16383:
                found.append(f"{position}{suffix}")
        position += 1
    return " ".join(f"'{_quote(t)}':{','.join(p)}" for t, p in positions.items() if p)


def _quote(token: str) -> str:
    return token.replace("\\", "\\\\").replace("'", "''")


# --- queries -------------------------------------------------------------------------------


MAX_PHRASE_FORMS = 16  # spellings of one phrase tried at most (variants multiply per word)
TRUNCATED_STEM = 3  # a prefix may be a stem's whole word plus at most this many letters


@dataclass(frozen=True)
class Clause:
    """One thing every match must contain: a word, a prefix or a phrase (adjacent words)."""

    tokens: tuple[str, ...]
    prefix: bool = False  # the last token is a prefix

    @property
    def is_phrase(self) -> bool:
        return len(self.tokens) > 1

    def forms(self) -> list[tuple[tuple[str, ...], bool]]:
        """The token sequences any of which satisfies the clause, each with whether its last
        token is a prefix: the variants of every word (`core.stemming.variants`), and for a
        prefix also the stems it may have been cut to. At most `MAX_PHRASE_FORMS`."""
        head = [variants(t) for t in self.tokens[:-1]]
        last = self.tokens[-1]
        if not self.prefix:
            return [(f, False) for f in product(*head, variants(last))][:MAX_PHRASE_FORMS]
        found = [(f, True) for f in product(*head, (last,))][:MAX_PHRASE_FORMS]
        if not head:
            cut = [
                last[:k] for k in range(max(MIN_PREFIX + 1, len(last) - TRUNCATED_STEM), len(last))
            ]
            stems_of = [v for v in variants(last) if v != last]
            found += [((t,), False) for t in dict.fromkeys(stems_of + cut)]
        return found


@dataclass(frozen=True)
class ParsedQuery:
    """Clauses that must all match (or, for partial matches, `minimum` of them), and notice
    codes explaining what was tolerated."""

    clauses: tuple[Clause, ...] = ()
    notices: tuple[str, ...] = field(default=())
    minimum: int = 0  # 0: every clause

    @property
    def empty(self) -> bool:
        return not self.clauses

    @property
    def partial(self) -> bool:
        return 0 < self.minimum < len(self.clauses)

    def groups(self) -> list[tuple[Clause, ...]]:
        """Sets of clauses any one of which must match in full: the whole query, or every
        choice of `minimum` clauses."""
        if not self.partial:
            return [self.clauses]
        return list(combinations(self.clauses, self.minimum))

    def at_least(self, minimum: int) -> ParsedQuery:
        """The same query asking only `minimum` of its clauses (partial matches)."""
        return ParsedQuery(self.clauses, self.notices, minimum)


def partial_groups(clauses: int, minimum: int) -> int:
    """How many clause sets a partial query of `minimum` out of `clauses` spells out."""
    return math.comb(clauses, minimum)


def _chunks(text: str) -> Iterator[tuple[str, bool]]:
    """(chunk, quoted) pairs; an unbalanced quote runs to the end of the text."""
    pos = 0
    for match in re.finditer(r'"([^"]*)("?)', text):
        for word in text[pos : match.start()].split():
            yield word, False
        yield match.group(1), True
        pos = match.end()
    for word in text[pos:].split():
        yield word, False


def parse_query(text: str) -> ParsedQuery:
    """What the reader typed → clauses, tolerating every input (see the module docstring)."""
    notices: list[str] = []
    text = unicodedata.normalize("NFC", text or "").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u201e", '"').replace("\u00ab", '"').replace("\u00bb", '"')
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH]
        notices.append("too_long")
    if text.count('"') % 2:
        notices.append("unbalanced_quote")
    clauses: list[Clause] = []
    stop: list[Clause] = []
    for chunk, quoted in _chunks(text):
        stripped = chunk.rstrip()
        prefix = stripped.endswith("*")
        tokens = tuple(index_tokens(stripped))
        if not tokens:
            if "*" in chunk:
                notices.append("lone_wildcard")
            continue
        if prefix and len(tokens[-1]) < MIN_PREFIX:
            notices.append("short_prefix")
            prefix = False
        clause = Clause(tokens, prefix)
        if not quoted and len(tokens) == 1 and not prefix and tokens[0] in STOPWORDS:
            stop.append(clause)
        else:
            clauses.append(clause)
    if not clauses:
        clauses = stop  # a query of common words only still searches for them
    unique = list(dict.fromkeys(clauses))
    if len(unique) > MAX_CLAUSES:
        unique = unique[:MAX_CLAUSES]
        notices.append("too_many_terms")
    if not unique and text.strip() and "lone_wildcard" not in notices:
        notices.append("no_terms")
    return ParsedQuery(tuple(unique), tuple(dict.fromkeys(notices)))


def _fts5_form(tokens: tuple[str, ...], prefix: bool) -> str:
    quoted = '"' + " ".join(tokens) + '"'
    return quoted + "*" if prefix else quoted


def _fts5_clause(clause: Clause) -> str:
    forms = [_fts5_form(tokens, prefix) for tokens, prefix in clause.forms()]
    return forms[0] if len(forms) == 1 else "(" + " OR ".join(forms) + ")"


def _any_group(query: ParsedQuery, spell: Callable[[Clause], str], both: str, either: str) -> str:
    groups = [both.join(spell(c) for c in group) for group in query.groups()]
    return groups[0] if len(groups) == 1 else either.join(f"({g})" for g in groups)


def to_fts5(query: ParsedQuery, column: str | None = None) -> str:
    """An FTS5 MATCH expression; with `column`, every clause must match in that column."""
    expression = _any_group(query, _fts5_clause, " AND ", " OR ")
    return f"{{{column}}} : ({expression})" if column else expression


def _ts_form(tokens: tuple[str, ...], prefix: bool, weight: str) -> str:
    parts = []
    for i, token in enumerate(tokens):
        last = i == len(tokens) - 1
        marks = ("*" if prefix and last else "") + weight
        parts.append(f"'{_quote(token)}'" + (f":{marks}" if marks else ""))
    return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"


def _ts_clause(clause: Clause, weight: str) -> str:
    forms = [_ts_form(tokens, prefix, weight) for tokens, prefix in clause.forms()]
    return forms[0] if len(forms) == 1 else "(" + " | ".join(forms) + ")"


def to_tsquery(query: ParsedQuery, weight: str = "") -> str:
    """A PostgreSQL `tsquery` literal; with `weight` (`A`), every clause must match there."""
    return _any_group(query, lambda c: _ts_clause(c, weight), " & ", " | ")


# --- highlighting --------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    folded: str
    start: int
    end: int


def _tokens_with_spans(text: str) -> list[Token]:
    result = []
    for match in _WORD_IN_ORIGINAL.finditer(text):
        word = match.group()
        if word.isascii() and word.isalnum():
            result.append(Token(word.lower(), match.start(), match.end()))
            continue
        for sub in _WORD.findall(fold(word)):
            result.append(Token(sub, match.start(), match.end()))
    return result


def may_match(text: str, query: ParsedQuery) -> bool:
    """A cheap test: False when `text` certainly does not match (some clause's first word is
    nowhere in it), so that long texts are tokenised only when they might."""
    folded = fold(text)
    found = [any(v in folded for v in variants(c.tokens[0])) for c in query.clauses]
    return bool(found) and (any(found) if query.partial else all(found))


def _token_matches(token: str, wanted: str, prefix: bool) -> bool:
    """A word of a text matches a word of the query when they share a stem in some language
    (the text's language is not known here), or when it starts with the query's prefix."""
    if prefix:
        return token.startswith(wanted)
    return token == wanted or not _variant_set(token).isdisjoint(_variant_set(wanted))


@lru_cache(maxsize=65536)
def _variant_set(word: str) -> frozenset[str]:
    return frozenset(variants(word))


def _matched(tokens: list[Token], query: ParsedQuery) -> set[int]:
    hits: set[int] = set()
    for clause in query.clauses:
        width = len(clause.tokens)
        for i in range(len(tokens) - width + 1):
            if all(
                _token_matches(tokens[i + k].folded, want, clause.prefix and k == width - 1)
                for k, want in enumerate(clause.tokens)
            ):
                hits.update(range(i, i + width))
    return hits


Segment = tuple[str, bool]  # (text, is a match)


def _segments(
    text: str, tokens: list[Token], hits: set[int], start: int, end: int
) -> list[Segment]:
    segments: list[Segment] = []
    cursor = start
    for i in sorted(hits):
        token = tokens[i]
        if token.start < cursor or token.end > end:
            continue
        if token.start > cursor:
            segments.append((text[cursor : token.start], False))
        segments.append((text[token.start : token.end], True))
        cursor = token.end
    if cursor < end:
        segments.append((text[cursor:end], False))
    return segments


def highlight(text: str, query: ParsedQuery) -> list[Segment]:
    """`text` cut into segments, the words matching `query` flagged (whole text kept)."""
    text = unicodedata.normalize("NFC", text or "")
    tokens = _tokens_with_spans(text)
    return _segments(text, tokens, _matched(tokens, query), 0, len(text))


def snippet(text: str, query: ParsedQuery, words: int = 30) -> tuple[list[Segment], int]:
    """A window of about `words` words around the first matches, and how many words matched.

    An ellipsis marks text left out at either end; with no match, the window is the start
    (and only the start of a long text is tokenised).
    """
    text = unicodedata.normalize("NFC", text or "")
    cut = False
    if not may_match(text, query):
        query = ParsedQuery()
        cut = len(text) > words * 20
        text = text[: words * 20]  # room for `words` words: the rest is never shown
    tokens = _tokens_with_spans(text)
    if not tokens:
        return ([(text.strip(), False)] if text.strip() else []), 0
    hits = _matched(tokens, query)
    first = min(hits) if hits else 0
    lo = max(0, first - words // 4)
    hi = min(len(tokens), lo + words)
    lo = max(0, hi - words)
    start = 0 if lo == 0 else tokens[lo].start
    end = len(text) if hi == len(tokens) and not cut else tokens[hi - 1].end
    segments = _segments(text, tokens, {i for i in hits if lo <= i < hi}, start, end)
    if start > 0:
        segments.insert(0, ("… ", False))
    if end < len(text) or cut:
        segments.append((" …", False))
    return segments, len(hits)
