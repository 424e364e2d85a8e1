"""Countries (ISO 3166-1 alpha-2) and optional NUTS 2021 regions.

The tables keep the names they had when these models lived in the registry app, so databases
created before the move needed no data migration.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from buicasus.reference.labels import label_in


class Country(models.Model):
    code = models.CharField(
        _("ISO 3166-1 code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use two capital letters, e.g. LV."))],
    )
    names = models.JSONField(_("names"), default=dict)
    official_languages = models.JSONField(_("official languages"), default=list)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)

    class Meta:
        db_table = "registry_country"
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name()

    def name(self, language: str | None = None) -> str:
        return label_in(self.names, self.code, language)


class NutsRegion(models.Model):
    code = models.CharField(_("NUTS code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.PositiveSmallIntegerField(_("level"))
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="regions")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    class Meta:
        db_table = "registry_nutsregion"
        ordering = ["code"]
        verbose_name = _("NUTS region")
        verbose_name_plural = _("NUTS regions")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
