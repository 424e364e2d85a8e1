"""The write path shared by every registry resource of the JSON API.

A write goes: authenticate (ninja) → find the record the caller may see (else 404) → check the
caller may change it (else 403) → check the JSON shape → validate through the same Django form
as the pages (else 422) → the service function, which checks permission again and writes in one
transaction. Permission comes before validation, so a caller who may not edit a record learns
nothing from its validation messages; and nothing is written unless every step passed.

Bodies of writes are read here rather than declared as ninja body parameters because ninja would
validate them before the handler runs, i.e. before the permission check. Their schemas are still
documented in OpenAPI through `body_doc`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from buicasus.accounts.policy import policy_for
from buicasus.registry import services
from buicasus.registry.forms import LANGUAGE_CODES
from buicasus.registry.schemas import ReviewIn

ErrorList = list[dict[str, str]]
MAX_PAGE_SIZE = 200
# Deeper pages would overflow the databases' OFFSET (and nobody reads them).
MAX_PAGE = 1_000_000


class PayloadInvalid(Exception):
    """A write was refused by validation; `errors` maps field names to messages (→ 422)."""

    def __init__(self, errors: dict[str, ErrorList]) -> None:
        super().__init__(errors)
        self.errors = errors


# --- documented error bodies --------------------------------------------------------------


class ErrorDetail(Schema):
    detail: str


class FieldError(Schema):
    message: str
    code: str


class FieldErrors(Schema):
    errors: dict[str, list[FieldError]]


# Responses of the error handlers in `buicasus.api`, listed so OpenAPI shows them.
READ_ERRORS: dict[int, type[Schema]] = {401: ErrorDetail, 404: ErrorDetail}
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorDetail,
    401: ErrorDetail,
    403: ErrorDetail,
    404: ErrorDetail,
    409: ErrorDetail,
    422: FieldErrors,
}


# --- reading -------------------------------------------------------------------------------


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="1 for the first page.")
    page_size: int = Field(settings.PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


def paginate(qs: QuerySet[Any], params: PageParams) -> dict[str, Any]:
    """One page of `qs`; a page past the end is empty rather than an error."""
    start = (params.page - 1) * params.page_size
    return {
        "count": qs.count(),
        "page": params.page,
        "page_size": params.page_size,
        "results": list(qs[start : start + params.page_size]),
    }


# --- payloads ------------------------------------------------------------------------------


def read_json(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (UnicodeDecodeError, ValueError) as exc:
        raise HttpError(400, _("The request body is not valid JSON.")) from exc
    if not isinstance(data, dict):
        raise HttpError(400, _("The request body must be a JSON object."))
    return data


def check_shape(schema: type[BaseModel], data: dict[str, Any]) -> BaseModel:
    """Types and required keys; messages are keyed by the top-level field they concern."""
    try:
        return schema.model_validate(data)
    except PydanticError as exc:
        errors: dict[str, ErrorList] = {}
        for err in exc.errors(include_url=False):
            loc = [str(part) for part in err["loc"]]
            name = loc[0] if loc else "__all__"
            where = ".".join(loc)
            message = f"{where}: {err['msg']}" if len(loc) > 1 else str(err["msg"])
            errors.setdefault(name, []).append({"message": message, "code": str(err["type"])})
        raise PayloadInvalid(errors) from exc


def _form_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date | Decimal):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


def form_data(values: dict[str, Any]) -> dict[str, Any]:
    """Form data with every key present: an omitted key would keep the model's old value."""
    return {key: _form_value(value) for key, value in values.items()}


def translation_fields(
    translations: dict[str, Any], translatable: tuple[str, ...]
) -> tuple[dict[str, str], ErrorList]:
    """`{"fr": {"title": …}}` → the forms' `tr_fr_title` fields, with complaints about unknown
    languages or attributes (the form would silently drop them)."""
    data = {f"tr_{lang}_{attr}": "" for lang in LANGUAGE_CODES for attr in translatable}
    problems: ErrorList = []
    for lang, text in translations.items():
        if lang not in LANGUAGE_CODES:
            problems.append(
                {
                    "message": _("Unknown language “%(lang)s”; use one of %(langs)s.")
                    % {"lang": lang, "langs": ", ".join(LANGUAGE_CODES)},
                    "code": "invalid_language",
                }
            )
            continue
        for attr, value in dict(text).items():
            if value in (None, ""):
                continue
            if attr not in translatable:
                problems.append(
                    {
                        "message": _("“%(attr)s” cannot be translated here.") % {"attr": attr},
                        "code": "invalid_attribute",
                    }
                )
                continue
            data[f"tr_{lang}_{attr}"] = str(value)
    return data, problems


# --- the resources -------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    """How one kind of registry record is read, validated and written through the API."""

    model: type[Model]
    form: type[forms.ModelForm]
    schema_in: type[BaseModel]
    schema_out: type[Schema]
    visible: Callable[[Any], QuerySet[Any]]
    to_form_data: Callable[[Any], tuple[dict[str, Any], dict[str, ErrorList]]]
    save: Callable[[Any, Any], Model]
    may_create: Callable[[Any], bool]
    select: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    # form field → visible queryset of the records it may point to
    choices: dict[str, Callable[[Any], QuerySet[Any]]] = field(default_factory=dict)

    def queryset(self, user: Any) -> QuerySet[Any]:
        qs = self.visible(user).select_related("updated_by", *self.select)
        return qs.prefetch_related(*self.prefetch)

    def get(self, user: Any, pk: int) -> Any:
        """The record if `user` may see it; 404 otherwise, so hidden records stay unknown."""
        return get_object_or_404(self.queryset(user), pk=pk)

    def saved(self, user: Any, pk: int) -> Any:
        """A record just written, for the response; found even if the change hid it."""
        found = self.queryset(user).filter(pk=pk).first()
        if found is None:
            found = self.model._default_manager.select_related("updated_by").get(pk=pk)
        return found

    def current_input(self, record: Model) -> dict[str, Any]:
        """The record as a client would send it, the base a PATCH is merged over."""
        out = self.schema_out.from_orm(record).model_dump()
        return {name: out[name] for name in self.schema_in.model_fields if name in out}

    def _limit_choices(self, form: forms.ModelForm, user: Any) -> None:
        """Links may only point at records the caller can see (or already point at)."""
        for name, visible in self.choices.items():
            form_field = form.fields[name]
            current = getattr(form.instance, f"{name}_id", None)
            allowed = Q(pk__in=visible(user).values("pk")) | Q(pk=current)
            form_field.queryset = form_field.queryset.filter(allowed)  # type: ignore[attr-defined]

    def validated_form(self, user: Any, data: dict[str, Any], instance: Model | None) -> Any:
        payload = check_shape(self.schema_in, data)
        values, extra_errors = self.to_form_data(payload)
        form = self.form(data=values, instance=instance)
        self._limit_choices(form, user)
        valid = form.is_valid()
        if not valid or extra_errors:
            errors: dict[str, ErrorList] = dict(form.errors.get_json_data()) if not valid else {}
            for name, problems in extra_errors.items():
                errors.setdefault(name, []).extend(problems)
            raise PayloadInvalid(errors)
        return form

    def create(self, request: HttpRequest) -> Any:
        user = request.user
        if not self.may_create(user):
            raise PermissionDenied(_("You may not add records."))
        form = self.validated_form(user, read_json(request), None)
        record = self.save(user, form)
        return self.saved(user, record.pk)

    def update(self, request: HttpRequest, pk: int, *, partial: bool) -> Any:
        """PUT replaces every field; PATCH merges the given top-level fields over the record."""
        user = request.user
        record = self.get(user, pk)
        if not policy_for(record).allows(user, record, "change"):
            raise PermissionDenied(_("You may not change this record."))
        data = read_json(request)
        if partial:
            data = {**self.current_input(record), **data}
        form = self.validated_form(user, data, record)
        self.save(user, form)
        return self.saved(user, pk)

    def review(self, request: HttpRequest, pk: int) -> Any:
        """Approve (optionally publish) or reject: editors of the record's country only."""
        user = request.user
        record = self.get(user, pk)
        if not policy_for(record).allows(user, record, "manage"):
            raise PermissionDenied(_("You may not change this record."))
        decision: Any = check_shape(ReviewIn, read_json(request))
        services.review(
            user, record, approve=decision.approve, note=decision.note, publish=decision.publish
        )
        return self.saved(user, pk)

    def delete(self, request: HttpRequest, pk: int) -> None:
        """Hidden records answer 404; visible ones the caller may not delete, 403."""
        services.delete_record(request.user, self.get(request.user, pk))


# --- OpenAPI ------------------------------------------------------------------------------

_DOCUMENTED: dict[str, tuple[type[BaseModel], bool]] = {}


def body_doc(schema: type[BaseModel], *, partial: bool = False) -> dict[str, Any]:
    """`openapi_extra` documenting a JSON body read by `read_json`.

    With `partial`, the schema is the same with no field required (for PATCH).
    """
    name = f"{schema.__name__.removesuffix('In')}Patch" if partial else schema.__name__
    _DOCUMENTED[name] = (schema, partial)
    ref = {"$ref": f"#/components/schemas/{name}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


def documented_schemas(ref_template: str) -> dict[str, Any]:
    """JSON schemas of the bodies named by `body_doc`, with the schemas they refer to."""
    result: dict[str, Any] = {}
    for name, (schema, partial) in _DOCUMENTED.items():
        doc = schema.model_json_schema(ref_template=ref_template)
        result.update(doc.pop("$defs", {}))
        if partial:
            doc.pop("required", None)
            doc["title"] = name
        result[name] = doc
    return result
