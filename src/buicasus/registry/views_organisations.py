"""Organisation pages: list with filters, detail, create, edit, delete, history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from buicasus.accounts import permissions
from buicasus.registry import services
from buicasus.registry.forms import OrganisationForm
from buicasus.registry.models import Organisation, ReviewStatus
from buicasus.registry.views import (
    can_see_history,
    delete_or_explain,
    initial_country,
    is_htmx,
    limit_countries,
    list_data,
    paginate,
    require_contributor,
    sees_unpublished,
    vary_on_htmx,
    viewable,
)
from buicasus.registry.views_filters import OrganisationFilterForm
from buicasus.registry.views_history import history_rows
from buicasus.registry.views_relationships import organisation_tie_context


def organisation_list(request: HttpRequest) -> HttpResponse:
    staff = sees_unpublished(request.user)
    form = OrganisationFilterForm(list_data(request), staff=staff)
    qs = services.filter_organisations(services.visible_organisations(request.user), form.params())
    context = {"form": form, "page": paginate(request, qs), "staff": staff}
    template = (
        "registry/partials/organisation_results.html"
        if is_htmx(request)
        else ("registry/organisation_list.html")
    )
    return vary_on_htmx(render(request, template, context))


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = viewable(request.user, Organisation, pk)
    org = (
        Organisation.objects.select_related(
            "country", "region", "actor_type", "created_by", "updated_by"
        )
        .prefetch_related("identifiers__scheme")
        .get(pk=org.pk)
    )
    user = request.user
    roles = services.visible_roles(user).filter(organisation=org).order_by("initiative__title")
    context = {
        "org": org,
        "roles": roles,
        "can_change": permissions.can_change(user, org),
        "can_delete": permissions.can_edit(user, org.country.code),
        "can_history": can_see_history(user, org),
        **organisation_tie_context(request, org),
    }
    return render(request, "registry/organisation_detail.html", context)


def _form_page(request: HttpRequest, form: OrganisationForm, codes: list[str]) -> HttpResponse:
    limit_countries(form, codes)
    return render(request, "registry/organisation_form.html", {"form": form, "org": form.instance})


def _saved(request: HttpRequest, org: Organisation, created: bool) -> HttpResponse:
    if org.review_status == ReviewStatus.PROPOSED:
        messages.success(request, _("Your proposal was saved; an editor will review it."))
    elif created:
        messages.success(request, _("The organisation was created."))
    else:
        messages.success(request, _("The organisation was saved."))
    return HttpResponseRedirect(org.get_absolute_url())


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    codes = require_contributor(request.user)
    if request.method != "POST":
        return _form_page(request, OrganisationForm(initial=initial_country(request, codes)), codes)
    form = OrganisationForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, codes)
    org = services.save_record(request.user, form)
    return _saved(request, org, created=True)


@login_required
def organisation_update(request: HttpRequest, pk: int) -> HttpResponse:
    org = viewable(request.user, Organisation, pk)
    if not permissions.can_change(request.user, org):
        raise PermissionDenied
    codes = permissions.countries_with(request.user, permissions.Role.CONTRIBUTOR)
    if request.method != "POST":
        form = OrganisationForm(instance=org)
        return _form_page(request, form, codes)
    form = OrganisationForm(request.POST, instance=org)
    if not form.is_valid():
        return _form_page(request, form, codes)
    saved = services.save_record(request.user, form)
    return _saved(request, saved, created=False)


@login_required
def organisation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    org = viewable(request.user, Organisation, pk)
    if not permissions.can_edit(request.user, org.country.code):
        raise PermissionDenied
    if request.method == "POST":
        if not delete_or_explain(request, org):
            return HttpResponseRedirect(org.get_absolute_url())
        messages.success(request, _("“%(name)s” was deleted.") % {"name": org.name})
        return HttpResponseRedirect(reverse("registry:organisation-list"))
    return render(
        request,
        "registry/confirm_delete.html",
        {"record": org, "cancel_url": org.get_absolute_url(), "kind": _("organisation")},
    )


@login_required
def organisation_history(request: HttpRequest, pk: int) -> HttpResponse:
    org = viewable(request.user, Organisation, pk)
    if not can_see_history(request.user, org):
        raise PermissionDenied
    return render(
        request,
        "registry/history.html",
        {"record": org, "title": org.name, "entries": history_rows(org)},
    )
