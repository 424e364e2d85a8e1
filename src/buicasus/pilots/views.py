"""Pilot pages: list with filters, detail with the progress view, create, edit, delete, phase
advance, finish with evaluation, history. Entries (sessions, milestones …) are in `views_entries`.

Pages are thin: parse, ask `access`/`services`, render. A refusal renders a 403 page that says
why (`refusing`), so a user who followed a stale link learns what happened.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from buicasus.matching import services as matching
from buicasus.pilots import access, services
from buicasus.pilots.forms import FinishForm, PilotForm
from buicasus.pilots.models import Phase, Pilot, Status
from buicasus.pilots.refusals import refusing
from buicasus.pilots.views_entries import entry_contexts
from buicasus.reference.models import Country
from buicasus.registry import services as registry_services
from buicasus.registry.models import Initiative
from buicasus.web.htmx import is_htmx, vary_on_htmx
from buicasus.web.pages import paginate


class PilotFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    phase = forms.ChoiceField(label=gettext_lazy("Phase"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["type"] = "search"
        self.fields["country"].choices = [("", _("All countries"))] + [
            (c.code, c.name()) for c in Country.objects.all()
        ]
        self.fields["status"].choices = [("", _("Any status"))] + list(Status.choices)
        self.fields["phase"].choices = [("", _("Any phase"))] + list(Phase.choices)

    def params(self) -> dict[str, Any]:
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


@login_required
def pilot_list(request: HttpRequest) -> HttpResponse:
    data = request.GET.dict()
    if "country" not in request.GET:
        data["country"] = request.session.get("country", "")
    form = PilotFilterForm(data)
    qs = services.filter_pilots(access.visible_pilots(request.user), form.params())
    context = {
        "form": form,
        "page": paginate(request, qs),
        "can_create": bool(access.may_create_somewhere(request.user)),
    }
    template = "pilots/partials/pilot_results.html" if is_htmx(request) else "pilots/list.html"
    return vary_on_htmx(render(request, template, context))


def detail_context(request: HttpRequest, pilot: Pilot) -> dict[str, Any]:
    user = request.user
    return {
        "pilot": pilot,
        "progress": services.progress(pilot),
        "can_manage": access.can_manage(user, pilot),
        "can_add_session": access.can_add_session(user, pilot),
        "is_open": pilot.status not in {Status.FINISHED, Status.ABANDONED},
        "evaluation": getattr(pilot, "evaluation", None),
        "replica_visible": pilot.replicated_initiative_id is not None
        and registry_services.visible_initiatives(user)
        .filter(pk=pilot.replicated_initiative_id)
        .exists(),
        **entry_contexts(request, pilot),
    }


@login_required
@refusing
def pilot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = services.get_pilot(request.user, pk)
    return render(request, "pilots/detail.html", detail_context(request, pilot))


def limit_choices(form: PilotForm, user: Any) -> None:
    """Offer only what the user may see: initiatives, organisations, target countries."""
    form.restrict(user)
    initiatives = form.fields["source_initiative"].queryset.order_by("title")
    form.fields["source_initiative"].widget.choices = [("", "---------")] + [
        (i.pk, f"{i.title} ({i.country.code})") for i in initiatives
    ]
    for name in ("source_organisation", "target_organisation"):
        orgs = form.fields[name].queryset.order_by("name")
        form.fields[name].widget.choices = [("", "---------")] + [
            (o.pk, f"{o.name} ({o.country.code})") for o in orgs
        ]
    needs = form.fields["need"].queryset.select_related("country").order_by("title")
    form.fields["need"].widget = forms.Select(
        choices=[("", "---------")] + [(n.pk, f"{n.title} ({n.country.code})") for n in needs]
    )
    codes = access.may_create_somewhere(user)
    current = getattr(form.instance, "target_country_id", None)
    countries = Country.objects.filter(code__in=codes) | Country.objects.filter(pk=current)
    form.fields["target_country"].widget.choices = [("", "---------")] + [
        (c.code, c.name()) for c in countries.distinct().order_by("code")
    ]


def prefill(request: HttpRequest) -> dict[str, Any]:
    """`?initiative=<id>&need=<id>` (a match from the matching app) → initial values:
    the source initiative and its lead organisation, the need and its country."""
    user = request.user
    initial: dict[str, Any] = {"start_date": dt.date.today()}
    raw = request.GET.get("initiative", "")
    initiative = None
    if raw.isdigit():
        initiative = registry_services.visible_initiatives(user).filter(pk=raw).first()
    if initiative is not None:
        initial["source_initiative"] = initiative.pk
        initial["title"] = _("Transfer of %(title)s") % {"title": initiative.title}
        initial["scaling_strategy"] = initiative.scaling_strategy
        lead = _lead_organisation(initiative, user)
        if lead is not None:
            initial["source_organisation"] = lead
    raw_need = request.GET.get("need", "")
    if raw_need.isdigit():
        need = matching.visible_needs(user).filter(pk=raw_need).first()
        if need is not None:
            initial["need"] = need.pk
            initial["target_country"] = need.country
            if need.organisation_id is not None:
                initial["target_organisation"] = need.organisation_id
    elif request.session.get("country") in access.may_create_somewhere(user):
        initial["target_country"] = Country.objects.get(code=request.session["country"])
    return initial


def _lead_organisation(initiative: Initiative, user: Any) -> int | None:
    roles = registry_services.visible_roles(user).filter(initiative=initiative)
    lead = roles.filter(role__code="lead").first() or roles.first()
    return lead.organisation_id if lead is not None else None


def _form_page(request: HttpRequest, form: PilotForm) -> HttpResponse:
    limit_choices(form, request.user)
    return render(request, "pilots/form.html", {"form": form, "pilot": form.instance})


@login_required
@refusing
def pilot_create(request: HttpRequest) -> HttpResponse:
    if not access.may_create_somewhere(request.user):
        raise PermissionDenied(_("Only editors and coordinators of a country can start pilots."))
    if request.method != "POST":
        return _form_page(request, PilotForm(initial=prefill(request)))
    form = PilotForm(request.POST)
    limit_choices(form, request.user)
    if not form.is_valid():
        return _form_page(request, form)
    pilot = services.save_pilot(request.user, form)
    messages.success(request, _("The pilot was created."))
    return HttpResponseRedirect(pilot.get_absolute_url())


@login_required
@refusing
def pilot_update(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = services.get_pilot(request.user, pk)
    if not access.can_manage(request.user, pilot):
        raise PermissionDenied(_("You may not change this pilot."))
    if request.method != "POST":
        return _form_page(request, PilotForm(instance=pilot))
    form = PilotForm(request.POST, instance=pilot)
    limit_choices(form, request.user)
    if not form.is_valid():
        return _form_page(request, form)
    services.save_pilot(request.user, form)
    messages.success(request, _("The pilot was saved."))
    return HttpResponseRedirect(pilot.get_absolute_url())


@login_required
@refusing
def pilot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = services.get_pilot(request.user, pk)
    if not access.can_manage(request.user, pilot):
        raise PermissionDenied(_("You may not delete this pilot."))
    if request.method == "POST":
        services.delete_pilot(request.user, pilot)
        messages.success(request, _("“%(name)s” was deleted.") % {"name": pilot.title})
        return HttpResponseRedirect(reverse("pilots:list"))
    return render(
        request,
        "registry/confirm_delete.html",
        {"record": pilot, "cancel_url": pilot.get_absolute_url(), "kind": _("pilot")},
    )


@login_required
@require_POST
@refusing
def pilot_advance(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = services.get_pilot(request.user, pk)
    try:
        services.advance_phase(request.user, pilot)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("The pilot moved to the phase “%(phase)s”.") % {"phase": pilot.get_phase_display()},
        )
    return HttpResponseRedirect(pilot.get_absolute_url())


@login_required
@refusing
def pilot_finish(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = services.get_pilot(request.user, pk)
    if not access.can_manage(request.user, pilot):
        raise PermissionDenied(_("You may not finish this pilot."))
    form = FinishForm(request.POST or None, pilot=pilot)
    if request.method == "POST" and form.is_valid():
        try:
            services.finish(request.user, pilot, form)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("The pilot is finished; the replicated initiative was added to the registry."),
            )
            return HttpResponseRedirect(pilot.get_absolute_url())
    return render(request, "pilots/finish.html", {"pilot": pilot, "form": form})


@login_required
@refusing
def pilot_history(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = services.get_pilot(request.user, pk)
    return render(request, "pilots/history.html", {"pilot": pilot, "rows": history_rows(pilot)})


def history_rows(pilot: Pilot) -> list[dict[str, Any]]:
    """Audit entries with field labels and, for entries about its parts, what they touched."""
    rows = []
    for entry in services.history(pilot):
        try:
            model = apps.get_model("pilots", entry.model)
        except LookupError:
            model = None
        fields = {f.name: f for f in model._meta.fields} if model else {}
        if model is not None and model is not Pilot:
            subject = f"{capfirst(model._meta.verbose_name)}: {entry.object_repr}"
        else:
            subject = entry.object_repr
        changes = []
        for name, pair in sorted((entry.changes or {}).items()):
            field = fields.get(name)
            choices = {str(k): v for k, v in (field.flatchoices if field else [])}
            old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            label = capfirst(str(field.verbose_name)) if field else name
            changes.append((label, choices.get(str(old), old), choices.get(str(new), new)))
        rows.append({"entry": entry, "subject": subject, "changes": changes})
    return rows
