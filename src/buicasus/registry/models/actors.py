"""Organisations (actors) of a national social-innovation ecosystem."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from buicasus.reference.models import Country, NutsRegion
from buicasus.registry.models.provenance import Publishable
from buicasus.registry.models.vocabulary import Term, in_vocabulary


class SizeBand(models.TextChoices):
    """Staff head-count bands of Commission Recommendation 2003/361/EC."""

    MICRO = "micro", _("Micro (fewer than 10 staff)")
    SMALL = "small", _("Small (10–49 staff)")
    MEDIUM = "medium", _("Medium (50–249 staff)")
    LARGE = "large", _("Large (250 staff or more)")


class Organisation(Publishable):
    name = models.CharField(_("name"), max_length=300)
    other_names = models.JSONField(_("other names"), default=list, blank=True)
    actor_type = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        limit_choices_to=in_vocabulary("actor-type"),
        related_name="+",
        verbose_name=_("actor type"),
    )
    legal_form = models.CharField(_("legal form"), max_length=200, blank=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("country")
    )
    region = models.ForeignKey(
        NutsRegion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
        verbose_name=_("region"),
    )
    city = models.CharField(_("city"), max_length=200, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_language = models.CharField(_("description language"), max_length=12, blank=True)
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    founding_year = models.PositiveSmallIntegerField(
        _("founding year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1000), MaxValueValidator(2100)],
    )
    size_band = models.CharField(
        _("size band"), max_length=16, choices=SizeBand.choices, blank=True
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["country", "published"])]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:organisation-detail", args=[self.pk])


class OrganisationIdentifier(models.Model):
    """A national identifier (SIREN, VAT, register number …) with its scheme."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="identifiers"
    )
    scheme = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        limit_choices_to=in_vocabulary("identifier-scheme"),
        related_name="+",
        verbose_name=_("scheme"),
    )
    value = models.CharField(_("value"), max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="identifier_unique_value"),
        ]
        verbose_name = _("national identifier")
        verbose_name_plural = _("national identifiers")

    def __str__(self) -> str:
        return f"{self.scheme.code}: {self.value}"
