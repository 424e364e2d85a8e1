"""The filter forms above the organisation and initiative lists.

Every choice is a code (`country=LV`, `stage=testing`), labelled in the reader's language; a
value the form does not know is dropped rather than turned into an error page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buicasus.core import vocabulary_fields as vf
from buicasus.reference.models import Country
from buicasus.registry.models import ReviewStatus, Term

TERM_FILTERS = vf.filters(vf.ORGANISATION, vf.INITIATIVE)


def _term_choices(key: str, empty: str) -> list[tuple[str, str]]:
    terms = Term.objects.filter(vocabulary__key=key).order_by("position", "code")
    return [("", empty)] + [(t.code, t.label()) for t in terms]


class ListFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.RegexField(
        label=_("Region (NUTS code)"),
        regex=r"^[A-Za-z]{2}[A-Za-z0-9]{0,3}$",
        required=False,
        help_text=_("Includes the regions inside it, e.g. FR1 for all of Île-de-France."),
        error_messages={"invalid": _("A NUTS code has two letters and up to three more signs.")},
    )
    published = forms.ChoiceField(
        label=_("Published"),
        required=False,
        choices=[("", _("Any")), ("true", _("Published")), ("false", _("Not published"))],
    )
    review_status = forms.ChoiceField(label=_("Review status"), required=False)

    # Term filters: (query parameter, "all" choice); `core.vocabulary_fields` gives the vocabulary.
    vocabularies: tuple[tuple[str, Any], ...] = ()

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries"))] + [
            (c.code, c.name()) for c in Country.objects.all()
        ]
        self.fields["review_status"].choices = [("", _("Any"))] + list(ReviewStatus.choices)
        for name, empty in self.vocabularies:
            self.fields[name].choices = _term_choices(TERM_FILTERS[name].vocabulary, str(empty))
        if not staff:
            del self.fields["published"]
            del self.fields["review_status"]
        self.order_fields(["q", "country", "region", *(n for n, _e in self.vocabularies)])

    def clean_region(self) -> str:
        return str(self.cleaned_data.get("region") or "").upper()

    def params(self) -> dict[str, Any]:
        """The valid filters, by code, for `services.filter_*`."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class OrganisationFilterForm(ListFilterForm):
    actor_type = forms.ChoiceField(label=_("Actor type"), required=False)
    vocabularies = (("actor_type", _("All actor types")),)


class InitiativeFilterForm(ListFilterForm):
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    evidence_level = forms.ChoiceField(label=_("Evidence level"), required=False)
    policy_field = forms.ChoiceField(label=_("Policy field"), required=False)
    sdg = forms.ChoiceField(label=_("Sustainable Development Goal"), required=False)
    esf_objective = forms.ChoiceField(label=_("ESF+ specific objective"), required=False)
    vocabularies = (
        ("stage", _("All stages")),
        ("evidence_level", _("All evidence levels")),
        ("policy_field", _("All policy fields")),
        ("sdg", _("All SDGs")),
        ("esf_objective", _("All ESF+ objectives")),
    )
