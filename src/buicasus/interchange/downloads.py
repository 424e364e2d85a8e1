"""From a request's parameters to a streamed download, for the export page and the API alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from buicasus.interchange.exporters import EXPORTERS, Exporter
from buicasus.interchange.services import ExportError, Selection, select


def exporter_for(format_name: str, kind: str) -> Exporter:
    """The exporter of `format_name`, checked to hold records of `kind`."""
    exporter = EXPORTERS.get(format_name)
    if exporter is None:
        raise ExportError(
            _("Unknown format “%(format)s”; use one of %(formats)s.")
            % {"format": format_name, "formats": ", ".join(EXPORTERS)}
        )
    if kind not in exporter.kinds:
        raise ExportError(
            _("The format “%(format)s” cannot hold “%(kind)s”; choose one of %(kinds)s.")
            % {"format": format_name, "kind": kind, "kinds": ", ".join(exporter.kinds)}
        )
    return exporter


def prepare(
    user: Any, kind: str, format_name: str, params: Mapping[str, Any], *, base_url: str = ""
) -> tuple[Exporter, Selection]:
    """Check everything before the first byte: once streaming starts, errors cannot be shown."""
    selection = select(user, kind, params, base_url=base_url)
    return exporter_for(format_name, kind), selection


def wants_bom(value: Any) -> bool:
    """The `bom` parameter of the page and API: off unless asked for."""
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


def streaming_response(
    exporter: Exporter, selection: Selection, *, bom: bool = False
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        exporter.stream(selection, bom=bom), content_type=exporter.media_type
    )
    if exporter.media_type.startswith(("text/", "application/json", "application/ld+json")):
        response["Content-Type"] = f"{exporter.media_type}; charset=utf-8"
    filename = exporter.filename(selection.kind, selection.generated_at.strftime("%Y%m%d"))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
