"""Fields every registry record carries: where it came from, who changed it, its review state."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    APPROVED = "approved", _("Approved")
    PROPOSED = "proposed", _("Proposed, awaiting review")
    REJECTED = "rejected", _("Rejected")


class Provenance(models.Model):
    source_name = models.CharField(_("source name"), max_length=200, blank=True)
    source_record_id = models.CharField(_("source record id"), max_length=200, blank=True)
    licence = models.CharField(_("licence"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    class Meta:
        abstract = True


class Publishable(Provenance):
    """A record that anonymous visitors see only when published and approved."""

    published = models.BooleanField(_("published"), default=False)
    review_status = models.CharField(
        _("review status"),
        max_length=16,
        choices=ReviewStatus.choices,
        default=ReviewStatus.APPROVED,
    )
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        abstract = True
