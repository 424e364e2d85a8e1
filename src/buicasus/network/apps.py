from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "buicasus.network"
    verbose_name = _("Network analysis")

    def ready(self) -> None:
        from buicasus.network import signals

        signals.connect()
