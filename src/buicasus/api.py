"""The JSON API at /api/v1 (django-ninja), with its OpenAPI document at /api/v1/openapi.json and
interactive docs at /api/v1/docs.

The docs page uses the Swagger UI files that ship inside django-ninja, served from our own
/static/: the platform must work offline, so no page may load anything from another host.

Errors have one shape: `{"detail": "…"}`, except validation errors, which name the fields:
`{"errors": {"field": [{"message": "…", "code": "…"}]}}` (or ninja's `{"detail": [...]}` for
malformed query parameters).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema

from buicasus.accounts.api import InvalidToken
from buicasus.accounts.api import router as tokens_router
from buicasus.analysis.api import router as analysis_router
from buicasus.assessment.api import router as assessment_router
from buicasus.dedup.api import router as dedup_router
from buicasus.importer.api import router as import_router
from buicasus.interchange.api import router as export_router
from buicasus.jobs.api import router as jobs_router
from buicasus.maps.api import router as map_router
from buicasus.matching.api import router as matching_router
from buicasus.network.api import router as network_router
from buicasus.pilots.api import router as pilots_router
from buicasus.registry.api import initiatives, organisations
from buicasus.registry.api_common import PayloadInvalid, documented_schemas
from buicasus.registry.api_reference import router as reference_router
from buicasus.registry.api_relationships import roles, ties
from buicasus.reports.api import router as reports_router
from buicasus.search.api import router as search_router
from buicasus.semantic.api import router as semantic_router


class BuicasusAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Adds the request bodies that handlers read themselves (see `api_common`)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, doc in documented_schemas(REF_TEMPLATE).items():
            components.setdefault(name, doc)
        components["ApiProblem"] = PROBLEM
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                _document_common_errors(method, operation)
        return schema


# Any answer the platform gives outside a handler's own schema: `{"detail": …}` (a message or
# ninja's list of malformed parameters) or `{"errors": {field: […]}}`.
PROBLEM = {
    "title": "ApiProblem",
    "type": "object",
    "properties": {
        "detail": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}]},
        "errors": {"type": "object"},
    },
}
_COMMON_ERRORS = {
    "401": "The bearer token is unknown or revoked, or the operation needs a login.",
    "422": "A parameter or the body is malformed; the answer names what is wrong.",
}
_WRITE_ERRORS = {"403": "The caller may not do this in that country."}


def _document_common_errors(method: str, operation: dict[str, Any]) -> None:
    """Every operation can answer 401 (bad token) and 422 (malformed input); writes also 403,
    and operations on one record 404. A handler's own 422 schema (field errors) is kept, beside
    ninja's shape for malformed parameters."""
    responses = operation.setdefault("responses", {})
    errors = dict(_COMMON_ERRORS)
    if method.lower() in {"post", "put", "patch", "delete"}:
        errors.update(_WRITE_ERRORS)
    if "requestBody" in operation:
        errors["400"] = "The body is not valid JSON or not the declared content type."
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        errors["404"] = "No such record, or not one the caller may see."
    problem_ref = {"$ref": REF_TEMPLATE.format(model="ApiProblem")}
    for status, description in errors.items():
        documented = responses.get(status) or responses.get(int(status))
        if documented is None:
            content = {"application/json": {"schema": problem_ref}}
            responses[status] = {"description": description, "content": content}
        elif status == "422":
            for media in documented.get("content", {}).values():
                own = media.get("schema")
                if own and own != problem_ref:
                    media["schema"] = {"anyOf": [own, problem_ref]}


api = BuicasusAPI(
    title="BuiCaSuS API",
    version="1",
    urls_namespace="api",
    description=(
        "Registry of social-innovation actors, initiatives and their relationships. "
        "Reads are public; writes need `Authorization: Bearer <token>` or a session."
    ),
    # validatorUrl: Swagger UI would otherwise send the document to validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)

api.add_router("/organisations", organisations)
api.add_router("/initiatives", initiatives)
api.add_router("/initiative-roles", roles)
api.add_router("/organisation-ties", ties)
api.add_router("/", reference_router)
api.add_router("/tokens", tokens_router)
api.add_router("/imports", import_router)
api.add_router("/search", search_router)
api.add_router("/duplicates", dedup_router)
api.add_router("/export", export_router)
api.add_router("/map", map_router)
api.add_router("/assessment", assessment_router)
api.add_router("/analysis", analysis_router)
api.add_router("/network", network_router)
api.add_router("/reports", reports_router)
api.add_router("/semantic", semantic_router)
api.add_router("/matching", matching_router)
api.add_router("/pilots", pilots_router)
api.add_router("/jobs", jobs_router)


def _detail(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """ninja's own AuthenticationError (no credentials at all) carries an untranslated text."""
    message = exc.message if isinstance(exc, InvalidToken) else _("Authentication required.")
    response = _detail(request, message, 401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A number too large for the database (SQLite raises OverflowError, PostgreSQL DataError)."""
    return _detail(request, _("A value is out of range."), 422)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _detail(request, str(exc) or _("You do not have permission to do this."), 403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _detail(request, _("Not found."), 404)


@api.exception_handler(ObjectDoesNotExist)
def does_not_exist(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _detail(request, _("Not found."), 404)


@api.exception_handler(PayloadInvalid)
def invalid_payload(request: HttpRequest, exc: PayloadInvalid) -> HttpResponse:
    return api.create_response(request, {"errors": exc.errors}, status=422)


@api.exception_handler(IntegrityError)
def conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    """A concurrent write won a uniqueness race that the form check could not see."""
    return _detail(request, _("The change conflicts with data saved meanwhile; try again."), 409)
