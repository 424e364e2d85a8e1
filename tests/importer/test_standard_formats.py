"""Standard formats come in through the interchange readers, found by their marks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from buicasus.importer import readers
from buicasus.importer.errors import ImportFailure
from buicasus.importer.services import import_file
from buicasus.registry.models import Organisation, OrganisationTie

pytest.importorskip("buicasus.interchange.readers")
pytestmark = pytest.mark.django_db
Write = Callable[..., Path]

RECORDS = [
    {
        "kind": "organisation",
        "source_id": "a",
        "fields": {"name": "A", "actor_type": "cooperative", "country": "SE"},
    },
    {
        "kind": "organisation",
        "source_id": "b",
        "fields": {"name": "B", "actor_type": "foundation", "country": "SE"},
    },
    {"kind": "tie", "source_id": "a/funds/b", "source": "a", "target": "b", "tie_type": "funds"},
]


def test_buicasus_json_and_its_json_lines_are_detected(write: Write) -> None:
    document = write(
        "export.json", json.dumps({"format": "buicasus", "version": 1, "records": RECORDS})
    )
    assert readers.detect_format(document, "export.json") == "buicasus-json"
    header = json.dumps({"format": "buicasus", "version": 1})
    lines = write("export.jsonl", "\n".join([header, *(json.dumps(r) for r in RECORDS)]))
    assert readers.detect_format(lines, "export.jsonl") == "buicasus-json"
    report = import_file(lines, source="std")
    assert report.written and report.new == 3, report.invalid_rows
    assert Organisation.objects.filter(source_name="std").count() == 2
    assert OrganisationTie.objects.filter(source_name="std").count() == 1


def test_a_broken_standard_file_names_file_row_and_field(write: Write) -> None:
    bad = [*RECORDS[:1], {"kind": "planet", "source_id": "x"}]
    path = write("bad.json", json.dumps({"format": "buicasus", "records": bad}))
    with pytest.raises(ImportFailure) as caught:
        import_file(path, source="std")
    assert (caught.value.file, caught.value.row, caught.value.field) == ("bad.json", 2, "kind")
    assert not Organisation.objects.filter(source_name="std").exists()


def test_a_mapping_is_not_used_with_a_standard_format(write: Write) -> None:
    path = write("export.json", json.dumps({"format": "buicasus", "records": RECORDS}))
    mapping = write("m.yaml", "records: [{kind: organisation, source_id: '{id}'}]")
    with pytest.raises(ImportFailure, match="without a mapping"):
        import_file(path, source="std", mapping=mapping)
