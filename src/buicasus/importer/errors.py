"""The one exception the importer raises for bad input, and how problems are worded.

A bad file, a bad mapping or a bad option stops the import with `ImportFailure`, which names the
file, and the row and field when it knows them. The command line turns it into a
`CommandError`, the pages into a form error, the API into a 400 — never a traceback. Problems
of single rows do not raise: they are collected as (row, field, message) in the report.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def where(file: str = "", row: int | None = None, field: str = "") -> str:
    """`operations.csv, row 17, field “country”` (the parts that are known)."""
    parts = []
    if file:
        parts.append(file)
    if row is not None:
        parts.append(_("row %(row)s") % {"row": row})
    if field:
        parts.append(_("field “%(field)s”") % {"field": field})
    return ", ".join(parts)


class ImportFailure(Exception):
    """Input the importer cannot use at all (unreadable file, wrong encoding, bad mapping …)."""

    def __init__(
        self, message: str, *, file: str = "", row: int | None = None, field: str = ""
    ) -> None:
        self.message, self.file, self.row, self.field = message, file, row, field
        super().__init__(self.describe())

    def describe(self) -> str:
        place = where(self.file, self.row, self.field)
        return f"{place}: {self.message}" if place else self.message
