"""Mentoring pilots (WP3): transferring an initiative from one country to another.

A pilot takes a source initiative (and the organisation that runs it) to a target organisation
and country, with mentors from the source side and mentees on the target side. It follows
Avise's steps diagnosis → strategy → plan → test → generalisation and records a readiness
checklist, the adaptations made for the new context, milestones, mentoring sessions, risks and,
at the end, an evaluation. A finished pilot creates the replicated initiative in the registry.

Every change is recorded in the registry's audit trail (`AuditEntry`, registered in `pilots.apps`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from buicasus.reference.models import Country
from buicasus.registry.models import Initiative, Organisation, Term
from buicasus.registry.models.vocabulary import in_vocabulary


class Phase(models.TextChoices):
    DIAGNOSIS = "diagnosis", _("Diagnosis")
    STRATEGY = "strategy", _("Strategy")
    PLAN = "plan", _("Plan")
    TEST = "test", _("Test")
    GENERALISATION = "generalisation", _("Generalisation")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    FINISHED = "finished", _("Finished")
    ABANDONED = "abandoned", _("Abandoned")


class Trigger(models.TextChoices):
    PULSION = "pulsion", _("From inside: the organisation wants to scale (pulsion)")
    TRACTION = "traction", _("From outside: the demand comes to it (traction)")


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MITIGATED = "mitigated", _("Mitigated")
    OCCURRED = "occurred", _("Occurred")
    CLOSED = "closed", _("Closed")


class ParticipantRole(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


def _user_fk(verbose: str) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=verbose,
    )


class Pilot(models.Model):
    """One transfer pilot. It belongs to its target country (see `pilots.access`)."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    source_initiative = models.ForeignKey(
        Initiative,
        on_delete=models.PROTECT,
        related_name="pilots",
        verbose_name=_("source initiative"),
    )
    source_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="pilots_as_source",
        verbose_name=_("source organisation"),
    )
    target_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pilots_as_target",
        verbose_name=_("target organisation"),
    )
    target_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="pilots", verbose_name=_("target country")
    )
    need = models.ForeignKey(
        "matching.Need",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pilots",
        verbose_name=_("need it answers"),
    )
    scaling_strategy = models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to=in_vocabulary("scaling-strategy"),
        related_name="+",
        verbose_name=_("scaling strategy"),
    )
    phase = models.CharField(
        _("phase"), max_length=16, choices=Phase.choices, default=Phase.DIAGNOSIS
    )
    phase_started = models.JSONField(_("phase start dates"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    proven_impact = models.BooleanField(_("impact proven"), default=False)
    impact_note = models.TextField(_("evidence of impact"), blank=True)
    viable_economic_model = models.BooleanField(_("economic model viable"), default=False)
    economic_model_note = models.TextField(_("economic model"), blank=True)
    trigger = models.CharField(
        _("scaling trigger"), max_length=16, choices=Trigger.choices, blank=True
    )
    trigger_note = models.TextField(_("about the trigger"), blank=True)
    replicated_initiative = models.ForeignKey(
        Initiative,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("replicated initiative"),
    )
    is_demo = models.BooleanField(_("demo"), default=False)
    created_by = _user_fk(_("created by"))
    updated_by = _user_fk(_("last changed by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-start_date", "title"]
        indexes = [models.Index(fields=["target_country", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="pilot_end_after_start",
            ),
        ]
        verbose_name = _("mentoring pilot")
        verbose_name_plural = _("mentoring pilots")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pilots:detail", args=[self.pk])

    @property
    def source_country(self) -> Country:
        return self.source_initiative.country

    def phase_dates(self) -> dict[str, dt.date]:
        return {k: dt.date.fromisoformat(v) for k, v in (self.phase_started or {}).items()}


class PilotParticipant(models.Model):
    """A mentor or a mentee. Personal data are kept to what running the pilot needs:

    - `user`: set when the person has a platform account. Nothing else personal is then stored
      (name and e-mail stay in the account, so there is one copy to correct or erase), and the
      link is what lets them record sessions. Deleting the account deletes the participation.
    - `name`: only for people without an account, so that sessions can say who took part.
    - `organisation`: the registry record they act for (an organisation, not personal data);
      it shows which side of the transfer each person is on.
    - `email`: optional, only for people without an account, so the pilot's managers can reach
      them about sessions. It is shown to the pilot's managers only, never in the API's reads
      for viewers nor in exports.
    """

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(_("role"), max_length=8, choices=ParticipantRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pilot_participations",
        verbose_name=_("platform user"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["role", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(name=""),
                name="pilot_participant_named",
            ),
            models.UniqueConstraint(
                fields=["pilot", "user"],
                condition=models.Q(user__isnull=False),
                name="pilot_participant_user_once",
            ),
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user_id is not None:
            full = self.user.get_full_name() if hasattr(self.user, "get_full_name") else ""
            return full or self.user.get_username()
        return self.name


class PilotSession(models.Model):
    """A mentoring session: who met, what they covered, what competences passed on, what next."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    participants = models.ManyToManyField(
        PilotParticipant, blank=True, related_name="sessions", verbose_name=_("people")
    )
    topics = models.TextField(_("topics"))
    competences = models.TextField(_("competences transferred"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    created_by = _user_fk(_("recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")

    def __str__(self) -> str:
        return f"{self.held_on.isoformat()}: {self.topics[:80]}"


class PilotMilestone(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=300)
    due_on = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class PilotAdaptation(models.Model):
    """What was changed for the new context, and why (the adaptations log)."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="adaptations")
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    change = models.TextField(_("what changed"))
    reason = models.TextField(_("why"))
    recorded_on = models.DateField(_("recorded on"), default=dt.date.today)

    class Meta:
        ordering = ["-recorded_on", "-id"]
        verbose_name = _("adaptation")
        verbose_name_plural = _("adaptations")

    def __str__(self) -> str:
        return self.change[:100]


class PilotRisk(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField(_("risk"))
    likelihood = models.CharField(_("likelihood"), max_length=8, choices=Level.choices)
    impact = models.CharField(_("impact"), max_length=8, choices=Level.choices)
    mitigation = models.TextField(_("mitigation"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RiskStatus.choices, default=RiskStatus.OPEN
    )

    class Meta:
        ordering = ["status", "id"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")

    def __str__(self) -> str:
        return self.description[:100]


class PilotEvaluation(models.Model):
    """The evaluation written when the pilot finishes; finishing requires it."""

    pilot = models.OneToOneField(Pilot, on_delete=models.CASCADE, related_name="evaluation")
    what_worked = models.TextField(_("what worked"))
    impact_observed = models.TextField(_("impact observed"))
    would_recommend = models.BooleanField(_("would recommend the transfer"))
    lessons = models.TextField(_("lessons learnt"))
    evaluated_on = models.DateField(_("evaluated on"), default=dt.date.today)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return str(self.pilot)
