"""The demo needs: marked, shared, each with one recommendation; loading twice changes nothing."""

from __future__ import annotations

import pytest

from buicasus.accounts.demo_users import ensure_demo_users
from buicasus.matching import demo
from buicasus.matching.models import Need, NeedShare, Notification, Recommendation
from buicasus.registry.demo import load_demo as load_registry_demo

pytestmark = pytest.mark.django_db


def test_demo_needs_are_marked_shared_and_recommended() -> None:
    load_registry_demo()
    ensure_demo_users()
    summary = demo.load_demo()
    assert summary.startswith("2 demo needs")
    demo.load_demo()
    needs = Need.objects.order_by("country__code")
    assert [n.country.code for n in needs] == ["ES", "LV"]
    assert all(n.is_demo and n.title.startswith("Demo") for n in needs)
    assert NeedShare.objects.count() == 4
    assert Recommendation.objects.count() == 2
    assert all(r.is_demo for r in Recommendation.objects.all())
    for need in needs:
        rec = need.recommendations.get()
        assert rec.country.code in need.shares.values_list("country__code", flat=True)
        assert rec.initiative.country == rec.country
    assert Notification.objects.count() == 2
