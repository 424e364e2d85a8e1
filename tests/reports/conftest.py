"""A small seeded Latvian ecosystem (with one Swedish partner) for report tests.

All names contain "Reptest" so they stand apart from the consortium's reference organisations.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from buicasus.importer.models import BatchStatus, ImportBatch
from buicasus.reference.models import NutsRegion
from buicasus.registry.models import InitiativeRole
from tests.background import IMMEDIATE
from tests.registry.factories import initiative, organisation, term

OPEN_SOURCE = "Reptest open register"
OPEN_LICENCE = "CC BY 4.0 — Reptest register"


@pytest.fixture
def seeded(db: None) -> dict[str, Any]:
    """Latvian organisations and initiatives at several stages, evidence levels and fields."""
    imported = timezone.make_aware(dt.datetime(2025, 3, 14, 10, 0))
    riga = NutsRegion.objects.get(code="LV006")
    coop = organisation(
        "LV",
        name="Reptest Rīgas kooperatīvs",
        actor_type=term("actor-type", "cooperative"),
        region=riga,
        source_name=OPEN_SOURCE,
        licence=OPEN_LICENCE,
        imported_at=imported,
    )
    ngo = organisation(
        "LV",
        name="Reptest biedrība Ķekava",
        actor_type=term("actor-type", "association-ngo"),
        region=NutsRegion.objects.get(code="LV007"),
    )
    hidden_org = organisation("LV", name="Reptest hidden organisation", published=False)
    swedish = organisation(
        "SE", name="Reptest Malmö partner", actor_type=term("actor-type", "foundation")
    )
    best = initiative(
        "LV",
        title="Reptest best practice",
        stage=term("si-stage", "impact"),
        evidence_level=term("evidence-level", "best-practice"),
        website="https://example.org/reptest-best",
        source_name=OPEN_SOURCE,
        licence=OPEN_LICENCE,
        imported_at=imported,
    )
    best.policy_fields.set([term("policy-field", "employment"), term("policy-field", "education")])
    copy = initiative(
        "LV",
        title="Reptest replica",
        stage=term("si-stage", "testing"),
        evidence_level=term("evidence-level", "innovation"),
        replicated_from=best,
    )
    copy.policy_fields.set([term("policy-field", "employment")])
    abroad = initiative(
        "LV",
        title="Reptest with Swedish partner",
        stage=term("si-stage", "implementation"),
        evidence_level=term("evidence-level", "promising-practice"),
    )
    plain = initiative("LV", title="Reptest plain idea", stage=term("si-stage", "idea"))
    hidden = initiative(
        "LV",
        title="Reptest hidden initiative",
        evidence_level=term("evidence-level", "best-practice"),
        published=False,
    )
    for org, init, role in (
        (coop, best, "lead"),
        (ngo, copy, "lead"),
        (coop, abroad, "lead"),
        (swedish, abroad, "partner"),
    ):
        InitiativeRole.objects.create(
            organisation=org, initiative=init, role=term("initiative-role", role)
        )
    batch = ImportBatch.objects.create(
        source_name=OPEN_SOURCE, licence=OPEN_LICENCE, status=BatchStatus.DONE
    )
    ImportBatch.objects.filter(pk=batch.pk).update(finished_at=imported + dt.timedelta(minutes=5))
    return {
        "coop": coop,
        "ngo": ngo,
        "hidden_org": hidden_org,
        "swedish": swedish,
        "best": best,
        "copy": copy,
        "abroad": abroad,
        "plain": plain,
        "hidden": hidden,
    }


@pytest.fixture(autouse=True)
def _tasks_at_once(settings: Any, tmp_path: Path) -> None:
    """Report pages ask workers for the network and the PDF; here they run as soon as they
    are asked (`test_background.py` runs the queue for real), and build into `tmp_path`."""
    settings.TASKS = IMMEDIATE
    settings.DATA_DIR = tmp_path
