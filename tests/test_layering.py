"""The import graph keeps its layers (docs/architecture.md, "Dependency direction").

Read from the source rather than by importing it, so a violation is reported even where the
import would happen to work. `core/` stays free of the framework (also `tests/core/test_purity.py`);
`reference/` is the ground floor every app may import; and no module reaches a sibling app from
inside a function, the usual way of hiding an import cycle instead of removing it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import buicasus

SRC = Path(buicasus.__file__).parent
FRAMEWORK = ("django", "ninja", "psycopg", "sqlite3")

# Function-level imports of another package that stay, each with the reason it must.
ALLOWED_INNER = {
    # A benchmark run as a script: it configures Django itself, so it can only import models
    # after `django.setup()`.
    "dedup/bench.py": "configures Django before importing models",
}


def _modules(package: str = "") -> Iterator[tuple[str, ast.Module]]:
    root = SRC / package if package else SRC
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if "/migrations/" not in relative:
            yield relative, ast.parse(path.read_text("utf-8"), filename=relative)


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # relative: stays inside its own package
        return []
    return [node.module or ""]


def _imports(tree: ast.Module) -> list[str]:
    return [
        name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in _imported(node)
    ]


def _package(name: str) -> str:
    """`buicasus.registry.models` → `registry`; `buicasus.cli` → `cli`."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "buicasus" else ""


def _inner_imports(tree: ast.Module) -> Iterator[tuple[str, int, str]]:
    """(enclosing function, line, module) for every import made inside a function body."""

    def visit(node: ast.AST, function: str) -> Iterator[tuple[str, int, str]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                yield from visit(child, child.name)
            elif isinstance(child, ast.Import | ast.ImportFrom) and function:
                for name in _imported(child):
                    yield function, child.lineno, name
            else:
                yield from visit(child, function)

    yield from visit(tree, "")


def test_core_imports_neither_the_framework_nor_an_app() -> None:
    offenders = [
        f"{module}: {name}"
        for module, tree in _modules("core")
        for name in _imports(tree)
        if name.startswith(FRAMEWORK) or (_package(name) not in {"", "core"})
    ]
    assert offenders == []


def test_reference_imports_no_other_app() -> None:
    offenders = [
        f"{module}: {name}"
        for module, tree in _modules("reference")
        for name in _imports(tree)
        if _package(name) not in {"", "core", "reference"}
    ]
    assert offenders == []


def test_no_sibling_app_is_imported_inside_a_function() -> None:
    """Allowed: an AppConfig's `ready()` (signal wiring, registrations) and management
    commands (Django is set up by then); anything else is a module-level import or a cycle
    to remove."""
    offenders = []
    for module, tree in _modules():
        own = module.split("/")[0] if "/" in module else module.removesuffix(".py")
        if "/management/commands/" in module or module in ALLOWED_INNER:
            continue
        for function, line, name in _inner_imports(tree):
            other = _package(name)
            if not other or other == own:
                continue
            if module.endswith("/apps.py") and function == "ready":
                continue
            offenders.append(f"{module}:{line} in {function}(): {name}")
    assert offenders == []


def test_allowed_exceptions_still_exist() -> None:
    """An exception whose module is gone is dropped from the list rather than left to excuse
    a future module of the same name."""
    assert [m for m in ALLOWED_INNER if not (SRC / m).exists()] == []
