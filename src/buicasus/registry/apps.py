from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "buicasus.registry"
    verbose_name = _("Ecosystem registry")

    def ready(self) -> None:
        from buicasus.reference.models import Country, NutsRegion
        from buicasus.registry import audit, changes, models

        for model in (Country, NutsRegion, models.Vocabulary, models.Term):
            audit.register(model)
        audit.register(models.Organisation)
        audit.register(models.Initiative)
        audit.register(models.OrganisationIdentifier, owners=("organisation",))
        audit.register(models.Funding, owners=("initiative",))
        audit.register(models.InitiativeRole, owners=("initiative", "organisation"))
        audit.register(models.OrganisationTie, owners=("source", "target"))

        changes.track(models.Organisation)
        changes.track(models.Initiative)
        changes.track(models.OrganisationIdentifier, parents={"organisation": "organisation"})
        changes.track(models.Funding, parents={"initiative": "initiative"})
        changes.track(
            models.InitiativeRole,
            parents={"initiative": "initiative", "organisation": "organisation"},
        )
        changes.track(
            models.OrganisationTie, parents={"source": "organisation", "target": "organisation"}
        )
