"""JSON API of the pilots app, mounted at /api/v1/pilots: pilots CRUD, their participants,
sessions, milestones, adaptations and risks, progress, phase advance and finish.

Every call needs a token or a session (pilots are never public): 401 without, 403 for a pilot
the caller may not see or change. Writes follow the registry API's path (`api_common`):
permission first, then the JSON shape, then the same Django form as the pages (422 naming the
fields), then the service, which writes in one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from pydantic import BaseModel

from buicasus.accounts.api import WRITE_AUTH
from buicasus.pilots import access, schemas, services
from buicasus.pilots.forms import (
    AdaptationForm,
    FinishForm,
    MilestoneForm,
    ParticipantForm,
    PilotForm,
    RiskForm,
    SessionForm,
    default_replica_title,
)
from buicasus.pilots.models import (
    Pilot,
    PilotAdaptation,
    PilotMilestone,
    PilotParticipant,
    PilotRisk,
    PilotSession,
)
from buicasus.registry.api_common import (
    READ_ERRORS,
    WRITE_ERRORS,
    PageParams,
    PayloadInvalid,
    body_doc,
    check_shape,
    form_data,
    paginate,
    read_json,
)

router = Router(tags=["pilots"], auth=WRITE_AUTH)
ERRORS = {**READ_ERRORS, 403: WRITE_ERRORS[403]}


def pilot_out(pilot: Pilot) -> dict[str, Any]:
    return {
        **{f: getattr(pilot, f) for f in schemas.PilotOut.model_fields if hasattr(pilot, f)},
        "source_initiative": pilot.source_initiative_id,
        "source_country": pilot.source_initiative.country.code,
        "source_organisation": pilot.source_organisation_id,
        "target_country": pilot.target_country.code,
        "target_organisation": pilot.target_organisation_id,
        "need": pilot.need_id,
        "scaling_strategy": pilot.scaling_strategy.code if pilot.scaling_strategy_id else None,
        "replicated_initiative": pilot.replicated_initiative_id,
    }


def _invalid(exc: ValidationError) -> PayloadInvalid:
    return PayloadInvalid(
        {
            field: [{"message": str(m), "code": "invalid"} for m in messages]
            for field, messages in exc.message_dict.items()
        }
    )


def _validated(form: Any) -> Any:
    if not form.is_valid():
        raise PayloadInvalid(dict(form.errors.get_json_data()))
    return form


# --- pilots --------------------------------------------------------------------------------


@router.get("", response=schemas.PilotPage, summary="List the pilots you may see")
def list_pilots(
    request: HttpRequest, filters: Query[schemas.PilotFilters], page: Query[PageParams]
) -> dict[str, Any]:
    params = filters.model_dump(exclude_none=True)
    qs = services.filter_pilots(access.visible_pilots(request.user), params)
    result = paginate(qs, page)
    result["results"] = [pilot_out(p) for p in result["results"]]
    return result


def _pilot_form_data(payload: BaseModel) -> dict[str, Any]:
    return form_data(payload.model_dump())


@router.post(
    "",
    response={201: schemas.PilotOut, **WRITE_ERRORS},
    openapi_extra=body_doc(schemas.PilotIn),
    summary="Start a pilot (editors of its target country)",
)
def create_pilot(request: HttpRequest) -> Any:
    if not access.may_create_somewhere(request.user):
        raise PermissionDenied(_("Only editors and coordinators of a country can start pilots."))
    payload = check_shape(schemas.PilotIn, read_json(request))
    form = PilotForm(data=_pilot_form_data(payload))
    form.restrict(request.user)
    form = _validated(form)
    pilot = services.save_pilot(request.user, form)
    return Status(201, pilot_out(services.get_pilot(request.user, pilot.pk)))


@router.get("/{pilot_id}", response={200: schemas.PilotOut, **ERRORS})
def read_pilot(request: HttpRequest, pilot_id: int) -> Any:
    return pilot_out(services.get_pilot(request.user, pilot_id))


def _update(request: HttpRequest, pilot_id: int, *, partial: bool) -> Any:
    pilot = services.get_pilot(request.user, pilot_id)
    if not access.can_manage(request.user, pilot):
        raise PermissionDenied(_("You may not change this pilot."))
    data = read_json(request)
    if partial:
        current = pilot_out(pilot)
        data = {**{k: current[k] for k in schemas.PilotIn.model_fields}, **data}
    payload = check_shape(schemas.PilotIn, data)
    form = PilotForm(data=_pilot_form_data(payload), instance=pilot)
    form.restrict(request.user)
    form = _validated(form)
    services.save_pilot(request.user, form)
    return pilot_out(services.get_pilot(request.user, pilot_id))


@router.put(
    "/{pilot_id}",
    response={200: schemas.PilotOut, **WRITE_ERRORS},
    openapi_extra=body_doc(schemas.PilotIn),
)
def replace_pilot(request: HttpRequest, pilot_id: int) -> Any:
    return _update(request, pilot_id, partial=False)


@router.patch(
    "/{pilot_id}",
    response={200: schemas.PilotOut, **WRITE_ERRORS},
    openapi_extra=body_doc(schemas.PilotIn, partial=True),
)
def patch_pilot(request: HttpRequest, pilot_id: int) -> Any:
    return _update(request, pilot_id, partial=True)


@router.delete("/{pilot_id}", response={204: None, **WRITE_ERRORS})
def delete_pilot(request: HttpRequest, pilot_id: int) -> Any:
    services.delete_pilot(request.user, services.get_pilot(request.user, pilot_id))
    return Status(204, None)


@router.get("/{pilot_id}/progress", response={200: schemas.ProgressOut, **ERRORS})
def pilot_progress(request: HttpRequest, pilot_id: int) -> Any:
    progress = services.progress(services.get_pilot(request.user, pilot_id))
    return {
        **progress.__dict__,
        "phase_percent": progress.phase_percent,
        "checklist_percent": progress.checklist_percent,
    }


@router.post("/{pilot_id}/advance", response={200: schemas.PilotOut, **WRITE_ERRORS})
def advance(request: HttpRequest, pilot_id: int) -> Any:
    pilot = services.get_pilot(request.user, pilot_id)
    try:
        services.advance_phase(request.user, pilot)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return pilot_out(services.get_pilot(request.user, pilot_id))


@router.post(
    "/{pilot_id}/finish",
    response={200: schemas.FinishOut, **WRITE_ERRORS},
    openapi_extra=body_doc(schemas.FinishIn),
    summary="Finish with an evaluation; creates the replicated initiative once",
)
def finish(request: HttpRequest, pilot_id: int) -> Any:
    pilot = services.get_pilot(request.user, pilot_id)
    if not access.can_manage(request.user, pilot):
        raise PermissionDenied(_("You may not finish this pilot."))
    payload: Any = check_shape(schemas.FinishIn, read_json(request))
    values = payload.model_dump()
    values["would_recommend"] = "true" if payload.would_recommend else "false"
    values["end_date"] = values["end_date"] or pilot.end_date or dt.date.today()
    values["initiative_title"] = values["initiative_title"] or default_replica_title(pilot)
    form = _validated(FinishForm(data=form_data(values), pilot=pilot))
    try:
        initiative = services.finish(request.user, pilot, form)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return {
        "pilot": pilot_out(services.get_pilot(request.user, pilot_id)),
        "replicated_initiative": initiative.pk,
    }


# --- entries -------------------------------------------------------------------------------


def _participant_out(p: PilotParticipant, managers: bool) -> dict[str, Any]:
    return {
        "id": p.pk,
        "role": p.role,
        "username": p.user.get_username() if p.user_id else None,
        "name": p.display_name,
        "organisation": p.organisation_id,
        "email": p.email if managers else None,
    }


def _session_out(s: PilotSession, managers: bool) -> dict[str, Any]:
    return {
        "id": s.pk,
        "held_on": s.held_on,
        "participants": sorted(p.pk for p in s.participants.all()),
        "topics": s.topics,
        "competences": s.competences,
        "next_steps": s.next_steps,
        "recorded_by": s.created_by.get_username() if s.created_by_id else None,
    }


def _plain_out(schema: type[BaseModel]) -> Any:
    def out(entry: Model, managers: bool) -> dict[str, Any]:
        return {name: getattr(entry, name) for name in schema.model_fields}

    return out


ENTRIES: dict[str, tuple[type[Model], Any, type[BaseModel], type[BaseModel], Any]] = {
    "participants": (
        PilotParticipant,
        ParticipantForm,
        schemas.ParticipantIn,
        schemas.ParticipantOut,
        _participant_out,
    ),
    "sessions": (PilotSession, SessionForm, schemas.SessionIn, schemas.SessionOut, _session_out),
    "milestones": (
        PilotMilestone,
        MilestoneForm,
        schemas.MilestoneIn,
        schemas.MilestoneOut,
        _plain_out(schemas.MilestoneOut),
    ),
    "adaptations": (
        PilotAdaptation,
        AdaptationForm,
        schemas.AdaptationIn,
        schemas.AdaptationOut,
        _plain_out(schemas.AdaptationOut),
    ),
    "risks": (PilotRisk, RiskForm, schemas.RiskIn, schemas.RiskOut, _plain_out(schemas.RiskOut)),
}


def _entry_input(entry: Model, kind: str, schema_in: type[BaseModel]) -> dict[str, Any]:
    """An entry as a client would send it, the base a PATCH merges over."""
    if isinstance(entry, PilotParticipant):
        return {
            "role": entry.role,
            "username": entry.user.get_username() if entry.user_id else "",
            "name": entry.name,
            "organisation": entry.organisation_id,
            "email": entry.email,
        }
    if isinstance(entry, PilotSession):
        return {**_session_out(entry, True)}
    return {name: getattr(entry, name) for name in schema_in.model_fields}


def _register(kind: str) -> None:
    model, form_class, schema_in, schema_out, out = ENTRIES[kind]

    def listing(request: HttpRequest, pilot_id: int) -> Any:
        pilot = services.get_pilot(request.user, pilot_id)
        managers = access.can_manage(request.user, pilot)
        return [out(e, managers) for e in model._default_manager.filter(pilot=pilot)]

    def write(request: HttpRequest, pilot: Pilot, entry: Model | None, data: dict) -> Any:
        payload = check_shape(schema_in, data)
        values = form_data(payload.model_dump())
        form = form_class(data=values, instance=entry, pilot=pilot)
        if isinstance(form, ParticipantForm):
            form.restrict(request.user)
        form = _validated(form)
        saved = services.save_entry(request.user, pilot, form)
        return out(saved, access.can_manage(request.user, pilot))

    def create(request: HttpRequest, pilot_id: int) -> Any:
        pilot = services.get_pilot(request.user, pilot_id)
        if not access.may_add_entry(request.user, pilot, kind):
            raise PermissionDenied(_("You may not add entries to this pilot."))
        return Status(201, write(request, pilot, None, read_json(request)))

    def update(request: HttpRequest, pilot_id: int, entry_id: int) -> Any:
        pilot = services.get_pilot(request.user, pilot_id)
        entry = get_object_or_404(model, pk=entry_id, pilot=pilot)
        if not access.may_change_entry(request.user, pilot, entry):
            raise PermissionDenied(_("You may not change this entry."))
        data = {**_entry_input(entry, kind, schema_in), **read_json(request)}
        return write(request, pilot, entry, data)

    def delete(request: HttpRequest, pilot_id: int, entry_id: int) -> Any:
        pilot = services.get_pilot(request.user, pilot_id)
        entry = get_object_or_404(model, pk=entry_id, pilot=pilot)
        services.delete_entry(request.user, pilot, entry)
        return Status(204, None)

    path, item = f"/{{pilot_id}}/{kind}", f"/{{pilot_id}}/{kind}/{{entry_id}}"
    for func, name in ((listing, "list"), (create, "add"), (update, "patch"), (delete, "delete")):
        func.__name__ = f"{name}_{kind}"
    router.get(path, response={200: list[schema_out], **ERRORS})(listing)  # type: ignore[valid-type]
    router.post(
        path, response={201: schema_out, **WRITE_ERRORS}, openapi_extra=body_doc(schema_in)
    )(create)
    router.patch(
        item,
        response={200: schema_out, **WRITE_ERRORS},
        openapi_extra=body_doc(schema_in, partial=True),
    )(update)
    router.delete(item, response={204: None, **WRITE_ERRORS})(delete)


for _kind in ENTRIES:
    _register(_kind)
