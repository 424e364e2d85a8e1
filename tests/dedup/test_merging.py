"""A merge moves everything to the kept organisation, keeps both provenances, and undoes exactly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from buicasus.accounts.models import Membership, Role
from buicasus.dedup import merging, services
from buicasus.dedup.models import CandidatePair, MergeRecord, PairStatus
from buicasus.importer.models import SourceRecord
from buicasus.reference.models import Country
from buicasus.registry.models import (
    AuditEntry,
    InitiativeRole,
    Organisation,
    OrganisationIdentifier,
    OrganisationTie,
)
from tests.dedup.conftest import TwoSources, audit, snapshot

pytestmark = pytest.mark.django_db


def pair_of(t: TwoSources) -> CandidatePair:
    return CandidatePair.objects.create(a=t.a, b=t.b, score=100, rule="identifier")


def test_merge_moves_everything_and_keeps_both_provenances(
    two_sources: TwoSources, make_user: Callable[..., Any]
) -> None:
    t = two_sources
    editor = make_user("editor", "FR")
    record = services.decide(editor, pair_of(t), "merge", keep=t.a.pk)
    assert not Organisation.objects.filter(pk=t.b.pk).exists()
    kept = Organisation.objects.get(pk=t.a.pk)
    # names and blanks come over; the kept organisation's own values stay
    assert kept.name == "Association Tiers Lieu Numérique"
    assert kept.other_names == ["Tiers Lieu Numérique", "TLN"]
    assert (kept.website, kept.founding_year, kept.description_language) == (
        "https://tln.example.fr",
        2012,
        "fr",
    )
    assert sorted(kept.identifiers.values_list("value", flat=True)) == [
        "552100554",
        "FR40552100554",
        "W691234567",
    ]
    # both sources' records now belong to the one organisation
    assert sorted(
        SourceRecord.objects.filter(kind="organisation").values_list("source_name", "organisation")
    ) == [("dsi4eu-2017", t.a.pk), ("ess-france-numerique", t.a.pk)]
    roles = sorted(kept.initiative_roles.values_list("initiative__title", "role__code"))
    assert roles == [("Fab lab", "lead"), ("Fab lab", "partner"), ("Repair café", "lead")]
    # the duplicate lead role was dropped; its source record went to the surviving twin
    role_record = SourceRecord.objects.get(kind="role")
    assert role_record.initiative_role.organisation_id == t.a.pk
    ours = OrganisationTie.objects.filter(source__in=[t.a, t.x, t.y])
    ties = sorted(ours.values_list("source_id", "target_id", "tie_type__code"))
    assert ties == sorted(
        [(t.a.pk, t.x.pk, "member-of"), (t.y.pk, t.a.pk, "funds")]
    )  # the duplicate and the self-tie are gone, with the self-tie's source record
    assert not SourceRecord.objects.filter(kind="tie").exists()
    # recorded, audited, decided
    assert record.kept_id == t.a.pk and record.merged_id == t.b.pk and not record.automatic
    assert record.snapshot["organisation"]["name"] == "Tiers Lieu Numérique"
    assert len(record.moved["dropped"]) == 3
    pair = CandidatePair.objects.get()
    assert pair.status == PairStatus.MERGED and pair.decided_by == editor
    entry = AuditEntry.objects.filter(changes__has_key="merged").get()
    assert entry.object_id == str(t.a.pk) and entry.user == editor
    assert entry.changes["merged"] == [None, f"Tiers Lieu Numérique (#{t.b.pk})"]
    deleted = AuditEntry.objects.get(model="organisation", object_id=str(t.b.pk), action="delete")
    assert deleted.user == editor


def test_merge_then_undo_restores_the_database_exactly(
    two_sources: TwoSources, make_user: Callable[..., Any]
) -> None:
    t = two_sources
    before, audit_before = snapshot(), audit()
    editor = make_user("editor", "FR")
    record = services.decide(editor, pair_of(t), "merge", keep=t.a.pk)
    assert snapshot() != before
    services.undo_merge(editor, record)
    assert snapshot() == before
    after = audit()
    assert after[: len(audit_before)] == audit_before  # history is only added to
    added = after[len(audit_before) :]
    merged = [e["changes"]["merged"] for e in added if "merged" in e["changes"]]
    name = f"Tiers Lieu Numérique (#{t.b.pk})"
    assert merged == [[None, name], [name, None]]
    assert all(e["user_id"] == editor.pk for e in added)
    record.refresh_from_db()
    assert record.undone_at is not None and record.undone_by == editor
    assert CandidatePair.objects.get().status == PairStatus.PENDING
    with pytest.raises(merging.DedupError, match="already been undone"):
        services.undo_merge(editor, record)


def test_merge_keeping_the_other_one_and_undo(
    two_sources: TwoSources, make_user: Callable[..., Any]
) -> None:
    t = two_sources
    before = snapshot()
    editor = make_user("editor", "FR")
    record = services.decide(editor, pair_of(t), "merge", keep=t.b.pk)
    kept = Organisation.objects.get(pk=t.b.pk)
    assert "Association Tiers Lieu Numérique" in kept.other_names
    assert OrganisationIdentifier.objects.filter(organisation=kept).count() == 3
    services.undo_merge(editor, record)
    assert snapshot() == before


def test_undo_keeps_later_edits_of_the_kept_organisation(
    two_sources: TwoSources, make_user: Callable[..., Any]
) -> None:
    t = two_sources
    editor = make_user("editor", "FR")
    record = services.decide(editor, pair_of(t), "merge", keep=t.a.pk)
    Organisation.objects.filter(pk=t.a.pk).update(website="https://edited.example.fr")
    services.undo_merge(editor, record)
    kept = Organisation.objects.get(pk=t.a.pk)
    assert kept.website == "https://edited.example.fr"  # changed since: left alone
    assert kept.other_names == []  # unchanged since: restored
    assert Organisation.objects.filter(pk=t.b.pk).exists()


def test_chained_merges_undo_in_reverse_order(
    two_sources: TwoSources, make_user: Callable[..., Any]
) -> None:
    t = two_sources
    before = snapshot()
    editor = make_user("editor", "FR")
    first = merging.merge(editor, t.a.pk, t.b.pk)
    second = merging.merge(editor, t.x.pk, t.a.pk)
    with pytest.raises(merging.DedupError, match="no longer exists"):
        merging.undo(editor, first)
    merging.undo(editor, second)
    merging.undo(editor, first)
    assert snapshot() == before


def test_keep_apart_and_decisions_only_once(
    two_sources: TwoSources, make_user: Callable[..., Any]
) -> None:
    t = two_sources
    editor = make_user("editor", "FR")
    pair = services.decide(editor, pair_of(two_sources), "keep_apart")
    assert pair.status == PairStatus.KEPT_APART and pair.decided_by == editor
    with pytest.raises(merging.DedupError, match="already been decided"):
        services.decide(editor, pair, "merge")
    assert Organisation.objects.filter(pk__in=[t.a.pk, t.b.pk]).count() == 2


def test_bad_decisions_are_refused_without_change(
    two_sources: TwoSources, make_user: Callable[..., Any]
) -> None:
    t = two_sources
    editor = make_user("editor", "FR")
    pair = pair_of(t)
    before = snapshot()
    with pytest.raises(merging.DedupError):
        services.decide(editor, pair, "delete-both")
    with pytest.raises(merging.DedupError):
        services.decide(editor, pair, "merge", keep=t.x.pk)
    with pytest.raises(merging.DedupError):
        merging.merge(editor, t.a.pk, t.a.pk)
    assert snapshot() == before and not MergeRecord.objects.exists()


def test_a_latvian_editor_cannot_merge_or_undo_french_organisations(
    two_sources: TwoSources, make_user: Callable[..., Any]
) -> None:
    t = two_sources
    pair = pair_of(t)
    before = snapshot()
    latvian = make_user("editor", "LV")
    with pytest.raises(PermissionDenied):
        services.decide(latvian, pair, "merge")
    with pytest.raises(PermissionDenied):
        services.decide(latvian, pair, "keep_apart")
    assert snapshot() == before
    record = services.decide(make_user("editor", "FR"), pair, "merge")
    with pytest.raises(PermissionDenied):
        services.undo_merge(latvian, record)
    assert MergeRecord.objects.get().undone_at is None


def test_cross_country_pairs_need_rights_in_both(
    two_sources: TwoSources, make_user: Callable[..., Any]
) -> None:
    t = two_sources
    Organisation.objects.filter(pk=t.b.pk).update(country=Country.objects.get(code="ES"))
    Organisation.objects.filter(pk=t.a.pk).update(city="")
    pair = pair_of(t)
    french = make_user("editor", "FR")
    with pytest.raises(PermissionDenied):
        services.decide(french, pair, "merge")
    both = make_user("editor", "FR")
    Membership.objects.create(user=both, role=Role.EDITOR, country=Country.objects.get(code="ES"))
    record = services.decide(both, pair, "merge", keep=t.a.pk)
    assert (record.kept_country, record.merged_country) == ("FR", "ES")
    # place fields are not filled across countries, other blanks are
    kept = Organisation.objects.get(pk=t.a.pk)
    assert kept.city == "" and kept.website == "https://tln.example.fr"


def test_dropped_role_counts(two_sources: TwoSources) -> None:
    t = two_sources
    record = merging.merge(None, t.a.pk, t.b.pk, automatic=True)
    kinds = sorted(d["model"] for d in record.moved["dropped"])
    assert kinds == [
        "registry.InitiativeRole",
        "registry.OrganisationTie",
        "registry.OrganisationTie",
    ]
    assert InitiativeRole.objects.filter(organisation_id=t.b.pk).count() == 0
    assert record.merged_by is None and record.automatic
