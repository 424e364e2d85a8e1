"""The network page's filters: whose network (a country or all) and which actor types."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buicasus.network import services
from buicasus.reference.models import Country


class NetworkFilterForm(forms.Form):  # type: ignore[misc]
    country = forms.ChoiceField(label=_("Country"), required=False)
    actor_type = forms.MultipleChoiceField(
        label=_("Actor types"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every type."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = [(c.code, c.name()) for c in Country.objects.all()]
        self.fields["country"].choices = [("", _("All countries")), *countries]
        labels = services.type_labels()
        self.fields["actor_type"].choices = sorted(labels.items(), key=lambda kv: kv[1])

    def filters(self) -> tuple[str | None, list[str]]:
        """(country, actor types); an invalid value shows as a form error and is ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        country = data.get("country") or None if "country" not in self.errors else None
        types = list(data.get("actor_type") or []) if "actor_type" not in self.errors else []
        return country, types
