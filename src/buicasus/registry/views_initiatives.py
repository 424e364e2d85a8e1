"""Initiative pages: list with filters, detail, create, edit, delete, history."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from buicasus.accounts import permissions
from buicasus.registry import services
from buicasus.registry.forms import InitiativeForm
from buicasus.registry.models import Initiative, ReviewStatus
from buicasus.registry.views import (
    can_see_history,
    delete_or_explain,
    initial_country,
    is_htmx,
    limit_countries,
    list_data,
    paginate,
    require_contributor,
    safe_next,
    sees_unpublished,
    vary_on_htmx,
    viewable,
)
from buicasus.registry.views_filters import InitiativeFilterForm
from buicasus.registry.views_history import history_rows
from buicasus.registry.views_relationships import initiative_role_context

_TERM_FIELDS = ("stage", "evidence_level", "scaling_strategy")
_TERM_LISTS = (
    "regions",
    "policy_fields",
    "esf_objectives",
    "sdgs",
    "target_groups",
    "methods",
    "scaling_directions",
)


def initiative_list(request: HttpRequest) -> HttpResponse:
    staff = sees_unpublished(request.user)
    form = InitiativeFilterForm(list_data(request), staff=staff)
    qs = services.filter_initiatives(services.visible_initiatives(request.user), form.params())
    context = {"form": form, "page": paginate(request, qs), "staff": staff}
    template = (
        "registry/partials/initiative_results.html"
        if is_htmx(request)
        else ("registry/initiative_list.html")
    )
    return vary_on_htmx(render(request, template, context))


def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewable(request.user, Initiative, pk)
    user = request.user
    initiative = (
        Initiative.objects.select_related(
            "country",
            "replicated_from",
            "created_by",
            "updated_by",
            *_TERM_FIELDS,
        )
        .prefetch_related(*_TERM_LISTS, "fundings__source")
        .get(pk=pk)
    )
    visible = services.visible_initiatives(user)
    parent = initiative.replicated_from
    context = {
        "initiative": initiative,
        "replicated_from": parent if parent and visible.filter(pk=parent.pk).exists() else None,
        "replications": visible.filter(replicated_from=initiative).order_by("title"),
        "can_change": permissions.can_change(user, initiative),
        "can_delete": permissions.can_edit(user, initiative.country.code),
        "can_history": can_see_history(user, initiative),
        **initiative_role_context(request, initiative),
    }
    return render(request, "registry/initiative_detail.html", context)


def limit_lineage(form: InitiativeForm, user: Any) -> None:
    """ "Replicated from" chooses among the initiatives the user can see, by title."""
    field = form.fields["replicated_from"]
    visible = services.visible_initiatives(user).order_by("title")
    if form.instance.pk:
        visible = visible.exclude(pk=form.instance.pk)
    field.queryset = visible
    field.widget = forms.Select(
        choices=[("", "---------")] + [(i.pk, f"{i.title} ({i.country.code})") for i in visible]
    )


def _form_page(request: HttpRequest, form: InitiativeForm, codes: list[str]) -> HttpResponse:
    limit_countries(form, codes)
    return render(
        request,
        "registry/initiative_form.html",
        {"form": form, "initiative": form.instance},
    )


def _saved(request: HttpRequest, initiative: Initiative, created: bool) -> HttpResponse:
    if initiative.review_status == ReviewStatus.PROPOSED:
        messages.success(request, _("Your proposal was saved; an editor will review it."))
    elif created:
        messages.success(request, _("The initiative was created."))
    else:
        messages.success(request, _("The initiative was saved."))
    # A page that sent the user here to add an initiative (a need's recommendation form) gets
    # them back with the new initiative's id.
    target = safe_next(request, initiative.get_absolute_url())
    if target != initiative.get_absolute_url():
        target = f"{target}{'&' if '?' in target else '?'}initiative={initiative.pk}"
    return HttpResponseRedirect(target)


@login_required
def initiative_create(request: HttpRequest) -> HttpResponse:
    codes = require_contributor(request.user)
    if request.method != "POST":
        form = InitiativeForm(initial=initial_country(request, codes))
        limit_lineage(form, request.user)
        return _form_page(request, form, codes)
    form = InitiativeForm(request.POST)
    limit_lineage(form, request.user)
    if not form.is_valid():
        return _form_page(request, form, codes)
    initiative = services.save_record(request.user, form)
    return _saved(request, initiative, created=True)


@login_required
def initiative_update(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = viewable(request.user, Initiative, pk)
    if not permissions.can_change(request.user, initiative):
        raise PermissionDenied
    codes = permissions.countries_with(request.user, permissions.Role.CONTRIBUTOR)
    if request.method != "POST":
        form = InitiativeForm(instance=initiative)
        limit_lineage(form, request.user)
        return _form_page(request, form, codes)
    form = InitiativeForm(request.POST, instance=initiative)
    limit_lineage(form, request.user)
    if not form.is_valid():
        return _form_page(request, form, codes)
    saved = services.save_record(request.user, form)
    return _saved(request, saved, created=False)


@login_required
def initiative_delete(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = viewable(request.user, Initiative, pk)
    if not permissions.can_edit(request.user, initiative.country.code):
        raise PermissionDenied
    if request.method == "POST":
        if not delete_or_explain(request, initiative):
            return HttpResponseRedirect(initiative.get_absolute_url())
        messages.success(request, _("“%(name)s” was deleted.") % {"name": initiative.title})
        return HttpResponseRedirect(reverse("registry:initiative-list"))
    return render(
        request,
        "registry/confirm_delete.html",
        {
            "record": initiative,
            "cancel_url": initiative.get_absolute_url(),
            "kind": _("initiative"),
        },
    )


@login_required
def initiative_history(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = viewable(request.user, Initiative, pk)
    if not can_see_history(request.user, initiative):
        raise PermissionDenied
    return render(
        request,
        "registry/history.html",
        {"record": initiative, "title": initiative.title, "entries": history_rows(initiative)},
    )
