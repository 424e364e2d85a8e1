"""Export → read back: the standard readers give the records that were exported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from buicasus.interchange.exporters import EXPORTERS
from buicasus.interchange.readers import STANDARD_READERS
from buicasus.interchange.services import select
from tests.interchange.compare import differences, natural

# format exported → reader that reads it back
PAIRS = [
    ("json", "buicasus-json"),
    ("jsonl", "buicasus-json"),
    ("hsds", "hsds"),
    ("popolo", "popolo"),
    ("kumu", "kumu"),
]


def write(
    tmp_path: Path, format_name: str, user: Any = None, kind: str = "registry", **params: str
) -> Path:
    exporter = EXPORTERS[format_name]
    path = tmp_path / f"export.{exporter.extension}"
    path.write_bytes(b"".join(exporter.write(select(user, kind, params))))
    return path


@pytest.mark.parametrize(("format_name", "reader"), PAIRS)
def test_readers_give_back_the_exported_records(
    registry: dict[str, Any], tmp_path: Path, make_user: Any, format_name: str, reader: str
) -> None:
    admin = make_user("admin")
    expected = natural(select(admin, "registry", {}).records())
    path = write(tmp_path, format_name, admin)
    read = list(STANDARD_READERS[reader](path))
    assert differences(expected, natural(read)) == []
    assert len(read) == len(expected) > 60


def drop_name_translations() -> None:
    """The reference loader gives the consortium organisations translated names, which no page
    (and so no import) can write: organisations translate only their description."""
    from buicasus.registry.models import Organisation

    for org in Organisation.objects.exclude(translations={}):
        kept = {
            lang: {k: v for k, v in t.items() if k != "name"}
            for lang, t in org.translations.items()
        }
        Organisation.objects.filter(pk=org.pk).update(
            translations={lang: t for lang, t in kept.items() if t}
        )


def wipe_registry() -> None:
    from buicasus.registry.models import Initiative, Organisation

    Initiative.objects.all().delete()
    Organisation.objects.all().delete()


@pytest.mark.parametrize(("format_name", "reader"), PAIRS)
def test_export_wipe_import_gives_the_same_registry(
    registry: dict[str, Any], tmp_path: Path, make_user: Any, format_name: str, reader: str
) -> None:
    """Issue 3: export a registry, import it into an empty instance, get the same records."""
    services = pytest.importorskip("buicasus.importer.services")
    admin = make_user("admin")
    drop_name_translations()
    before = natural(select(admin, "registry", {}).records())
    path = write(tmp_path, format_name, admin)
    wipe_registry()
    assert list(select(admin, "registry", {}).records()) == []
    report = services.import_records(
        STANDARD_READERS[reader](path), source=f"Round trip ({format_name})", licence="CC0"
    )
    assert report.written, report
    after = natural(select(admin, "registry", {}).records())
    assert differences(before, after) == []


@pytest.mark.parametrize(("format_name", "reader"), [("hsds", "hsds"), ("jsonl", "buicasus-json")])
def test_import_file_takes_our_files_by_format_name(
    registry: dict[str, Any], tmp_path: Path, format_name: str, reader: str
) -> None:
    """`buicasus import FILE --format hsds` goes through `import_file` to our readers."""
    services = pytest.importorskip("buicasus.importer.services")
    drop_name_translations()
    before = natural(select(None, "organisations", {"country": "LV"}).records())
    path = write(tmp_path, format_name, kind="organisations", country="LV")
    wipe_registry()
    report = services.import_file(path, source="Latvia again", format=reader)
    assert report.written, report
    after = natural(select(None, "organisations", {"country": "LV"}).records())
    assert differences(before, after) == []
