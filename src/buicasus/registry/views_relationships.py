"""Relationships edited on the detail pages: organisations' roles in an initiative and ties
between organisations. With htmx the section swaps in place; without it, forms post and return.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from buicasus.registry import services
from buicasus.registry.forms import InitiativeRoleForm, OrganisationTieForm
from buicasus.registry.models import Initiative, InitiativeRole, Organisation, OrganisationTie
from buicasus.registry.policies import INITIATIVES, ORGANISATIONS
from buicasus.registry.views import viewable
from buicasus.web.htmx import is_htmx

OPTION_LIMIT = 50


def _organisation_options(user: Any, q: str = "", exclude: int | None = None) -> QuerySet[Any]:
    qs = services.visible_organisations(user)
    if q:
        qs = qs.filter(name__icontains=q)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.order_by("name")


def _limit_choices(form: Any, field: str, user: Any, exclude: int | None = None) -> None:
    """Validate against every organisation the user sees; offer the first few (plus the one
    already chosen), the rest being found by typing in the search box."""
    form.fields[field].queryset = _organisation_options(user, exclude=exclude)
    offered = list(_organisation_options(user, exclude=exclude)[:OPTION_LIMIT])
    chosen = form.data.get(form.add_prefix(field)) if form.is_bound else None
    if chosen and str(chosen).isdigit() and all(str(o.pk) != str(chosen) for o in offered):
        offered += list(_organisation_options(user, exclude=exclude).filter(pk=chosen))
    form.fields[field].widget.choices = [("", "---------")] + [
        (o.pk, f"{o.name} ({o.country.code})") for o in offered
    ]


@require_GET
def organisation_options(request: HttpRequest) -> HttpResponse:
    """`<option>`s of the organisations matching `q`, for the search-as-you-type selects."""
    exclude = request.GET.get("exclude", "")
    orgs = _organisation_options(
        request.user, request.GET.get("q", "").strip(), int(exclude) if exclude.isdigit() else None
    )[:OPTION_LIMIT]
    return render(request, "registry/partials/organisation_options.html", {"orgs": orgs})


# --- roles in an initiative --------------------------------------------------------------


def initiative_role_context(
    request: HttpRequest,
    initiative: Initiative,
    form: InitiativeRoleForm | None = None,
    notice: str = "",
) -> dict[str, Any]:
    user = request.user
    can_edit = INITIATIVES.allows(user, initiative, "manage")
    if can_edit and form is None:
        form = InitiativeRoleForm(initial={"initiative": initiative.pk})
        _limit_choices(form, "organisation", user)
    roles = (
        services.visible_roles(user)
        .filter(initiative=initiative)
        .select_related("organisation__country")
        .order_by("role__position", "organisation__name")
    )
    return {
        "initiative": initiative,
        "roles": roles,
        "can_edit_roles": can_edit,
        "role_form": form if can_edit else None,
        "notice": notice,
    }


def _roles_response(request: HttpRequest, initiative: Initiative, **kw: Any) -> HttpResponse:
    context = initiative_role_context(request, initiative, **kw)
    return render(request, "registry/partials/initiative_roles.html", context)


@login_required
@require_POST
def initiative_role_add(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = viewable(request.user, Initiative, pk)
    if not INITIATIVES.allows(request.user, initiative, "manage"):
        raise PermissionDenied
    data = request.POST.copy()
    data["initiative"] = str(initiative.pk)
    form = InitiativeRoleForm(data)
    form.fields["initiative"].queryset = Initiative.objects.filter(pk=initiative.pk)
    _limit_choices(form, "organisation", request.user)
    if not form.is_valid():
        if is_htmx(request):
            return _roles_response(request, initiative, form=form)
        return render(
            request,
            "registry/relationship_form.html",
            {"form": form, "record": initiative, "title": _("Add an organisation's role")},
        )
    services.save_relationship(request.user, form)
    if is_htmx(request):
        return _roles_response(request, initiative, notice=_("The role was added."))
    messages.success(request, _("The role was added."))
    return HttpResponseRedirect(f"{initiative.get_absolute_url()}#roles")


@login_required
@require_POST
def initiative_role_delete(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_object_or_404(InitiativeRole.objects.select_related("initiative"), pk=pk)
    initiative = viewable(request.user, Initiative, role.initiative_id)
    services.delete_record(request.user, role)
    if is_htmx(request):
        return _roles_response(request, initiative, notice=_("The role was removed."))
    messages.success(request, _("The role was removed."))
    return HttpResponseRedirect(f"{initiative.get_absolute_url()}#roles")


# --- ties between organisations ----------------------------------------------------------


def organisation_tie_context(
    request: HttpRequest,
    org: Organisation,
    form: OrganisationTieForm | None = None,
    notice: str = "",
) -> dict[str, Any]:
    user = request.user
    can_edit = ORGANISATIONS.allows(user, org, "manage")
    if can_edit and form is None:
        form = OrganisationTieForm(initial={"source": org.pk})
        _limit_choices(form, "target", user, exclude=org.pk)
    ties = services.visible_ties(user).select_related("source__country", "target__country")
    return {
        "org": org,
        "ties_out": ties.filter(source=org).order_by("tie_type__position", "target__name"),
        "ties_in": ties.filter(target=org).order_by("tie_type__position", "source__name"),
        "can_edit_ties": can_edit,
        "tie_form": form if can_edit else None,
        "tie_notice": notice,
    }


def _ties_response(request: HttpRequest, org: Organisation, **kw: Any) -> HttpResponse:
    context = organisation_tie_context(request, org, **kw)
    return render(request, "registry/partials/organisation_ties.html", context)


@login_required
@require_POST
def organisation_tie_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = viewable(request.user, Organisation, pk)
    if not ORGANISATIONS.allows(request.user, org, "manage"):
        raise PermissionDenied
    data = request.POST.copy()
    data["source"] = str(org.pk)
    form = OrganisationTieForm(data)
    form.fields["source"].queryset = Organisation.objects.filter(pk=org.pk)
    _limit_choices(form, "target", request.user, exclude=org.pk)
    if not form.is_valid():
        if is_htmx(request):
            return _ties_response(request, org, form=form)
        return render(
            request,
            "registry/relationship_form.html",
            {"form": form, "record": org, "title": _("Add a tie")},
        )
    services.save_relationship(request.user, form)
    if is_htmx(request):
        return _ties_response(request, org, notice=_("The tie was added."))
    messages.success(request, _("The tie was added."))
    return HttpResponseRedirect(f"{org.get_absolute_url()}#ties")


@login_required
@require_POST
def organisation_tie_delete(request: HttpRequest, pk: int) -> HttpResponse:
    tie = get_object_or_404(OrganisationTie, pk=pk)
    shown_on = request.POST.get("organisation", "")
    org_pk = int(shown_on) if shown_on.isdigit() else tie.source_id
    if org_pk not in {tie.source_id, tie.target_id}:
        raise Http404
    org = viewable(request.user, Organisation, org_pk)
    other = tie.target_id if org_pk == tie.source_id else tie.source_id
    viewable(request.user, Organisation, other)
    services.delete_record(request.user, tie)
    if is_htmx(request):
        return _ties_response(request, org, notice=_("The tie was removed."))
    messages.success(request, _("The tie was removed."))
    return HttpResponseRedirect(f"{org.get_absolute_url()}#ties")
