"""JSON API of the matching app, mounted at /api/v1/matching.

Needs, sharing, recommendations, saved searches and notifications need credentials (a token
or the session); `find` and `weights` also answer anonymous callers, over published records.
Permission comes before reading a body (as in `registry.api_common`); bad input answers 422
naming the field; another country's need answers 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from buicasus.accounts.api import OPTIONAL_AUTH_DOC, READ_AUTH, WRITE_AUTH
from buicasus.core import transferability as tr
from buicasus.matching import finding, presenting, services, transfer
from buicasus.matching.forms import NeedForm
from buicasus.matching.models import Need, SavedSearch
from buicasus.matching.reasons import COMPONENT_HELP, component_label
from buicasus.matching.schemas import (
    CountOut,
    FindIn,
    FindOut,
    NeedIn,
    NeedOut,
    NeedPage,
    NotificationPage,
    ReadIn,
    RecommendationOut,
    RecommendIn,
    SavedSearchOut,
    ShareIn,
    ShareOut,
    WeightOut,
    WeightsIn,
)
from buicasus.registry.api_common import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorDetail,
    PageParams,
    PayloadInvalid,
    body_doc,
    check_shape,
    form_data,
    paginate,
    read_json,
)
from buicasus.registry.models import Initiative

router = Router(tags=["matching"], auth=WRITE_AUTH)
READ = {**READ_ERRORS, 403: ErrorDetail}


def _invalid(exc: services.NeedInvalid) -> PayloadInvalid:
    return PayloadInvalid(
        {k: [{"message": m, "code": "invalid"} for m in v] for k, v in exc.errors.items()}
    )


def _need(user: Any, pk: int) -> Need:
    try:
        return services.get_need(user, pk)
    except Need.DoesNotExist as exc:
        raise Http404 from exc


def _need_out(pk: int) -> Need:
    return (
        Need.objects.select_related("country", "region")
        .prefetch_related(
            "policy_fields", "esf_objectives", "sdgs", "target_groups", "shares__country"
        )
        .get(pk=pk)
    )


def _save_need(request: HttpRequest, instance: Need | None, data: dict[str, Any]) -> Need:
    payload: Any = check_shape(NeedIn, data)
    values = form_data(payload.model_dump())
    form = NeedForm(data=values, instance=instance, user=request.user)
    if not form.is_valid():
        raise PayloadInvalid(dict(form.errors.get_json_data()))
    try:
        return services.save_need(request.user, form)
    except services.NeedInvalid as exc:
        raise _invalid(exc) from exc


# --- needs ---------------------------------------------------------------------------------


@router.get("/needs", response={200: NeedPage, **READ})
def list_needs(request: HttpRequest, paging: Query[PageParams]) -> dict[str, Any]:
    """Needs of the caller's countries and needs shared with them, newest first."""
    qs = services.visible_needs(request.user).prefetch_related(
        "policy_fields", "esf_objectives", "sdgs", "target_groups", "shares__country"
    )
    return paginate(qs, paging)


@router.post("/needs", response={201: NeedOut, **WRITE_ERRORS}, openapi_extra=body_doc(NeedIn))
def create_need(request: HttpRequest) -> Any:
    if not services.need_countries(request.user):
        raise PermissionDenied(_("Only editors state needs for their country."))
    need = _save_need(request, None, read_json(request))
    return Status(201, _need_out(need.pk))


@router.get("/needs/{need_id}", response={200: NeedOut, **READ})
def get_need(request: HttpRequest, need_id: int) -> Any:
    return _need_out(_need(request.user, need_id).pk)


def _update(request: HttpRequest, need_id: int, *, partial: bool) -> Any:
    need = _need(request.user, need_id)
    if not services.can_edit(request.user, need):
        raise PermissionDenied(_("You may not change this need."))
    data = read_json(request)
    if partial:
        current = NeedOut.from_orm(_need_out(need.pk)).model_dump()
        data = {**{k: current[k] for k in NeedIn.model_fields if k in current}, **data}
    return _need_out(_save_need(request, need, data).pk)


@router.put(
    "/needs/{need_id}", response={200: NeedOut, **WRITE_ERRORS}, openapi_extra=body_doc(NeedIn)
)
def replace_need(request: HttpRequest, need_id: int) -> Any:
    return _update(request, need_id, partial=False)


@router.patch(
    "/needs/{need_id}",
    response={200: NeedOut, **WRITE_ERRORS},
    openapi_extra=body_doc(NeedIn, partial=True),
)
def patch_need(request: HttpRequest, need_id: int) -> Any:
    return _update(request, need_id, partial=True)


@router.delete("/needs/{need_id}", response={204: None, **WRITE_ERRORS})
def delete_need(request: HttpRequest, need_id: int) -> Any:
    services.delete_need(request.user, _need(request.user, need_id))
    return Status(204, None)


# --- finding -------------------------------------------------------------------------------


def _found(
    request: HttpRequest,
    payload: dict[str, Any],
    weights: dict[str, float],
    saved: SavedSearch | None = None,
) -> dict[str, Any]:
    user = request.user
    need = Need.objects.filter(pk=payload.get("need")).first() if payload.get("need") else None
    matches = transfer.ranked(user, payload, weights)
    rows = presenting.rows(
        matches,
        need.pk if need else None,
        with_pilots=bool(getattr(user, "is_authenticated", False)),
    )
    return {
        "search_id": saved.pk if saved else None,
        "need_id": need.pk if need else None,
        "language": payload.get("language"),
        "notice": payload.get("notice"),
        "weights": weights,
        "matches": [presenting.as_json(r) for r in rows],
        "recommendations": list(services.recommendations_for(user, need)) if need else [],
    }


@router.post(
    "/find",
    auth=READ_AUTH,
    response={200: FindOut, **WRITE_ERRORS},
    openapi_extra={**body_doc(FindIn), **OPTIONAL_AUTH_DOC},
)
def find(request: HttpRequest) -> Any:
    """Ranked initiatives of other countries for a need id or a typed need, each with its
    transferability components (value, weight, reasons)."""
    data: Any = check_shape(FindIn, read_json(request))
    try:
        weights = (
            finding.parse_weights(data.weights)
            if data.weights is not None
            else finding.default_weights()
        )
        if data.need_id is not None:
            need = _need(request.user, data.need_id)
            req = finding.request_for_need(
                need,
                countries=tuple(data.countries),
                stages=tuple(data.stages),
                evidence_levels=tuple(data.evidence_levels),
                k=data.k,
            )
        else:
            req = finding.SearchRequest(
                text=data.text,
                target=transfer.Target(
                    country=(data.country or "").upper() or None,
                    region=(data.region or "").upper() or None,
                    types=tuple(data.legal_forms),
                    budget=data.budget,
                ),
                countries=tuple(c.upper() for c in data.countries),
                stages=tuple(data.stages),
                evidence_levels=tuple(data.evidence_levels),
                k=data.k,
            )
        payload = finding.search(request.user, req)
        saved = (
            finding.save_search(request.user, payload, weights, data.name) if data.save else None
        )
    except services.NeedInvalid as exc:
        raise _invalid(exc) from exc
    return _found(request, payload, weights, saved)


@router.get("/weights", auth=READ_AUTH, response=list[WeightOut], openapi_extra=OPTIONAL_AUTH_DOC)
def weights(request: HttpRequest) -> list[dict[str, Any]]:
    """The score's components, what each measures, and their default weights."""
    return [
        {
            "key": k,
            "label": component_label(k),
            "help": str(COMPONENT_HELP[k]),
            "default": tr.DEFAULT_WEIGHTS[k],
        }
        for k in tr.COMPONENTS
    ]


def _saved(user: Any, pk: int) -> SavedSearch:
    try:
        return finding.get_saved(user, pk)
    except SavedSearch.DoesNotExist as exc:
        raise Http404 from exc


@router.get("/searches", response={200: list[SavedSearchOut], **READ})
def list_searches(request: HttpRequest) -> Any:
    return list(finding.saved_searches(request.user))


@router.get("/searches/{search_id}", response={200: FindOut, **READ})
def get_search(request: HttpRequest, search_id: int) -> Any:
    """A saved search ranked under its weights (no new retrieval)."""
    saved = _saved(request.user, search_id)
    return _found(request, saved.results, dict(saved.weights), saved)


@router.put(
    "/searches/{search_id}/weights",
    response={200: FindOut, **WRITE_ERRORS},
    openapi_extra=body_doc(WeightsIn),
)
def set_weights(request: HttpRequest, search_id: int) -> Any:
    """New weights for a saved search: the same hits, re-ranked."""
    saved = _saved(request.user, search_id)
    data: Any = check_shape(WeightsIn, read_json(request))
    try:
        weights = finding.parse_weights(data.weights)
    except services.NeedInvalid as exc:
        raise _invalid(exc) from exc
    finding.update_weights(request.user, saved, weights)
    return _found(request, saved.results, weights, saved)


@router.delete("/searches/{search_id}", response={204: None, **WRITE_ERRORS})
def delete_search(request: HttpRequest, search_id: int) -> Any:
    finding.delete_saved(request.user, _saved(request.user, search_id))
    return Status(204, None)


# --- sharing and recommendations -----------------------------------------------------------


@router.get("/needs/{need_id}/shares", response={200: list[ShareOut], **READ})
def list_shares(request: HttpRequest, need_id: int) -> Any:
    return list(_need(request.user, need_id).shares.select_related("country"))


@router.post(
    "/needs/{need_id}/shares",
    response={200: list[ShareOut], **WRITE_ERRORS},
    openapi_extra=body_doc(ShareIn),
)
def share(request: HttpRequest, need_id: int) -> Any:
    """Share with other countries' centres (their editors are notified); all shares back."""
    need = _need(request.user, need_id)
    if not services.can_edit(request.user, need):
        raise PermissionDenied(_("You may not share this need."))
    data: Any = check_shape(ShareIn, read_json(request))
    try:
        services.share_need(request.user, need, data.countries, data.message)
    except services.NeedInvalid as exc:
        raise _invalid(exc) from exc
    return list(need.shares.select_related("country"))


@router.delete("/needs/{need_id}/shares/{code}", response={204: None, **WRITE_ERRORS})
def unshare(request: HttpRequest, need_id: int, code: str) -> Any:
    services.unshare_need(request.user, _need(request.user, need_id), code)
    return Status(204, None)


@router.get("/needs/{need_id}/recommendations", response={200: list[RecommendationOut], **READ})
def list_recommendations(request: HttpRequest, need_id: int) -> Any:
    need = _need(request.user, need_id)
    return list(services.recommendations_for(request.user, need))


@router.post(
    "/needs/{need_id}/recommendations",
    response={201: RecommendationOut, **WRITE_ERRORS},
    openapi_extra=body_doc(RecommendIn),
)
def recommend(request: HttpRequest, need_id: int) -> Any:
    """Editors of a country the need is shared with recommend an initiative, with a comment."""
    need = _need(request.user, need_id)
    if not services.recommending_countries(request.user, need):
        raise PermissionDenied(_("Only editors of a country this need is shared with recommend."))
    data: Any = check_shape(RecommendIn, read_json(request))
    initiative = Initiative.objects.filter(pk=data.initiative_id).first()
    try:
        if initiative is None:
            raise services.NeedInvalid({"initiative_id": [_("No such initiative.")]})
        rec = services.recommend(request.user, need, initiative, data.comment, data.country)
    except services.NeedInvalid as exc:
        errors = {("initiative_id" if k == "initiative" else k): v for k, v in exc.errors.items()}
        raise _invalid(services.NeedInvalid(errors)) from exc
    return Status(201, rec)


# --- notifications -------------------------------------------------------------------------


@router.get("/notifications", response={200: NotificationPage, **READ})
def list_notifications(request: HttpRequest, paging: Query[PageParams]) -> dict[str, Any]:
    page = paginate(services.notifications_for(request.user), paging)
    page["unread"] = services.unread_count(request.user)
    page["results"] = [
        {
            "id": n.pk,
            "kind": n.kind,
            "text": services.notification_text(n),
            "need_id": n.need_id,
            "recommendation_id": n.recommendation_id,
            "created_at": n.created_at,
            "read_at": n.read_at,
        }
        for n in page["results"]
    ]
    return page


@router.get("/notifications/unread-count", response={200: CountOut, **READ})
def unread(request: HttpRequest) -> dict[str, int]:
    return {"count": services.unread_count(request.user)}


@router.post(
    "/notifications/read", response={200: CountOut, **WRITE_ERRORS}, openapi_extra=body_doc(ReadIn)
)
def read(request: HttpRequest) -> dict[str, int]:
    """Mark notifications read (those listed in `ids`, or all); how many changed."""
    data: Any = check_shape(ReadIn, read_json(request))
    return {"count": services.mark_read(request.user, data.ids)}
