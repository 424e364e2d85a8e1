"""Which text encoding a file is in, and where exactly it stops being readable.

UTF-8 first (and its byte-order mark); then charset-normalizer on a sample. Short samples of
single-byte text fit several Windows code pages equally well; the platform's languages (French,
Spanish, Swedish, Latvian) decide between them. When a declared or detected encoding fails on
a byte, `decode_failure` finds the line, the column (by the header) and a better guess.

UTF-16 without a byte-order mark is recognised by its zero bytes (every other byte of Latin
text). A file that mixes UTF-8 with a single-byte encoding (rows pasted from two sources) has
no one right reading: read as the single-byte encoding, its UTF-8 letters would become
mojibake ("CafÃ© Solidaire"), so `check_consistent` refuses it, naming the encodings tried.
"""

from __future__ import annotations

import codecs
import csv
import re
from pathlib import Path

from django.utils.translation import gettext as _

from buicasus.importer.errors import ImportFailure


def detect_encoding(sample: bytes) -> str | None:
    """`utf-8-sig`/`utf-16` when a BOM says so, `utf-8` when the sample decodes as UTF-8,
    else charset-normalizer's best guess (None when it has none)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    without_bom = _utf16_without_bom(sample)
    if without_bom:
        return without_bom
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = list(from_bytes(sample))
    if not results:
        return None
    best = results[0]
    tied = [r.encoding for r in results if (r.chaos, r.coherence) == (best.chaos, best.coherence)]
    candidates = dict.fromkeys([*_SINGLE_BYTE, *tied])  # on a tie, the first wins
    return max(candidates, key=lambda enc: _plausibility(sample, enc))


def _utf16_without_bom(sample: bytes) -> str | None:
    """`utf-16-le`/`utf-16-be` when most odd (even) bytes of the sample's start are zero and the
    others are not: ASCII text in UTF-16, which also decodes, uselessly, as UTF-8."""
    head = sample[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    for zeros, others, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.8 * len(zeros) and others.count(0) <= 0.1 * len(others):
            try:
                head[: len(head) // 2 * 2].decode(name)
            except UnicodeDecodeError:
                continue
            return name
    return None


# Two- and three-byte UTF-8 sequences; in a single-byte file they are pairs like "Ã©".
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")
_BLOCK = 4 * 1024 * 1024


def _utf8_letters(data: bytes) -> list[str]:
    """The platform languages' letters that `data` holds as UTF-8 sequences."""
    found = []
    for match in _UTF8_SEQUENCE.finditer(data):
        char = match.group().decode("utf-8", errors="replace")
        if char in _EXPECTED:
            found.append(char)
    return found


def check_consistent(path: Path, encoding: str, name: str) -> None:
    """Refuse a file detected as a single-byte encoding that also holds UTF-8 letters: no one
    encoding reads it. The file is scanned in blocks (a block boundary may split one sequence,
    which at worst misses that one)."""
    if codecs.lookup(encoding).name.replace("_", "-").startswith(("utf-8", "utf-16", "utf-32")):
        return
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            letters = _utf8_letters(block)
            if letters:
                example = letters[0].encode("utf-8").decode(encoding, errors="replace")
                raise ImportFailure(
                    _(
                        "The file mixes encodings: it is not UTF-8, and read as %(encoding)s its "
                        "UTF-8 letters would become “%(example)s” instead of “%(letter)s”. "
                        "Encodings tried: utf-8, %(encoding)s. Save the file in one encoding "
                        "(UTF-8), or give the encoding with --encoding."
                    )
                    % {"encoding": encoding, "example": example, "letter": letters[0]},
                    file=name,
                )


# Short samples of single-byte text fit several code pages equally well for charset-normalizer;
# the platform's languages decide: the letters of French, Spanish, Swedish and Latvian count
# for a code page, other non-ASCII characters against it.
_SINGLE_BYTE = ("cp1252", "cp1257", "iso8859_15", "cp1250")
_EXPECTED = set(
    "éèêëàâçîïôûùüÿñáíóúäöåæøœāēīūčģķļņšžÉÈÊËÀÂÇÎÏÔÛÙÜŸÑÁÍÓÚÄÖÅÆØŒĀĒĪŪČĢĶĻŅŠŽ«»€’‘“”–—°"
)


def _plausibility(sample: bytes, encoding: str) -> int:
    try:
        text = sample.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return -(10**9)
    score = 0
    for char in text:
        if ord(char) > 127:
            score += 1 if char in _EXPECTED else -2
    return score


def check_encoding(encoding: str, name: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError as exc:
        raise ImportFailure(
            _("Unknown encoding “%(encoding)s”.") % {"encoding": encoding}, file=name
        ) from exc


def decode_failure(path: Path, encoding: str, name: str, delimiter: str | None) -> ImportFailure:
    """Where exactly the file stops being `encoding`: row (line), column, and a better guess."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line_no, offset = 1, 0
    header: list[str] = []
    non_ascii = False  # whether the lines read well so far held letters of this encoding
    with path.open("rb") as handle:
        for raw in handle:
            try:
                text = decoder.decode(raw)
            except UnicodeDecodeError as exc:
                bad = raw[exc.start : exc.start + 1].hex().upper()
                suggestion = detect_encoding(raw[max(0, exc.start - 200) :] + handle.read(65536))
                column = ""
                if delimiter and header:
                    cells = next(
                        csv.reader([raw.decode(encoding, errors="replace")], delimiter=delimiter),
                        [],
                    )
                    index = next((i for i, c in enumerate(cells) if "\ufffd" in c), None)
                    if index is not None and index < len(header):
                        column = header[index]
                message = _(
                    "Byte 0x%(byte)s at position %(offset)s cannot be read as %(encoding)s."
                ) % {
                    "byte": bad,
                    "offset": offset + exc.start,
                    "encoding": encoding,
                }
                different = suggestion and (
                    codecs.lookup(suggestion).name != codecs.lookup(encoding).name
                )
                if different and non_ascii:
                    message += " " + _(
                        "Earlier lines read well as %(encoding)s and this one looks like "
                        "%(guess)s: the file mixes encodings (encodings tried: %(encoding)s, "
                        "%(guess)s). Save it in one encoding, or give one with --encoding."
                    ) % {"encoding": encoding, "guess": suggestion}
                elif different:
                    message += " " + _("It looks like %(guess)s: try --encoding %(guess)s.") % {
                        "guess": suggestion
                    }
                return ImportFailure(message, file=name, row=line_no, field=column)
            if line_no == 1 and delimiter:
                header = next(csv.reader([text.lstrip("\ufeff")], delimiter=delimiter), [])
            non_ascii = non_ascii or not text.isascii()
            line_no += 1
            offset += len(raw)
    return ImportFailure(
        _("The file cannot be read as %(encoding)s.") % {"encoding": encoding}, file=name
    )
