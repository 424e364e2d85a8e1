"""Assessment pages: campaigns, the answer form, "my assessments", scores, one response.

Thin: parse, check permission (the services decide who sees what), call a service, render.
Services raise `PermissionDenied` (→ 403 page) and `ValidationError` (→ the form again, with
the message next to the field, and nothing written).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buicasus.accounts import permissions
from buicasus.accounts.models import Role
from buicasus.assessment import campaigns, display, services
from buicasus.assessment.forms import NO_ANSWER, CampaignForm, InviteForm, read_answers
from buicasus.assessment.models import (
    Campaign,
    Framework,
    Invitation,
    Response,
    ResponseStatus,
    StakeholderGroup,
)
from buicasus.registry import services as registry
from buicasus.web.htmx import is_htmx


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    """The campaign if the reader may see it; 404 otherwise, so hidden campaigns stay unknown."""
    return get_object_or_404(services.visible_campaigns(request.user), pk=pk)


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    country = request.GET.get("country", request.session.get("country", "")) or ""
    qs = services.visible_campaigns(request.user).annotate(
        submitted=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED))
    )
    if country:
        qs = qs.filter(country__code=country)
    return render(
        request,
        "assessment/campaign_list.html",
        {
            "campaigns": qs.order_by("country__code", "-created_at", "-pk"),
            "country": country,
            "managed": permissions.countries_with(request.user, Role.COORDINATOR),
            "invited_count": Invitation.objects.filter(user=request.user).count(),
        },
    )


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    if not permissions.countries_with(request.user, Role.COORDINATOR):
        raise PermissionDenied(_("Only country coordinators open campaigns."))
    initial: dict[str, Any] = {
        "country": request.GET.get("country") or request.session.get("country")
    }
    try:
        initial["framework"] = services.current_framework()
    except Framework.DoesNotExist:
        messages.error(request, _("No maturity framework is loaded; ask an administrator."))
    form = CampaignForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaigns.create_campaign(
                request.user,
                data["country"].code,
                data["title"],
                description=data["description"],
                framework=data["framework"],
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(request, _("Campaign created. Invite respondents, then open it."))
            return redirect("assessment:campaign-detail", pk=campaign.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "assessment/campaign_form.html", {"form": form}, status=status)


def _detail_context(request: HttpRequest, campaign: Campaign, **extra: Any) -> dict[str, Any]:
    manage = services.can_manage(request.user, campaign.country.code)
    context: dict[str, Any] = {
        "campaign": campaign,
        "manage": manage,
        "invitation": campaigns.invitation_for(request.user, campaign),
        "response": campaigns.response_of(request.user, campaign),
        "groups": StakeholderGroup.choices,
    }
    if manage:
        responses = {r.respondent_id: r for r in campaign.responses.all()}
        context["invitations"] = [
            (inv, responses.get(inv.user_id))
            for inv in campaign.invitations.select_related("user").order_by(
                "group", "user__username"
            )
        ]
        context.setdefault("invite_form", InviteForm())
    context.update(extra)
    return context


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    return render(request, "assessment/campaign_detail.html", _detail_context(request, campaign))


@login_required
@require_POST
def campaign_status(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    try:
        campaigns.set_status(request.user, campaign, request.POST.get("status", ""))
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("The campaign's status changed."))
    return redirect("assessment:campaign-detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_invite(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    if not services.can_manage(request.user, campaign.country.code):
        raise PermissionDenied(_("Only the coordinators of this country manage its campaigns."))
    form = InviteForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            campaigns.invite(
                request.user, campaign, form.cleaned_data["username"], form.cleaned_data["group"]
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error("username" if name == "user" else None, error)
        else:
            form, status = InviteForm(), 200
    context = _detail_context(request, campaign, invite_form=form, invited=status == 200)
    if is_htmx(request):
        # htmx swaps 2xx only: the form with its errors comes back as 200.
        return render(request, "assessment/partials/invitations.html", context)
    if status == 200:
        messages.success(request, _("Respondent invited."))
        return redirect("assessment:campaign-detail", pk=campaign.pk)
    return render(request, "assessment/campaign_detail.html", context, status=status)


@login_required
@require_POST
def campaign_uninvite(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    invitation = get_object_or_404(Invitation, pk=invitation_pk, campaign=campaign)
    removed = True
    try:
        campaigns.uninvite(request.user, invitation)
    except ValidationError as exc:
        removed = False
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    if is_htmx(request):
        context = _detail_context(request, campaign, uninvited=removed, htmx=True)
        return render(request, "assessment/partials/invitations.html", context)
    if removed:
        messages.success(request, _("Invitation withdrawn."))
    return redirect("assessment:campaign-detail", pk=campaign.pk)


def _answer_rows(
    campaign: Campaign, response: Response | None, posted: Any = None
) -> list[dict[str, Any]]:
    """Per dimension, each statement with the value to show: what was just posted (when the
    form comes back with errors) or what is saved."""
    blocks = []
    for block in display.statement_blocks(campaign, response):
        items = []
        for statement, answer in block.items:
            code = statement.code
            if posted is not None:
                current = {
                    "value": posted.get(f"value-{code}", ""),
                    "evidence_text": posted.get(f"evidence_text-{code}", ""),
                    "evidence_url": posted.get(f"evidence_url-{code}", ""),
                    "evidence_record": posted.get(f"evidence_record-{code}", ""),
                }
            elif answer is not None:
                record = ""
                if answer.evidence_organisation_id:
                    record = f"organisation:{answer.evidence_organisation_id}"
                elif answer.evidence_initiative_id:
                    record = f"initiative:{answer.evidence_initiative_id}"
                current = {
                    "value": NO_ANSWER if answer.value is None else str(answer.value),
                    "evidence_text": answer.evidence_text,
                    "evidence_url": answer.evidence_url,
                    "evidence_record": record,
                }
            else:
                current = {
                    "value": "",
                    "evidence_text": "",
                    "evidence_url": "",
                    "evidence_record": "",
                }
            items.append({"statement": statement, "answer": answer, "current": current})
        blocks.append({"dimension": block.dimension, "items": items})
    return blocks


def _record_options(user: Any, campaign: Campaign) -> list[tuple[str, str]]:
    """Suggestions for the evidence field: registry records of the campaign's country that
    the respondent may see (a few hundred at most; any other can still be typed)."""
    code = campaign.country.code
    orgs = registry.visible_organisations(user).filter(country__code=code).order_by("name")
    initiatives = registry.visible_initiatives(user).filter(country__code=code).order_by("title")
    options = [(f"organisation:{pk}", name) for pk, name in orgs.values_list("pk", "name")[:300]]
    options += [
        (f"initiative:{pk}", title) for pk, title in initiatives.values_list("pk", "title")[:300]
    ]
    return options


@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The answer form of an invited respondent: save a draft, come back, submit once."""
    campaign = _campaign(request, pk)
    invitation = campaigns.invitation_for(request.user, campaign)
    if invitation is None:
        raise PermissionDenied(_("Only invited respondents answer this campaign."))
    response = campaigns.response_of(request.user, campaign)
    errors: dict[str, list[str]] = {}
    posted = None
    if request.method == "POST":
        statements = list(campaign.framework.statements.all())
        inputs, errors = read_answers(request.POST, statements)
        submit = request.POST.get("action") == "submit"
        if not errors:
            try:
                response = campaigns.save_answers(request.user, campaign, inputs, submit=submit)
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                if submit:
                    messages.success(request, _("Thank you: your answers are submitted."))
                else:
                    messages.success(request, _("Draft saved. You can come back and go on later."))
                return redirect("assessment:answer", pk=campaign.pk)
        posted = request.POST
    editable = campaign.status == "open" and (response is None or response.status == "draft")
    context = {
        "record_options": _record_options(request.user, campaign) if editable else [],
        "campaign": campaign,
        "invitation": invitation,
        "response": response,
        "editable": editable,
        "blocks": _answer_rows(campaign, response, posted),
        "errors": errors,
        "statement_errors": {k.removeprefix("answers."): v for k, v in errors.items()},
        "scale": range(campaign.framework.scale_min, campaign.framework.scale_max + 1),
        "no_answer": NO_ANSWER,
    }
    return render(request, "assessment/answer.html", context, status=400 if errors else 200)


@login_required
def my_assessments(request: HttpRequest) -> HttpResponse:
    invitations = (
        Invitation.objects.filter(user=request.user)
        .exclude(campaign__status="draft")
        .select_related("campaign__country", "campaign__framework")
        .order_by("-campaign__created_at")
    )
    responses = {r.campaign_id: r for r in Response.objects.filter(respondent=request.user)}
    rows = [(inv, responses.get(inv.campaign_id)) for inv in invitations]
    return render(request, "assessment/mine.html", {"rows": rows})


@login_required
def scores(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    submitted = campaign.responses.filter(status=ResponseStatus.SUBMITTED)
    by_group = [
        (display.group_label(row["group"]), row["n"])
        for row in submitted.values("group").annotate(n=Count("pk")).order_by("group")
    ]
    newer = Framework.objects.filter(
        key=campaign.framework.key, version__gt=campaign.framework.version
    ).order_by("version")
    target = newer.filter(pk=request.GET.get("framework") or 0).first()
    context = {
        "campaign": campaign,
        "target": target,
        "newer": list(newer),
        "rows": display.score_table(campaign, framework=target),
        "submitted": submitted.count(),
        "by_group": by_group,
        "threshold": settings.MATURITY_GAP,
        "responses": submitted.select_related("respondent")
        if services.can_see_responses(request.user, campaign)
        else None,
    }
    return render(request, "assessment/scores.html", context)


@login_required
def response_detail(request: HttpRequest, pk: int, response_pk: int) -> HttpResponse:
    """One response: coordinators of the campaign's country, and the respondent."""
    campaign = _campaign(request, pk)
    response = get_object_or_404(Response, pk=response_pk, campaign=campaign)
    if response.respondent_id != request.user.pk and not services.can_see_responses(
        request.user, campaign
    ):
        raise PermissionDenied(_("Only the coordinators of this country read single responses."))
    context = {
        "campaign": campaign,
        "response": response,
        "blocks": display.statement_blocks(campaign, response),
    }
    return render(request, "assessment/response_detail.html", context)
