"""The one exception the importer raises for bad input, and how problems are worded.

A bad file, a bad mapping or a bad option stops the import with `ImportFailure`, which names the
file, and the row and field when it knows them. The command line turns it into a
`CommandError`, the pages into a form error, the API into a 400 — never a traceback. Problems
of single rows do not raise: they are collected as (row, field, message) in the report. A file
over one of the upload limits (`buicasus.limits`) becomes an `ImportFailure` too (`refusals`);
anything else that goes wrong is recorded as a failed batch and reported with a reference
(`ImportFailure.reference`) that the server's log repeats beside the traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext as _

from buicasus.limits import FileRefused


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
        self,
        message: str,
        *,
        file: str = "",
        row: int | None = None,
        field: str = "",
        reference: str = "",
    ) -> None:
        self.message, self.file, self.row, self.field = message, file, row, field
        self.reference = reference
        super().__init__(self.describe())

    def describe(self) -> str:
        place = where(self.file, self.row, self.field)
        return f"{place}: {self.message}" if place else self.message


@contextmanager
def refusals(file: str) -> Iterator[None]:
    """Inside: a file over an upload limit raises `ImportFailure` naming the file."""
    try:
        yield
    except FileRefused as exc:
        raise ImportFailure(exc.message, file=exc.file or file, row=exc.row) from exc
