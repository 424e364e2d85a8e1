"""The field ↔ vocabulary declaration: its look-ups, and that nothing else restates it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import buicasus
from buicasus.core import vocabulary_fields as vf
from buicasus.core.standard_records import INITIATIVE_TERMS, MULTI_TERMS, ORGANISATION_TERMS

SOURCE = Path(buicasus.__file__).parent
TESTS = Path(__file__).parents[1]


def test_each_field_is_declared_once() -> None:
    pairs = [(f.model, f.name) for f in vf.FIELDS]
    assert len(pairs) == len(set(pairs))


def test_a_filter_parameter_names_one_field_across_the_records_lists_show() -> None:
    params = [f.param for f in vf.FIELDS if f.param]
    assert len(params) == len(set(params))


def test_look_ups() -> None:
    assert vf.vocabulary_of(vf.INITIATIVE, "sdgs") == "sdg"
    assert list(vf.vocabularies(vf.ORGANISATION)) == ["actor_type"]
    assert vf.filters(vf.INITIATIVE)["policy_field"].name == "policy_fields"
    assert "fund" in vf.filters(vf.FUNDING)
    with pytest.raises(KeyError):
        vf.declared(vf.INITIATIVE, "title")


def test_the_standard_converters_read_the_declaration() -> None:
    assert ORGANISATION_TERMS == vf.vocabularies(vf.ORGANISATION)
    assert INITIATIVE_TERMS == vf.vocabularies(vf.INITIATIVE)
    assert {"policy_fields", "sdgs", "scaling_directions"} <= MULTI_TERMS
    assert not {"stage", "actor_type", "scaling_strategy"} & MULTI_TERMS


def _restatements(path: Path) -> list[str]:
    """Literal (field, vocabulary) pairs: a tuple or call holding the two strings side by side,
    or a dict mapping one to the other, as a hand-written copy of the map would."""
    declared = {(f.name, f.vocabulary) for f in vf.FIELDS}
    declared |= {(f.param, f.vocabulary) for f in vf.FIELDS if f.param}
    text = path.read_text()
    if not any(f'"{f.vocabulary}"' in text for f in vf.FIELDS):
        return []  # most modules name no vocabulary: no need to parse them
    found = []
    for node in ast.walk(ast.parse(text, str(path))):
        if isinstance(node, ast.Dict):
            pairs = [(k, v) for k, v in zip(node.keys, node.values, strict=True) if k is not None]
        elif isinstance(node, ast.Tuple | ast.List):
            pairs = list(zip(node.elts, node.elts[1:], strict=False))
        else:
            continue
        for a, b in pairs:
            if isinstance(a, ast.Constant) and isinstance(b, ast.Constant):
                if (a.value, b.value) in declared:
                    found.append(f"{path.name}:{a.lineno} {a.value!r} → {b.value!r}")
    return found


def test_no_module_restates_which_field_takes_which_vocabulary() -> None:
    own = Path(vf.__file__)
    files = [p for p in SOURCE.rglob("*.py") if p != own and "migrations" not in p.parts]
    files += list(TESTS.rglob("*.py"))
    offenders = [hit for path in files for hit in _restatements(path)]
    assert offenders == []
