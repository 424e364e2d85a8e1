"""Reference data loads in bulk, is idempotent, and leaves one audit entry per load."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from buicasus.reference.models import Country, NutsRegion
from buicasus.registry.models import AuditAction, AuditEntry, Term, Vocabulary
from buicasus.registry.reference import load_reference

pytestmark = pytest.mark.django_db


def load_entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditAction.LOAD))


def test_loading_again_changes_nothing_and_records_nothing() -> None:
    before = (Vocabulary.objects.count(), Term.objects.count(), NutsRegion.objects.count())
    entries = AuditEntry.objects.count()
    report = load_reference()
    assert (Vocabulary.objects.count(), Term.objects.count(), NutsRegion.objects.count()) == before
    assert report.terms == before[1] and report.written["term"] == [0, 0]
    assert AuditEntry.objects.count() == entries


def test_changed_and_missing_rows_are_written_with_one_entry_for_the_load() -> None:
    term = Term.objects.get(vocabulary__key="actor-type", code="cooperative")
    Term.objects.filter(pk=term.pk).update(labels={"en": "Stale"}, position=99)
    Country.objects.filter(code="LV").update(population=1)
    NutsRegion.objects.filter(code="LV00").delete()  # and, by cascade, its level-3 regions
    AuditEntry.objects.all().delete()

    load_reference()

    term.refresh_from_db()
    assert term.labels["en"] != "Stale" and term.position != 99
    assert Country.objects.get(code="LV").population != 1
    riga = NutsRegion.objects.get(code="LV006")
    assert (riga.level, riga.parent, riga.country.code) == (
        3,
        NutsRegion.objects.get(code="LV00"),
        "LV",
    )
    # (consortium organisations placed in those regions get ordinary update entries)
    [entry] = load_entries()
    assert entry.changes["term"] == [None, "0 created, 1 updated"]
    assert entry.changes["country"] == [None, "0 created, 1 updated"]
    assert entry.changes["nutsregion"][1].endswith("0 updated")
    assert "vocabulary" not in entry.changes  # unchanged tables are not named


def test_a_broken_vocabulary_file_writes_nothing(tmp_path: Path) -> None:
    from buicasus.registry import reference

    good = next(iter(reference.vocabulary_files()))
    broken = tmp_path / "zz-broken.yaml"
    broken.write_text(
        "key: zz-broken\nnames: {en: B, fr: B, es: B, sv: B, lv: B}\nsource: test\nversion: 1\n"
        "terms:\n  - labels: {}\n",
        encoding="utf-8",
    )
    terms = Term.objects.count()
    with pytest.raises(ValidationError, match="missing code"):
        reference.load_vocabulary_files([good, broken], reference.LoadReport())
    assert Term.objects.count() == terms
    assert not Vocabulary.objects.filter(key="zz-broken").exists()
