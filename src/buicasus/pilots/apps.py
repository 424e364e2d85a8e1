from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "buicasus.pilots"
    verbose_name = _("Mentoring pilots")

    def ready(self) -> None:
        from buicasus.pilots import audit

        audit.connect()
