"""Maturity frameworks (versioned data), assessment campaigns, invitations, responses, answers.

A framework version is loaded from a YAML file (`frameworks.py`) and never edited by hand: an
answer points at the `Statement` of the version it was given under, so old answers keep their
meaning when a new version comes; a newer statement names the one it `replaces`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from buicasus.reference.models import Country
from buicasus.registry.models import Initiative, Organisation
from buicasus.registry.models.vocabulary import label_in


class StakeholderGroup(models.TextChoices):
    PUBLIC_AUTHORITY = "public-authority", _("Public authority")
    SOCIAL_ECONOMY = "social-economy", _("Social economy")
    FUNDER = "funder", _("Funder")
    ACADEMIA = "academia", _("Academia")
    SUPPORT_ORGANISATION = "support-organisation", _("Support organisation")
    INITIATIVE = "initiative", _("Initiative")


class Framework(models.Model):
    """One version of a maturity framework; (key, version) is unique."""

    key = models.SlugField(_("key"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    title = models.JSONField(_("title"), default=dict)
    source = models.TextField(_("source"), blank=True)
    scale_min = models.SmallIntegerField(_("lowest score"), default=0)
    scale_max = models.SmallIntegerField(_("highest score"), default=10)
    file_name = models.CharField(_("loaded from"), max_length=300, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="framework_key_version"),
        ]
        verbose_name = _("maturity framework")
        verbose_name_plural = _("maturity frameworks")

    def __str__(self) -> str:
        return f"{self.label()} (v{self.version})"

    def label(self, language: str | None = None) -> str:
        return label_in(self.title, self.key, language)


class Dimension(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="dimensions", verbose_name=_("framework")
    )
    code = models.SlugField(_("code"), max_length=64)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.JSONField(_("label"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="dimension_code_unique"),
        ]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")

    def __str__(self) -> str:
        return self.name()

    def name(self, language: str | None = None) -> str:
        return label_in(self.label, self.code, language)

    def described(self, language: str | None = None) -> str:
        return label_in(self.description, "", language)


class Statement(models.Model):
    """A statement scored 0–10, with what a 0 (`low`) and a 10 (`high`) mean."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="statements", verbose_name=_("framework")
    )
    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="statements", verbose_name=_("dimension")
    )
    code = models.SlugField(_("code"), max_length=64)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.JSONField(_("text"), default=dict)
    low = models.JSONField(_("what the lowest score means"), default=dict)
    high = models.JSONField(_("what the highest score means"), default=dict)
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )

    class Meta:
        ordering = ["framework", "dimension__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="statement_code_unique"),
        ]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return f"{self.code}: {self.wording()}"

    def wording(self, language: str | None = None) -> str:
        return label_in(self.text, self.code, language)

    def low_text(self, language: str | None = None) -> str:
        return label_in(self.low, "", language)

    def high_text(self, language: str | None = None) -> str:
        return label_in(self.high, "", language)


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (not yet open)")
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed")


class Campaign(models.Model):
    """A country's self-assessment round under one framework version."""

    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("country")
    )
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("framework")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assessment campaign")
        verbose_name_plural = _("assessment campaigns")

    def __str__(self) -> str:
        return f"{self.title} ({self.country.code})"


class Invitation(models.Model):
    """A user asked to answer a campaign, as a member of one stakeholder group."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("campaign")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assessment_invitations",
        verbose_name=_("respondent"),
    )
    group = models.CharField(
        _("stakeholder group"), max_length=24, choices=StakeholderGroup.choices
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        ordering = ["campaign", "group", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="invitation_once"),
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_group_display()}"


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Response(models.Model):
    """One respondent's answers to one campaign: a draft until submitted, then locked."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="responses", verbose_name=_("campaign")
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessment_responses",
        verbose_name=_("respondent"),
    )
    group = models.CharField(
        _("stakeholder group"), max_length=24, choices=StakeholderGroup.choices
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("saved at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "group", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "respondent"], name="response_once"),
        ]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.respondent} — {self.campaign}"


class Answer(models.Model):
    """A score of one statement (`value` None: "no answer"), with optional evidence."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="answers", verbose_name=_("statement")
    )
    value = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    evidence_text = models.TextField(_("evidence"), blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    evidence_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("evidence: organisation"),
    )
    evidence_initiative = models.ForeignKey(
        Initiative,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("evidence: initiative"),
    )

    class Meta:
        ordering = ["response", "statement"]
        constraints = [
            models.UniqueConstraint(fields=["response", "statement"], name="answer_once"),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__lte=10),
                name="answer_value_0_10",
            ),
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.statement.code}: {'—' if self.value is None else self.value}"
