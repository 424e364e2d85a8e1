"""JSON API of the assessment app, mounted at /api/v1/assessment.

Frameworks are public reading. Campaigns, responses and scores need a token or a session and
follow the pages' rules (`assessment.services`): readers see opened campaigns and their scores,
coordinators of a country manage its campaigns and read its single responses, invited
respondents read and write their own response. Write bodies are read after the permission
check (as in `registry.api_common`); bad input answers 422 naming the field, nothing written.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from buicasus.accounts.api import OPTIONAL_AUTH_DOC, READ_AUTH, WRITE_AUTH
from buicasus.assessment import campaigns, schemas, services
from buicasus.assessment.campaigns import AnswerInput
from buicasus.assessment.models import Campaign, Framework, Invitation, ResponseStatus
from buicasus.assessment.schemas import (
    AnswersIn,
    CampaignIn,
    CampaignOut,
    FrameworkOut,
    FrameworkSummary,
    InvitationIn,
    InvitationOut,
    ResponseOut,
    ScoresOut,
    StatusIn,
)
from buicasus.registry.api_common import (
    READ_ERRORS,
    WRITE_ERRORS,
    PayloadInvalid,
    body_doc,
    check_shape,
    read_json,
)

router = Router(tags=["assessment"])


def _invalid(exc: ValidationError) -> PayloadInvalid:
    return PayloadInvalid(
        {k: [{"message": m, "code": "invalid"} for m in v] for k, v in exc.message_dict.items()}
    )


def _campaigns(user: Any) -> Any:
    return services.visible_campaigns(user).annotate(
        submitted_responses=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED))
    )


def _get(user: Any, campaign_id: int) -> Campaign:
    return get_object_or_404(_campaigns(user), pk=campaign_id)


def _require_manager(user: Any, campaign: Campaign) -> None:
    if not services.can_manage(user, campaign.country.code):
        raise PermissionDenied(_("Only the coordinators of this country manage its campaigns."))


# --- frameworks --------------------------------------------------------------------------


@router.get(
    "/frameworks",
    response={200: list[FrameworkSummary], **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def list_frameworks(request: HttpRequest) -> list[dict[str, Any]]:
    """Every loaded framework version, newest first within a key."""
    return [schemas.framework_summary(f) for f in Framework.objects.all()]


@router.get(
    "/frameworks/{framework_id}",
    response={200: FrameworkOut, **READ_ERRORS},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_AUTH_DOC,
)
def get_framework(request: HttpRequest, framework_id: int) -> dict[str, Any]:
    """A framework version with its dimensions and statements in all five languages."""
    return schemas.framework_out(get_object_or_404(Framework, pk=framework_id))


# --- campaigns ---------------------------------------------------------------------------


class CampaignFilters(Schema):
    country: str | None = None
    status: str | None = None


@router.get("/campaigns", response={200: list[CampaignOut], **READ_ERRORS}, auth=WRITE_AUTH)
def list_campaigns(request: HttpRequest, filters: Query[CampaignFilters]) -> list[dict[str, Any]]:
    """Campaigns the caller may see, newest first."""
    qs = _campaigns(request.user)
    if filters.country:
        qs = qs.filter(country__code=filters.country.upper())
    if filters.status:
        qs = qs.filter(status=filters.status)
    return [schemas.campaign_out(c) for c in qs.order_by("-created_at", "-pk")]


@router.get("/campaigns/{campaign_id}", response={200: CampaignOut, **READ_ERRORS}, auth=WRITE_AUTH)
def get_campaign(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    return schemas.campaign_out(_get(request.user, campaign_id))


@router.post(
    "/campaigns",
    response={201: CampaignOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    openapi_extra=body_doc(CampaignIn),
)
def create_campaign(request: HttpRequest) -> Status:
    """A new campaign in draft; coordinators of the country only."""
    data = read_json(request)
    country = str(data.get("country") or "").upper()
    if not country:
        message = _("Name the country (ISO code) of the campaign.")
        raise PayloadInvalid({"country": [{"message": message, "code": "required"}]})
    if not services.can_manage(request.user, country):
        raise PermissionDenied(_("Only the coordinators of this country manage its campaigns."))
    payload: Any = check_shape(CampaignIn, data)
    framework = None
    if payload.framework_id is not None:
        framework = Framework.objects.filter(pk=payload.framework_id).first()
        if framework is None:
            raise PayloadInvalid(
                {"framework_id": [{"message": _("Unknown framework."), "code": "invalid"}]}
            )
    try:
        campaign = campaigns.create_campaign(
            request.user,
            country,
            payload.title,
            description=payload.description,
            framework=framework,
        )
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return Status(201, schemas.campaign_out(_get(request.user, campaign.pk)))


@router.post(
    "/campaigns/{campaign_id}/status",
    response={200: CampaignOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    openapi_extra=body_doc(StatusIn),
)
def set_status(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    """Open (from draft or closed) or close (when open)."""
    campaign = _get(request.user, campaign_id)
    _require_manager(request.user, campaign)
    payload: Any = check_shape(StatusIn, read_json(request))
    try:
        campaigns.set_status(request.user, campaign, payload.status)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return schemas.campaign_out(_get(request.user, campaign_id))


@router.get(
    "/campaigns/{campaign_id}/invitations",
    response={200: list[InvitationOut], **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def list_invitations(request: HttpRequest, campaign_id: int) -> list[dict[str, Any]]:
    campaign = _get(request.user, campaign_id)
    _require_manager(request.user, campaign)
    statuses = dict(campaign.responses.values_list("respondent_id", "status"))
    return [
        schemas.invitation_out(i, statuses) for i in campaign.invitations.select_related("user")
    ]


@router.post(
    "/campaigns/{campaign_id}/invitations",
    response={201: InvitationOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    openapi_extra=body_doc(InvitationIn),
)
def create_invitation(request: HttpRequest, campaign_id: int) -> Status:
    """Invite an existing user as a member of a stakeholder group."""
    campaign = _get(request.user, campaign_id)
    _require_manager(request.user, campaign)
    payload: Any = check_shape(InvitationIn, read_json(request))
    invitee = get_user_model().objects.filter(username=payload.username).first()
    if invitee is None:
        message = _("No active user is called “%(name)s”.") % {"name": payload.username}
        raise PayloadInvalid({"username": [{"message": message, "code": "invalid"}]})
    try:
        invitation = campaigns.invite(request.user, campaign, invitee, payload.group)
    except ValidationError as exc:
        errors = {("username" if k == "user" else k): v for k, v in exc.message_dict.items()}
        raise _invalid(ValidationError(errors)) from exc
    return Status(201, schemas.invitation_out(invitation, {}))


@router.delete(
    "/campaigns/{campaign_id}/invitations/{invitation_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def delete_invitation(request: HttpRequest, campaign_id: int, invitation_id: int) -> Status:
    """Withdraw an invitation and the respondent's draft; refused (422) once they submitted."""
    campaign = _get(request.user, campaign_id)
    _require_manager(request.user, campaign)
    invitation = get_object_or_404(Invitation, pk=invitation_id, campaign=campaign)
    try:
        campaigns.uninvite(request.user, invitation)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return Status(204, None)


# --- responses ---------------------------------------------------------------------------


def _invited(request: HttpRequest, campaign_id: int) -> tuple[Campaign, Invitation]:
    campaign = _get(request.user, campaign_id)
    invitation = campaigns.invitation_for(request.user, campaign)
    if invitation is None:
        raise PermissionDenied(_("Only invited respondents answer this campaign."))
    return campaign, invitation


@router.get(
    "/campaigns/{campaign_id}/response",
    response={200: ResponseOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def my_response(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    """The caller's own response (invited respondents only)."""
    campaign, invitation = _invited(request, campaign_id)
    response = campaigns.response_of(request.user, campaign)
    return schemas.response_out(campaign, request.user, response, invitation.group)


def _save(request: HttpRequest, campaign_id: int, *, submit_only: bool) -> dict[str, Any]:
    campaign, invitation = _invited(request, campaign_id)
    inputs: list[AnswerInput] = []
    submit = True
    if not submit_only:
        payload: Any = check_shape(AnswersIn, read_json(request))
        inputs = [AnswerInput(**a.model_dump()) for a in payload.answers]
        submit = payload.submit
    try:
        response = campaigns.save_answers(request.user, campaign, inputs, submit=submit)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return schemas.response_out(campaign, request.user, response, invitation.group)


@router.put(
    "/campaigns/{campaign_id}/response",
    response={200: ResponseOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    openapi_extra=body_doc(AnswersIn),
)
def put_answers(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    """Save answers into the caller's draft (and submit with `"submit": true`)."""
    return _save(request, campaign_id, submit_only=False)


@router.post(
    "/campaigns/{campaign_id}/response/submit",
    response={200: ResponseOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def submit_response(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    """Submit the saved draft: every statement needs a score or “no answer”."""
    return _save(request, campaign_id, submit_only=True)


@router.get(
    "/campaigns/{campaign_id}/responses",
    response={200: list[ResponseOut], **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def list_responses(request: HttpRequest, campaign_id: int) -> list[dict[str, Any]]:
    """Single responses: coordinators of the campaign's country only."""
    campaign = _get(request.user, campaign_id)
    if not services.can_see_responses(request.user, campaign):
        raise PermissionDenied(_("Only the coordinators of this country read single responses."))
    responses = campaign.responses.select_related("respondent")
    return [schemas.response_out(campaign, r.respondent, r, r.group) for r in responses]


# --- scores ------------------------------------------------------------------------------


class ScoreQuery(Schema):
    framework_id: int | None = None


@router.get(
    "/campaigns/{campaign_id}/scores", response={200: ScoresOut, **WRITE_ERRORS}, auth=WRITE_AUTH
)
def campaign_scores(
    request: HttpRequest, campaign_id: int, query: Query[ScoreQuery]
) -> dict[str, Any]:
    """Scores per dimension of the submitted responses. With `framework_id` (a newer version of
    the same framework), answers are carried over through `replaces`."""
    campaign = _get(request.user, campaign_id)
    target = campaign.framework
    if query.framework_id is not None:
        target = get_object_or_404(Framework, pk=query.framework_id)
        if target.key != campaign.framework.key or target.version < campaign.framework.version:
            message = _("Choose a version of the campaign's framework, not older than its own.")
            raise PayloadInvalid({"framework_id": [{"message": message, "code": "invalid"}]})
    labels = services.dimension_labels(target, get_language() or "en")
    scores = services.campaign_scores(campaign, framework=target)
    return {
        "campaign": campaign.pk,
        "country": campaign.country.code,
        "framework": schemas.framework_summary(target),
        "gap_threshold": settings.MATURITY_GAP,
        "submitted_responses": getattr(campaign, "submitted_responses", 0),
        "provisional": campaign.status == "open",
        "dimensions": [
            {**s.__dict__, "label": labels.get(s.dimension, s.dimension)} for s in scores
        ],
    }
