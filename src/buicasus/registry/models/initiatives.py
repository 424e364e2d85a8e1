"""Social-innovation initiatives, with their classification, funding and lineage."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from buicasus.reference.models import Country, NutsRegion
from buicasus.registry.models.provenance import Publishable
from buicasus.registry.models.vocabulary import Term, in_vocabulary


def _terms(key: str, verbose: str) -> models.ManyToManyField:
    return models.ManyToManyField(
        Term,
        blank=True,
        limit_choices_to=in_vocabulary(key),
        related_name="+",
        verbose_name=verbose,
    )


def _term(key: str, verbose: str) -> models.ForeignKey:
    return models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to=in_vocabulary(key),
        related_name="+",
        verbose_name=verbose,
    )


class Initiative(Publishable):
    title = models.CharField(_("title"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    description_language = models.CharField(_("description language"), max_length=12, blank=True)
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="initiatives", verbose_name=_("country")
    )
    regions = models.ManyToManyField(
        NutsRegion, blank=True, related_name="initiatives", verbose_name=_("regions")
    )
    stage = _term("si-stage", _("stage"))
    evidence_level = _term("evidence-level", _("evidence level"))
    policy_fields = _terms("policy-field", _("policy fields"))
    esf_objectives = _terms("esf-objective", _("ESF+ specific objectives"))
    sdgs = _terms("sdg", _("Sustainable Development Goals"))
    target_groups = _terms("target-group", _("target groups"))
    methods = _terms("method", _("methods used"))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    outcome_evidence = models.TextField(_("outcome evidence"), blank=True)
    replicated_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replications",
        verbose_name=_("replicated from"),
    )
    scaling_strategy = _term("scaling-strategy", _("scaling strategy"))
    scaling_directions = _terms("scaling-direction", _("scaling directions"))

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["country", "published"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="initiative_end_after_start",
            ),
        ]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("registry:initiative-detail", args=[self.pk])


class Funding(models.Model):
    """One funding source of an initiative (ESF/ESF+, EaSI, national …), amount optional."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="fundings")
    source = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        limit_choices_to=in_vocabulary("funding-source"),
        related_name="+",
        verbose_name=_("funding source"),
    )
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")

    def __str__(self) -> str:
        amount = f" {self.amount} {self.currency}" if self.amount is not None else ""
        return f"{self.source}{amount}"
