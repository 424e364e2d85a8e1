"""Report operations used by pages, the CLI and tests alike: build, render, name, write.

`build_mapping(user, codes, lang, fmt)` is the one entry point: it gathers the report's data
(`mapping.mapping_report`) and renders it, inside `translation.override(lang)`, as a complete
HTML document or as a PDF (`rendering.render_pdf`, offline).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from buicasus.interchange.exporters.base import shared_file_mode
from buicasus.reports.mapping import (
    PARTNERS,
    MappingReport,
    ReportError,
    check_language,
    mapping_report,
    parse_countries,
)
from buicasus.reports.rendering import OfflineFetcher, render_pdf

Format = Literal["html", "pdf"]
FORMATS: tuple[Format, ...] = ("html", "pdf")
Progress = Callable[[int, int, str], None]  # (steps done, steps in all, the step under way)
BUILD_STEPS = 3

__all__ = [
    "FORMATS",
    "PARTNERS",
    "ReportError",
    "build_mapping",
    "build_mapping_file",
    "check_format",
    "check_language",
    "file_name",
    "mapping_document",
    "mapping_report",
    "parse_countries",
    "render",
    "write_atomic",
]


def check_format(fmt: str | None) -> Format:
    value = (fmt or "").strip().lower()
    if value == "html":
        return "html"
    if value == "pdf":
        return "pdf"
    raise ReportError(
        "format", _("Unknown format %(format)r: choose html or pdf.") % {"format": fmt}
    )


def mapping_document(report: MappingReport, *, request: Any = None) -> str:
    """The report as one self-contained HTML document (styles inline, charts as data: URLs)."""
    with translation.override(report.lang):
        return render_to_string(
            "reports/mapping_document.html", {"report": report}, request=request
        )


def build_mapping(
    user: Any,
    codes: list[str],
    lang: str,
    fmt: Format,
    *,
    site_url: str = "",
    fetcher: OfflineFetcher | None = None,
) -> bytes:
    """The mapping report of `codes` as `user` may see it, in `lang`, as HTML or PDF bytes."""
    report = mapping_report(user, codes, lang, site_url=site_url)
    return render(report, fmt, fetcher=fetcher)


def build_mapping_file(
    user: Any,
    codes: list[str],
    lang: str,
    fmt: Format,
    out: Path,
    *,
    site_url: str = "",
    progress: Progress | None = None,
) -> int:
    """Build the mapping report into the file `out` and return its size in bytes; what the
    command line and the background build both run. The file appears whole or not at all."""
    say = progress or (lambda _done, _total, _step: None)
    say(0, BUILD_STEPS, _("Collecting the figures"))
    report = mapping_report(user, codes, lang, site_url=site_url)
    say(1, BUILD_STEPS, _("Rendering the %(format)s") % {"format": fmt.upper()})
    data = render(report, fmt)
    say(2, BUILD_STEPS, _("Writing the file"))
    write_atomic(out, data)
    say(3, BUILD_STEPS, "")
    return len(data)


def render(report: MappingReport, fmt: Format, *, fetcher: OfflineFetcher | None = None) -> bytes:
    """A built report as HTML (UTF-8) or PDF bytes."""
    html = mapping_document(report)
    if fmt == "html":
        return html.encode("utf-8")
    return render_pdf(html, fetcher=fetcher)


def file_name(codes: list[str], lang: str, fmt: str) -> str:
    """`buicasus-mapping-LV-lv.pdf`, `buicasus-mapping-transnational-ES-FR-LV-SE-en.pdf`."""
    scope = codes[0] if len(codes) == 1 else "transnational-" + "-".join(codes)
    return f"buicasus-mapping-{scope}-{lang}.{fmt}"


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename, so a
    reader never sees half a report and a failed build leaves any previous file intact."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(handle, shared_file_mode())  # as `open()` would create it, not owner-only
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
