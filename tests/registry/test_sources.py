"""A record's sources reach registry pages through the lookups other apps register."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from buicasus.importer.models import SourceRecord
from buicasus.registry import sources
from buicasus.registry.templatetags.registry_ui import record_sources
from tests.registry.factories import organisation


def test_sources_come_from_every_registered_lookup_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "_LOOKUPS", [])

    def first(record: Any) -> list[str]:
        return [f"first:{record}"]

    def second(record: Any) -> list[str]:
        return [f"second:{record}"]

    sources.register(first)
    sources.register(second)
    sources.register(first)
    assert sources.sources_of("r") == ["first:r", "second:r"]  # type: ignore[arg-type]


@pytest.mark.django_db
def test_the_importers_sources_show_on_the_record() -> None:
    org = organisation()
    for name, licence in (("first", "CC0"), ("second", "CC-BY")):
        SourceRecord.objects.create(
            source_name=name,
            kind="organisation",
            source_id="a",
            content_hash="0" * 64,
            organisation=org,
            licence=licence,
            imported_at=timezone.now(),
        )
    shown = [(s.source_name, s.licence) for s in record_sources(org)]
    assert shown == [("first", "CC0"), ("second", "CC-BY")]
