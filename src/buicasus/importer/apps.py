from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImporterConfig(AppConfig):
    name = "buicasus.importer"
    verbose_name = _("Data import")

    def ready(self) -> None:
        from buicasus.importer import services
        from buicasus.registry import sources

        sources.register(services.provenances)
