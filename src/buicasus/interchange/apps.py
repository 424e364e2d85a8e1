from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    name = "buicasus.interchange"
    verbose_name = _("Exports and open standards")
