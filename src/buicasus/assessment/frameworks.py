"""Reading and validating maturity-framework files (`assessment/frameworks/*.yaml`).

A file describes one version of a framework (see `docs/maturity-framework.md` for the shape).
It is checked whole before anything is written, and refused whole if anything is wrong, with the
line of each fault: YAML nodes keep their position, so every mapping read here remembers the
line of each of its values.

Checks: known keys only; `key` a slug and `version` a positive integer; `scale` 0–10 (the bands
and the disagreement gap are on that scale); every title, label, description, text, low and high
in all five languages and non-empty; dimension and statement codes unique in the file; 4–6
statements per dimension; `replaces` empty in version 1 and otherwise naming a statement of the
previous version of the same key (checked against the database by `services`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("en", "fr", "es", "sv", "lv")
FRAMEWORK_DIR = Path(__file__).parent / "frameworks"
MIN_STATEMENTS, MAX_STATEMENTS = 4, 6
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOP_KEYS = {"key", "version", "title", "source", "scale", "dimensions"}
DIMENSION_KEYS = {"code", "label", "description", "statements"}
STATEMENT_KEYS = {"code", "text", "low", "high", "replaces"}


class FrameworkFileError(Exception):
    """A framework file was refused; `problems` are (line, message) pairs, line 0 = whole file."""

    def __init__(self, path: Path | str, problems: list[tuple[int, str]]) -> None:
        self.path = str(path)
        self.problems = sorted(problems)
        super().__init__(self.describe())

    def describe(self) -> str:
        name = Path(self.path).name
        lines = [
            f"{name}, line {line}: {msg}" if line else f"{name}: {msg}"
            for line, msg in self.problems
        ]
        return "\n".join(lines)


class Lined(dict[str, Any]):
    """A YAML mapping that remembers its own line and the line of each value."""

    line: int = 0
    lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML whose mappings are `Lined` and refuse duplicate keys (on libyaml's parser
    when PyYAML has it: several times faster, and frameworks are loaded often)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Lined:
    loader.flatten_mapping(node)
    result = Lined()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key “{key}”", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = value_node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True)
class StatementDoc:
    code: str
    text: dict[str, str]
    low: dict[str, str]
    high: dict[str, str]
    replaces: str | None
    line: int


@dataclass(frozen=True)
class DimensionDoc:
    code: str
    label: dict[str, str]
    description: dict[str, str]
    statements: list[StatementDoc]
    line: int


@dataclass(frozen=True)
class FrameworkDoc:
    """A validated framework file, ready to be saved."""

    path: Path
    key: str
    version: int
    title: dict[str, str]
    source: str
    scale_min: int
    scale_max: int
    dimensions: list[DimensionDoc] = field(default_factory=list)

    def replaced_codes(self) -> list[tuple[str, str, int]]:
        """(statement code, code it replaces, line) for every statement that replaces one."""
        return [
            (s.code, s.replaces, s.line)
            for d in self.dimensions
            for s in d.statements
            if s.replaces is not None
        ]


class _Checker:
    """Collects problems while turning the YAML data into a `FrameworkDoc`."""

    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []

    def fail(self, line: int, message: str) -> None:
        self.problems.append((line, message))

    def mapping(self, value: Any, line: int, what: str) -> Lined | None:
        if isinstance(value, Lined):
            return value
        self.fail(line, f"{what} must be a mapping.")
        return None

    def unknown_keys(self, data: Lined, allowed: set[str], what: str) -> None:
        for key in data:
            if key not in allowed:
                names = ", ".join(sorted(allowed))
                self.fail(data.line_of(key), f"unknown key “{key}” in {what} (allowed: {names}).")

    def slug(self, data: Lined, key: str, what: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not SLUG.match(value):
            self.fail(
                data.line_of(key),
                f"{what} “{key}” must be lower-case letters, digits and hyphens (got {value!r}).",
            )
            return ""
        return value

    def texts(self, data: Lined, key: str, what: str, *, required: bool = True) -> dict[str, str]:
        """A {language: text} mapping with all five languages, each non-empty."""
        if key not in data and not required:
            return {}
        line = data.line_of(key)
        value = self.mapping(data.get(key), line, f"{what} “{key}”")
        if value is None:
            return {}
        out: dict[str, str] = {}
        for lang in LANGUAGES:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.fail(value.line_of(lang), f"{what} “{key}” has no {lang} text.")
            else:
                out[lang] = text.strip()
        for lang in value:
            if lang not in LANGUAGES:
                self.fail(
                    value.line_of(lang),
                    f"{what} “{key}”: unknown language “{lang}” (use {', '.join(LANGUAGES)}).",
                )
        return out


def _statement(c: _Checker, raw: Any, line: int, where: str) -> StatementDoc | None:
    data = c.mapping(raw, line, f"statement in {where}")
    if data is None:
        return None
    c.unknown_keys(data, STATEMENT_KEYS, "a statement")
    code = c.slug(data, "code", "statement")
    what = f"statement {code or '?'}"
    replaces = data.get("replaces")
    if replaces is not None and (not isinstance(replaces, str) or not replaces.strip()):
        c.fail(data.line_of("replaces"), f"{what}: “replaces” must be a statement code or null.")
        replaces = None
    return StatementDoc(
        code=code,
        text=c.texts(data, "text", what),
        low=c.texts(data, "low", what),
        high=c.texts(data, "high", what),
        replaces=replaces.strip() if isinstance(replaces, str) else None,
        line=data.line,
    )


def _dimension(c: _Checker, raw: Any, line: int) -> DimensionDoc | None:
    data = c.mapping(raw, line, "a dimension")
    if data is None:
        return None
    c.unknown_keys(data, DIMENSION_KEYS, "a dimension")
    code = c.slug(data, "code", "dimension")
    what = f"dimension {code or '?'}"
    raw_statements = data.get("statements")
    statements: list[StatementDoc] = []
    if not isinstance(raw_statements, list):
        c.fail(data.line_of("statements"), f"{what}: “statements” must be a list.")
    else:
        if not MIN_STATEMENTS <= len(raw_statements) <= MAX_STATEMENTS:
            c.fail(
                data.line_of("statements"),
                f"{what} has {len(raw_statements)} statements; "
                f"it needs {MIN_STATEMENTS} to {MAX_STATEMENTS}.",
            )
        for item in raw_statements:
            found = _statement(c, item, data.line_of("statements"), what)
            if found is not None:
                statements.append(found)
    return DimensionDoc(
        code=code,
        label=c.texts(data, "label", what),
        description=c.texts(data, "description", what, required=False),
        statements=statements,
        line=data.line,
    )


def _int(c: _Checker, data: Lined, key: str, what: str) -> int | None:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        c.fail(data.line_of(key), f"{what} must be a whole number (got {value!r}).")
        return None
    return value


def _check(c: _Checker, path: Path, doc: Any) -> FrameworkDoc | None:
    data = c.mapping(doc, 1, "The file")
    if data is None:
        return None
    c.unknown_keys(data, TOP_KEYS, "the framework")
    for key in sorted(TOP_KEYS - set(data)):
        c.fail(0, f"the required key “{key}” is missing.")
    key = c.slug(data, "key", "framework")
    version = _int(c, data, "version", "“version”")
    if version is not None and version < 1:
        c.fail(data.line_of("version"), "“version” must be 1 or more.")
    source = data.get("source")
    if not isinstance(source, str) or not source.strip():
        c.fail(data.line_of("source"), "“source” must say what the framework is based on.")
    scale = c.mapping(data.get("scale"), data.line_of("scale"), "“scale”")
    if scale is not None and (scale.get("min"), scale.get("max")) != (0, 10):
        c.fail(data.line_of("scale"), "“scale” must be {min: 0, max: 10}.")
    dimensions: list[DimensionDoc] = []
    raw_dimensions = data.get("dimensions")
    if not isinstance(raw_dimensions, list) or not raw_dimensions:
        c.fail(data.line_of("dimensions"), "“dimensions” must be a non-empty list.")
    else:
        for item in raw_dimensions:
            found = _dimension(c, item, data.line_of("dimensions"))
            if found is not None:
                dimensions.append(found)
    _check_unique(c, dimensions, version)
    return FrameworkDoc(
        path=path,
        key=key,
        version=version or 0,
        title=c.texts(data, "title", "the framework"),
        source=source.strip() if isinstance(source, str) else "",
        scale_min=0,
        scale_max=10,
        dimensions=dimensions,
    )


def _check_unique(c: _Checker, dimensions: list[DimensionDoc], version: int | None) -> None:
    seen_dimensions: set[str] = set()
    seen_statements: set[str] = set()
    seen_replaced: set[str] = set()
    for d in dimensions:
        if d.code and d.code in seen_dimensions:
            c.fail(d.line, f"dimension code “{d.code}” is used twice.")
        seen_dimensions.add(d.code)
        for s in d.statements:
            if s.code and s.code in seen_statements:
                c.fail(s.line, f"statement code “{s.code}” is used twice.")
            seen_statements.add(s.code)
            if s.replaces is not None and version == 1:
                c.fail(s.line, f"statement {s.code}: version 1 cannot replace a statement.")
            elif s.replaces is not None and s.replaces in seen_replaced:
                c.fail(s.line, f"statement {s.code}: “{s.replaces}” is already replaced.")
            if s.replaces is not None:
                seen_replaced.add(s.replaces)


def read_framework(path: Path | str) -> FrameworkDoc:
    """Parse and check one file; raises `FrameworkFileError` listing every fault by line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkFileError(path, [(0, f"cannot be read ({exc}).")]) from exc
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise FrameworkFileError(path, [(line, f"not valid YAML: {exc.problem}")]) from exc
    except yaml.YAMLError as exc:
        raise FrameworkFileError(path, [(0, f"not valid YAML: {exc}")]) from exc
    checker = _Checker()
    found = _check(checker, path, doc)
    if checker.problems or found is None:
        raise FrameworkFileError(path, checker.problems)
    return found


def framework_files(folder: Path = FRAMEWORK_DIR) -> list[Path]:
    """The framework files shipped with the platform, by name."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"})
