"""The progress view's figures: phase timeline, milestones done and overdue, sessions, checklist."""

from __future__ import annotations

import datetime as dt

import pytest

from buicasus.core.pilot_progress import (
    CHECKLIST,
    PHASES,
    Milestone,
    checklist_missing,
    compute_progress,
    is_overdue,
    next_phase,
    timeline,
)

TODAY = dt.date(2026, 6, 1)


def _progress(**kw: object) -> object:
    values: dict[str, object] = {
        "phase": "plan",
        "status": "active",
        "milestones": [],
        "session_dates": [],
        "checklist": {},
        "today": TODAY,
    }
    values.update(kw)
    return compute_progress(**values)  # type: ignore[arg-type]


def test_phases_follow_avise_steps() -> None:
    assert PHASES == ("diagnosis", "strategy", "plan", "test", "generalisation")
    assert next_phase("diagnosis") == "strategy"
    assert next_phase("test") == "generalisation"
    assert next_phase("generalisation") is None
    with pytest.raises(ValueError):
        next_phase("launch")


def test_timeline_marks_done_current_and_upcoming_with_start_dates() -> None:
    steps = timeline("plan", {"diagnosis": dt.date(2026, 1, 1), "plan": dt.date(2026, 3, 1)})
    assert [s.state for s in steps] == ["done", "done", "current", "upcoming", "upcoming"]
    assert steps[0].started == dt.date(2026, 1, 1)
    assert steps[1].started is None
    assert steps[2].started == dt.date(2026, 3, 1)


def test_a_finished_pilot_has_its_last_phase_done() -> None:
    steps = timeline("test", finished=True)
    assert [s.state for s in steps] == ["done", "done", "done", "done", "upcoming"]


def test_overdue_means_undone_and_past_due() -> None:
    assert is_overdue(Milestone("a", dt.date(2026, 5, 31)), TODAY)
    assert not is_overdue(Milestone("due today", TODAY), TODAY)
    assert not is_overdue(Milestone("done late", dt.date(2026, 5, 1), dt.date(2026, 5, 20)), TODAY)


def test_milestones_counted_done_overdue_and_next() -> None:
    milestones = [
        Milestone("Diagnosis report", dt.date(2026, 2, 1), dt.date(2026, 2, 3)),
        Milestone("Partner agreement", dt.date(2026, 5, 1)),
        Milestone("Budget approved", dt.date(2026, 4, 1)),
        Milestone("First cohort", dt.date(2026, 9, 1)),
    ]
    progress = _progress(milestones=milestones)
    assert progress.milestones_total == 4
    assert progress.milestones_done == 1
    assert progress.milestones_overdue == 2
    assert progress.overdue_titles == ["Budget approved", "Partner agreement"]
    assert progress.next_milestone == milestones[2]
    assert progress.milestones_percent == 25


def test_closed_pilots_raise_no_overdue_alarm() -> None:
    late = [Milestone("Never done", dt.date(2026, 1, 1))]
    for status in ("finished", "abandoned"):
        progress = _progress(milestones=late, status=status)
        assert progress.milestones_overdue == 0
        assert progress.next_milestone is None
    assert _progress(milestones=late, status="paused").milestones_overdue == 1


def test_sessions_counted_with_the_latest_date() -> None:
    dates = [dt.date(2026, 2, 1), dt.date(2026, 4, 9), dt.date(2026, 3, 1)]
    progress = _progress(session_dates=dates)
    assert progress.sessions == 3
    assert progress.last_session == dt.date(2026, 4, 9)
    assert _progress().last_session is None
    assert _progress().milestones_percent is None


def test_checklist_needs_true_flags_and_a_known_trigger() -> None:
    assert checklist_missing({}) == list(CHECKLIST)
    assert checklist_missing({"proven_impact": True, "trigger": "traction"}) == [
        "viable_economic_model"
    ]
    assert checklist_missing({"proven_impact": "yes", "trigger": "other"}) == [
        "proven_impact",
        "viable_economic_model",
        "trigger",
    ]
    full = {"proven_impact": True, "viable_economic_model": True, "trigger": "pulsion"}
    progress = _progress(checklist=full)
    assert (progress.checklist_done, progress.checklist_total) == (3, 3)
    assert progress.checklist_percent == 100
    partial = _progress(checklist={"proven_impact": True})
    assert partial.checklist_done == 1
    assert partial.checklist_percent == 33


def test_phase_position_and_percent() -> None:
    progress = _progress(phase="plan")
    assert (progress.phase_number, progress.phase_count) == (3, 5)
    assert progress.phase_percent == 40
    assert _progress(phase="diagnosis").phase_percent == 0
    assert _progress(phase="test", status="finished").phase_percent == 100


def test_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError):
        _progress(status="done")
