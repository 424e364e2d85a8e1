"""Limits on uploaded and imported files, in one place for every app that reads an upload.

An upload is hostile until read: a small zip may inflate to gigabytes, a JSON file may nest a
hundred thousand levels, a YAML file may repeat one alias into a billion values, a CSV header
may hold a hundred thousand columns. Each check here is cheap, runs before the expensive step
it protects (parsing, compiling, walking), and refuses with `FileRefused`, whose message names
the file, the limit and the setting that raises it. The importer turns it into its own error;
the next apps' uploads (session materials, deliverables) call the same checks.

The values are settings (`config.SETTINGS`): `IMPORT_MAX_BYTES`, `UPLOAD_MAX_UNPACKED_BYTES`,
`UPLOAD_MAX_ARCHIVE_MEMBERS`, `UPLOAD_MAX_DEPTH`, `UPLOAD_MAX_COLUMNS`,
`UPLOAD_MAX_CELL_CHARS`, `MAPPING_MAX_BYTES`, `MAPPING_MAX_NODES`, `MAPPING_REGEX_TIMEOUT_MS`.
"""

from __future__ import annotations

import json
import math
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _


class FileRefused(ValueError):
    """An upload over one of the limits; `message` says which, and which setting raises it."""

    def __init__(self, message: str, *, file: str = "", row: int | None = None) -> None:
        super().__init__(f"{file}: {message}" if file else message)
        self.message, self.file, self.row = message, file, row


def limit(name: str) -> int:
    """The value of one limit, by its Django setting name (e.g. `UPLOAD_MAX_DEPTH`)."""
    return int(getattr(settings, name))


def _refusal(file: str, text: str, value: int, setting: str, row: int | None) -> FileRefused:
    return FileRefused(
        _("%(limit)s (the limit is %(value)s; setting %(setting)s).")
        % {"limit": text, "value": f"{value:,}", "setting": setting},
        file=file,
        row=row,
    )


def _refuse(file: str, text: str, value: int, setting: str, row: int | None = None) -> None:
    raise _refusal(file, text, value, setting, row)


def too_deep(file: str, row: int | None = None) -> FileRefused:
    """The refusal of data nested past `UPLOAD_MAX_DEPTH` (or past what a parser can nest)."""
    most = limit("UPLOAD_MAX_DEPTH")
    return _refusal(
        file,
        _("The data is nested more than %(n)s levels deep") % {"n": most},
        most,
        "BUICASUS_UPLOAD_MAX_DEPTH",
        row,
    )


def check_size(size: int, file: str) -> None:
    """Refuse a file larger than `IMPORT_MAX_BYTES`, before anything of it is read."""
    most = limit("IMPORT_MAX_BYTES")
    if size > most:
        raise FileRefused(
            _(
                "The file is %(size)s bytes, more than the %(limit)s bytes an import accepts "
                "(setting BUICASUS_IMPORT_MAX_BYTES). Split it into smaller files."
            )
            % {"size": f"{size:,}", "limit": f"{most:,}"},
            file=file,
        )


def check_archive(path: Path, file: str) -> None:
    """Refuse a zip whose members are too many or inflate too far, from its directory alone.

    Python's `zipfile` never inflates a member past the size its directory declares (it stops
    with an error), so bounding the declared sizes bounds what parsing can ever read.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except Exception as exc:  # zipfile raises BadZipFile, NotImplementedError, OSError …
        raise FileRefused(
            _("The file is not a readable zip archive (%(error)s).")
            % {"error": type(exc).__name__},
            file=file,
        ) from exc
    most_members = limit("UPLOAD_MAX_ARCHIVE_MEMBERS")
    if len(members) > most_members:
        _refuse(
            file,
            _("The archive holds %(n)s files, too many") % {"n": f"{len(members):,}"},
            most_members,
            "BUICASUS_UPLOAD_MAX_ARCHIVE_MEMBERS",
        )
    unpacked = sum(member.file_size for member in members)
    most = limit("UPLOAD_MAX_UNPACKED_BYTES")
    if unpacked > most:
        _refuse(
            file,
            _("The archive inflates to %(size)s bytes, too many") % {"size": f"{unpacked:,}"},
            most,
            "BUICASUS_UPLOAD_MAX_UNPACKED_BYTES",
        )


def check_columns(count: int, file: str, row: int | None = None) -> None:
    """Refuse a table (or one row of it) with more than `UPLOAD_MAX_COLUMNS` columns."""
    most = limit("UPLOAD_MAX_COLUMNS")
    if count > most:
        _refuse(
            file,
            _("The table has %(n)s columns, too many") % {"n": f"{count:,}"},
            most,
            "BUICASUS_UPLOAD_MAX_COLUMNS",
            row,
        )


def check_depth(value: Any, file: str, row: int | None = None) -> None:
    """Refuse a structure nested deeper than `UPLOAD_MAX_DEPTH`, or holding NaN or an infinity
    where a number is expected. Walked without recursion, so no depth can overflow the stack;
    a structure that refers to itself (YAML can) stops at the depth limit too."""
    most = limit("UPLOAD_MAX_DEPTH")
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > most:
                raise too_deep(file, row)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def count_nodes(value: Any, file: str) -> int:
    """The number of values in a structure as its aliases expand (a YAML alias repeats what it
    names), refused past `MAPPING_MAX_NODES` or `UPLOAD_MAX_DEPTH`; stops counting at the
    limit, so a billion-laughs document costs no more than the limit."""
    most, deepest = limit("MAPPING_MAX_NODES"), limit("UPLOAD_MAX_DEPTH")
    count = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        count += 1
        if count > most:
            _refuse(
                file,
                _("The file expands to more than %(n)s values once its YAML aliases are repeated")
                % {"n": f"{most:,}"},
                most,
                "BUICASUS_MAPPING_MAX_NODES",
            )
        if isinstance(item, dict | list):
            if depth > deepest:
                raise too_deep(file)
            if isinstance(item, dict):
                stack.extend((k, depth + 1) for k in item)
                stack.extend((v, depth + 1) for v in item.values())
            else:
                stack.extend((child, depth + 1) for child in item)
    return count


def check_text_size(size: int, file: str) -> None:
    """Refuse a mapping file larger than `MAPPING_MAX_BYTES`."""
    most = limit("MAPPING_MAX_BYTES")
    if size > most:
        _refuse(
            file,
            _("The mapping file is %(size)s bytes, too large") % {"size": f"{size:,}"},
            most,
            "BUICASUS_MAPPING_MAX_BYTES",
        )


def load_json(text: str, file: str, row: int | None = None) -> Any:
    """`json.loads` within the depth limit: a document nested past the interpreter's recursion
    limit is refused like one nested past `UPLOAD_MAX_DEPTH`. `NaN` and `Infinity` literals are
    read as floats; the record checks refuse them where a value is used."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise too_deep(file, row) from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # an integer of thousands of digits, which Python will not read
        raise FileRefused(
            _("A number in the file has too many digits to be read."), file=file, row=row
        ) from exc
    check_depth(data, file, row)
    return data


def is_finite(value: Any) -> bool:
    """False for NaN and the infinities (floats or Decimals), True for anything else."""
    if isinstance(value, float):
        return math.isfinite(value)
    is_finite_method: Callable[[], bool] | None = getattr(value, "is_finite", None)
    return is_finite_method() if callable(is_finite_method) else True


def regex_timeout() -> float:
    """Seconds a mapping's pattern may take on one value (`MAPPING_REGEX_TIMEOUT_MS`)."""
    return float(settings.MAPPING_REGEX_TIMEOUT_MS) / 1000.0


def cell_chars() -> int:
    """Most characters in one cell (`UPLOAD_MAX_CELL_CHARS`)."""
    return limit("UPLOAD_MAX_CELL_CHARS")
