"""JSON API routes of the interchange app, mounted by `buicasus.api` at /api/v1/export.

`GET /api/v1/export?kind=registry&format=json&country=LV` streams the same file as the export
page and `buicasus export`; `GET /api/v1/export/formats` lists the formats. Reads are open:
anonymous callers get the published, approved records, token holders what they may see.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from buicasus.accounts.api import OPTIONAL_AUTH_DOC, READ_AUTH
from buicasus.interchange.downloads import prepare, streaming_response
from buicasus.interchange.exporters import EXPORTERS
from buicasus.interchange.services import ExportError
from buicasus.registry.api_common import READ_ERRORS, ErrorDetail

router = Router(tags=["export"])


class ExportParams(Schema):
    """What to export, and the list filters (codes, as the list endpoints take them)."""

    kind: str = Field("registry", description="organisations, initiatives or registry.")
    format: str = Field("json", description="A name from /api/v1/export/formats.")
    q: str | None = None
    country: str | None = None
    region: str | None = Field(None, description="NUTS code; its sub-regions are included.")
    actor_type: str | None = None
    stage: str | None = None
    evidence_level: str | None = None
    policy_field: str | None = None
    esf_objective: str | None = None
    sdg: str | None = None
    target_group: str | None = None
    method: str | None = None
    published: bool | None = None
    review_status: str | None = None
    bom: bool = Field(
        False,
        description="CSV only: start with a UTF-8 byte-order mark, which Excel needs to read "
        "accented letters right. Off by default: other readers may take it for text.",
    )


class FormatOut(Schema):
    name: str
    label: str
    media_type: str
    extension: str
    kinds: list[str]
    reimportable: bool


@router.get(
    "",
    response={200: None, 400: ErrorDetail, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def export(request: HttpRequest, params: Query[ExportParams]) -> HttpResponse:
    """The selected records as a file, streamed (see `formats` for what each holds)."""
    values = params.model_dump(exclude_none=True)
    bom = values.pop("bom")
    if "published" in values:
        values["published"] = "true" if values["published"] else "false"
    try:
        exporter, selection = prepare(
            request.user,
            values.pop("kind"),
            values.pop("format"),
            values,
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except ExportError as exc:
        raise HttpError(400, str(exc)) from exc
    return streaming_response(exporter, selection, bom=bom)


@router.get("/formats", response=list[FormatOut], auth=READ_AUTH, openapi_extra=OPTIONAL_AUTH_DOC)
def formats(request: HttpRequest) -> list[dict[str, Any]]:
    """Every export format, the kinds of record it holds, and whether it can be re-imported."""
    return [
        {
            "name": e.name,
            "label": str(e.label),
            "media_type": e.media_type,
            "extension": e.extension,
            "kinds": list(e.kinds),
            "reimportable": e.reimportable,
        }
        for e in EXPORTERS.values()
    ]
