"""Who does what in an initiative, and how organisations are tied to each other."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from buicasus.registry.models.actors import Organisation
from buicasus.registry.models.initiatives import Initiative
from buicasus.registry.models.provenance import Provenance
from buicasus.registry.models.vocabulary import Term, in_vocabulary


def _dated_check(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(end_date__isnull=True)
        | models.Q(start_date__isnull=True)
        | models.Q(end_date__gte=models.F("start_date")),
        name=name,
    )


class InitiativeRole(Provenance):
    """An organisation's role in an initiative: lead, partner, funder, mentor, evaluator."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="initiative_roles",
        verbose_name=_("organisation"),
    )
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="roles", verbose_name=_("initiative")
    )
    role = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        limit_choices_to=in_vocabulary("initiative-role"),
        related_name="+",
        verbose_name=_("role"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "initiative", "role"], name="initiative_role_unique"
            ),
            _dated_check("initiative_role_end_after_start"),
        ]
        verbose_name = _("initiative role")
        verbose_name_plural = _("initiative roles")

    def __str__(self) -> str:
        return f"{self.organisation} — {self.role} — {self.initiative}"


class OrganisationTie(Provenance):
    """A directed tie: `source` funds / partners with / is a member of … `target`."""

    source = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="ties_out",
        verbose_name=_("from organisation"),
    )
    target = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="ties_in",
        verbose_name=_("to organisation"),
    )
    tie_type = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        limit_choices_to=in_vocabulary("tie-type"),
        related_name="+",
        verbose_name=_("tie type"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "tie_type"], name="tie_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="tie_not_self"
            ),
            _dated_check("tie_end_after_start"),
        ]
        verbose_name = _("organisation tie")
        verbose_name_plural = _("organisation ties")

    def __str__(self) -> str:
        return f"{self.source} — {self.tie_type} — {self.target}"
