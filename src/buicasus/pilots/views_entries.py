"""A pilot's entries edited on its detail page: participants, sessions, milestones, adaptations
and risks. With htmx a section swaps in place (and the progress box refreshes out of band);
without it, forms post and redirect back, or show the form again with its errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from buicasus.pilots import access, services
from buicasus.pilots.forms import (
    AdaptationForm,
    MilestoneForm,
    ParticipantForm,
    RiskForm,
    SessionForm,
)
from buicasus.pilots.models import (
    Pilot,
    PilotAdaptation,
    PilotMilestone,
    PilotParticipant,
    PilotRisk,
    PilotSession,
)
from buicasus.pilots.refusals import refusing
from buicasus.web.htmx import is_htmx


@dataclass(frozen=True)
class Kind:
    """One kind of entry: its model, form and labels."""

    model: type[Model]
    form: type[forms.ModelForm]
    title: Any
    added: Any
    removed: Any


KINDS: dict[str, Kind] = {
    "participants": Kind(
        PilotParticipant,
        ParticipantForm,
        gettext_lazy("Mentors and mentees"),
        gettext_lazy("The participant was added."),
        gettext_lazy("The participant was removed."),
    ),
    "sessions": Kind(
        PilotSession,
        SessionForm,
        gettext_lazy("Mentoring sessions"),
        gettext_lazy("The session was recorded."),
        gettext_lazy("The session was removed."),
    ),
    "milestones": Kind(
        PilotMilestone,
        MilestoneForm,
        gettext_lazy("Milestones"),
        gettext_lazy("The milestone was saved."),
        gettext_lazy("The milestone was removed."),
    ),
    "adaptations": Kind(
        PilotAdaptation,
        AdaptationForm,
        gettext_lazy("Adaptations to the new context"),
        gettext_lazy("The adaptation was recorded."),
        gettext_lazy("The adaptation was removed."),
    ),
    "risks": Kind(
        PilotRisk,
        RiskForm,
        gettext_lazy("Risks"),
        gettext_lazy("The risk was saved."),
        gettext_lazy("The risk was removed."),
    ),
}


def _kind(name: str) -> Kind:
    if name not in KINDS:
        raise Http404
    return KINDS[name]


def _limit(form: forms.ModelForm, user: Any) -> forms.ModelForm:
    if isinstance(form, ParticipantForm):
        form.restrict(user)
        orgs = form.fields["organisation"].queryset.order_by("name")
        form.fields["organisation"].widget.choices = [("", "---------")] + [
            (o.pk, f"{o.name} ({o.country.code})") for o in orgs
        ]
    return form


def _entries(pilot: Pilot, name: str) -> Any:
    if name == "participants":
        return pilot.participants.select_related("user", "organisation")
    if name == "sessions":
        return pilot.sessions.prefetch_related("participants__user").select_related("created_by")
    return getattr(pilot, name).all()


def section_context(
    request: HttpRequest, pilot: Pilot, name: str, form: Any = None, notice: str = ""
) -> dict[str, Any]:
    user = request.user
    can_add = access.may_add_entry(user, pilot, name)
    if can_add and form is None:
        form = _limit(KINDS[name].form(pilot=pilot), user)
    entries = list(_entries(pilot, name))
    if name == "sessions":
        for session in entries:
            session.may_change = access.can_change_session(user, session)
    return {
        "pilot": pilot,
        "name": name,
        "title": KINDS[name].title,
        "entries": entries,
        "form": form if can_add else None,
        "notice": notice,
        "can_manage": access.can_manage(user, pilot),
        "show_email": access.can_manage(user, pilot),
    }


def entry_contexts(request: HttpRequest, pilot: Pilot) -> dict[str, Any]:
    """Every section of the detail page, keyed `section_<kind>`."""
    return {f"section_{name}": section_context(request, pilot, name) for name in KINDS}


def _section(request: HttpRequest, pilot: Pilot, name: str, **kw: Any) -> HttpResponse:
    context = section_context(request, pilot, name, **kw)
    context["progress"] = services.progress(pilot)
    context["oob"] = True
    return render(request, "pilots/partials/section.html", context)


@login_required
@require_POST
@refusing
def entry_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Add (or, with `entry`, change) one entry; sessions by mentors and mentees too."""
    spec = _kind(kind)
    pilot = services.get_pilot(request.user, pk)
    instance = None
    raw = request.POST.get("entry", "")
    if raw.isdigit():
        instance = get_object_or_404(spec.model, pk=raw, pilot=pilot)
    if instance is None and not access.may_add_entry(request.user, pilot, kind):
        raise PermissionDenied(_("You may not add entries to this pilot."))
    if instance is not None and not access.may_change_entry(request.user, pilot, instance):
        raise PermissionDenied(_("You may not change this entry."))
    form = _limit(spec.form(request.POST, instance=instance, pilot=pilot), request.user)
    if not form.is_valid():
        if is_htmx(request):
            return _section(request, pilot, kind, form=form)
        return render(
            request,
            "pilots/entry_form.html",
            {"pilot": pilot, "form": form, "title": spec.title, "name": kind, "entry": instance},
        )
    services.save_entry(request.user, pilot, form)
    if is_htmx(request):
        return _section(request, pilot, kind, notice=str(spec.added))
    messages.success(request, str(spec.added))
    return HttpResponseRedirect(f"{pilot.get_absolute_url()}#{kind}")


@login_required
@refusing
def entry_edit(request: HttpRequest, pk: int, kind: str, entry: int) -> HttpResponse:
    """A page to change one entry (its form posts to `entry_add` with the entry's id)."""
    spec = _kind(kind)
    pilot = services.get_pilot(request.user, pk)
    instance = get_object_or_404(spec.model, pk=entry, pilot=pilot)
    if not access.may_change_entry(request.user, pilot, instance):
        raise PermissionDenied(_("You may not change this entry."))
    form = _limit(spec.form(instance=instance, pilot=pilot), request.user)
    return render(
        request,
        "pilots/entry_form.html",
        {"pilot": pilot, "form": form, "title": spec.title, "name": kind, "entry": instance},
    )


@login_required
@require_POST
@refusing
def entry_delete(request: HttpRequest, pk: int, kind: str, entry: int) -> HttpResponse:
    spec = _kind(kind)
    pilot = services.get_pilot(request.user, pk)
    instance = get_object_or_404(spec.model, pk=entry, pilot=pilot)
    services.delete_entry(request.user, pilot, instance)
    if is_htmx(request):
        return _section(request, pilot, kind, notice=str(spec.removed))
    messages.success(request, str(spec.removed))
    return HttpResponseRedirect(f"{pilot.get_absolute_url()}#{kind}")
