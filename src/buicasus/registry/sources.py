"""Where a registry record came from.

The registry shows a record's sources but does not keep them: the app that does (the importer)
registers its lookup from `AppConfig.ready()`, so registry pages need no import of that app and
the dependency runs one way, importer → registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Model

SourceLookup = Callable[[Model], Iterable[Any]]

_LOOKUPS: list[SourceLookup] = []


def register(lookup: SourceLookup) -> None:
    """Add `lookup` (a record → its sources, oldest first). Registering it again changes nothing,
    so a reloaded app config does not show each source twice."""
    if lookup not in _LOOKUPS:
        _LOOKUPS.append(lookup)


def sources_of(record: Model) -> list[Any]:
    """Every source the registered lookups know for `record`, in registration order."""
    return [source for lookup in _LOOKUPS for source in lookup(record)]
