"""Cells of CSV files meant for spreadsheets, made safe against formula injection.

A spreadsheet opening a CSV file runs a cell that begins with `=`, `+`, `-` or `@` as a
formula (and a tab or carriage return first can hide one): a record named
`=HYPERLINK("http://…")` would become a link, or worse, in the editor's spreadsheet. Such a cell
is written with a leading apostrophe, which spreadsheets show as text and never evaluate.
A plain number (`-2.35`, `+33`) is left alone: it cannot hold a formula, and longitudes
and amounts must stay readable.
"""

from __future__ import annotations

import re
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*|[.,]\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """`value`, with an apostrophe before text that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
