"""Needs stated by a country's centre, and what the matching builds around them.

A `Need` is the starting point of WP3 transfer: a problem a centre (or an organisation it
supports) wants to solve, in any of the platform's languages, with its constraints. Matching
looks for initiatives of other countries that answer it and explains how transferable each is.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from buicasus.reference.models import Country, NutsRegion
from buicasus.registry.models import Organisation, Term
from buicasus.registry.models.vocabulary import in_vocabulary

NEED_TEXT_MAX = 20_000


def _terms(key: str, verbose: str) -> models.ManyToManyField:
    return models.ManyToManyField(
        Term,
        blank=True,
        limit_choices_to=in_vocabulary(key),
        related_name="+",
        verbose_name=verbose,
    )


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Need(models.Model):
    """A need statement: the problem, where it is, who has it and what constrains a solution."""

    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("need statement"))
    language = models.CharField(_("language"), max_length=12, blank=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="needs", verbose_name=_("country")
    )
    region = models.ForeignKey(
        NutsRegion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
        verbose_name=_("region"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
        verbose_name=_("organisation"),
    )
    policy_fields = _terms("policy-field", _("policy fields"))
    esf_objectives = _terms("esf-objective", _("ESF+ specific objectives"))
    sdgs = _terms("sdg", _("Sustainable Development Goals"))
    target_groups = _terms("target-group", _("target groups"))
    budget = models.DecimalField(
        _("budget"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    time_frame_months = models.PositiveSmallIntegerField(
        _("time frame (months)"), null=True, blank=True
    )
    legal_forms = models.JSONField(_("legal forms at hand"), default=list, blank=True)
    constraints_note = models.TextField(_("other constraints"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    is_demo = models.BooleanField(_("demo"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["country", "status"])]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("matching:need-detail", args=[self.pk])


class RegionalGdp(models.Model):
    """Gross domestic product per head in purchasing-power standards (EU27 2020) of a NUTS
    region or country, one year (Eurostat nama_10r_3gdp, unit PPS_EU27_2020_HAB)."""

    nuts_code = models.CharField(_("NUTS code"), max_length=9)
    year = models.PositiveSmallIntegerField(_("year"))
    pps_per_head = models.FloatField(_("GDP per head (PPS)"))
    flags = models.CharField(_("flags"), max_length=8, blank=True)

    class Meta:
        ordering = ["nuts_code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["nuts_code", "year"], name="regional_gdp_unique"),
        ]
        verbose_name = _("regional GDP figure")
        verbose_name_plural = _("regional GDP figures")

    def __str__(self) -> str:
        return f"{self.nuts_code} {self.year}: {self.pps_per_head:g}"


class NeedShare(models.Model):
    """A need shared with another country's centre, whose staff may recommend initiatives."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="shares")
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="shared_needs", verbose_name=_("country")
    )
    message = models.TextField(_("message"), blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("shared by"),
    )
    shared_at = models.DateTimeField(_("shared at"), auto_now_add=True)

    class Meta:
        ordering = ["country__code"]
        constraints = [
            models.UniqueConstraint(fields=["need", "country"], name="need_share_unique"),
        ]
        verbose_name = _("shared need")
        verbose_name_plural = _("shared needs")

    def __str__(self) -> str:
        return f"{self.need} → {self.country.code}"


class Recommendation(models.Model):
    """An initiative a person from a country the need was shared with recommends for it."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="recommendations")
    initiative = models.ForeignKey(
        "registry.Initiative",
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("initiative"),
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("from country")
    )
    comment = models.TextField(_("comment"))
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recommended by"),
    )
    is_demo = models.BooleanField(_("demo"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "initiative", "country"], name="recommendation_unique"
            ),
        ]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return f"{self.initiative} for {self.need}"


class NotificationKind(models.TextChoices):
    SHARED = "shared", _("A need was shared with your country")
    RECOMMENDED = "recommended", _("An initiative was recommended for your need")


class Notification(models.Model):
    """Something a user should look at; the text is built at display time in their language."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="+")
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} ({self.need})"


class SavedSearch(models.Model):
    """A search kept for later: the need (or typed text), weights, filters, and the hits of
    the retrieval, so that re-weighting re-ranks them without searching again."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=200)
    need = models.ForeignKey(
        Need,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("need"),
    )
    text = models.TextField(_("need statement"), blank=True)
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("target country"),
    )
    weights = models.JSONField(_("weights"), default=dict)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    results = models.JSONField(_("results"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self) -> str:
        return self.name
