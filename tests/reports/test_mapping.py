"""The report's data for a seeded country: numbers, highlights, sources, visibility, choices."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from buicasus.registry.models import Organisation
from buicasus.reports.highlights import interesting_initiatives
from buicasus.reports.mapping import (
    PARTNERS,
    ReportError,
    check_language,
    mapping_report,
    parse_countries,
)
from tests.reports.conftest import OPEN_LICENCE, OPEN_SOURCE


def _counts(rows: list[Any]) -> dict[str, int]:
    return {row.code: row.n for row in rows}


def test_numbers_for_a_seeded_country(seeded: dict[str, Any]) -> None:
    report = mapping_report(None, ["LV"], "en")
    published_lv = Organisation.objects.filter(country__code="LV", published=True).count()
    assert report.organisations == str(published_lv)
    assert report.initiatives == "4"  # the hidden one is left out
    assert report.names == ["Latvia"]
    assert not report.transnational
    assert _counts(report.by_stage) == {"idea": 1, "implementation": 1, "testing": 1, "impact": 1}
    # vocabulary order, not by count: idea → … → impact
    assert [r.code for r in report.by_stage] == ["idea", "implementation", "testing", "impact"]
    evidence = _counts(report.by_evidence)
    assert evidence["best-practice"] == 1 and evidence[""] == 1  # "plain" has no level
    assert _counts(report.by_policy_field)["employment"] == 2
    assert _counts(report.by_policy_field)[""] == 2  # two initiatives without a field
    types = _counts(report.actors_by_type)
    assert types["cooperative"] >= 1 and types["association-ngo"] >= 1
    regions = _counts(report.actors_by_region)
    assert regions["LV00"] >= 2  # LV006 and LV007 roll up into the NUTS 2 region LV00
    assert set(report.charts) == {"actors_by_type", "by_stage", "by_evidence", "by_policy_field"}
    assert all(svg.startswith("<svg") for svg in report.charts.values())
    assert [step.title for step in report.method] == [
        "Nomination survey",
        "Deeper inquiry",
        "Case studies",
    ]


def test_interesting_initiatives_follow_the_rule(seeded: dict[str, Any]) -> None:
    report = mapping_report(None, ["LV"], "en")
    titles = [h.title for h in report.highlights]
    # best practice + replicated + impact stage (10) first; then promising practice with a
    # Swedish partner (2 + 2); then the replica (innovation, replicated: 0 + 3). The plain
    # idea does not qualify, the hidden one is not visible.
    assert titles == ["Reptest best practice", "Reptest with Swedish partner", "Reptest replica"]
    best = report.highlights[0]
    assert best.points == 6 + 3 + 1
    assert "replicated" in best.reasons
    assert best.website == "https://example.org/reptest-best"
    assert best.path == reverse("registry:initiative-detail", args=[seeded["best"].pk])
    assert report.highlights[1].reasons == ["partners in another country"]
    assert report.highlights[2].points == 3


def test_foreign_partner_counts_only_when_visible(seeded: dict[str, Any]) -> None:
    from buicasus.registry import services as registry

    seeded["swedish"].published = False
    seeded["swedish"].save()
    inits = registry.visible_initiatives(None).filter(country__code="LV")
    found = interesting_initiatives(inits, None)
    assert "Reptest with Swedish partner" not in [h.title for h in found]


def test_sources_and_dates(seeded: dict[str, Any]) -> None:
    report = mapping_report(None, ["LV"], "en")
    row = next(s for s in report.sources if s.name == OPEN_SOURCE)
    assert row.licence == OPEN_LICENCE
    assert (row.organisations, row.initiatives) == ("1", "1")
    assert row.batches == 1
    assert row.first_import is not None and row.first_import.year == 2025
    assert row.last_import is not None and row.last_import > row.first_import
    assert any(s.name == "Entered on the platform" for s in report.sources)
    assert not report.has_demo


def test_unpublished_records_only_for_those_allowed(seeded: dict[str, Any], make_user: Any) -> None:
    viewer_lv = make_user("viewer", "LV")
    viewer_fr = make_user("viewer", "FR")
    inside = mapping_report(viewer_lv, ["LV"], "en")
    outside = mapping_report(viewer_fr, ["LV"], "en")
    assert inside.initiatives == "5" and outside.initiatives == "4"
    assert inside.sees_unpublished and not outside.sees_unpublished
    assert "Reptest hidden initiative" in [h.title for h in inside.highlights]
    assert "Reptest hidden initiative" not in [h.title for h in outside.highlights]


def test_localised_labels_and_numbers(seeded: dict[str, Any]) -> None:
    before = translation.get_language()
    report = mapping_report(None, ["LV"], "lv")
    assert translation.get_language() == before  # the override ends with the build
    assert report.names == ["Latvija"]
    assert "Pierādījumu" not in report.title  # the title is a sentence, labels are terms
    labels = {r.code: r.label for r in report.by_evidence}
    assert labels["best-practice"] == "Labākā prakse"
    stages = {r.code: r.label for r in report.by_stage}
    assert stages["idea"] == "Ideja"  # SI-DRIVE stage in Latvian


def test_transnational_scope(seeded: dict[str, Any]) -> None:
    report = mapping_report(None, list(PARTNERS), "fr")
    assert report.transnational
    assert [row["code"] for row in report.per_country] == list(PARTNERS)
    lv = next(row for row in report.per_country if row["code"] == "LV")
    assert lv["initiatives"] == "4"
    assert report.map is not None  # four countries drawn at NUTS 2


def test_country_and_language_choices(db: None) -> None:
    assert parse_countries("lv") == ["LV"]
    assert parse_countries(None) == list(PARTNERS)
    assert parse_countries("ALL") == list(PARTNERS)
    assert parse_countries(countries="es,FR,ES") == ["ES", "FR"]
    with pytest.raises(ReportError) as bad:
        parse_countries("XX")
    assert bad.value.field == "country" and "XX" in str(bad.value)
    with pytest.raises(ReportError) as bad_list:
        parse_countries(countries="ES,QQ")
    assert bad_list.value.field == "countries"
    assert check_language("SV") == "sv"
    with pytest.raises(ReportError) as bad_lang:
        check_language("de")
    assert bad_lang.value.field == "lang"


def test_network_and_analysis_sections(seeded: dict[str, Any]) -> None:
    report = mapping_report(None, ["LV"], "en")
    assert report.network.svg.lstrip().startswith(("<svg", "<?xml"))
    facts = dict(report.network.facts)
    assert int(facts["organisations in the network"]) >= 3
    (latvia,) = report.analysis
    assert latvia.indicators
    assert set(latvia.swot) == {"strength", "weakness", "opportunity", "threat"}
