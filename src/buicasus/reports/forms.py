"""The choice on /reports/: which report, in which language, as a page or a PDF."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from buicasus.reference.models import Country
from buicasus.reports.mapping import PARTNERS

TRANSNATIONAL = "ALL"


class ReportForm(forms.Form):
    scope = forms.ChoiceField(label=_("Report"))
    lang = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("html", _("Web page")), ("pdf", _("PDF download"))],
        initial="html",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partners = Country.objects.filter(code__in=PARTNERS).order_by("code")
        choices: list[tuple[str, Any]] = [
            (TRANSNATIONAL, _("Transnational report (the four partner countries)"))
        ]
        choices += [(c.code, c.name()) for c in partners]
        self.fields["scope"].choices = choices
