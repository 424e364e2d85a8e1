"""Which text encoding a file is in, and where exactly it stops being readable.

UTF-8 first (and its byte-order mark); then charset-normalizer on a sample. Short samples of
single-byte text fit several Windows code pages equally well; the platform's languages (French,
Spanish, Swedish, Latvian) decide between them. When a declared or detected encoding fails on
a byte, `decode_failure` finds the line, the column (by the header) and a better guess.
"""

from __future__ import annotations

import codecs
import csv
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
                if suggestion and codecs.lookup(suggestion).name != codecs.lookup(encoding).name:
                    message += " " + _("It looks like %(guess)s: try --encoding %(guess)s.") % {
                        "guess": suggestion
                    }
                return ImportFailure(message, file=name, row=line_no, field=column)
            if line_no == 1 and delimiter:
                header = next(csv.reader([text.lstrip("\ufeff")], delimiter=delimiter), [])
            line_no += 1
            offset += len(raw)
    return ImportFailure(
        _("The file cannot be read as %(encoding)s.") % {"encoding": encoding}, file=name
    )
