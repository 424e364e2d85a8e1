"""Writes on campaigns and responses: open, close, invite, save answers, submit.

Each function checks permission (`PermissionDenied`), then the input (`ValidationError` with a
message per field, nothing written), then writes in one transaction. The rules:

- coordinators of the campaign's country (and platform admins) create, open, close and invite;
- only invited users answer, only while the campaign is open, in the stakeholder group of
  their invitation; one response per respondent and campaign, a draft until submitted, then
  locked (a second submission is refused);
- an answer is a whole number on the framework's scale (0–10) or `None` for "no answer", to a
  statement of the campaign's own framework version; a submission needs every statement
  answered (a score or "no answer").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buicasus.assessment.models import (
    Answer,
    Campaign,
    CampaignStatus,
    Framework,
    Invitation,
    Response,
    ResponseStatus,
    StakeholderGroup,
    Statement,
)
from buicasus.assessment.services import can_manage, current_framework
from buicasus.reference.models import Country
from buicasus.registry import services as registry

TITLE_MAX = 200


@dataclass(frozen=True)
class AnswerInput:
    """One statement's answer as sent by a form or the API; `value` None = "no answer"."""

    statement: str
    value: Any
    evidence_text: str = ""
    evidence_url: str = ""
    evidence_organisation: int | None = None
    evidence_initiative: int | None = None


def _require_manager(user: Any, country_code: str) -> None:
    if not can_manage(user, country_code):
        raise PermissionDenied(_("Only the coordinators of this country manage its campaigns."))


def create_campaign(
    user: Any,
    country_code: str,
    title: str,
    *,
    description: str = "",
    framework: Framework | None = None,
    is_demo: bool = False,
) -> Campaign:
    """A new campaign in draft, under the current framework unless one is given."""
    _require_manager(user, country_code)
    errors: dict[str, list[str]] = {}
    country = Country.objects.filter(code=country_code).first()
    if country is None:
        errors["country"] = [_("Unknown country “%(code)s”.") % {"code": country_code}]
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Give the campaign a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("The title is longer than %(max)d characters.") % {"max": TITLE_MAX}]
    if framework is None:
        try:
            framework = current_framework()
        except Framework.DoesNotExist:
            errors["framework"] = [_("No maturity framework is loaded.")]
    if errors:
        raise ValidationError(errors)
    return Campaign.objects.create(
        country=country,
        framework=framework,
        title=title,
        description=(description or "").strip(),
        is_demo=is_demo,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


@transaction.atomic
def set_status(user: Any, campaign: Campaign, status: str) -> Campaign:
    """Open (from draft, or reopen when closed) or close (when open) a campaign."""
    _require_manager(user, campaign.country.code)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    allowed = {
        CampaignStatus.OPEN: {CampaignStatus.DRAFT, CampaignStatus.CLOSED},
        CampaignStatus.CLOSED: {CampaignStatus.OPEN},
    }
    if status not in allowed:
        raise ValidationError({"status": [_("The status must be “open” or “closed”.")]})
    if campaign.status not in allowed[CampaignStatus(status)]:
        raise ValidationError(
            {
                "status": [
                    _("A campaign that is “%(current)s” cannot become “%(status)s”.")
                    % {"current": campaign.get_status_display(), "status": status}
                ]
            }
        )
    campaign.status = status
    if status == CampaignStatus.OPEN:
        campaign.opened_at = campaign.opened_at or timezone.now()
        campaign.closed_at = None
    else:
        campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "opened_at", "closed_at"])
    return campaign


def invite(user: Any, campaign: Campaign, invitee: Any, group: str) -> Invitation:
    """Ask an existing, active user to answer as a member of a stakeholder group."""
    _require_manager(user, campaign.country.code)
    errors: dict[str, list[str]] = {}
    if invitee is None or not getattr(invitee, "is_active", False):
        errors["user"] = [_("Choose an existing, active user.")]
    if group not in StakeholderGroup.values:
        errors["group"] = [
            _("Unknown stakeholder group “%(group)s”; use one of %(groups)s.")
            % {"group": group, "groups": ", ".join(StakeholderGroup.values)}
        ]
    if campaign.status == CampaignStatus.CLOSED:
        errors["campaign"] = [_("The campaign is closed; reopen it to invite respondents.")]
    if invitee is not None and Invitation.objects.filter(campaign=campaign, user=invitee).exists():
        errors["user"] = [
            _("%(user)s is already invited to this campaign.") % {"user": invitee.get_username()}
        ]
    if errors:
        raise ValidationError(errors)
    return Invitation.objects.create(campaign=campaign, user=invitee, group=group, invited_by=user)


@transaction.atomic
def uninvite(user: Any, invitation: Invitation) -> None:
    """Withdraw an invitation (and the respondent's draft); refused once they submitted."""
    _require_manager(user, invitation.campaign.country.code)
    submitted = Response.objects.filter(
        campaign=invitation.campaign, respondent=invitation.user, status=ResponseStatus.SUBMITTED
    )
    if submitted.exists():
        raise ValidationError(
            {
                "user": [
                    _("%(user)s has submitted answers; the invitation stays.")
                    % {"user": invitation.user.get_username()}
                ]
            }
        )
    Response.objects.filter(campaign=invitation.campaign, respondent=invitation.user).delete()
    invitation.delete()


def invitation_for(user: Any, campaign: Campaign) -> Invitation | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Invitation.objects.filter(campaign=campaign, user=user).first()


def response_of(user: Any, campaign: Campaign) -> Response | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Response.objects.filter(campaign=campaign, respondent=user).first()


def _value_error(value: Any, scale: tuple[int, int]) -> str | None:
    low, high = scale
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        return _("The score must be a whole number from %(low)d to %(high)d, or no answer.") % {
            "low": low,
            "high": high,
        }
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        return _("The score must be a whole number from %(low)d to %(high)d (got %(value)s).") % {
            "low": low,
            "high": high,
            "value": value,
        }
    return None


def _check_answers(
    user: Any, campaign: Campaign, answers: list[AnswerInput]
) -> tuple[dict[str, list[str]], dict[str, Statement]]:
    framework = campaign.framework
    statements = {s.code: s for s in framework.statements.all()}
    scale = (framework.scale_min, framework.scale_max)
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    url_check = URLValidator(schemes=["http", "https"])
    orgs = registry.visible_organisations(user)
    initiatives = registry.visible_initiatives(user)
    for item in answers:
        key = f"answers.{item.statement}"
        problems = []
        if item.statement not in statements:
            problems.append(
                _("“%(code)s” is not a statement of %(framework)s version %(version)d.")
                % {"code": item.statement, "framework": framework.key, "version": framework.version}
            )
        if item.statement in seen:
            problems.append(_("This statement is answered twice in the same request."))
        seen.add(item.statement)
        if message := _value_error(item.value, scale):
            problems.append(message)
        if item.evidence_url:
            try:
                url_check(item.evidence_url)
            except ValidationError:
                problems.append(_("The evidence link is not a valid http(s) address."))
        if item.evidence_organisation and not orgs.filter(pk=item.evidence_organisation).exists():
            problems.append(_("The evidence organisation does not exist or is not visible to you."))
        if (
            item.evidence_initiative
            and not initiatives.filter(pk=item.evidence_initiative).exists()
        ):
            problems.append(_("The evidence initiative does not exist or is not visible to you."))
        if problems:
            errors.setdefault(key, []).extend(problems)
    return errors, statements


def save_answers(
    user: Any, campaign: Campaign, answers: list[AnswerInput], *, submit: bool = False
) -> Response:
    """Save the given answers into the user's draft (created on first save); with `submit`,
    check that every statement is answered and lock the response. Answers not sent keep their
    saved value. Refused whole, with a message per field, when anything is wrong."""
    invitation = invitation_for(user, campaign)
    if invitation is None:
        raise PermissionDenied(_("Only invited respondents answer this campaign."))
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status != CampaignStatus.OPEN:
            raise ValidationError({"campaign": [_("This campaign is not open for answers.")]})
        response, _created = Response.objects.get_or_create(
            campaign=campaign, respondent=user, defaults={"group": invitation.group}
        )
        response = Response.objects.select_for_update().get(pk=response.pk)
        if response.status == ResponseStatus.SUBMITTED:
            raise ValidationError(
                {"response": [_("You have already submitted your answers to this campaign.")]}
            )
        errors, statements = _check_answers(user, campaign, answers)
        if errors:
            raise ValidationError(errors)
        for item in answers:
            Answer.objects.update_or_create(
                response=response,
                statement=statements[item.statement],
                defaults={
                    "value": None if item.value is None else int(item.value),
                    "evidence_text": (item.evidence_text or "").strip(),
                    "evidence_url": (item.evidence_url or "").strip(),
                    "evidence_organisation_id": item.evidence_organisation or None,
                    "evidence_initiative_id": item.evidence_initiative or None,
                },
            )
        if submit:
            answered = set(response.answers.values_list("statement__code", flat=True))
            missing = [code for code in statements if code not in answered]
            if missing:
                # Roll back the answers saved above too: the request is refused whole.
                raise ValidationError(
                    {
                        "answers": [
                            _(
                                "Answer every statement (a score or “no answer”) before "
                                "submitting; %(count)d left: %(codes)s."
                            )
                            % {"count": len(missing), "codes": ", ".join(missing)}
                        ]
                    }
                )
            response.status = ResponseStatus.SUBMITTED
            response.submitted_at = timezone.now()
        response.group = invitation.group
        response.save()
    return response


def submit(user: Any, campaign: Campaign) -> Response:
    """Submit the saved draft as it stands."""
    return save_answers(user, campaign, [], submit=True)
