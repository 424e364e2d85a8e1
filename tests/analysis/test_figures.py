"""Registry indicators counted from the database: published records only, unknown ≠ zero."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from buicasus.analysis import figures
from buicasus.reference.models import Country
from buicasus.registry.models import Funding, OrganisationTie
from tests.registry.factories import initiative, organisation, term

pytestmark = pytest.mark.django_db


def values(code: str, user: Any = None) -> dict[str, Any]:
    return {i.code: i for i in figures.registry_indicators(code, user=user)}


@pytest.fixture
def denmark() -> Country:
    """A country without reference organisations, with a round population."""
    country = Country.objects.get(code="DK")
    country.population = 2_000_000
    country.save()
    return country


def test_actors_per_million_by_type_counts_published_only(
    denmark: Country, make_user: Callable[..., Any]
) -> None:
    organisation("DK", name="A")
    organisation("DK", name="B")
    organisation("DK", name="C", actor_type=term("actor-type", "foundation"))
    organisation("DK", name="Hidden", published=False)
    editor = make_user("editor", "DK")
    for user in (None, editor):  # the editor sees the draft, but drafts do not count
        found = values("DK", user)["actors-per-million"]
        assert found.value == 1.5
        assert found.detail["counts"] == {"social-enterprise": 2, "foundation": 1}
        assert found.detail["by_type"] == {"social-enterprise": 1.0, "foundation": 0.5}
        assert found.evidence_url == "/organisations/?country=DK"


def test_unknown_population_is_unknown_not_zero(db: None) -> None:
    organisation("PT", name="Lisbon")
    found = values("PT")
    assert found["actors-per-million"].value is None
    assert found["actors-per-million"].detail["population"] is None
    assert found["initiatives-per-million"].value is None


def test_country_without_records_has_unknown_shares(denmark: Country) -> None:
    found = values("DK")
    assert found["actors-per-million"].value == 0.0  # population known, no actor: a real zero
    assert found["replicated-share"].value is None
    assert found["cross-sector-ties"].value is None
    assert found["funding-diversity"].value is None


def test_stage_evidence_and_replication(denmark: Country) -> None:
    original = initiative("DK", title="Original", stage=term("si-stage", "impact"))
    initiative(
        "DK",
        title="Copy",
        replicated_from=original,
        evidence_level=term("evidence-level", "good-practice"),
    )
    initiative("DK", title="Scaling", scaling_strategy=term("scaling-strategy", "duplication"))
    directed = initiative(
        "DK", title="Directed", evidence_level=term("evidence-level", "innovation")
    )
    directed.scaling_directions.add(term("scaling-direction", "out"))
    initiative("DK", title="Plain", stage=term("si-stage", "idea"))
    initiative(
        "DK", title="Draft", published=False, scaling_strategy=term("scaling-strategy", "merger")
    )
    found = values("DK")
    assert found["initiatives-by-stage"].value == 5
    assert found["initiatives-by-stage"].detail["counts"] == {"impact": 1, "idea": 1}
    assert found["initiatives-by-stage"].detail["unknown"] == 3
    assert found["established-evidence"].value == 0.5
    # Original (replicated by Copy), Copy, Scaling, Directed: 4 of 5
    assert found["replicated-share"].value == pytest.approx(0.8)
    assert found["initiatives-per-million"].value == 2.5


def test_replication_by_an_unpublished_initiative_does_not_count(denmark: Country) -> None:
    original = initiative("DK", title="Original")
    initiative("DK", title="Secret copy", replicated_from=original, published=False)
    assert values("DK")["replicated-share"].value == 0.0


def test_funding_diversity_over_counts(denmark: Country) -> None:
    one = initiative("DK", title="One")
    two = initiative("DK", title="Two")
    hidden = initiative("DK", title="Hidden", published=False)
    Funding.objects.create(
        initiative=one, source=term("funding-source", "esf"), amount=Decimal(900)
    )
    Funding.objects.create(initiative=two, source=term("funding-source", "esf"))
    Funding.objects.create(initiative=two, source=term("funding-source", "national"), amount=100)
    Funding.objects.create(initiative=hidden, source=term("funding-source", "private"))
    found = values("DK")["funding-diversity"]
    assert found.detail["sources"] == 2 and found.detail["fundings"] == 3
    assert found.detail["counts"] == {"esf": 2, "national": 1}
    assert 0 < found.detail["by_amount"] < found.value < 1


def test_cross_sector_ties_and_cross_border(denmark: Country) -> None:
    a = organisation("DK", name="A")
    b = organisation("DK", name="B")
    f = organisation("DK", name="F", actor_type=term("actor-type", "foundation"))
    hidden = organisation(
        "DK", name="H", published=False, actor_type=term("actor-type", "foundation")
    )
    pt = organisation("PT", name="P", actor_type=term("actor-type", "university-research"))
    partner = term("tie-type", "partners-with")
    OrganisationTie.objects.create(source=a, target=b, tie_type=partner)  # same type
    OrganisationTie.objects.create(source=f, target=a, tie_type=partner)  # cross-sector
    OrganisationTie.objects.create(source=a, target=hidden, tie_type=partner)  # not counted
    OrganisationTie.objects.create(source=pt, target=b, tie_type=partner)  # cross-border
    dk = values("DK")["cross-sector-ties"]
    assert dk.detail == {"ties": 3, "cross_sector": 2}
    assert values("PT")["cross-sector-ties"].detail == {"ties": 1, "cross_sector": 1}


def test_all_countries_in_one_pass(denmark: Country) -> None:
    organisation("DK", name="A")
    organisation("PT", name="P")
    facts = figures.registry_facts()
    assert {"DK", "PT", "ES", "LV"} <= set(facts)
    assert "IS" not in facts  # no record: not a peer
    assert facts["DK"].actors_by_type == {"social-enterprise": 1}


def test_unknown_country_is_refused(db: None) -> None:
    with pytest.raises(Country.DoesNotExist):
        figures.registry_indicators("XX")


def test_network_density_comes_from_the_network_app(denmark: Country) -> None:
    a = organisation("DK", name="A")
    b = organisation("DK", name="B")
    organisation("DK", name="C")
    OrganisationTie.objects.create(source=a, target=b, tie_type=term("tie-type", "partners-with"))
    found = values("DK")["network-density"]
    assert found.detail["nodes"] == 3 and found.detail["edges"] == 1
    assert found.value == pytest.approx(1 / 3)


def test_values_are_rounded_not_truncated_and_unknown_is_spelled_out() -> None:
    from buicasus.analysis import wording

    assert wording.indicator_text(0.0832, "per-million") == "0.08"
    assert wording.indicator_text(123.46, "per-million") == "123.5"
    assert wording.indicator_text(0.996, "share") == "100 %"
    assert wording.indicator_text(None, "share") == "unknown"
    assert wording.score_text(9.96) == "10.0"
