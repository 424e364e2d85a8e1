"""Pilot operations used by pages, API, CLI and tests alike.

Each operation checks permission first (raising `PermissionDenied`, which pages and API turn
into 403), then writes inside one transaction as the acting user, so a refusal or an error
leaves nothing behind and every change lands in the audit trail (`registry.audit`, registered
in `pilots.apps`).
Rule violations that no form field holds (advancing past the last phase …) raise Django's
`ValidationError` with a dict naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from buicasus.accounts import permissions
from buicasus.accounts.current_user import acting_as
from buicasus.core import pilot_progress
from buicasus.pilots import access
from buicasus.pilots.forms import FinishForm, PilotForm
from buicasus.pilots.models import Pilot, PilotEvaluation, PilotSession, Status
from buicasus.pilots.replication import create_replica
from buicasus.registry import services as registry_services
from buicasus.registry.models import AuditEntry, Initiative

# --- reading -------------------------------------------------------------------------------


def get_pilot(user: Any, pk: int) -> Pilot:
    """The pilot; 404 when it does not exist, 403 when `user` may not read it."""
    pilot = (
        Pilot.objects.select_related(
            "target_country",
            "source_initiative__country",
            "source_organisation__country",
            "target_organisation__country",
            "scaling_strategy",
            "replicated_initiative",
            "need",
        )
        .filter(pk=pk)
        .first()
    )
    if pilot is None:
        raise Http404
    if not access.can_view(user, pilot):
        raise PermissionDenied(_("You may not see this pilot."))
    return pilot


def filter_pilots(qs: QuerySet[Pilot], params: dict[str, Any]) -> QuerySet[Pilot]:
    """List filters given by code: q (title), country (target or source), status, phase."""
    if params.get("q"):
        qs = qs.filter(title__icontains=params["q"])
    if params.get("country"):
        code = params["country"]
        qs = qs.filter(Q(target_country__code=code) | Q(source_initiative__country__code=code))
    if params.get("status"):
        qs = qs.filter(status=params["status"])
    if params.get("phase"):
        qs = qs.filter(phase=params["phase"])
    qs = qs.annotate(session_count=Count("sessions", distinct=True))
    return qs.order_by("-start_date", "title", "pk")


def progress(pilot: Pilot, today: dt.date | None = None) -> pilot_progress.Progress:
    """The progress view's figures (see `core.pilot_progress`)."""
    milestones = [
        pilot_progress.Milestone(m.title, m.due_on, m.done_on) for m in pilot.milestones.all()
    ]
    return pilot_progress.compute_progress(
        phase=pilot.phase,
        status=pilot.status,
        milestones=milestones,
        session_dates=list(pilot.sessions.values_list("held_on", flat=True)),
        checklist={
            "proven_impact": pilot.proven_impact,
            "viable_economic_model": pilot.viable_economic_model,
            "trigger": pilot.trigger,
        },
        today=today or dt.date.today(),
        phase_started=pilot.phase_dates(),
    )


def history(pilot: Pilot) -> QuerySet[AuditEntry]:
    """The pilot's audit entries and those of its entries, newest first."""
    return registry_services.history(pilot)


# --- writing the pilot ---------------------------------------------------------------------


def save_pilot(user: Any, form: PilotForm) -> Pilot:
    """Create or update a pilot: editors of its target country (before and after the change)."""
    if not form.is_valid():
        raise ValueError("save_pilot needs a valid form")
    existing = form.instance if form.instance.pk else None
    if existing is not None:
        original = Pilot.objects.select_related("target_country").get(pk=existing.pk)
        if not access.can_manage(user, original):
            raise PermissionDenied(_("You may not change this pilot."))
    target = form.cleaned_data["target_country"]
    if not permissions.can_edit(user, target.code):
        raise PermissionDenied(_("You may not manage pilots in this country."))
    with transaction.atomic(), acting_as(user):
        pilot = form.save(commit=False)
        if existing is None:
            pilot.phase_started = {pilot.phase: pilot.start_date.isoformat()}
        pilot.save()
        form.save_m2m()
    return pilot


def delete_pilot(user: Any, pilot: Pilot) -> None:
    if not access.can_manage(user, pilot):
        raise PermissionDenied(_("You may not delete this pilot."))
    with transaction.atomic(), acting_as(user):
        pilot.delete()


def advance_phase(user: Any, pilot: Pilot, today: dt.date | None = None) -> Pilot:
    """Move to the next step; a planned pilot becomes active. Closed pilots do not move."""
    if not access.can_manage(user, pilot):
        raise PermissionDenied(_("You may not change this pilot."))
    if pilot.status in pilot_progress.CLOSED_STATUSES:
        raise ValidationError({"phase": _("A finished or abandoned pilot stays where it ended.")})
    following = pilot_progress.next_phase(pilot.phase)
    if following is None:
        raise ValidationError({"phase": _("The pilot is already at its last phase.")})
    day = max(today or dt.date.today(), pilot.start_date)
    with transaction.atomic(), acting_as(user):
        pilot.phase = following
        pilot.phase_started = {**(pilot.phase_started or {}), following: day.isoformat()}
        if pilot.status == Status.PLANNED:
            pilot.status = Status.ACTIVE
        pilot.save()
    return pilot


# --- entries: participants, sessions, milestones, adaptations, risks -----------------------


def _may_write_entry(user: Any, pilot: Pilot, entry: Model) -> bool:
    if entry.pk:
        return access.may_change_entry(user, pilot, entry)
    kind = "sessions" if isinstance(entry, PilotSession) else ""
    return access.may_add_entry(user, pilot, kind)


def save_entry(user: Any, pilot: Pilot, form: Any) -> Model:
    """Save one entry of the pilot from a validated entry form (`pilots.forms`)."""
    entry = form.instance
    if entry.pk:
        entry = type(entry)._default_manager.get(pk=entry.pk)
        if entry.pilot_id != pilot.pk:
            raise Http404
    if not _may_write_entry(user, pilot, entry):
        raise PermissionDenied(_("You may not change this pilot."))
    if not form.is_valid():
        raise ValueError("save_entry needs a valid form")
    with transaction.atomic(), acting_as(user):
        saved = form.save()
        Pilot.objects.filter(pk=pilot.pk).update(updated_at=timezone.now())
    return saved


def delete_entry(user: Any, pilot: Pilot, entry: Model) -> None:
    if getattr(entry, "pilot_id", None) != pilot.pk:
        raise Http404
    if not _may_write_entry(user, pilot, entry):
        raise PermissionDenied(_("You may not change this pilot."))
    with transaction.atomic(), acting_as(user):
        entry.delete()


# --- finishing -----------------------------------------------------------------------------


def finish(user: Any, pilot: Pilot, form: FinishForm) -> Initiative:
    """Finish the pilot with its evaluation and create the replicated initiative.

    The initiative is created through the registry's own service (`save_record`), so it is
    permission-checked, audited and unpublished as the registry's rules say for the user's role.
    Idempotent: finishing again updates the evaluation and returns the initiative created the
    first time (the pilot row is locked meanwhile, so two requests cannot both create one).
    """
    if not access.can_manage(user, pilot):
        raise PermissionDenied(_("You may not finish this pilot."))
    if not form.is_valid():
        raise ValueError("finish needs a valid form")
    if pilot.status == Status.ABANDONED:
        raise ValidationError({"status": _("An abandoned pilot cannot be finished.")})
    data = form.cleaned_data
    with transaction.atomic(), acting_as(user):
        locked = Pilot.objects.select_for_update().get(pk=pilot.pk)
        PilotEvaluation.objects.update_or_create(
            pilot=locked,
            defaults={
                "what_worked": data["what_worked"],
                "impact_observed": data["impact_observed"],
                "would_recommend": data["would_recommend"],
                "lessons": data["lessons"],
            },
        )
        replica = None
        if locked.replicated_initiative_id is not None:
            replica = Initiative.objects.filter(pk=locked.replicated_initiative_id).first()
        if replica is None:
            replica = create_replica(user, locked, data["initiative_title"], data)
        locked.replicated_initiative = replica
        locked.status = Status.FINISHED
        locked.end_date = data["end_date"]
        locked.save()
    pilot.refresh_from_db()
    return replica
