"""The demo pilots: built on the registry's demo, marked as demo, idempotent."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from buicasus.accounts.demo_users import ensure_demo_users
from buicasus.pilots import services
from buicasus.pilots.demo import load_demo
from buicasus.pilots.models import Pilot, PilotParticipant, PilotSession
from buicasus.registry.demo import load_demo as load_registry_demo
from buicasus.registry.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_without_the_registry_demo_nothing_is_created() -> None:
    assert "no demo pilots" in load_demo()
    assert not Pilot.objects.exists()


def test_demo_pilots_in_latvia_and_spain_idempotent() -> None:
    load_registry_demo()
    users = {u.get_username(): u for u in ensure_demo_users()}
    summary = load_demo()
    assert summary.startswith("2 demo pilots (")
    pilots = list(Pilot.objects.order_by("target_country__code"))
    assert [p.target_country.code for p in pilots] == ["ES", "LV"]
    assert all(p.is_demo and "Demo" in p.title for p in pilots)
    assert {p.source_initiative.country.code for p in pilots} == {"FR", "SE"}
    for pilot in pilots:
        assert pilot.sessions.exists()
        assert pilot.milestones.exists()
        assert pilot.adaptations.exists()
        assert pilot.risks.exists()
        assert pilot.participants.filter(role="mentor").exists()
        assert services.progress(pilot).sessions == pilot.sessions.count()
    counts = (Pilot.objects.count(), PilotSession.objects.count(), AuditEntry.objects.count())
    assert load_demo() == summary
    assert (
        Pilot.objects.count(),
        PilotSession.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
    mentor = PilotParticipant.objects.get(user=users["viewer-se"])
    assert mentor.pilot.target_country.code == "LV"
    client = Client()
    client.force_login(users["coordinator-lv"])
    page = client.get(reverse("pilots:list")).content.decode()
    assert "Demo pilot: Neighbourhood Lab" in page
    assert 'class="badge badge-demo"' in page
    assert "Digital Bridges" not in page
