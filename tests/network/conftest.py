"""A small ecosystem for network tests, every name starting "Nettest" so assertions can tell
these organisations from the consortium the reference data loads.

    LV: A (NGO) —partners-with— B (social enterprise) —funds— C (public agency)
        A and C share initiative I (A leads) → co-participation A–C
        C —partners-with— D (ES, social enterprise): the one cross-border tie
        G (LV, foundation): isolated
    Hidden: E (ES, unpublished, tied to D) and F (LV, unpublished, tied to A).
"""

from __future__ import annotations

from typing import Any

import pytest

from buicasus.registry.models import InitiativeRole, OrganisationTie
from tests.background import IMMEDIATE
from tests.registry.factories import initiative, organisation, term


def tie(source: Any, target: Any, kind: str = "partners-with") -> OrganisationTie:
    return OrganisationTie.objects.create(
        source=source, target=target, tie_type=term("tie-type", kind)
    )


def role(org: Any, init: Any, code: str = "partner") -> InitiativeRole:
    return InitiativeRole.objects.create(
        organisation=org, initiative=init, role=term("initiative-role", code)
    )


@pytest.fixture
def eco(db: None) -> dict[str, Any]:
    def org(country: str, name: str, kind: str, **extra: Any) -> Any:
        return organisation(
            country, name=f"Nettest {name}", actor_type=term("actor-type", kind), **extra
        )

    records = {
        "A": org("LV", "A", "association-ngo"),
        "B": org("LV", "B", "social-enterprise"),
        "C": org("LV", "C", "public-agency"),
        "D": org("ES", "D", "social-enterprise"),
        "G": org("LV", "G", "foundation"),
        "E": org("ES", "Hidden E", "cooperative", published=False),
        "F": org("LV", "Hidden F", "cooperative", published=False),
    }
    tie(records["A"], records["B"])
    tie(records["B"], records["C"], "funds")
    tie(records["C"], records["D"])
    tie(records["D"], records["E"])
    tie(records["F"], records["A"])
    records["I"] = initiative("LV", title="Nettest initiative")
    role(records["A"], records["I"], "lead")
    role(records["C"], records["I"])
    return records


@pytest.fixture(autouse=True)
def _tasks_at_once(settings: Any) -> None:
    """Network pages ask a worker for the analysis; here it runs as soon as it is asked
    (`test_background.py` runs the queue for real)."""
    settings.TASKS = IMMEDIATE
