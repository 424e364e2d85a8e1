"""Pilot fixtures: a Spanish initiative being transferred to Latvia."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from buicasus.pilots.models import Pilot
from buicasus.reference.models import Country
from tests.registry.factories import initiative, organisation

START = dt.date(2026, 1, 15)


@pytest.fixture
def source(db: None) -> dict[str, Any]:
    """A published Spanish initiative and the organisation running it, a Latvian target."""
    return {
        "initiative": initiative("ES", title="Iniciativa de origen"),
        "organisation": organisation("ES", name="Organización de origen"),
        "target": organisation("LV", name="Mērķa organizācija"),
    }


@pytest.fixture
def pilot(source: dict[str, Any]) -> Pilot:
    return Pilot.objects.create(
        title="Transfer to Latvia",
        source_initiative=source["initiative"],
        source_organisation=source["organisation"],
        target_organisation=source["target"],
        target_country=Country.objects.get(code="LV"),
        start_date=START,
        phase_started={"diagnosis": START.isoformat()},
    )
