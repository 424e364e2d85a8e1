from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SemanticConfig(AppConfig):
    name = "buicasus.semantic"
    verbose_name = _("Cross-lingual index")

    def ready(self) -> None:
        from buicasus.semantic import signals

        signals.connect()
