"""Progress of a mentoring pilot: phase timeline, milestones, sessions, readiness checklist.

A transfer pilot follows Avise's five scaling steps, diagnosis → strategy → plan → test →
generalisation. This module turns what a pilot records (its current phase and status, the dates
phases started, its milestones, the number of mentoring sessions, the readiness checklist) into
the figures the progress view shows. Pure: plain values in, plain values out, so the same
figures serve pages, API and reports, and are unit-tested without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

PHASES: tuple[str, ...] = ("diagnosis", "strategy", "plan", "test", "generalisation")
STATUSES: tuple[str, ...] = ("planned", "active", "paused", "finished", "abandoned")
CLOSED_STATUSES: frozenset[str] = frozenset({"finished", "abandoned"})
TRIGGERS: tuple[str, ...] = ("pulsion", "traction")
# Readiness (Avise): proven impact, a viable economic model, and a known trigger, i.e. whether
# the scaling is pushed from inside ("pulsion") or pulled from outside ("traction").
CHECKLIST: tuple[str, ...] = ("proven_impact", "viable_economic_model", "trigger")


@dataclass(frozen=True)
class Milestone:
    """What the progress view needs to know about one milestone."""

    title: str
    due: dt.date
    done: dt.date | None = None


@dataclass(frozen=True)
class PhaseStep:
    """One step of the timeline: `state` is done, current or upcoming."""

    phase: str
    state: str
    started: dt.date | None


@dataclass(frozen=True)
class Progress:
    phase: str
    status: str
    timeline: list[PhaseStep]
    phase_number: int  # 1-based position of the current phase
    phase_count: int
    milestones_total: int
    milestones_done: int
    milestones_overdue: int
    overdue_titles: list[str]
    next_milestone: Milestone | None
    sessions: int
    last_session: dt.date | None
    checklist_done: int
    checklist_total: int
    checklist_missing: list[str]

    @property
    def checklist_percent(self) -> int:
        return round(100 * self.checklist_done / self.checklist_total)

    @property
    def milestones_percent(self) -> int | None:
        """Share of milestones done, or None when there are none (nothing to show)."""
        if not self.milestones_total:
            return None
        return round(100 * self.milestones_done / self.milestones_total)

    @property
    def phase_percent(self) -> int:
        """How far along the five steps the pilot is; a finished pilot is at 100."""
        if self.status == "finished":
            return 100
        return round(100 * (self.phase_number - 1) / self.phase_count)


def next_phase(phase: str) -> str | None:
    """The phase after `phase`, or None after the last one. Unknown phases raise ValueError."""
    index = PHASES.index(phase)
    return PHASES[index + 1] if index + 1 < len(PHASES) else None


def is_overdue(milestone: Milestone, today: dt.date) -> bool:
    """Not done and its due date has passed (a milestone due today is not yet overdue)."""
    return milestone.done is None and milestone.due < today


def checklist_missing(checklist: Mapping[str, object]) -> list[str]:
    """The readiness items not yet satisfied: a true flag, or for the trigger a known kind."""
    missing = []
    for item in CHECKLIST:
        value = checklist.get(item)
        ok = value in TRIGGERS if item == "trigger" else value is True
        if not ok:
            missing.append(item)
    return missing


def timeline(
    phase: str, started: Mapping[str, dt.date] | None = None, *, finished: bool = False
) -> list[PhaseStep]:
    """The five steps, those before `phase` done, `phase` current (done when finished)."""
    current = PHASES.index(phase)
    started = started or {}
    steps = []
    for index, name in enumerate(PHASES):
        if index < current or (finished and index == current):
            state = "done"
        elif index == current:
            state = "current"
        else:
            state = "upcoming"
        steps.append(PhaseStep(name, state, started.get(name)))
    return steps


def compute_progress(
    *,
    phase: str,
    status: str,
    milestones: Sequence[Milestone],
    session_dates: Sequence[dt.date],
    checklist: Mapping[str, object],
    today: dt.date,
    phase_started: Mapping[str, dt.date] | None = None,
) -> Progress:
    """Everything the progress view shows, computed from what the pilot recorded.

    Overdue milestones are counted only while the pilot is open: once it is finished or
    abandoned, an undone milestone is history, not an alarm.
    """
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    open_pilot = status not in CLOSED_STATUSES
    overdue = [m for m in milestones if open_pilot and is_overdue(m, today)]
    pending = sorted((m for m in milestones if m.done is None), key=lambda m: (m.due, m.title))
    missing = checklist_missing(checklist)
    return Progress(
        phase=phase,
        status=status,
        timeline=timeline(phase, phase_started, finished=status == "finished"),
        phase_number=PHASES.index(phase) + 1,
        phase_count=len(PHASES),
        milestones_total=len(milestones),
        milestones_done=sum(1 for m in milestones if m.done is not None),
        milestones_overdue=len(overdue),
        overdue_titles=[m.title for m in sorted(overdue, key=lambda m: (m.due, m.title))],
        next_milestone=pending[0] if pending and open_pilot else None,
        sessions=len(session_dates),
        last_session=max(session_dates) if session_dates else None,
        checklist_done=len(CHECKLIST) - len(missing),
        checklist_total=len(CHECKLIST),
        checklist_missing=missing,
    )
