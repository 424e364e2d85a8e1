from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "buicasus.search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from buicasus.search import signals

        signals.connect()
