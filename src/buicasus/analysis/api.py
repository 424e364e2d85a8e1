"""JSON API of the analysis app, mounted at /api/v1/analysis.

Indicators are public (published records only). The SWOT, comparisons and change over time
follow the assessment app's rule for scores (logged-in readers, invitees); SWOT edits need the
editor role in the country. Permission is checked before the body is validated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from buicasus.accounts import permissions
from buicasus.accounts.api import OPTIONAL_AUTH_DOC, READ_AUTH, WRITE_AUTH
from buicasus.analysis import profiles, services
from buicasus.analysis.models import SwotEdit
from buicasus.network import tasks as network_tasks
from buicasus.reference.models import Country
from buicasus.registry.api_common import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorDetail,
    FieldErrors,
    PayloadInvalid,
    body_doc,
    check_shape,
    read_json,
)

router = Router(tags=["analysis"])
SCORE_ERRORS: dict[int, Any] = {**READ_ERRORS, 403: ErrorDetail}


class IndicatorOut(Schema):
    code: str
    label: str
    value: float | None = Field(description="None when unknown (never shown as 0).")
    unit: str = Field(description="per-million, share (0–1), index (0–1), count or ratio.")
    detail: dict[str, Any]
    evidence_url: str


class SwotLineOut(Schema):
    key: str = Field(description="Stable key: edits stay attached to it.")
    quadrant: str
    origin: str = Field(description="score, indicator, disagreement or manual.")
    text: str
    derived_text: str
    edited: bool
    dismissed: bool
    evidence_url: str
    updated_by: str
    updated_at: dt.datetime | None


class SwotOut(Schema):
    country: str
    campaign: int | None
    strength: list[SwotLineOut]
    weakness: list[SwotLineOut]
    opportunity: list[SwotLineOut]
    threat: list[SwotLineOut]
    dismissed: list[SwotLineOut]


class SwotLineIn(Schema):
    quadrant: str
    text: str


class SwotLineChange(Schema):
    text: str | None = Field(None, description='New wording; "" returns to the derived one.')
    dismissed: bool | None = Field(None, description="true dismisses, false restores.")


class HistoryOut(Schema):
    action: str
    old_text: str
    new_text: str
    user: str
    at: dt.datetime


class SeriesOut(Schema):
    country: str
    name: str
    campaign: int
    values: list[float | None]


class RowOut(Schema):
    dimension: str
    label: str
    values: list[float | None]
    mean: float | None
    deltas: list[float | None] = Field(description="Difference from the selection's mean.")
    sd: float | None
    spread: float | None


class ComparisonOut(Schema):
    dimensions: list[str]
    series: list[SeriesOut]
    rows: list[RowOut]
    without_scores: list[str]
    note: str = Field(description="Why no rank is given.")


class CompareQuery(Schema):
    countries: list[str] = Field(..., description="Two to eight ISO codes.")


class ChangeRowOut(Schema):
    dimension: str
    label: str
    before: float | None
    after: float | None
    change: float | None


class ChangeOut(Schema):
    country: str
    before: int | None
    after: int | None
    rows: list[ChangeRowOut]


class ChangeQuery(Schema):
    before: int | None = None
    after: int | None = None


NO_RANK = gettext_lazy(
    "Profiles, not a league table: the OECD/EC Better Entrepreneurship Policy Tool warns "
    "against ranking countries with self-assessment scores."
)


def _invalid(exc: ValidationError) -> PayloadInvalid:
    return PayloadInvalid(
        {k: [{"message": m, "code": "invalid"} for m in v] for k, v in exc.message_dict.items()}
    )


def _country(code: str) -> Country:
    return Country.objects.get(code=code.upper())


def _line_out(line: services.SwotLine) -> dict[str, Any]:
    return {**line.__dict__, "updated_at": line.updated_at}


def _table_out(table: services.SwotTable) -> dict[str, Any]:
    out: dict[str, Any] = {q: [_line_out(x) for x in lines] for q, lines in table.quadrants.items()}
    out.update(
        country=table.country,
        campaign=table.campaign.pk if table.campaign else None,
        dismissed=[_line_out(x) for x in table.dismissed],
    )
    return out


@router.get(
    "/countries/{code}/indicators",
    response={200: list[IndicatorOut], **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def indicators(request: HttpRequest, code: str) -> list[Any]:
    """Registry indicators of a country, counted from published records (network density is
    unknown, with `detail.pending`, while a worker computes a network never computed yet)."""
    with network_tasks.reading_stored():
        return services.registry_indicators(_country(code).code)


@router.get(
    "/countries/{code}/swot",
    response={200: SwotOut, **SCORE_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def swot(request: HttpRequest, code: str) -> dict[str, Any]:
    """The SWOT table: derived lines with editors' edits, editors' own lines, dismissed ones."""
    country = _country(code)
    if not profiles.can_see_scores(request.user, country.code):
        raise PermissionDenied
    return _table_out(services.swot(country.code, user=request.user, lang=get_language()))


def _require_editor(request: HttpRequest, code: str) -> Country:
    country = _country(code)
    if not permissions.can_edit(request.user, country.code):
        raise PermissionDenied
    return country


def _shown(country: Country, request: HttpRequest, edit: SwotEdit) -> dict[str, Any]:
    table = services.swot(country.code, user=request.user, lang=get_language())
    for line in table.lines() + table.dismissed:
        if line.key == edit.key:
            return _line_out(line)
    raise PermissionDenied  # not reachable: an edited line is always in the table


@router.post(
    "/countries/{code}/swot/lines",
    response={201: SwotLineOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    openapi_extra=body_doc(SwotLineIn),
)
def add_line(request: HttpRequest, code: str) -> Status:
    """An editor's own line in a quadrant (strength, weakness, opportunity, threat)."""
    country = _require_editor(request, code)
    data: Any = check_shape(SwotLineIn, read_json(request))
    try:
        edit = services.add_line(request.user, country.code, data.quadrant, data.text)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return Status(201, _shown(country, request, edit))


@router.patch(
    "/countries/{code}/swot/lines/{key}",
    response={200: SwotLineOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    openapi_extra=body_doc(SwotLineChange),
)
def change_line(request: HttpRequest, code: str, key: str) -> dict[str, Any]:
    """Reword (`text`), dismiss or restore (`dismissed`) a line; both may come together."""
    country = _require_editor(request, code)
    data: Any = check_shape(SwotLineChange, read_json(request))
    try:
        edit = None
        if data.text is not None:
            edit = services.reword_line(request.user, country.code, key, data.text)
        if data.dismissed is True:
            edit = services.dismiss_line(request.user, country.code, key)
        elif data.dismissed is False:
            edit = services.restore_line(request.user, country.code, key)
        if edit is None:
            raise ValidationError({"__all__": [_("Send text, dismissed or both.")]})
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return _shown(country, request, edit)


@router.get(
    "/countries/{code}/swot/lines/{key}/history",
    response={200: list[HistoryOut], **SCORE_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def line_history(request: HttpRequest, code: str, key: str) -> list[dict[str, Any]]:
    """Who changed a line, when, and its wording before and after; newest first."""
    country = _country(code)
    if not profiles.can_see_scores(request.user, country.code):
        raise PermissionDenied
    return [
        {
            "action": e.action,
            "old_text": e.old_text,
            "new_text": e.new_text,
            "user": e.user.get_username() if e.user else "",
            "at": e.at,
        }
        for e in services.line_history(country.code, key)
    ]


@router.get(
    "/compare",
    response={200: ComparisonOut, 422: FieldErrors, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def compare(request: HttpRequest, query: Query[CompareQuery]) -> dict[str, Any]:
    """Latest profiles of two or more countries side by side, with deltas to the mean of the
    selection and dispersion. No rank: see `note`. Countries whose scores the caller may not
    read are listed in `without_scores`."""
    try:
        found = services.compare(query.countries, user=request.user, lang=get_language())
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return {
        "dimensions": found.dimensions,
        "series": [
            {"country": s.code, "name": s.name, "campaign": s.campaign.pk, "values": s.values}
            for s in found.series
            if s.campaign is not None
        ],
        "rows": [r.__dict__ for r in found.rows],
        "without_scores": [c.code for c in found.without_scores],
        "note": str(NO_RANK),
    }


@router.get(
    "/countries/{code}/change",
    response={200: ChangeOut, 422: FieldErrors, **SCORE_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def change(request: HttpRequest, code: str, query: Query[ChangeQuery]) -> dict[str, Any]:
    """Change per dimension between two campaigns of a country (default: the latest two)."""
    country = _country(code)
    try:
        found = services.compare_campaigns(
            country.code, query.before, query.after, user=request.user, lang=get_language()
        )
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return {
        "country": country.code,
        "before": found.before.pk if found.before else None,
        "after": found.after.pk if found.after else None,
        "rows": [r.__dict__ for r in found.rows],
    }
