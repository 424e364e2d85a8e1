"""Writing uploads into the data folder all or nothing: a full disk leaves no partial file.

`save_upload` writes to a hidden temporary name beside the target, flushes it to disk, then
renames it into place (a rename within one folder is atomic). When the write fails — disk full
(ENOSPC), quota (EDQUOT), file size limit (EFBIG) — the temporary file is removed, as is the
folder when this call created it, and the `OSError` is raised again for the caller (the
`ServiceUnavailableMiddleware` answers a 507 for the disk-full case).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from django.utils.text import get_valid_filename


class Upload(Protocol):
    name: str | None

    def chunks(self) -> Iterable[bytes]: ...


def write_atomically(path: Path, chunks: Iterable[bytes]) -> Path:
    """Write `chunks` to `path` so that it exists complete or not at all."""
    created = not path.parent.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.part")
    try:
        with temporary.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if created:
            with contextlib.suppress(OSError):
                path.parent.rmdir()
        raise
    return path


def save_upload(upload: Upload | Any, folder: Path) -> Path:
    """Keep an uploaded file under `folder` (its name made safe); complete or not at all."""
    name = get_valid_filename(Path(upload.name or "upload").name) or "upload"
    return write_atomically(folder / name, upload.chunks())
