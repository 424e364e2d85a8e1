from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "buicasus.pilots"
    verbose_name = _("Mentoring pilots")

    def ready(self) -> None:
        from buicasus.pilots import models
        from buicasus.registry import audit, changes

        audit.register(models.Pilot)
        changes.track(models.Pilot)
        for part in (
            models.PilotParticipant,
            models.PilotSession,
            models.PilotMilestone,
            models.PilotAdaptation,
            models.PilotRisk,
            models.PilotEvaluation,
        ):
            audit.register(part, owners=("pilot",))
            changes.track(part, parents={"pilot": "pilot"})
