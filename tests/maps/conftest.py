"""Registry records placed in NUTS regions, all named "Maptest …" so a `q` filter isolates them
from the reference data (the consortium's organisations also have coordinates)."""

from __future__ import annotations

from typing import Any

import pytest

from buicasus.reference.models import NutsRegion
from tests.registry.factories import initiative, organisation, term

Q = {"q": "Maptest"}


def region(code: str) -> NutsRegion:
    return NutsRegion.objects.get(code=code)


@pytest.fixture
def orgs(db: None) -> dict[str, Any]:
    """Seven published organisations (one hidden) at every NUTS depth, three with coordinates."""
    return {
        "paris_a": organisation(
            "FR", name="Maptest Paris A", region=region("FR101"), latitude=48.85, longitude=2.35
        ),
        "paris_b": organisation("FR", name="Maptest Paris B", region=region("FR101")),
        "seine": organisation("FR", name="Maptest Seine", region=region("FR10")),
        "idf": organisation(
            "FR",
            name="Maptest IdF",
            region=region("FR1"),
            actor_type=term("actor-type", "cooperative"),
        ),
        "lille": organisation(
            "FR", name="Maptest Lille", region=region("FRE11"), latitude=50.63, longitude=3.06
        ),
        "nowhere": organisation("FR", name="Maptest nowhere"),
        "riga": organisation(
            "LV", name="Maptest Rīga", region=region("LV006"), latitude=56.95, longitude=24.11
        ),
        "hidden": organisation(
            "LV",
            name="Maptest hidden",
            region=region("LV006"),
            published=False,
            latitude=56.9,
            longitude=24.0,
        ),
    }


@pytest.fixture
def inits(db: None) -> dict[str, Any]:
    """Initiatives spread over several regions; one unpublished."""
    spread = initiative("FR", title="Maptest spread")
    spread.regions.set([region("FR101"), region("FR102")])
    spread.policy_fields.add(term("policy-field", "employment"))
    cross = initiative("FR", title="Maptest cross-border")
    cross.regions.set([region("FR101"), region("ES300")])
    hidden = initiative("FR", title="Maptest hidden", published=False)
    hidden.regions.set([region("FR101")])
    coarse = initiative("ES", title="Maptest coarse")
    coarse.regions.set([region("ES3")])
    return {"spread": spread, "cross": cross, "hidden": hidden, "coarse": coarse}
