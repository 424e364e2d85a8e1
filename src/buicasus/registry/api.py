"""API routers for organisations and initiatives: list, read, create, replace, patch, delete.

Handlers are thin: the shared write path lives in `api_common.Resource`, the rules in the forms
and `services`. Relationships are in `api_relationships`, vocabularies in `api_reference`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

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
    translation_fields,
)
from buicasus.registry.forms import InitiativeForm, OrganisationForm
from buicasus.registry.models import Initiative, Organisation
from buicasus.registry.schemas import (
    InitiativeFilters,
    InitiativeIn,
    InitiativeOut,
    InitiativePage,
    OrganisationFilters,
    OrganisationIn,
    OrganisationOut,
    OrganisationPage,
    ReviewIn,
)


def may_propose_somewhere(user: Any) -> bool:
    """Contributors and up may send new records (the service decides where, and how)."""
    return bool(permissions.countries_with(user, Role.CONTRIBUTOR))


def _with_translations(
    values: dict[str, Any], translations: dict[str, Any], translatable: tuple[str, ...]
) -> tuple[dict[str, Any], dict[str, ErrorList]]:
    fields, problems = translation_fields(translations, translatable)
    return {**form_data(values), **fields}, ({"translations": problems} if problems else {})


def organisation_form_data(payload: OrganisationIn) -> tuple[dict[str, Any], dict[str, ErrorList]]:
    """JSON → `OrganisationForm` data: identifiers become the form's `scheme: value` lines."""
    values = payload.model_dump(exclude={"identifiers", "translations"})
    values["identifiers"] = [f"{i.scheme}: {i.value}" for i in payload.identifiers]
    translations = payload.model_dump(include={"translations"})["translations"]
    return _with_translations(values, translations, OrganisationForm.translatable)


def initiative_form_data(payload: InitiativeIn) -> tuple[dict[str, Any], dict[str, ErrorList]]:
    """JSON → `InitiativeForm` data; fundings go as objects (source, amount, currency)."""
    values = payload.model_dump(exclude={"fundings", "translations"})
    values["fundings"] = [f.model_dump() for f in payload.fundings]
    translations = payload.model_dump(include={"translations"})["translations"]
    return _with_translations(values, translations, InitiativeForm.translatable)


ORGANISATIONS = Resource(
    model=Organisation,
    form=OrganisationForm,
    schema_in=OrganisationIn,
    schema_out=OrganisationOut,
    visible=services.visible_organisations,
    to_form_data=organisation_form_data,
    save=services.save_record,
    may_create=may_propose_somewhere,
    prefetch=("identifiers__scheme",),
)

INITIATIVES = Resource(
    model=Initiative,
    form=InitiativeForm,
    schema_in=InitiativeIn,
    schema_out=InitiativeOut,
    visible=services.visible_initiatives,
    to_form_data=initiative_form_data,
    save=services.save_record,
    may_create=may_propose_somewhere,
    select=("scaling_strategy",),
    prefetch=(
        "regions",
        "policy_fields",
        "esf_objectives",
        "sdgs",
        "target_groups",
        "methods",
        "scaling_directions",
        "fundings__source",
    ),
    choices={"replicated_from": services.visible_initiatives},
)

organisations = Router(tags=["organisations"])
initiatives = Router(tags=["initiatives"])


# --- organisations ------------------------------------------------------------------------


@organisations.get(
    "",
    response={200: OrganisationPage, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def list_organisations(
    request: HttpRequest, filters: Query[OrganisationFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    """Anonymous callers see published, approved records; staff also their countries' others."""
    params = filters.model_dump(exclude_none=True)
    qs = services.filter_organisations(ORGANISATIONS.queryset(request.user), params)
    return paginate(qs.order_by("name", "pk"), paging)


@organisations.get(
    "/{organisation_id}",
    response={200: OrganisationOut, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def get_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    return ORGANISATIONS.get(request.user, organisation_id)


@organisations.post(
    "",
    response={201: OrganisationOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    openapi_extra=body_doc(OrganisationIn),
)
def create_organisation(request: HttpRequest) -> Status:
    """A contributor's record becomes a proposal: unpublished until an editor approves it."""
    return Status(201, ORGANISATIONS.create(request))


@organisations.put(
    "/{organisation_id}",
    response={200: OrganisationOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    openapi_extra=body_doc(OrganisationIn),
)
def replace_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    """Every field is replaced; omitted optional fields become empty."""
    return ORGANISATIONS.update(request, organisation_id, partial=False)


@organisations.patch(
    "/{organisation_id}",
    response={200: OrganisationOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    openapi_extra=body_doc(OrganisationIn, partial=True),
)
def patch_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    """The given top-level fields replace the current ones; the others stay as they are."""
    return ORGANISATIONS.update(request, organisation_id, partial=True)


@organisations.delete("/{organisation_id}", response={204: None, **WRITE_ERRORS}, auth=WRITE_AUTH)
def delete_organisation(request: HttpRequest, organisation_id: int) -> Status:
    ORGANISATIONS.delete(request, organisation_id)
    return Status(204, None)


@organisations.post(
    "/{organisation_id}/review",
    response={200: OrganisationOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    openapi_extra=body_doc(ReviewIn),
)
def review_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    """An editor approves (and may publish) or rejects a contributor's proposal."""
    return ORGANISATIONS.review(request, organisation_id)


# --- initiatives --------------------------------------------------------------------------


@initiatives.get(
    "",
    response={200: InitiativePage, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def list_initiatives(
    request: HttpRequest, filters: Query[InitiativeFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    """Filters take codes (`?sdg=8&stage=testing`), as `services.filter_initiatives` does."""
    params = filters.model_dump(exclude_none=True)
    qs = services.filter_initiatives(INITIATIVES.queryset(request.user), params)
    return paginate(qs.order_by("title", "pk"), paging)


@initiatives.get(
    "/{initiative_id}",
    response={200: InitiativeOut, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def get_initiative(request: HttpRequest, initiative_id: int) -> Initiative:
    return INITIATIVES.get(request.user, initiative_id)


@initiatives.post(
    "",
    response={201: InitiativeOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    openapi_extra=body_doc(InitiativeIn),
)
def create_initiative(request: HttpRequest) -> Status:
    """A contributor's record becomes a proposal: unpublished until an editor approves it."""
    return Status(201, INITIATIVES.create(request))


@initiatives.put(
    "/{initiative_id}",
    response={200: InitiativeOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    openapi_extra=body_doc(InitiativeIn),
)
def replace_initiative(request: HttpRequest, initiative_id: int) -> Initiative:
    """Every field is replaced; omitted optional fields become empty."""
    return INITIATIVES.update(request, initiative_id, partial=False)


@initiatives.patch(
    "/{initiative_id}",
    response={200: InitiativeOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    openapi_extra=body_doc(InitiativeIn, partial=True),
)
def patch_initiative(request: HttpRequest, initiative_id: int) -> Initiative:
    """The given top-level fields replace the current ones; the others stay as they are."""
    return INITIATIVES.update(request, initiative_id, partial=True)


@initiatives.delete("/{initiative_id}", response={204: None, **WRITE_ERRORS}, auth=WRITE_AUTH)
def delete_initiative(request: HttpRequest, initiative_id: int) -> Status:
    INITIATIVES.delete(request, initiative_id)
    return Status(204, None)


@initiatives.post(
    "/{initiative_id}/review",
    response={200: InitiativeOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    openapi_extra=body_doc(ReviewIn),
)
def review_initiative(request: HttpRequest, initiative_id: int) -> Initiative:
    """An editor approves (and may publish) or rejects a contributor's proposal."""
    return INITIATIVES.review(request, initiative_id)
