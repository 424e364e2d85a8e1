"""The network's data version listens to the registry's change event: any committed change to
organisations or initiatives (their roles and ties announce them) makes every cached network
snapshot stale."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from buicasus.network.models import NetworkDataVersion
from buicasus.registry import changes

# Kinds whose changes can alter a network: ties and roles announce their organisations and
# initiatives, identifiers and fundings do too (harmless: one counter bump per transaction).
WATCHED = frozenset({"organisation", "initiative"})


def bump() -> int:
    """Move the data version on; returns the new one."""
    if not NetworkDataVersion.objects.filter(pk=1).update(counter=F("counter") + 1):
        NetworkDataVersion.objects.get_or_create(pk=1, defaults={"counter": 1})
    return current()


def current() -> int:
    found = NetworkDataVersion.objects.filter(pk=1).values_list("counter", flat=True).first()
    return int(found or 0)


def _records_changed(sender: str, **kw: Any) -> None:
    if sender in WATCHED:
        bump()


def connect() -> None:
    """Called once from the app's `ready()`."""
    changes.records_changed.connect(_records_changed, dispatch_uid="network-records-changed")
