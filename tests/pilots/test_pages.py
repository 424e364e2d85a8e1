"""Pilot pages: who sees and changes what, inline entries with htmx, bad input, finishing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from buicasus.matching.models import Need
from buicasus.pilots.models import Pilot, PilotMilestone, PilotParticipant, PilotSession
from buicasus.reference.models import Country
from buicasus.registry.models import AuditEntry, Initiative, InitiativeRole
from tests.registry.factories import term

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _pages(pilot: Pilot) -> list[str]:
    return [
        reverse("pilots:detail", args=[pilot.pk]),
        reverse("pilots:history", args=[pilot.pk]),
    ]


def _manager_pages(pilot: Pilot) -> list[str]:
    return [
        reverse("pilots:update", args=[pilot.pk]),
        reverse("pilots:finish", args=[pilot.pk]),
        reverse("pilots:delete", args=[pilot.pk]),
    ]


@pytest.mark.parametrize("role,country", [("viewer", "LV"), ("viewer", "ES"), ("admin", None)])
def test_readers_see_the_pilot(
    pilot: Pilot, client_for: Callable[..., Client], role: str, country: str | None
) -> None:
    client = client_for(role, country)
    for url in _pages(pilot):
        response = client.get(url)
        assert response.status_code == 200, url
    listing = client.get(reverse("pilots:list"))
    assert pilot.title in listing.content.decode()
    for url in _manager_pages(pilot):
        assert client.get(url).status_code == (200 if role == "admin" else 403)


def test_other_countries_get_403(pilot: Pilot, client_for: Callable[..., Client]) -> None:
    client = client_for("coordinator", "SE")
    for url in _pages(pilot) + _manager_pages(pilot):
        assert client.get(url).status_code == 403, url
    assert pilot.title not in client.get(reverse("pilots:list")).content.decode()
    anonymous = Client().get(reverse("pilots:detail", args=[pilot.pk]))
    assert anonymous.status_code == 302


def test_detail_shows_progress_and_sections(
    pilot: Pilot, client_for: Callable[..., Client]
) -> None:
    PilotMilestone.objects.create(pilot=pilot, title="Late milestone", due_on="2026-01-20")
    page = client_for("editor", "LV").get(reverse("pilots:detail", args=[pilot.pk]))
    html = page.content.decode()
    assert 'aria-current="step"' in html
    assert "Late milestone" in html
    assert "1 overdue" in html
    for section in ("participants", "sessions", "milestones", "adaptations", "risks"):
        assert f'id="{section}"' in html
        assert reverse("pilots:entry-add", args=[pilot.pk, section]) in html


def test_list_filters(pilot: Pilot, client_for: Callable[..., Client]) -> None:
    client = client_for("viewer", "LV")
    url = reverse("pilots:list")
    assert pilot.title in client.get(url, {"country": "LV", "phase": "diagnosis"}).content.decode()
    assert pilot.title in client.get(url, {"country": "ES"}).content.decode()
    assert pilot.title not in client.get(url, {"status": "active"}).content.decode()
    fragment = client.get(url, {"phase": "test"}, headers=HTMX).content.decode()
    assert "<html" not in fragment
    assert pilot.title not in fragment


def test_add_milestone_inline_with_htmx(pilot: Pilot, client_for: Callable[..., Client]) -> None:
    client = client_for("editor", "LV")
    url = reverse("pilots:entry-add", args=[pilot.pk, "milestones"])
    response = client.post(url, {"title": "Agreement", "due_on": "2026-03-01"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Agreement" in html
    assert 'hx-swap-oob="true"' in html
    assert PilotMilestone.objects.filter(pilot=pilot, title="Agreement").exists()


def test_milestone_before_start_shows_the_message(
    pilot: Pilot, client_for: Callable[..., Client]
) -> None:
    client = client_for("editor", "LV")
    url = reverse("pilots:entry-add", args=[pilot.pk, "milestones"])
    audit = AuditEntry.objects.count()
    for headers in (HTMX, {}):
        response = client.post(url, {"title": "Too early", "due_on": "2025-12-01"}, headers=headers)
        assert response.status_code == 200
        assert "before the pilot&#x27;s start" in response.content.decode()
    assert not PilotMilestone.objects.exists()
    assert AuditEntry.objects.count() == audit


def test_session_for_an_invisible_pilot_is_refused_with_a_message(
    pilot: Pilot, client_for: Callable[..., Client]
) -> None:
    client = client_for("editor", "FR")
    url = reverse("pilots:entry-add", args=[pilot.pk, "sessions"])
    response = client.post(url, {"held_on": "2026-02-01", "topics": "Finance"})
    assert response.status_code == 403
    assert "You may not see this pilot." in response.content.decode()
    assert not PilotSession.objects.exists()


def test_mentee_user_records_a_session_but_not_a_risk(
    pilot: Pilot, client_for: Callable[..., Client], make_user: Callable[..., Any]
) -> None:
    mentee = make_user(username="mentee-page")
    person = PilotParticipant.objects.create(pilot=pilot, role="mentee", user=mentee)
    client = Client()
    client.force_login(mentee)
    url = reverse("pilots:entry-add", args=[pilot.pk, "sessions"])
    data = {"held_on": "2026-02-01", "topics": "Finance", "participants": [person.pk]}
    response = client.post(url, data)
    assert response.status_code == 302
    session = PilotSession.objects.get()
    assert session.created_by == mentee
    assert list(session.participants.all()) == [person]
    risk = reverse("pilots:entry-add", args=[pilot.pk, "risks"])
    refused = client.post(risk, {"description": "x", "likelihood": "low", "impact": "low"})
    assert refused.status_code == 403


def test_viewer_cannot_add_entries(pilot: Pilot, client_for: Callable[..., Client]) -> None:
    client = client_for("viewer", "LV")
    url = reverse("pilots:entry-add", args=[pilot.pk, "sessions"])
    assert client.post(url, {"held_on": "2026-02-01", "topics": "x"}).status_code == 403
    assert not PilotSession.objects.exists()


def test_edit_and_delete_an_entry(pilot: Pilot, client_for: Callable[..., Client]) -> None:
    client = client_for("editor", "LV")
    milestone = PilotMilestone.objects.create(pilot=pilot, title="Draft", due_on="2026-02-01")
    edit = reverse("pilots:entry-edit", args=[pilot.pk, "milestones", milestone.pk])
    assert "Draft" in client.get(edit).content.decode()
    add = reverse("pilots:entry-add", args=[pilot.pk, "milestones"])
    data = {
        "entry": milestone.pk,
        "title": "Final",
        "due_on": "2026-02-01",
        "done_on": "2026-02-02",
    }
    client.post(add, data)
    milestone.refresh_from_db()
    assert (milestone.title, str(milestone.done_on)) == ("Final", "2026-02-02")
    delete = reverse("pilots:entry-delete", args=[pilot.pk, "milestones", milestone.pk])
    assert client.post(delete, headers=HTMX).status_code == 200
    assert not PilotMilestone.objects.exists()


def test_create_prefilled_from_a_match(
    source: dict[str, Any], client_for: Callable[..., Client], make_user: Callable[..., Any]
) -> None:
    need = Need.objects.create(
        title="Jobs for young people",
        text="We need work integration for young people.",
        country=Country.objects.get(code="LV"),
        organisation=source["target"],
    )
    from buicasus.registry.models import InitiativeRole

    InitiativeRole.objects.create(
        initiative=source["initiative"],
        organisation=source["organisation"],
        role=term("initiative-role", "lead"),
    )
    client = client_for("editor", "LV")
    url = reverse("pilots:create")
    page = client.get(url, {"initiative": source["initiative"].pk, "need": need.pk})
    form = page.context["form"]
    assert form.initial["source_initiative"] == source["initiative"].pk
    assert form.initial["source_organisation"] == source["organisation"].pk
    assert form.initial["target_country"].code == "LV"
    assert form.initial["need"] == need.pk
    data = {
        "title": "From a match",
        "source_initiative": source["initiative"].pk,
        "source_organisation": source["organisation"].pk,
        "target_country": "LV",
        "need": need.pk,
        "status": "planned",
        "start_date": "2026-02-01",
    }
    response = client.post(url, data)
    pilot = Pilot.objects.get(title="From a match")
    assert response.status_code == 302
    assert pilot.need == need


def test_create_refuses_non_editors_and_bad_dates(
    source: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    assert client_for("viewer", "LV").get(reverse("pilots:create")).status_code == 403
    client = client_for("editor", "LV")
    data = {
        "title": "Backwards",
        "source_initiative": source["initiative"].pk,
        "source_organisation": source["organisation"].pk,
        "target_country": "LV",
        "status": "planned",
        "start_date": "2026-02-01",
        "end_date": "2026-01-01",
    }
    response = client.post(reverse("pilots:create"), data)
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    assert not Pilot.objects.exists()


def test_advance_and_finish_through_the_pages(
    pilot: Pilot, client_for: Callable[..., Client]
) -> None:
    client = client_for("coordinator", "LV")
    client.post(reverse("pilots:advance", args=[pilot.pk]))
    pilot.refresh_from_db()
    assert pilot.phase == "strategy"
    finish = reverse("pilots:finish", args=[pilot.pk])
    empty = client.post(finish, {"end_date": "2026-09-01", "initiative_title": "New"})
    assert empty.status_code == 200
    assert "This field is required." in empty.content.decode()
    assert not Initiative.objects.filter(replicated_from=pilot.source_initiative).exists()
    data = {
        "what_worked": "Mentoring visits",
        "impact_observed": "Ten jobs",
        "would_recommend": "true",
        "lessons": "Go slow",
        "end_date": "2026-09-01",
        "initiative_title": "Demo transfer in Latvia",
    }
    assert client.post(finish, data).status_code == 302
    assert client.post(finish, data).status_code == 302
    replicas = Initiative.objects.filter(replicated_from=pilot.source_initiative)
    assert replicas.count() == 1
    assert replicas.get().country.code == "LV"
    assert InitiativeRole.objects.filter(initiative=replicas.get()).count() == 2
    detail = client.get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    assert "Demo transfer in Latvia" in detail
    assert "Mentoring visits" in detail


def test_mentor_who_is_also_mentee_is_refused_on_the_page(
    pilot: Pilot, client_for: Callable[..., Client]
) -> None:
    PilotParticipant.objects.create(pilot=pilot, role="mentor", name="Pēteris Ozols")
    client = client_for("editor", "LV")
    url = reverse("pilots:entry-add", args=[pilot.pk, "participants"])
    response = client.post(url, {"role": "mentee", "name": "Pēteris Ozols"}, headers=HTMX)
    assert "nobody can be both" in response.content.decode()
    assert PilotParticipant.objects.count() == 1


def test_emails_only_for_managers(pilot: Pilot, client_for: Callable[..., Client]) -> None:
    PilotParticipant.objects.create(
        pilot=pilot, role="mentor", name="Marta", email="marta@example.org"
    )
    url = reverse("pilots:detail", args=[pilot.pk])
    assert "marta@example.org" in client_for("editor", "LV").get(url).content.decode()
    assert "marta@example.org" not in client_for("viewer", "LV").get(url).content.decode()


def test_delete_pilot(pilot: Pilot, client_for: Callable[..., Client]) -> None:
    url = reverse("pilots:delete", args=[pilot.pk])
    assert client_for("editor", "ES").post(url).status_code == 403
    assert client_for("editor", "LV").post(url).status_code == 302
    assert not Pilot.objects.exists()
    assert AuditEntry.objects.filter(model="pilot", action="delete").exists()


def test_history_lists_changes_with_labels(pilot: Pilot, client_for: Callable[..., Client]) -> None:
    client = client_for("editor", "LV")
    url = reverse("pilots:entry-add", args=[pilot.pk, "risks"])
    client.post(
        url, {"description": "Winter", "likelihood": "high", "impact": "low", "status": "open"}
    )
    html = client.get(reverse("pilots:history", args=[pilot.pk])).content.decode()
    assert "Risk: Winter" in html
    assert "Likelihood" in html
    assert ">High<" in html


@pytest.mark.parametrize("language", ["en", "fr", "es", "sv", "lv"])
def test_pages_render_in_every_language(
    pilot: Pilot, client_for: Callable[..., Client], language: str
) -> None:
    client = client_for("editor", "LV")
    client.cookies["django_language"] = language
    for url in [
        reverse("pilots:list"),
        reverse("pilots:create"),
        reverse("pilots:detail", args=[pilot.pk]),
        reverse("pilots:update", args=[pilot.pk]),
        reverse("pilots:finish", args=[pilot.pk]),
        reverse("pilots:history", args=[pilot.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()
