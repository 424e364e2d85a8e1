"""The rejects file of an import run with `--skip-invalid`: one CSV line per problem.

Columns: `row`, `field`, `reason`, then the row's original values (the columns of the source
file, or the canonical record's keys when there was no file). A row with two problems has two
lines. Fix the values in the rejects file and import it again with the same mapping: lines of
one row carry the same values, and identical repeats of a record count once. Text that a
spreadsheet would run as a formula (it begins with =, +, -, @, a tab or a carriage return) gets
a leading apostrophe (`core.formula_cells`): remove it when the value really begins so.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from buicasus.core.formula_cells import safe_cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return str(safe_cell(json.dumps(value, ensure_ascii=False, default=str)))
    return str(safe_cell(str(value)))


def write_rejects(
    path: Path,
    problems: Iterable[tuple[int, str, str]],
    originals: dict[int, dict[str, Any]],
) -> Path:
    """Write the rejects CSV (UTF-8 with a BOM, which spreadsheets need to read accents)."""
    problems = list(problems)
    columns: dict[str, None] = {}
    for row, _field, _reason in problems:
        for key in originals.get(row, {}):
            columns.setdefault(str(key), None)
    header = [
        "row",
        "field",
        "reason",
        *(c for c in columns if c not in ("row", "field", "reason")),
    ]
    titles = [_cell(c) for c in header]  # column names come from the file too
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(titles)
        for row, field, reason in problems:
            original = originals.get(row, {})
            out.writerow(
                [row, _cell(field), _cell(reason), *(_cell(original.get(c)) for c in header[3:])]
            )
    return path
