"""What an export holds: visibility, filters, and relationships between exported records."""

from __future__ import annotations

from typing import Any

import pytest

from buicasus.interchange.services import ExportError, select


def ids(records: Any) -> set[str]:
    return {r["source_id"] for r in records}


def test_anonymous_exports_hold_only_published_approved_records(registry: dict[str, Any]) -> None:
    everything = ids(select(None, "registry").records())
    hidden, proposed = registry["hidden"], registry["proposed"]
    assert f"org-{hidden.pk}" not in everything and f"ini-{proposed.pk}" not in everything
    assert not any(f"org-{hidden.pk}" in sid or f"ini-{proposed.pk}" in sid for sid in everything)
    assert f"org-{registry['awkward'].pk}" in everything


def test_staff_exports_hold_their_countries_records(
    registry: dict[str, Any], make_user: Any
) -> None:
    editor = ids(select(make_user("editor", "LV"), "registry").records())
    hidden, proposed = registry["hidden"], registry["proposed"]
    assert {f"org-{hidden.pk}", f"ini-{proposed.pk}"} <= editor
    assert f"ini-{proposed.pk}/lead/org-{hidden.pk}" in editor
    viewer = ids(select(make_user("viewer", "LV"), "registry").records())
    assert f"org-{hidden.pk}" in viewer and f"ini-{proposed.pk}" not in viewer  # not approved


def test_filters_narrow_every_kind_and_relationships_follow(registry: dict[str, Any]) -> None:
    selection = select(None, "registry", {"country": "fr"})
    records = list(selection.records())
    countries = {r["fields"]["country"] for r in records if "fields" in r}
    assert countries == {"FR"}
    kept = ids(records)
    for r in records:
        if r["kind"] == "role":
            assert {r["organisation"], r["initiative"]} <= kept
        if r["kind"] == "tie":
            assert {r["source"], r["target"]} <= kept
    assert selection.filters == {"country": "FR"}
    with_sdg = list(select(None, "initiatives", {"sdg": "10"}).records())
    assert f"ini-{registry['project'].pk}" in ids(with_sdg)
    assert all("10" in r["fields"]["sdgs"] for r in with_sdg)


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("everything", {}, "Unknown kind “everything”"),
        ("registry", {"country": "ZZ"}, "“ZZ” for the filter “country”"),
        ("registry", {"sdg": "99"}, "“99” for the filter “sdg”"),
        ("registry", {"published": "maybe"}, "filter “published”"),
    ],
)
def test_unknown_kinds_and_codes_are_refused(
    db: None, kind: str, params: dict[str, str], message: str
) -> None:
    with pytest.raises(ExportError, match=message):
        select(None, kind, params)


def test_sources_and_counts(registry: dict[str, Any]) -> None:
    selection = select(None, "organisations", {"country": "FR"})
    sources = {s.name: s for s in selection.sources()}
    assert sources["Test source"].licence == "CC BY 4.0"
    assert sum(s.records for s in sources.values()) == selection.organisations.count()  # type: ignore[union-attr]
    assert selection.count() == len(list(selection.records()))
