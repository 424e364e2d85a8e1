"""Loading the demo precomputes the public networks, once."""

from __future__ import annotations

from buicasus.network import demo
from buicasus.network.models import NetworkSnapshot
from buicasus.registry.demo import load_demo as load_registry_demo


def test_demo_precomputes_each_country_and_is_idempotent(db: None) -> None:
    load_registry_demo()
    text = demo.load_demo()
    assert "network computed" in text
    snapshots = dict(NetworkSnapshot.objects.values_list("country", "computed_at"))
    assert "" in snapshots and len(snapshots) >= 2
    demo.load_demo()
    assert dict(NetworkSnapshot.objects.values_list("country", "computed_at")) == snapshots
