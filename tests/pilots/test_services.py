"""Pilot operations: rules on dates and people, permissions, phases, audit, finishing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from buicasus.pilots import access, services
from buicasus.pilots.forms import (
    FinishForm,
    MilestoneForm,
    ParticipantForm,
    PilotForm,
    SessionForm,
)
from buicasus.pilots.models import Pilot, PilotMilestone, PilotParticipant, PilotSession
from buicasus.registry.models import AuditEntry, AuditLink, Initiative, InitiativeRole
from tests.pilots.conftest import START
from tests.registry.factories import organisation

pytestmark = pytest.mark.django_db


def pilot_data(source: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = {
        "title": "Tejiendo Empleo in Latvia",
        "source_initiative": source["initiative"].pk,
        "source_organisation": source["organisation"].pk,
        "target_country": "LV",
        "target_organisation": source["target"].pk,
        "status": "planned",
        "start_date": "2026-01-15",
    }
    data.update(changes)
    return data


def evaluation(**changes: Any) -> dict[str, Any]:
    data = {
        "what_worked": "Peer visits.",
        "impact_observed": "Twelve people in work after six months.",
        "would_recommend": "true",
        "lessons": "Start with the municipality.",
        "end_date": "2026-10-01",
        "initiative_title": "Demo replicated in Latvia",
    }
    data.update(changes)
    return data


def test_editor_of_the_target_country_creates_a_pilot(
    source: dict[str, Any], make_user: Callable[..., Any]
) -> None:
    form = PilotForm(data=pilot_data(source))
    pilot = services.save_pilot(make_user("editor", "LV"), form)
    assert pilot.phase == "diagnosis"
    assert pilot.phase_started == {"diagnosis": "2026-01-15"}
    entry = AuditEntry.objects.get(model="pilot", object_id=str(pilot.pk))
    assert entry.action == "create"
    assert entry.user is not None


def test_editor_elsewhere_may_not_create_it(
    source: dict[str, Any], make_user: Callable[..., Any]
) -> None:
    form = PilotForm(data=pilot_data(source))
    with pytest.raises(PermissionDenied):
        services.save_pilot(make_user("editor", "FR"), form)
    assert not Pilot.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_date": "2026-01-01"}, "end_date"),
        ({"target_country": "ES"}, "target_country"),
        ({"target_country": "SE"}, "target_organisation"),
        ({"status": "finished"}, "status"),
        ({"target_country": "XX"}, "target_country"),
    ],
)
def test_bad_pilot_input_names_the_field(
    source: dict[str, Any], changes: dict[str, Any], field: str
) -> None:
    form = PilotForm(data=pilot_data(source, **changes))
    assert not form.is_valid()
    assert field in form.errors


def test_start_date_cannot_move_after_recorded_entries(pilot: Pilot) -> None:
    PilotMilestone.objects.create(pilot=pilot, title="Kick-off", due_on=START)
    data = pilot_data(
        {
            "initiative": pilot.source_initiative,
            "organisation": pilot.source_organisation,
            "target": pilot.target_organisation,
        },
        start_date="2026-02-01",
    )
    form = PilotForm(data=data, instance=pilot)
    assert not form.is_valid()
    assert "start_date" in form.errors


def test_milestone_before_the_start_is_refused(pilot: Pilot) -> None:
    form = MilestoneForm(data={"title": "Early", "due_on": "2026-01-01"}, pilot=pilot)
    assert not form.is_valid()
    assert "before the pilot's start" in form.errors["due_on"][0]
    assert not PilotMilestone.objects.exists()


def test_a_mentor_cannot_also_be_a_mentee(pilot: Pilot, make_user: Callable[..., Any]) -> None:
    person = make_user(username="ilze")
    PilotParticipant.objects.create(pilot=pilot, role="mentor", user=person)
    form = ParticipantForm(data={"role": "mentee", "username": "ilze"}, pilot=pilot)
    assert not form.is_valid()
    assert "nobody can be both" in form.errors["username"][0]
    PilotParticipant.objects.create(pilot=pilot, role="mentee", name="Ana Ruiz", email="a@x.org")
    named = ParticipantForm(data={"role": "mentor", "name": "ana ruiz"}, pilot=pilot)
    assert not named.is_valid()
    assert "name" in named.errors
    by_email = ParticipantForm(
        data={"role": "mentor", "name": "A. R.", "email": "A@x.org"}, pilot=pilot
    )
    assert not by_email.is_valid()


def test_participant_needs_a_user_or_a_name(pilot: Pilot) -> None:
    empty = ParticipantForm(data={"role": "mentor"}, pilot=pilot)
    assert not empty.is_valid()
    assert "name" in empty.errors
    unknown = ParticipantForm(data={"role": "mentor", "username": "ghost"}, pilot=pilot)
    assert not unknown.is_valid()
    assert "ghost" in unknown.errors["username"][0]


def test_who_may_record_sessions(pilot: Pilot, make_user: Callable[..., Any]) -> None:
    mentee = make_user(username="mentee-user")
    PilotParticipant.objects.create(pilot=pilot, role="mentee", user=mentee)
    data = {"held_on": "2026-02-01", "topics": "Business model"}
    for user in (mentee, make_user("editor", "ES"), make_user("editor", "LV")):
        form = SessionForm(data=data, pilot=pilot)
        assert services.save_entry(user, pilot, form).pk
    for user in (make_user("viewer", "LV"), make_user("editor", "FR"), make_user("viewer", "ES")):
        with pytest.raises(PermissionDenied):
            services.save_entry(user, pilot, SessionForm(data=data, pilot=pilot))
    assert PilotSession.objects.count() == 3


def test_session_before_the_start_is_refused(pilot: Pilot) -> None:
    form = SessionForm(data={"held_on": "2025-12-01", "topics": "x"}, pilot=pilot)
    assert not form.is_valid()
    assert "held_on" in form.errors


def test_sessions_are_audited_on_the_pilot(pilot: Pilot, make_user: Callable[..., Any]) -> None:
    person = PilotParticipant.objects.create(pilot=pilot, role="mentor", name="Jon Doe")
    form = SessionForm(
        data={"held_on": "2026-02-01", "topics": "Finance", "participants": [person.pk]},
        pilot=pilot,
    )
    session = services.save_entry(make_user("editor", "LV"), pilot, form)
    entries = services.history(pilot)
    models = {e.model for e in entries}
    assert {"pilotsession", "pilotparticipant"} <= models
    assert AuditLink.objects.filter(model="pilot", object_id=str(pilot.pk)).exists()
    update = AuditEntry.objects.filter(model="pilotsession", object_id=str(session.pk))
    assert any("participants" in e.changes for e in update)


def test_visibility_follows_target_source_and_participation(
    pilot: Pilot, make_user: Callable[..., Any]
) -> None:
    participant = make_user(username="outsider-participant")
    PilotParticipant.objects.create(pilot=pilot, role="mentee", user=participant)
    for user in (make_user("viewer", "LV"), make_user("viewer", "ES"), participant):
        assert list(access.visible_pilots(user)) == [pilot]
        assert access.can_view(user, pilot)
    outsider = make_user("coordinator", "SE")
    assert not access.visible_pilots(outsider).exists()
    assert not access.can_view(outsider, pilot)
    with pytest.raises(PermissionDenied):
        services.get_pilot(outsider, pilot.pk)


def test_advance_phase(pilot: Pilot, make_user: Callable[..., Any]) -> None:
    editor = make_user("editor", "LV")
    services.advance_phase(editor, pilot, today=dt.date(2026, 3, 1))
    pilot.refresh_from_db()
    assert (pilot.phase, pilot.status) == ("strategy", "active")
    assert pilot.phase_started["strategy"] == "2026-03-01"
    for _ in range(3):
        services.advance_phase(editor, pilot)
    with pytest.raises(ValidationError) as refused:
        services.advance_phase(editor, pilot)
    assert "phase" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.advance_phase(make_user("editor", "ES"), pilot)


def test_finish_needs_an_evaluation(pilot: Pilot) -> None:
    form = FinishForm(data={"end_date": "2026-10-01", "initiative_title": "x"}, pilot=pilot)
    assert not form.is_valid()
    assert {"what_worked", "impact_observed", "would_recommend", "lessons"} <= set(form.errors)
    early = FinishForm(data=evaluation(end_date="2025-01-01"), pilot=pilot)
    assert not early.is_valid()
    assert "end_date" in early.errors


def test_finish_creates_the_replication_once(pilot: Pilot, make_user: Callable[..., Any]) -> None:
    editor = make_user("editor", "LV")
    before = Initiative.objects.count()
    replica = services.finish(editor, pilot, FinishForm(data=evaluation(), pilot=pilot))
    assert replica.replicated_from == pilot.source_initiative
    assert replica.country.code == "LV"
    assert not replica.published
    assert replica.review_status == "approved"
    assert replica.title == "Demo replicated in Latvia"
    assert replica.outcome_evidence == "Twelve people in work after six months."
    roles = set(
        InitiativeRole.objects.filter(initiative=replica).values_list(
            "organisation__name", "role__code"
        )
    )
    assert roles == {("Mērķa organizācija", "lead"), ("Organización de origen", "mentor")}
    assert AuditEntry.objects.filter(model="initiative", object_id=str(replica.pk)).exists()
    pilot.refresh_from_db()
    assert pilot.status == "finished"
    assert pilot.end_date == dt.date(2026, 10, 1)
    again = services.finish(
        editor, pilot, FinishForm(data=evaluation(lessons="Updated."), pilot=pilot)
    )
    assert again.pk == replica.pk
    assert Initiative.objects.count() == before + 1
    assert pilot.evaluation.lessons == "Updated."


def test_only_managers_finish_and_abandoned_pilots_do_not(
    pilot: Pilot, make_user: Callable[..., Any]
) -> None:
    with pytest.raises(PermissionDenied):
        services.finish(
            make_user("editor", "ES"), pilot, FinishForm(data=evaluation(), pilot=pilot)
        )
    pilot.status = "abandoned"
    pilot.save()
    with pytest.raises(ValidationError):
        services.finish(
            make_user("editor", "LV"), pilot, FinishForm(data=evaluation(), pilot=pilot)
        )
    assert pilot.replicated_initiative_id is None
    assert not Initiative.objects.filter(replicated_from=pilot.source_initiative).exists()


def test_progress_reads_the_pilot(pilot: Pilot) -> None:
    PilotMilestone.objects.create(pilot=pilot, title="Late", due_on=dt.date(2026, 2, 1))
    PilotSession.objects.create(pilot=pilot, held_on=dt.date(2026, 2, 2), topics="x")
    pilot.proven_impact = True
    progress = services.progress(pilot, today=dt.date(2026, 3, 1))
    assert (progress.milestones_overdue, progress.sessions, progress.checklist_done) == (1, 1, 1)


def test_target_organisation_in_another_country_is_refused(source: dict[str, Any]) -> None:
    other = organisation("SE", name="Svensk")
    form = PilotForm(data=pilot_data(source, target_organisation=other.pk))
    assert not form.is_valid()
    assert "target_organisation" in form.errors
