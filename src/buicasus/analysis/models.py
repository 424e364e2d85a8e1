"""Editors' changes to a country's SWOT table, kept by line key, with their history.

Derived lines are computed afresh from the data every time (`core.swot`); what is stored is
only what editors did to them: a new wording, a dismissal, or a line of their own. An edit is
keyed by (country, stable line key), so it re-attaches to its line whenever the data derive
that line again, and every change leaves a `SwotEditEntry` (who, when, old and new text).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from buicasus.reference.models import Country


class Quadrant(models.TextChoices):
    STRENGTH = "strength", _("Strengths")
    WEAKNESS = "weakness", _("Weaknesses")
    OPPORTUNITY = "opportunity", _("Opportunities")
    THREAT = "threat", _("Threats")


class SwotEdit(models.Model):
    """An editor's wording, dismissal or own line for one SWOT line of a country."""

    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="+", verbose_name=_("country")
    )
    key = models.CharField(_("line key"), max_length=200)
    quadrant = models.CharField(_("quadrant"), max_length=12, choices=Quadrant.choices)
    manual = models.BooleanField(_("added by an editor"), default=False)
    text = models.TextField(_("wording"), blank=True, help_text=_("Empty: the derived wording."))
    dismissed = models.BooleanField(_("dismissed"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    class Meta:
        ordering = ["country", "quadrant", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["country", "key"], name="swot_edit_unique_key"),
        ]
        verbose_name = _("SWOT edit")
        verbose_name_plural = _("SWOT edits")

    def __str__(self) -> str:
        return f"{self.country.code} {self.key}"


class SwotAction(models.TextChoices):
    ADD = "add", _("Added")
    REWORD = "reword", _("Reworded")
    RESET = "reset", _("Back to the derived wording")
    DISMISS = "dismiss", _("Dismissed")
    RESTORE = "restore", _("Restored")


class SwotEditEntry(models.Model):
    """One change to a SWOT line: who, when, what, and the wording before and after."""

    edit = models.ForeignKey(SwotEdit, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(_("action"), max_length=8, choices=SwotAction.choices)
    old_text = models.TextField(_("old wording"), blank=True)
    new_text = models.TextField(_("new wording"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("SWOT change")
        verbose_name_plural = _("SWOT changes")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.edit.key}"
