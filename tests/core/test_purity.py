"""`buicasus.core` stays free of Django, drivers and the apps (see core/README.md)."""

import ast
from pathlib import Path

import buicasus.core

FORBIDDEN = ("django", "ninja", "psycopg", "sqlite3", "buicasus.registry", "buicasus.accounts")


def test_core_imports_nothing_from_the_framework() -> None:
    root = Path(buicasus.core.__file__).parent
    offenders = []
    for module in root.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{module.name}: {n}" for n in names if n.startswith(FORBIDDEN)]
    assert offenders == []
