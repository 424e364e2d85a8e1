"""Forms for pilots and their entries. Pages and the JSON API validate through the same forms,
so each rule (end before start, a milestone before the pilot's start, a mentor who is also a
mentee …) holds everywhere and names the field it concerns.

Choices are limited by the views and the API to what the user may see (`limit_choices`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from buicasus.core import vocabulary_fields as vf
from buicasus.matching import services as matching
from buicasus.pilots.models import (
    Pilot,
    PilotAdaptation,
    PilotEvaluation,
    PilotMilestone,
    PilotParticipant,
    PilotRisk,
    PilotSession,
    Status,
)
from buicasus.reference.models import Country
from buicasus.registry import services as registry_services
from buicasus.registry.forms import CodeChoiceField, field_terms, show_codes
from buicasus.registry.models import Initiative, Organisation

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _before_start(pilot: Pilot, day: dt.date | None) -> bool:
    return day is not None and day < pilot.start_date


def _start_message(pilot: Pilot) -> str:
    return str(_("This date is before the pilot's start (%(date)s).")) % {
        "date": date_format(pilot.start_date)
    }


class PilotForm(forms.ModelForm):
    """A pilot's description, parties, dates, status and readiness checklist."""

    source_initiative = forms.ModelChoiceField(
        Initiative.objects.all(),
        label=_("Source initiative"),
        error_messages={"invalid_choice": _("No initiative with id “%(value)s”.")},
    )
    source_organisation = forms.ModelChoiceField(
        Organisation.objects.all(),
        label=_("Source organisation"),
        help_text=_("The organisation that runs the initiative and mentors the transfer."),
        error_messages={"invalid_choice": _("No organisation with id “%(value)s”.")},
    )
    target_organisation = forms.ModelChoiceField(
        Organisation.objects.all(),
        required=False,
        label=_("Target organisation"),
        error_messages={"invalid_choice": _("No organisation with id “%(value)s”.")},
    )
    target_country = CodeChoiceField(
        Country.objects.all(),
        invalid=_("Unknown country code “%(value)s”."),
        label=_("Target country"),
    )
    scaling_strategy = CodeChoiceField(
        field_terms(vf.PILOT, "scaling_strategy"),
        invalid=_("Unknown scaling strategy “%(value)s”."),
        label=_("Scaling strategy"),
        required=False,
    )

    class Meta:
        model = Pilot
        fields = [
            "title",
            "description",
            "source_initiative",
            "source_organisation",
            "target_country",
            "target_organisation",
            "need",
            "scaling_strategy",
            "status",
            "start_date",
            "end_date",
            "proven_impact",
            "impact_note",
            "viable_economic_model",
            "economic_model_note",
            "trigger",
            "trigger_note",
        ]
        widgets = {
            "start_date": _DATE,
            "end_date": _DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "impact_note": forms.Textarea(attrs={"rows": 2}),
            "economic_model_note": forms.Textarea(attrs={"rows": 2}),
            "trigger_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        show_codes(self)
        # Finishing is its own step (it needs an evaluation and creates the replication).
        allowed = [c for c in Status.choices if c[0] != Status.FINISHED]
        if self.instance.status == Status.FINISHED:
            allowed = list(Status.choices)
        self.fields["status"].choices = allowed
        self.fields["need"].required = False
        self.fields["need"].error_messages["invalid_choice"] = _("No need with id “%(value)s”.")

    def restrict(self, user: Any) -> None:
        """Links may only point at registry records the user can see (or already point at)."""
        initiatives = registry_services.visible_initiatives(user)
        orgs = registry_services.visible_organisations(user)
        current = self.instance
        self.fields["source_initiative"].queryset = Initiative.objects.filter(
            Q(pk__in=initiatives.values("pk")) | Q(pk=current.source_initiative_id)
        ).select_related("country")
        for name in ("source_organisation", "target_organisation"):
            self.fields[name].queryset = Organisation.objects.filter(
                Q(pk__in=orgs.values("pk")) | Q(pk=getattr(current, f"{name}_id"))
            ).select_related("country")

        needs = matching.visible_needs(user).values("pk")
        self.fields["need"].queryset = self.fields["need"].queryset.filter(
            Q(pk__in=needs) | Q(pk=current.need_id)
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        country = data.get("target_country")
        source = data.get("source_initiative")
        if country is not None and source is not None and source.country_id == country.pk:
            self.add_error(
                "target_country",
                _("A transfer pilot goes to another country than the source initiative's."),
            )
        target = data.get("target_organisation")
        if target is not None and country is not None and target.country_id != country.pk:
            self.add_error(
                "target_organisation", _("This organisation is not in the target country.")
            )
        need = data.get("need")
        if need is not None and country is not None and need.country_id != country.pk:
            self.add_error("need", _("This need belongs to another country."))
        if data.get("status") == Status.FINISHED and self.instance.status != Status.FINISHED:
            self.add_error("status", _("Use “Finish the pilot” to finish it with an evaluation."))
        if start and self.instance.pk:
            self._check_entries_after(start)
        return data

    def _check_entries_after(self, start: dt.date) -> None:
        pilot = self.instance
        early = (
            pilot.milestones.filter(due_on__lt=start).count()
            + pilot.sessions.filter(held_on__lt=start).count()
        )
        if early:
            self.add_error(
                "start_date",
                _("%(n)s milestones or sessions are dated before this start date.") % {"n": early},
            )


class ParticipantForm(forms.ModelForm):
    """A mentor or mentee: a platform user (by user name) or a named person."""

    username = forms.CharField(
        label=_("Platform user name"),
        required=False,
        help_text=_("For people with an account; leave name and e-mail empty then."),
    )
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(),
        required=False,
        label=_("Organisation"),
        error_messages={"invalid_choice": _("No organisation with id “%(value)s”.")},
    )

    class Meta:
        model = PilotParticipant
        fields = ["role", "username", "name", "organisation", "email"]

    def __init__(self, *args: Any, pilot: Pilot, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pilot = pilot
        self.instance.pilot = pilot
        if self.instance.pk and self.instance.user_id and not self.is_bound:
            self.initial["username"] = self.instance.user.get_username()

    def restrict(self, user: Any) -> None:
        orgs = registry_services.visible_organisations(user)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            Q(pk__in=orgs.values("pk")) | Q(pk=self.instance.organisation_id)
        ).select_related("country")

    def clean_username(self) -> Any:
        name = (self.cleaned_data.get("username") or "").strip()
        if not name:
            return None
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No platform user is called “%(name)s”."), params={"name": name}
            )
        return user

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        user, name = data.get("username"), (data.get("name") or "").strip()
        if user is None and not name and "username" not in self.errors:
            self.add_error("name", _("Give a platform user name or the person's name."))
        if user is not None and (name or data.get("email")):
            self.add_error(
                "name", _("For a platform user, leave name and e-mail empty: the account has them.")
            )
        if self.errors:
            return data
        others = self.pilot.participants.exclude(pk=self.instance.pk)
        if user is not None:
            same = others.filter(user=user)
        else:
            same_person = Q(user__isnull=True, name__iexact=name)
            if data.get("email"):
                same_person |= Q(email__iexact=data["email"])
            same = others.filter(same_person)
        clash = same.first()
        if clash is not None:
            field = "username" if user is not None else "name"
            if clash.role != data.get("role"):
                message = _("This person is already a %(role)s of this pilot; nobody can be both.")
            else:
                message = _("This person is already a %(role)s of this pilot.")
            self.add_error(field, message % {"role": clash.get_role_display().lower()})
        return data

    def save(self, commit: bool = True) -> PilotParticipant:
        self.instance.user = self.cleaned_data.get("username")
        return super().save(commit=commit)


class SessionForm(forms.ModelForm):
    participants = forms.ModelMultipleChoiceField(
        PilotParticipant.objects.none(),
        required=False,
        label=_("People"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("“%(value)s” does not take part in this pilot.")},
    )

    class Meta:
        model = PilotSession
        fields = ["held_on", "participants", "topics", "competences", "next_steps"]
        widgets = {
            "held_on": _DATE,
            "topics": forms.Textarea(attrs={"rows": 2}),
            "competences": forms.Textarea(attrs={"rows": 2}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, pilot: Pilot, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pilot = pilot
        self.instance.pilot = pilot
        people = pilot.participants.select_related("user")
        self.fields["participants"].queryset = people
        self.fields["participants"].label_from_instance = lambda p: (
            f"{p.display_name} ({p.get_role_display()})"
        )

    def clean_held_on(self) -> dt.date:
        day = self.cleaned_data["held_on"]
        if _before_start(self.pilot, day):
            raise forms.ValidationError(_start_message(self.pilot))
        return day


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = PilotMilestone
        fields = ["title", "due_on", "done_on", "note"]
        widgets = {"due_on": _DATE, "done_on": _DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, pilot: Pilot, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pilot = pilot
        self.instance.pilot = pilot

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("due_on", "done_on"):
            if _before_start(self.pilot, data.get(name)):
                self.add_error(name, _start_message(self.pilot))
        return data


class AdaptationForm(forms.ModelForm):
    class Meta:
        model = PilotAdaptation
        fields = ["phase", "change", "reason", "recorded_on"]
        widgets = {
            "recorded_on": _DATE,
            "change": forms.Textarea(attrs={"rows": 2}),
            "reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, pilot: Pilot, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pilot = pilot
        self.instance.pilot = pilot
        if not self.instance.pk:
            self.initial.setdefault("phase", pilot.phase)
            self.initial.setdefault("recorded_on", dt.date.today())

    def clean_recorded_on(self) -> dt.date:
        day = self.cleaned_data["recorded_on"]
        if _before_start(self.pilot, day):
            raise forms.ValidationError(_start_message(self.pilot))
        return day


class RiskForm(forms.ModelForm):
    class Meta:
        model = PilotRisk
        fields = ["description", "likelihood", "impact", "mitigation", "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "mitigation": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, pilot: Pilot, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pilot = pilot
        self.instance.pilot = pilot


class FinishForm(forms.Form):
    """The evaluation a pilot must have to finish, and the replicated initiative's title."""

    what_worked = forms.CharField(label=_("What worked"), widget=forms.Textarea(attrs={"rows": 3}))
    impact_observed = forms.CharField(
        label=_("Impact observed"), widget=forms.Textarea(attrs={"rows": 3})
    )
    would_recommend = forms.TypedChoiceField(
        label=_("Would you recommend this transfer?"),
        choices=[("true", _("Yes")), ("false", _("No"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    lessons = forms.CharField(label=_("Lessons learnt"), widget=forms.Textarea(attrs={"rows": 3}))
    end_date = forms.DateField(label=_("End date"), widget=_DATE)
    initiative_title = forms.CharField(
        label=_("Title of the replicated initiative"),
        max_length=400,
        help_text=_("It is created unpublished in the target country, replicated from the source."),
    )

    def __init__(self, *args: Any, pilot: Pilot, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pilot = pilot
        evaluation = evaluation_of(pilot)
        self.initial.setdefault("end_date", pilot.end_date or dt.date.today())
        self.initial.setdefault("initiative_title", default_replica_title(pilot))
        if evaluation is not None:
            for name in ("what_worked", "impact_observed", "lessons"):
                self.initial.setdefault(name, getattr(evaluation, name))
            self.initial.setdefault("would_recommend", str(evaluation.would_recommend).lower())

    def clean_end_date(self) -> dt.date:
        day = self.cleaned_data["end_date"]
        if day < self.pilot.start_date:
            raise forms.ValidationError(_("The end date is before the start date."))
        return day


def evaluation_of(pilot: Pilot) -> PilotEvaluation | None:
    """The pilot's evaluation, or None before it has one."""
    return PilotEvaluation.objects.filter(pilot=pilot).first() if pilot.pk else None


def default_replica_title(pilot: Pilot) -> str:
    """The source initiative's title with the target country, e.g. "… (Latvia)"."""
    return f"{pilot.source_initiative.title} ({pilot.target_country.name()})"[:400]
