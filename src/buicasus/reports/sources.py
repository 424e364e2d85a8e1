"""Where the report's records come from: sources, licences, import dates.

Each registry record keeps the name and licence of the source it first came from
(`source_name`, `licence`, `imported_at`; the shared data folders' README licence notes are
copied onto the records by the importer). The report counts the records the reader sees per
(source, licence), and adds the dates of the finished import batches of those sources.
Records entered on the platform carry no source name and are listed as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Min, QuerySet
from django.utils.translation import gettext as _

from buicasus.importer.models import BatchStatus, ImportBatch
from buicasus.registry.models import Initiative, Organisation
from buicasus.reports.tallies import number

DEMO_MARK = "demo data"  # the demo file's source name: "BuiCaSuS demo data (fictional)"


@dataclass(frozen=True)
class SourceRow:
    name: str
    licence: str
    organisations: str
    initiatives: str
    first_import: datetime | None
    last_import: datetime | None
    batches: int
    is_demo: bool


def _grouped(qs: QuerySet[Any]) -> dict[tuple[str, str], dict[str, Any]]:
    rows = (
        qs.order_by()
        .values("source_name", "licence")
        .annotate(n=Count("pk"), first=Min("imported_at"), last=Max("imported_at"))
    )
    return {(r["source_name"], r["licence"]): r for r in rows}


def _earliest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _latest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def data_sources(
    orgs: QuerySet[Organisation], inits: QuerySet[Initiative]
) -> tuple[list[SourceRow], bool]:
    """One row per source and licence, most records first; and whether demo records are in."""
    by_org, by_init = _grouped(orgs), _grouped(inits)
    names = {name for name, _licence in (*by_org, *by_init) if name}
    batches = {
        row["source_name"]: row
        for row in ImportBatch.objects.filter(
            source_name__in=names, status=BatchStatus.DONE, dry_run=False
        )
        .values("source_name")
        .annotate(n=Count("pk"), first=Min("finished_at"), last=Max("finished_at"))
    }
    rows: list[tuple[int, SourceRow]] = []
    for key in sorted(set(by_org) | set(by_init)):
        name, licence = key
        org, init = by_org.get(key, {}), by_init.get(key, {})
        batch = batches.get(name, {})
        total = org.get("n", 0) + init.get("n", 0)
        rows.append(
            (
                total,
                SourceRow(
                    name=name or _("Entered on the platform"),
                    licence=licence or _("not recorded"),
                    organisations=number(org.get("n", 0)),
                    initiatives=number(init.get("n", 0)),
                    first_import=_earliest(org.get("first"), init.get("first"), batch.get("first")),
                    last_import=_latest(org.get("last"), init.get("last"), batch.get("last")),
                    batches=int(batch.get("n", 0)),
                    is_demo=DEMO_MARK in name.casefold(),
                ),
            )
        )
    rows.sort(key=lambda pair: (-pair[0], pair[1].name))
    return [row for _n, row in rows], any(row.is_demo for _n, row in rows)
