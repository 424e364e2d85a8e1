"""Regional GDP per head in PPS (Eurostat nama_10r_3gdp): loading the bulk TSV, and looking a
place up with a fall-back up the NUTS hierarchy to the country.

The transferability's "relevance of context" compares the source and target places by this
figure. Only the unit PPS_EU27_2020_HAB (euro-area-neutral purchasing-power standards per
inhabitant) is kept: it is the one comparable across countries.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from django.db import transaction

from buicasus.config import PROJECT_ROOT
from buicasus.core.transferability import Place, nuts_ancestors
from buicasus.matching.models import RegionalGdp

DEFAULT_PATH = PROJECT_ROOT / ".." / "shared" / "data" / "eurostat-regional-gdp"
TSV_NAME = "estat_nama_10r_3gdp.tsv"
UNIT = "PPS_EU27_2020_HAB"
SOURCE_NOTE = "Source: Eurostat (nama_10r_3gdp), CC BY 4.0"
# ISO 3166-1 codes whose NUTS country code differs.
ISO_TO_NUTS = {"GR": "EL", "GB": "UK"}
Progress = Callable[[Iterable[list[str]]], Iterable[list[str]]]


class GdpFileError(ValueError):
    """The file is missing or not a Eurostat nama_10r_3gdp TSV."""


@dataclass(frozen=True)
class LoadSummary:
    rows: int
    regions: int
    years: tuple[int, int] | None


def resolve_path(path: str | Path | None) -> Path:
    """The TSV itself, given the file, its folder, or nothing (the shared data folder)."""
    target = Path(path) if path else DEFAULT_PATH
    if target.is_dir():
        target = target / TSV_NAME
    if not target.is_file():
        raise GdpFileError(f"No such file: {target}")
    return target.resolve()


def _value(cell: str) -> tuple[float, str] | None:
    """`"27600 p"` → (27600.0, "p"); `":"` (missing) → None."""
    parts = cell.strip().split()
    if not parts or parts[0] == ":":
        return None
    try:
        return float(parts[0]), "".join(parts[1:])
    except ValueError:
        return None


def parse(path: Path, progress: Progress | None = None) -> Iterator[RegionalGdp]:
    """Yield RegionalGdp rows (unsaved) of the PPS-per-head series in the file."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        header = next(reader, None)
        if not header or "geo" not in header[0]:
            raise GdpFileError(f"Not a Eurostat bulk TSV (no geo column): {path}")
        try:
            years = [int(h.strip()) for h in header[1:]]
        except ValueError as exc:
            raise GdpFileError(f"Unexpected year columns in {path}") from exc
        rows: Iterable[list[str]] = progress(reader) if progress else reader
        for row in rows:
            keys = row[0].split(",")
            if len(keys) != 3 or keys[1] != UNIT:
                continue
            code = keys[2].strip()
            for year, cell in zip(years, row[1:], strict=False):
                parsed = _value(cell)
                if parsed is not None:
                    yield RegionalGdp(
                        nuts_code=code, year=year, pps_per_head=parsed[0], flags=parsed[1]
                    )


def load(path: str | Path | None = None, progress: Progress | None = None) -> LoadSummary:
    """Replace the stored figures by those of the file (idempotent), in one transaction."""
    tsv = resolve_path(path)
    rows = list(parse(tsv, progress))
    with transaction.atomic():
        RegionalGdp.objects.all().delete()
        RegionalGdp.objects.bulk_create(rows, batch_size=2000)
    years = [r.year for r in rows]
    return LoadSummary(
        rows=len(rows),
        regions=len({r.nuts_code for r in rows}),
        years=(min(years), max(years)) if years else None,
    )


def loaded_count() -> int:
    return RegionalGdp.objects.count()


def nuts_code(code: str) -> str:
    """A region or ISO country code as Eurostat spells it (Greece is EL, not GR)."""
    code = code.strip().upper()
    return ISO_TO_NUTS.get(code[:2], code[:2]) + code[2:]


def places(codes: Iterable[str]) -> dict[str, Place | None]:
    """Each code's latest GDP per head, from the code itself or the nearest region above it
    (down to the country); None where nothing is known. One query for all codes."""
    wanted = {code: nuts_ancestors(nuts_code(code)) for code in codes if code}
    every = {c for chain in wanted.values() for c in chain}
    latest: dict[str, tuple[int, float]] = {}
    for code, year, value in RegionalGdp.objects.filter(nuts_code__in=every).values_list(
        "nuts_code", "year", "pps_per_head"
    ):
        if code not in latest or year > latest[code][0]:
            latest[code] = (year, value)
    found: dict[str, Place | None] = {}
    for asked, chain in wanted.items():
        hit = next((c for c in chain if c in latest), None)
        found[asked] = (
            Place(asked=chain[0], code=hit, value=latest[hit][1], year=latest[hit][0])
            if hit
            else None
        )
    return found


def series(codes: Iterable[str]) -> dict[str, dict[int, float]]:
    """Every year's figure of each (Eurostat-spelt) code, in one query."""
    out: dict[str, dict[int, float]] = {}
    rows = RegionalGdp.objects.filter(nuts_code__in=set(codes)).values_list(
        "nuts_code", "year", "pps_per_head"
    )
    for code, year, value in rows:
        out.setdefault(code, {})[year] = value
    return out


def align(
    source: Place | None, target: Place | None, data: dict[str, dict[int, float]]
) -> tuple[Place | None, Place | None]:
    """The two places compared in the same year when they have one in common (the latest),
    since GDP per head grows over time; otherwise each at its own latest year."""
    if source is None or target is None or source.year == target.year:
        return source, target
    common = set(data.get(source.code, {})) & set(data.get(target.code, {}))
    if not common:
        return source, target
    year = max(common)
    return (
        replace(source, year=year, value=data[source.code][year]),
        replace(target, year=year, value=data[target.code][year]),
    )
