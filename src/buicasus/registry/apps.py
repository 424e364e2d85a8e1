from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "buicasus.registry"
    verbose_name = _("Ecosystem registry")

    def ready(self) -> None:
        from buicasus.registry import audit

        audit.connect()
