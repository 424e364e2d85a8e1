"""Framework files: validation with the line at fault, idempotent loading, versions, command."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from buicasus.assessment.frameworks import FrameworkFileError, read_framework
from buicasus.assessment.models import Dimension, Framework, Statement
from buicasus.assessment.services import (
    current_framework,
    dimension_labels,
    load_frameworks,
    statement_mapping,
)
from tests.assessment.conftest import V1, V2

pytestmark = pytest.mark.django_db


def broken(tmp_path: Path, old: str, new: str, source: Path = V1) -> Path:
    text = source.read_text()
    assert old in text
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new, 1))
    return path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_reads_a_valid_file() -> None:
    doc = read_framework(V1)
    assert (doc.key, doc.version) == ("test-maturity", 1)
    assert [d.code for d in doc.dimensions] == ["culture", "legal"]
    assert doc.dimensions[0].statements[0].low["lv"] == "Nothing for culture-1 (lv)"


def test_missing_language_is_refused_with_its_line(tmp_path: Path) -> None:
    path = broken(tmp_path, ', sv: "Statement culture-3 (sv)"', "")
    with pytest.raises(FrameworkFileError) as err:
        read_framework(path)
    assert err.value.problems == [
        (line_of(path, "Statement culture-3 (en)"), "statement culture-3 “text” has no sv text.")
    ]
    assert f"broken.yaml, line {line_of(path, 'Statement culture-3 (en)')}" in str(err.value)


def test_empty_text_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, '"Nothing for legal-2 (fr)"', '"  "')
    with pytest.raises(FrameworkFileError, match="statement legal-2 “low” has no fr text"):
        read_framework(path)


def test_duplicate_statement_code_is_refused_with_its_line(tmp_path: Path) -> None:
    path = broken(tmp_path, "code: legal-2", "code: legal-1")
    with pytest.raises(FrameworkFileError) as err:
        read_framework(path)
    line = line_of(path, "code: legal-1") + 5  # the second legal-1
    assert err.value.problems == [(line, "statement code “legal-1” is used twice.")]


def test_too_few_statements_is_refused(tmp_path: Path) -> None:
    text = V1.read_text()
    start = text.index("      - code: legal-4")
    path = tmp_path / "short.yaml"
    path.write_text(text[:start])
    with pytest.raises(
        FrameworkFileError, match="dimension legal has 3 statements; it needs 4 to 6"
    ):
        read_framework(path)


def test_unknown_key_and_bad_version_and_scale(tmp_path: Path) -> None:
    path = broken(tmp_path, "version: 1", "version: one\nowner: me")
    path.write_text(path.read_text().replace("max: 10", "max: 5"))
    with pytest.raises(FrameworkFileError) as err:
        read_framework(path)
    messages = [m for _, m in err.value.problems]
    assert "“version” must be a whole number (got 'one')." in messages
    assert any("unknown key “owner”" in m for m in messages)
    assert "“scale” must be {min: 0, max: 10}." in messages
    assert (
        3,
        "unknown key “owner” in the framework (allowed: dimensions, key, scale, source, "
        "title, version).",
    ) in err.value.problems


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("key: x\nversion: 1\ntitle: [unclosed\n")
    with pytest.raises(FrameworkFileError) as err:
        read_framework(path)
    assert err.value.problems[0][1].startswith("not valid YAML")
    assert err.value.problems[0][0] >= 3


def test_duplicate_yaml_key_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, "version: 1", "version: 1\nversion: 2")
    with pytest.raises(FrameworkFileError, match="line 3: not valid YAML: duplicate key"):
        read_framework(path)


def test_version_one_cannot_replace(tmp_path: Path) -> None:
    path = broken(tmp_path, "replaces: null", "replaces: culture-0")
    with pytest.raises(FrameworkFileError, match="version 1 cannot replace a statement"):
        read_framework(path)


def test_load_is_idempotent_and_a_failing_file_writes_nothing(tmp_path: Path) -> None:
    first = load_frameworks([V1])
    again = load_frameworks([V1])
    assert [(f.dimensions, f.statements, f.created) for f in first] == [(2, 8, True)]
    assert [f.created for f in again] == [False]
    assert Statement.objects.filter(framework__key="test-maturity").count() == 8
    # v3 names v1 codes: v2 is saved first in the same transaction, then v3 is refused
    bad = broken(tmp_path, "version: 2", "version: 3", source=V2)
    with pytest.raises(
        FrameworkFileError, match="culture-1”, which is not a statement of version 2"
    ):
        load_frameworks([V2, bad])
    assert not Framework.objects.filter(key="test-maturity", version__gt=1).exists()


def test_replaces_must_name_a_statement_of_the_previous_version(tmp_path: Path) -> None:
    load_frameworks([V1])
    bad = broken(tmp_path, "replaces: legal-1", "replaces: legal-9", source=V2)
    with pytest.raises(FrameworkFileError) as err:
        load_frameworks([bad])
    assert err.value.problems == [
        (
            line_of(bad, "code: finance-1"),
            "statement finance-1 replaces “legal-9”, which is not a statement of version 1 "
            "of test-maturity.",
        )
    ]
    assert not Framework.objects.filter(key="test-maturity", version=2).exists()


def test_versions_load_in_order_and_map_old_statements() -> None:
    load_frameworks([V2, V1])  # any order: lower versions are saved first
    v1 = Framework.objects.get(key="test-maturity", version=1)
    v2 = Framework.objects.get(key="test-maturity", version=2)
    assert Statement.objects.get(framework=v2, code="culture-a").replaces.code == "culture-1"
    assert statement_mapping(v1, v2) == {
        "culture-1": "culture-a",
        "culture-2": "culture-b",
        "legal-1": "finance-1",
    }
    assert statement_mapping(v2, v1) == {}
    assert statement_mapping(v1, v1)["legal-4"] == "legal-4"
    assert current_framework("test-maturity") == v2
    assert dimension_labels(v2, "fr") == {"culture": "Culture (fr)", "finance": "Finance (fr)"}
    assert list(dimension_labels(v1, "xx")) == ["culture", "legal"]


def test_reloading_updates_texts_and_drops_unanswered_statements(tmp_path: Path) -> None:
    load_frameworks([V1])
    changed = broken(tmp_path, '"Culture (en)"', '"Culture and awareness (en)"')
    load_frameworks([changed])
    assert Dimension.objects.get(framework__key="test-maturity", code="culture").label["en"] == (
        "Culture and awareness (en)"
    )


def test_command_loads_and_refuses_with_the_line(tmp_path: Path) -> None:
    from io import StringIO

    out = StringIO()
    call_command("load_framework", str(V1), stdout=out)
    assert "test-maturity v1: 2 dimensions, 8 statements (new)." in out.getvalue()
    call_command("load_framework", str(V1), stdout=out)
    assert "(up to date)" in out.getvalue()
    bad = broken(tmp_path, "code: legal-2", "code: Legal 2")
    with pytest.raises(CommandError, match=r"broken.yaml, line \d+: statement “code” must be"):
        call_command("load_framework", str(bad))


def test_shipped_framework_is_valid_and_loads() -> None:
    """The framework files shipped in assessment/frameworks/ pass the validator."""
    loaded = load_frameworks()
    shipped = next(f for f in loaded if f.key == "buicasus-maturity")
    assert shipped.dimensions == 10 and 40 <= shipped.statements <= 60
    framework = current_framework()
    assert framework.key == "buicasus-maturity"
    for lang in ("en", "fr", "es", "sv", "lv"):
        assert all(dimension_labels(framework, lang).values())


def test_nothing_to_load_is_refused() -> None:
    with pytest.raises(FrameworkFileError, match="no framework file to load"):
        load_frameworks([])
