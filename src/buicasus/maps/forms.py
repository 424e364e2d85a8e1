"""The map's own choices (what to count, at which NUTS level, how to class the counts); the
record filters are the list pages' own forms, so map and list always filter alike."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buicasus.maps.services import KINDS, Kind
from buicasus.registry.views_filters import (
    InitiativeFilterForm,
    ListFilterForm,
    OrganisationFilterForm,
)

# Countries: every record has one, while many are placed no finer (1,439 of 1,466 organisations
# of the open-data registry have no NUTS 2 region); finer levels are a choice away.
DEFAULT_LEVEL = 0


class MapForm(forms.Form):  # type: ignore[misc]
    kind = forms.ChoiceField(
        required=False,
        widget=forms.HiddenInput,
        choices=[("organisations", _("Organisations")), ("initiatives", _("Initiatives"))],
    )
    level = forms.TypedChoiceField(
        label=_("Regions"),
        required=False,
        coerce=int,
        empty_value=DEFAULT_LEVEL,
        choices=[
            (0, _("Countries (NUTS 0)")),
            (1, _("Major regions (NUTS 1)")),
            (2, _("Regions (NUTS 2)")),
            (3, _("Small regions (NUTS 3)")),
        ],
    )
    classes = forms.ChoiceField(
        label=_("Colour classes"),
        required=False,
        choices=[("natural", _("Natural breaks")), ("quantile", _("Quantiles"))],
    )

    def __init__(self, data: dict[str, Any] | None = None, **kwargs: Any) -> None:
        # Without a level in the query the selector shows the default level, the one drawn.
        if data is not None and not data.get("level"):
            data = {**data, "level": str(DEFAULT_LEVEL)}
        super().__init__(data, **kwargs)

    def choices(self) -> tuple[Kind, int, str]:
        """Kind, level and classification; an unknown value falls back to the default rather
        than an error page, as the list filters do."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        kind = data.get("kind") if data.get("kind") in KINDS else "organisations"
        level = data.get("level")
        level = level if isinstance(level, int) and "level" not in self.errors else DEFAULT_LEVEL
        classes = data.get("classes") or "natural"
        return kind, level, classes  # type: ignore[return-value]


def filter_form(kind: Kind, data: dict[str, Any], *, staff: bool) -> ListFilterForm:
    """The list page's filter form for `kind`, with the same fields and choices."""
    form_class = OrganisationFilterForm if kind == "organisations" else InitiativeFilterForm
    return form_class(data, staff=staff)
