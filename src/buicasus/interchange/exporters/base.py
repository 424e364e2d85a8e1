"""The exporter registry and the streaming helpers every format shares.

An exporter is one function from a `Selection` to an iterator of bytes, registered under its
format name with `@register(...)`: adding a format is adding one function. The page, the API
and the CLI all look formats up in `EXPORTERS`, so a new one appears everywhere at once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from buicasus.interchange.services import KINDS, Selection

Writer = Callable[[Selection], Iterator[bytes]]
BUFFER = 64 * 1024
# Excel reads a CSV file as UTF-8 only when it starts with this mark; other readers are better
# off without it, so it is asked for (`bom`), never the default.
BYTE_ORDER_MARK = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Exporter:
    name: str
    label: str | Promise
    extension: str
    media_type: str
    kinds: tuple[str, ...]
    write: Writer
    # Whether `buicasus import --format <name>` reads the file back without loss.
    reimportable: bool = False
    # Whether the format's standard wants absolute URIs (IRIs, `uri` fields): the CLI has no
    # request to take the site's address from, so it refuses rather than write relative links.
    absolute_links: bool = False
    # Whether the file may start with a UTF-8 byte-order mark on request (`bom`).
    offers_bom: bool = False

    def stream(self, selection: Selection, *, bom: bool = False) -> Iterator[bytes]:
        """The file's bytes; with `bom`, a format that offers one starts with the mark."""
        if bom and self.offers_bom:
            yield BYTE_ORDER_MARK
        yield from self.write(selection)

    def filename(self, kind: str, when: str) -> str:
        return f"buicasus-{kind}-{when}.{self.extension}"


EXPORTERS: dict[str, Exporter] = {}


def register(
    name: str,
    *,
    label: str | Promise,
    extension: str,
    media_type: str,
    kinds: tuple[str, ...] = KINDS,
    reimportable: bool = False,
    absolute_links: bool = False,
    offers_bom: bool = False,
) -> Callable[[Writer], Writer]:
    """Register `write` as the exporter of format `name`."""

    def decorate(write: Writer) -> Writer:
        EXPORTERS[name] = Exporter(
            name,
            label,
            extension,
            media_type,
            kinds,
            write,
            reimportable=reimportable,
            absolute_links=absolute_links,
            offers_bom=offers_bom,
        )
        return write

    return decorate


def shared_file_mode() -> int:
    """The mode `open()` would give a new file (0666 less the umask): mkstemp's 0600 kept
    exported files from the rest of the group that runs the centre."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def encoded(pieces: Iterable[str], size: int = BUFFER) -> Iterator[bytes]:
    """UTF-8 bytes in blocks of about `size`: few, large writes to the socket or file."""
    buffer: list[str] = []
    length = 0
    for piece in pieces:
        buffer.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(buffer).encode("utf-8")
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


def dumps(value: Any) -> str:
    """Compact JSON, UTF-8 text kept as is (not \\u-escaped)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def json_document(
    head: dict[str, Any], arrays: Iterable[tuple[str, Iterable[Any]]]
) -> Iterator[str]:
    """A JSON object streamed: the `head` members first, then each array one item per line."""
    yield "{"
    first = True
    for key, value in head.items():
        yield ("" if first else ",") + f"\n{dumps(key)}:{dumps(value)}"
        first = False
    for key, items in arrays:
        yield ("" if first else ",") + f"\n{dumps(key)}:["
        first = False
        separator = "\n"
        for item in items:
            yield separator + dumps(item)
            separator = ",\n"
        yield "\n]"
    yield "\n}\n"


def export_meta(selection: Selection) -> dict[str, Any]:
    """What every JSON export says about itself: when, what, from where, under which licences."""
    return {
        "generator": "BuiCaSuS",
        "generated_at": selection.generated_at.replace(microsecond=0).isoformat(),
        "selection": {"kind": selection.kind, "filters": selection.filters},
        "licence": (
            "Each record keeps the licence of its source (provenance.licence); "
            "see `sources` for the list."
        ),
        "sources": [
            {"name": s.name, "licence": s.licence, "records": s.records}
            for s in selection.sources()
        ],
    }
