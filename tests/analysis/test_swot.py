"""The SWOT table of a country: derived lines in words with evidence, editors' edits kept by
key (with history) across re-derivations, permissions and validation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from buicasus.analysis import services
from buicasus.analysis.models import SwotEdit, SwotEditEntry
from buicasus.assessment.models import Campaign

pytestmark = pytest.mark.django_db


def lines(table: services.SwotTable) -> dict[str, services.SwotLine]:
    return {line.key: line for line in table.lines()}


@pytest.fixture
def three(run_campaign: Callable[..., Campaign]) -> Campaign:
    """ES strong on culture, weak on finance; LV and FR flat at 5."""
    run_campaign("LV")
    run_campaign("FR")
    return run_campaign("ES", {"culture": 9, "finance": 1})


def test_derived_lines_in_words_with_evidence(three: Campaign) -> None:
    table = services.swot("es", lang="en")
    assert table.campaign == three
    found = lines(table)
    culture = found["score-strength:culture"]
    assert culture.quadrant == "strength" and culture.origin == "score"
    assert culture.text.startswith("Culture and awareness is self-assessed at 9.0")
    assert "other countries' median (5.0)" in culture.text
    assert culture.evidence_url == "/analysis/ES/#dim-culture"
    assert found["score-weakness:finance"].quadrant == "weakness"
    learning = found["peer-learning:finance"]
    assert "France, Latvia" in learning.text
    assert learning.evidence_url == "/analysis/compare/?countries=ES&countries=FR&countries=LV"


def test_disagreement_becomes_a_threat(
    run_campaign: Callable[..., Campaign], settings: Any
) -> None:
    settings.MATURITY_GAP = 3.0
    run_campaign("SE", groups={"funder": {"legal": 9}, "initiative": {"legal": 2}})
    threat = lines(services.swot("SE", lang="en"))["disagreement:legal"]
    assert threat.quadrant == "threat" and threat.origin == "disagreement"
    assert "differ by 7.0 points" in threat.text
    assert "highest: funders; lowest: initiatives" in threat.text
    assert threat.evidence_url == "/analysis/SE/#dim-legal"


def test_reword_keeps_history_and_survives_new_data(
    three: Campaign, run_campaign: Callable[..., Campaign], make_user: Callable[..., Any]
) -> None:
    editor = make_user("editor", "ES")
    derived = lines(services.swot("ES"))["score-strength:culture"].text
    services.reword_line(editor, "ES", "score-strength:culture", "  A strong culture  of  trust ")
    line = lines(services.swot("ES"))["score-strength:culture"]
    assert (line.text, line.edited, line.derived_text) == (
        "A strong culture of trust",
        True,
        derived,
    )
    run_campaign("ES", {"culture": 10, "finance": 2}, title="Round 2")  # figures change
    line = lines(services.swot("ES"))["score-strength:culture"]
    assert line.text == "A strong culture of trust" and "10.0" in line.derived_text
    entry = services.line_history("ES", "score-strength:culture")[0]
    assert (entry.action, entry.old_text, entry.new_text, entry.user) == (
        "reword",
        derived,
        "A strong culture of trust",
        editor,
    )


def test_empty_wording_goes_back_to_the_derived_one(
    three: Campaign, make_user: Callable[..., Any]
) -> None:
    editor = make_user("editor", "ES")
    services.reword_line(editor, "ES", "score-weakness:finance", "Finance is hard")
    services.reword_line(editor, "ES", "score-weakness:finance", "")
    line = lines(services.swot("ES"))["score-weakness:finance"]
    assert line.edited is False and line.text == line.derived_text
    actions = [e.action for e in services.line_history("ES", "score-weakness:finance")]
    assert actions == ["reset", "reword"]


def test_dismiss_and_restore(three: Campaign, make_user: Callable[..., Any]) -> None:
    editor = make_user("editor", "ES")
    services.dismiss_line(editor, "ES", "score-weakness:finance")
    table = services.swot("ES")
    assert "score-weakness:finance" not in lines(table)
    assert [d.key for d in table.dismissed] == ["score-weakness:finance"]
    services.restore_line(editor, "ES", "score-weakness:finance")
    table = services.swot("ES")
    assert "score-weakness:finance" in lines(table) and table.dismissed == []


def test_edit_reattaches_when_the_line_comes_back(
    three: Campaign, run_campaign: Callable[..., Campaign], make_user: Callable[..., Any]
) -> None:
    editor = make_user("editor", "ES")
    services.dismiss_line(editor, "ES", "score-weakness:finance")
    run_campaign("ES", {"culture": 9}, title="Round 2")  # finance no longer weak
    table = services.swot("ES")
    assert "score-weakness:finance" not in [d.key for d in table.dismissed]
    assert SwotEdit.objects.filter(key="score-weakness:finance").exists()
    run_campaign("ES", {"finance": 0}, title="Round 3")  # weak again: still dismissed
    assert "score-weakness:finance" in [d.key for d in services.swot("ES").dismissed]


def test_editors_add_their_own_lines(three: Campaign, make_user: Callable[..., Any]) -> None:
    editor = make_user("editor", "ES")
    edit = services.add_line(editor, "ES", "opportunity", "ESF+ 2028 call")
    line = lines(services.swot("ES"))[edit.key]
    assert (line.quadrant, line.origin, line.text) == ("opportunity", "manual", "ESF+ 2028 call")
    services.reword_line(editor, "ES", edit.key, "ESF+ 2028 calls")
    assert lines(services.swot("ES"))[edit.key].text == "ESF+ 2028 calls"
    with pytest.raises(ValidationError) as caught:
        services.reword_line(editor, "ES", edit.key, " ")
    assert "text" in caught.value.message_dict


@pytest.mark.parametrize(
    ("quadrant", "text", "field"),
    [("strength", "", "text"), ("nonsense", "A line", "quadrant"), ("threat", "x" * 601, "text")],
)
def test_bad_input_names_the_field_and_writes_nothing(
    make_user: Callable[..., Any], framework: Any, quadrant: str, text: str, field: str
) -> None:
    editor = make_user("editor", "ES")
    with pytest.raises(ValidationError) as caught:
        services.add_line(editor, "ES", quadrant, text)
    assert field in caught.value.message_dict
    assert not SwotEdit.objects.exists() and not SwotEditEntry.objects.exists()


def test_unknown_line_is_refused(three: Campaign, make_user: Callable[..., Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        services.dismiss_line(make_user("editor", "ES"), "ES", "score-strength:nowhere")
    assert "key" in caught.value.message_dict
    assert not SwotEdit.objects.exists()


@pytest.mark.parametrize(("role", "country"), [("editor", "LV"), ("viewer", "ES"), (None, None)])
def test_only_editors_of_the_country_edit(
    three: Campaign, make_user: Callable[..., Any], role: str | None, country: str | None
) -> None:
    user = make_user(role, country)
    with pytest.raises(PermissionDenied):
        services.dismiss_line(user, "ES", "score-weakness:finance")
    with pytest.raises(PermissionDenied):
        services.add_line(user, "ES", "threat", "Budget cuts")
    assert not SwotEdit.objects.exists()


def test_indicator_lines_without_any_campaign(framework: Any) -> None:
    from tests.registry.factories import initiative

    for n in range(6):
        initiative("PT", title=f"Plain {n}")
    table = services.swot("PT", lang="en")
    threat = lines(table)["few-replicated"]
    assert threat.origin == "indicator"
    assert threat.text == "Few initiatives are replicated or scaled: 0 % of 6 initiatives."
    assert threat.evidence_url == "/initiatives/?country=PT"
    assert table.campaign is None
