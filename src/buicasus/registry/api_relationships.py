"""API routers for relationships: organisations' roles in initiatives and ties between them.

A relationship is visible when both its ends are; it belongs to the initiative's country (roles)
or the source organisation's (ties), whose editors may create, change and delete it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from buicasus.accounts import permissions
from buicasus.accounts.api import OPTIONAL_AUTH_DOC, READ_AUTH, WRITE_AUTH
from buicasus.accounts.models import Role
from buicasus.registry import services
from buicasus.registry.api_common import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorList,
    PageParams,
    Resource,
    body_doc,
    form_data,
    paginate,
)
from buicasus.registry.forms import InitiativeRoleForm, OrganisationTieForm
from buicasus.registry.models import InitiativeRole, OrganisationTie
from buicasus.registry.schemas import RoleIn, RoleOut, RolePage, TieIn, TieOut, TiePage


def may_edit_somewhere(user: Any) -> bool:
    """Only editors (and up) record relationships; contributors cannot propose them."""
    return bool(permissions.countries_with(user, Role.EDITOR))


def relationship_form_data(payload: RoleIn | TieIn) -> tuple[dict[str, Any], dict[str, ErrorList]]:
    return form_data(payload.model_dump()), {}


ROLES = Resource(
    model=InitiativeRole,
    form=InitiativeRoleForm,
    schema_in=RoleIn,
    schema_out=RoleOut,
    visible=services.visible_roles,
    to_form_data=relationship_form_data,
    save=services.save_relationship,
    may_create=may_edit_somewhere,
    choices={
        "organisation": services.visible_organisations,
        "initiative": services.visible_initiatives,
    },
)

TIES = Resource(
    model=OrganisationTie,
    form=OrganisationTieForm,
    schema_in=TieIn,
    schema_out=TieOut,
    visible=services.visible_ties,
    to_form_data=relationship_form_data,
    save=services.save_relationship,
    may_create=may_edit_somewhere,
    choices={"source": services.visible_organisations, "target": services.visible_organisations},
)


class RoleFilters(Schema):
    organisation: int | None = None
    initiative: int | None = None
    role: str | None = None


class TieFilters(Schema):
    organisation: int | None = None
    source: int | None = None
    target: int | None = None
    tie_type: str | None = None


roles = Router(tags=["initiative roles"])
ties = Router(tags=["organisation ties"])


# --- initiative roles ---------------------------------------------------------------------


@roles.get(
    "", response={200: RolePage, **READ_ERRORS}, auth=READ_AUTH, openapi_extra=OPTIONAL_AUTH_DOC
)
def list_roles(
    request: HttpRequest, filters: Query[RoleFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    """`?organisation=<id>` or `?initiative=<id>` narrow the list; `role` takes a code."""
    qs = ROLES.queryset(request.user)
    if filters.organisation is not None:
        qs = qs.filter(organisation_id=filters.organisation)
    if filters.initiative is not None:
        qs = qs.filter(initiative_id=filters.initiative)
    if filters.role:
        qs = qs.filter(role__code=filters.role)
    return paginate(qs.order_by("pk"), paging)


@roles.get(
    "/{role_id}",
    response={200: RoleOut, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def get_role(request: HttpRequest, role_id: int) -> InitiativeRole:
    return ROLES.get(request.user, role_id)


@roles.post(
    "", response={201: RoleOut, **WRITE_ERRORS}, auth=WRITE_AUTH, openapi_extra=body_doc(RoleIn)
)
def create_role(request: HttpRequest) -> Status:
    return Status(201, ROLES.create(request))


@roles.put(
    "/{role_id}",
    response={200: RoleOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    openapi_extra=body_doc(RoleIn),
)
def replace_role(request: HttpRequest, role_id: int) -> InitiativeRole:
    return ROLES.update(request, role_id, partial=False)


@roles.patch(
    "/{role_id}",
    response={200: RoleOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    openapi_extra=body_doc(RoleIn, partial=True),
)
def patch_role(request: HttpRequest, role_id: int) -> InitiativeRole:
    return ROLES.update(request, role_id, partial=True)


@roles.delete("/{role_id}", response={204: None, **WRITE_ERRORS}, auth=WRITE_AUTH)
def delete_role(request: HttpRequest, role_id: int) -> Status:
    ROLES.delete(request, role_id)
    return Status(204, None)


# --- organisation ties --------------------------------------------------------------------


@ties.get(
    "", response={200: TiePage, **READ_ERRORS}, auth=READ_AUTH, openapi_extra=OPTIONAL_AUTH_DOC
)
def list_ties(
    request: HttpRequest, filters: Query[TieFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    """`?organisation=<id>` matches either end; `source` and `target` one end each."""
    qs = TIES.queryset(request.user)
    if filters.organisation is not None:
        qs = qs.filter(Q(source_id=filters.organisation) | Q(target_id=filters.organisation))
    if filters.source is not None:
        qs = qs.filter(source_id=filters.source)
    if filters.target is not None:
        qs = qs.filter(target_id=filters.target)
    if filters.tie_type:
        qs = qs.filter(tie_type__code=filters.tie_type)
    return paginate(qs.order_by("pk"), paging)


@ties.get(
    "/{tie_id}",
    response={200: TieOut, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def get_tie(request: HttpRequest, tie_id: int) -> OrganisationTie:
    return TIES.get(request.user, tie_id)


@ties.post(
    "", response={201: TieOut, **WRITE_ERRORS}, auth=WRITE_AUTH, openapi_extra=body_doc(TieIn)
)
def create_tie(request: HttpRequest) -> Status:
    return Status(201, TIES.create(request))


@ties.put(
    "/{tie_id}",
    response={200: TieOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    openapi_extra=body_doc(TieIn),
)
def replace_tie(request: HttpRequest, tie_id: int) -> OrganisationTie:
    return TIES.update(request, tie_id, partial=False)


@ties.patch(
    "/{tie_id}",
    response={200: TieOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    openapi_extra=body_doc(TieIn, partial=True),
)
def patch_tie(request: HttpRequest, tie_id: int) -> OrganisationTie:
    return TIES.update(request, tie_id, partial=True)


@ties.delete("/{tie_id}", response={204: None, **WRITE_ERRORS}, auth=WRITE_AUTH)
def delete_tie(request: HttpRequest, tie_id: int) -> Status:
    TIES.delete(request, tie_id)
    return Status(204, None)
