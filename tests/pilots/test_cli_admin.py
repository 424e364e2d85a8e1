"""The `pilot-progress` command and the admin (platform admins only)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from buicasus.pilots.models import Pilot, PilotSession

pytestmark = pytest.mark.django_db


def test_pilot_progress_command(pilot: Pilot) -> None:
    PilotSession.objects.create(pilot=pilot, held_on=pilot.start_date, topics="Kick-off")
    out = io.StringIO()
    call_command("pilot_progress", country="lv", stdout=out)
    line = out.getvalue()
    assert f"#{pilot.pk} Transfer to Latvia [ES→LV]" in line
    assert "phase 1/5 diagnosis" in line
    assert "1 sessions" in line
    other = io.StringIO()
    call_command("pilot_progress", country="SE", stdout=other)
    assert other.getvalue() == ""


def test_admin_for_platform_admins_only(pilot: Pilot, make_user: Callable[..., Any]) -> None:
    url = f"/admin/pilots/pilot/{pilot.pk}/change/"
    for role, country, allowed in (("admin", None, True), ("editor", "LV", False)):
        user = make_user(role, country, is_staff=True)
        client = Client()
        client.force_login(user)
        status = client.get(url).status_code
        assert (status == 200) is allowed, (role, status)
