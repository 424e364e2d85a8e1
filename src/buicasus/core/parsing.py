"""Turning the text of spreadsheet cells into typed values: numbers, amounts, dates, booleans,
lists, normalised codes, and `{column}` templates.

Pure functions (no Django, no I/O; `fold` and `slugify` remember recent answers, as sources
repeat names on many rows) so that the mapping engine, the open-data loaders and the
tests share one definition of "what does `1 234,56` mean". Failures raise `ParseError` with a
stable `code` and the offending value; callers translate the code into a message for people
(`buicasus.importer.mapping` does), because this package may not import the i18n machinery.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# Characters people put between thousands: spaces of several widths and the Swiss apostrophe.
_GROUPING_SPACES = " \u00a0\u202f\u2009'’"
_CURRENCY_WORDS = r"(?:€|\$|£|eur|euros?|sek|kr|usd|gbp)"
_CURRENCY = re.compile(rf"^{_CURRENCY_WORDS}\s*|\s*{_CURRENCY_WORDS}$", re.I)
_DIGITS = re.compile(r"^\d+$")
_GROUPS = re.compile(r"^\d{1,3}(?:\d{3})*$")
_TRUE = {"1", "true", "yes", "y", "oui", "vrai", "si", "sí", "ja", "jā", "x"}
_FALSE = {"0", "false", "no", "n", "non", "faux", "nej", "nē", "ne"}
ISO_DATE = "%Y-%m-%d"


class ParseError(ValueError):
    """A value that cannot be read as the wanted type; `code` names the kind of problem."""

    def __init__(self, code: str, value: object, detail: str = "") -> None:
        super().__init__(f"{code}: {value!r}{f' ({detail})' if detail else ''}")
        self.code = code
        self.value = value
        self.detail = detail


def is_blank(value: object) -> bool:
    """None, empty strings and strings of whitespace count as "no value"."""
    return value is None or (isinstance(value, str) and not value.strip())


def clean_text(value: object) -> str:
    """A cell as text: whitespace runs collapsed, ends stripped, floats like 2004.0 as 2004."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def parse_int(value: object) -> int:
    """`2004`, `"2004"`, `"2004.0"` (as spreadsheets and pandas write it), `"2 004"` → 2004."""
    if isinstance(value, bool):
        raise ParseError("not_an_integer", value)
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        if value == int(value):
            return int(value)
        raise ParseError("not_an_integer", value)
    text = "".join(ch for ch in str(value).strip() if ch not in _GROUPING_SPACES)
    if text.endswith(".0"):
        text = text[:-2]
    sign, digits = (text[0], text[1:]) if text[:1] in ("+", "-") else ("", text)
    if not _DIGITS.match(digits):
        raise ParseError("not_an_integer", value)
    return int(sign + digits)


def parse_float(value: object) -> float:
    """`48.85`, `"48,85"` (a decimal comma), `" -2.35 "` → float."""
    if isinstance(value, bool):
        raise ParseError("not_a_number", value)
    if isinstance(value, int | float | Decimal):
        return float(value)
    text = str(value).strip().replace("\u2212", "-")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError as exc:
        raise ParseError("not_a_number", value) from exc
    if number != number or number in (float("inf"), float("-inf")):
        raise ParseError("not_a_number", value)
    return number


def parse_amount(value: object, decimal_mark: str | None = None) -> Decimal:
    """An amount of money as a Decimal, whatever the local habit of writing it.

    Accepts `1234.5`, `"1 234,56"`, `"1.234,56"`, `"1,234.56"`, `"€ 1 234"`, `"1'234.50"`.
    With both `,` and `.` present the last one is the decimal mark. With one mark occurring
    once, three digits after it mean thousands (`1,234` → 1234), otherwise decimals
    (`12,5` → 12.5); pass `decimal_mark` to decide instead of guessing.
    """
    if isinstance(value, bool):
        raise ParseError("not_an_amount", value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = _CURRENCY.sub("", str(value).strip()).replace("\u2212", "-")
    text = "".join(ch for ch in text if ch not in _GROUPING_SPACES)
    negative = text.startswith("-")
    if text[:1] in ("+", "-"):
        text = text[1:]
    if not text:
        raise ParseError("not_an_amount", value)
    mark = decimal_mark or _guess_decimal_mark(text)
    if mark:
        group = "." if mark == "," else ","
    else:
        group = "." if "." in text else ","
    whole, _sep, fraction = text.partition(mark) if mark else (text, "", "")
    if group in whole:
        if not _GROUPS.match(whole.replace(group, "")) or not all(
            len(part) == 3 for part in whole.split(group)[1:]
        ):
            raise ParseError("not_an_amount", value)
        whole = whole.replace(group, "")
    if not _DIGITS.match(whole or "0") or (fraction and not _DIGITS.match(fraction)):
        raise ParseError("not_an_amount", value)
    try:
        amount = Decimal(f"{whole or '0'}.{fraction or '0'}")
    except InvalidOperation as exc:
        raise ParseError("not_an_amount", value) from exc
    return -amount if negative else amount


def _guess_decimal_mark(text: str) -> str:
    """The decimal mark of a number written with `,` and/or `.`; "" when it has none."""
    last_comma, last_dot = text.rfind(","), text.rfind(".")
    if last_comma >= 0 and last_dot >= 0:
        return "," if last_comma > last_dot else "."
    mark = "," if last_comma >= 0 else ("." if last_dot >= 0 else "")
    if not mark:
        return ""
    if text.count(mark) > 1:
        return ""  # only grouping: 1.234.567
    digits_after = len(text) - text.rfind(mark) - 1
    return "" if digits_after == 3 else mark


def parse_date(value: object, formats: Sequence[str] = ()) -> dt.date:
    """A date from a date object, ISO 8601 text (`2016-01-31`, `2016-01-31T10:00`) or one of
    `formats` (strptime patterns, tried in order)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in formats or (ISO_DATE,):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    if not formats:
        try:
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            pass
    raise ParseError("not_a_date", value, ", ".join(formats or (ISO_DATE,)))


def parse_bool(value: object) -> bool:
    """true/false, yes/no, 1/0 and their French, Spanish, Swedish and Latvian words."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ParseError("not_a_boolean", value)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents: `Économie Sociale` → `economie sociale`."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """A key for matching names: `300 PUNTOS, S.L.` and `300 Puntos SL` → `300-puntos-sl`.

    Accents folded, lower case, runs of spaces, `_` and `-` become one `-`, other punctuation
    is dropped (so `S.L.` and `SL` agree), and `/` is kept to separate the parts of a key
    (`es/300-puntos-sl`).
    """
    text = re.sub(r"[\s_\-]+", "-", fold(text))
    text = re.sub(r"[^a-z0-9/\-]", "", text)
    text = re.sub(r"-{2,}", "-", text)
    return re.sub(r"-?/-?", "/", text).strip("-")


NORMALISERS: dict[str, Callable[[str], str]] = {
    "strip": lambda s: " ".join(s.split()),
    "lower": lambda s: " ".join(s.split()).lower(),
    "upper": lambda s: " ".join(s.split()).upper(),
    "fold": lambda s: " ".join(fold(s).split()),
    "slug": slugify,
}


def normalise(text: str, how: str) -> str:
    """Apply a named normaliser (`strip`, `lower`, `upper`, `fold`, `slug`)."""
    try:
        return NORMALISERS[how](text)
    except KeyError as exc:
        raise ParseError("unknown_normaliser", how) from exc


def split_values(text: str, separator: str) -> list[str]:
    """`"a; b;; c"` split on `;` → `["a", "b", "c"]` (items stripped, empty ones dropped)."""
    return [part.strip() for part in text.split(separator) if part.strip()]


@dataclass(frozen=True)
class Template:
    """A `{column}` template compiled once; `{{` and `}}` write literal braces.

    Column names may hold spaces, dots or dashes (`{Organisation name}`), which
    `str.format` would not allow.
    """

    parts: tuple[tuple[bool, str], ...]  # (is_column, text)

    @property
    def columns(self) -> list[str]:
        return [text for is_column, text in self.parts if is_column]

    def render(
        self, row: Mapping[str, object], fallback: Mapping[str, object] | None = None
    ) -> str:
        """The template filled from `row` (then `fallback`); a missing column is empty."""
        fallback = fallback or {}
        out = []
        for is_column, text in self.parts:
            if not is_column:
                out.append(text)
                continue
            value = row.get(text)
            if is_blank(value):
                value = fallback.get(text)
            out.append(value.strip() if isinstance(value, str) else clean_text(value))
        return "".join(out)


def compile_template(text: str) -> Template:
    """Parse `"org-{id}/{name}"` into its literal and column parts."""
    parts: list[tuple[bool, str]] = []
    buffer: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "{}" and text[i : i + 2] in ("{{", "}}"):
            buffer.append(ch)
            i += 2
            continue
        if ch == "{":
            end = text.find("}", i)
            if end < 0:
                raise ParseError("bad_template", text, "unclosed {")
            name = text[i + 1 : end].strip()
            if not name:
                raise ParseError("bad_template", text, "empty {}")
            if buffer:
                parts.append((False, "".join(buffer)))
                buffer = []
            parts.append((True, name))
            i = end + 1
            continue
        if ch == "}":
            raise ParseError("bad_template", text, "unopened }")
        buffer.append(ch)
        i += 1
    if buffer:
        parts.append((False, "".join(buffer)))
    return Template(tuple(parts))


def guess_delimiter(lines: Iterable[str], candidates: str = ",;\t|") -> str:
    """The delimiter of a CSV sample: the candidate that splits the first lines into the same
    number (> 1) of fields most consistently; ties go to the order of `candidates`."""
    sample = [line for line in lines if line.strip()][:20]
    best, best_score = candidates[0], (-1, 0)
    for cand in candidates:
        counts = [_count_outside_quotes(line, cand) for line in sample]
        if not counts or counts[0] == 0:
            continue
        agree = sum(1 for c in counts if c == counts[0])
        score = (agree, counts[0])
        if score > best_score:
            best, best_score = cand, score
    return best


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count
