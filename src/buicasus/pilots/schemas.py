"""JSON shapes of the pilots API, separate from the models (ids for records, codes for
countries and vocabulary terms, ISO dates)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class PilotIn(Schema):
    title: str
    description: str = ""
    source_initiative: int = Field(description="Id of the registry initiative transferred.")
    source_organisation: int = Field(description="Id of the organisation that mentors.")
    target_country: str = Field(description="ISO code of the country the pilot belongs to.")
    target_organisation: int | None = None
    need: int | None = Field(None, description="Id of the matching need the pilot answers.")
    scaling_strategy: str | None = Field(None, description="Code, e.g. knowledge-transfer.")
    status: str = Field("planned", description="planned, active, paused or abandoned.")
    start_date: dt.date
    end_date: dt.date | None = None
    proven_impact: bool = False
    impact_note: str = ""
    viable_economic_model: bool = False
    economic_model_note: str = ""
    trigger: str = Field("", description="pulsion, traction or empty when not known.")
    trigger_note: str = ""


class PilotOut(Schema):
    id: int
    title: str
    description: str
    is_demo: bool
    source_initiative: int
    source_country: str
    source_organisation: int
    target_country: str
    target_organisation: int | None
    need: int | None
    scaling_strategy: str | None
    phase: str
    phase_started: dict[str, Any]
    status: str
    start_date: dt.date
    end_date: dt.date | None
    proven_impact: bool
    impact_note: str
    viable_economic_model: bool
    economic_model_note: str
    trigger: str
    trigger_note: str
    replicated_initiative: int | None
    updated_at: dt.datetime


class PilotPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[PilotOut]


class PilotFilters(Schema):
    country: str | None = Field(None, description="Target or source country code.")
    status: str | None = None
    phase: str | None = None
    q: str | None = Field(None, description="Words in the title.")


class ParticipantIn(Schema):
    role: str = Field(description="mentor or mentee")
    username: str = Field(
        "", description="A platform user's name; then leave name and email empty."
    )
    name: str = ""
    organisation: int | None = None
    email: str = ""


class ParticipantOut(Schema):
    id: int
    role: str
    username: str | None
    name: str
    organisation: int | None
    email: str | None = Field(None, description="Only for the pilot's managers.")


class SessionIn(Schema):
    held_on: dt.date
    participants: list[int] = Field(default_factory=list, description="Participant ids.")
    topics: str
    competences: str = ""
    next_steps: str = ""


class SessionOut(Schema):
    id: int
    held_on: dt.date
    participants: list[int]
    topics: str
    competences: str
    next_steps: str
    recorded_by: str | None


class MilestoneIn(Schema):
    title: str
    due_on: dt.date
    done_on: dt.date | None = None
    note: str = ""


class MilestoneOut(MilestoneIn):
    id: int


class AdaptationIn(Schema):
    phase: str = Field(description="diagnosis, strategy, plan, test or generalisation")
    change: str = Field(description="What changed for the new context.")
    reason: str = Field(description="Why.")
    recorded_on: dt.date


class AdaptationOut(AdaptationIn):
    id: int


class RiskIn(Schema):
    description: str
    likelihood: str = Field(description="low, medium or high")
    impact: str = Field(description="low, medium or high")
    mitigation: str = ""
    status: str = Field("open", description="open, mitigated, occurred or closed")


class RiskOut(RiskIn):
    id: int


class FinishIn(Schema):
    what_worked: str
    impact_observed: str
    would_recommend: bool
    lessons: str
    end_date: dt.date | None = Field(None, description="Today when omitted.")
    initiative_title: str | None = Field(None, description="Title of the new initiative.")


class FinishOut(Schema):
    pilot: PilotOut
    replicated_initiative: int


class PhaseStepOut(Schema):
    phase: str
    state: str
    started: dt.date | None


class ProgressOut(Schema):
    phase: str
    status: str
    timeline: list[PhaseStepOut]
    phase_number: int
    phase_count: int
    phase_percent: int
    milestones_total: int
    milestones_done: int
    milestones_overdue: int
    overdue_titles: list[str]
    sessions: int
    last_session: dt.date | None
    checklist_done: int
    checklist_total: int
    checklist_percent: int
    checklist_missing: list[str]
