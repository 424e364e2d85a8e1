"""Forms of the matching pages; the API validates needs through the same `NeedForm`.

Choices are addressed by code (country `LV`, region `LV006`, policy field `employment`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from buicasus.core import vocabulary_fields as vf
from buicasus.matching import services
from buicasus.matching.models import NEED_TEXT_MAX, Need
from buicasus.reference.models import Country, NutsRegion
from buicasus.registry.forms import (
    LANGUAGE_CODES,
    CodeChoiceField,
    CodeMultipleChoiceField,
    field_terms,
    show_codes,
)
from buicasus.registry.models import Organisation

LANGUAGE_CHOICES = [
    ("", _("Detect automatically")),
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("sv", "Svenska"),
    ("lv", "Latviešu"),
]


def actor_type_choices() -> list[tuple[str, str]]:
    return [(t.code, t.label()) for t in field_terms(vf.ORGANISATION, "actor_type")]


def _text_help_now() -> str:
    return gettext("Any of the five languages. At most %(max)d characters.") % {
        "max": NEED_TEXT_MAX
    }


# Formatting a lazy string fixes it in the language active at import (English): the help
# is formatted when shown instead, in the reader's language.
_text_help = lazy(_text_help_now, str)


def _text_field(label: Any, required: bool = True) -> forms.CharField:
    # No max_length: the check names the limit and the length in its message.
    return forms.CharField(
        label=label,
        required=required,
        error_messages={"required": _("The need statement is empty; describe the need.")},
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_text_help(),
    )


class NeedForm(forms.ModelForm):
    """A need statement with its place, challenge and constraints."""

    text = _text_field(_("Need statement"))
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)
    country = CodeChoiceField(
        Country.objects.all(), label=_("Country"), invalid=_("Unknown country code.")
    )
    region = CodeChoiceField(
        NutsRegion.objects.all(),
        label=_("Region"),
        required=False,
        invalid=_("Unknown NUTS region code."),
    )
    organisation = forms.ModelChoiceField(
        Organisation.objects.none(), label=_("Organisation"), required=False
    )
    policy_fields = CodeMultipleChoiceField(
        field_terms(vf.NEED, "policy_fields"),
        label=_("Policy fields"),
        invalid=_("Unknown policy field."),
    )
    esf_objectives = CodeMultipleChoiceField(
        field_terms(vf.NEED, "esf_objectives"),
        label=_("ESF+ specific objectives"),
        invalid=_("Unknown ESF+ objective."),
    )
    sdgs = CodeMultipleChoiceField(
        field_terms(vf.NEED, "sdgs"),
        label=_("Sustainable Development Goals"),
        invalid=_("Unknown SDG."),
    )
    target_groups = CodeMultipleChoiceField(
        field_terms(vf.NEED, "target_groups"),
        label=_("Target groups"),
        invalid=_("Unknown target group."),
    )
    legal_forms = forms.MultipleChoiceField(
        label=_("Legal forms and kinds of organisation at hand"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Used to judge how easily a solution can be set up here."),
    )

    class Meta:
        model = Need
        fields = [
            "title",
            "text",
            "language",
            "country",
            "region",
            "organisation",
            "policy_fields",
            "esf_objectives",
            "sdgs",
            "target_groups",
            "budget",
            "currency",
            "time_frame_months",
            "legal_forms",
            "constraints_note",
            "status",
        ]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["legal_forms"].choices = actor_type_choices()
        codes = services.need_countries(user) if user is not None else []
        current = self.instance.organisation_id if self.instance.pk else None
        orgs = Organisation.objects.filter(country__code__in=codes) | Organisation.objects.filter(
            pk=current
        )
        self.fields["organisation"].queryset = orgs.order_by("name")
        show_codes(self)

    def clean_text(self) -> str:
        try:
            return services.check_text(self.cleaned_data.get("text", ""))
        except services.NeedInvalid as exc:
            raise forms.ValidationError(exc.errors["text"]) from exc

    def clean_currency(self) -> str:
        value = (self.cleaned_data.get("currency") or "EUR").strip().upper()
        if len(value) != 3 or not value.isalpha():
            raise forms.ValidationError(_("Use a three-letter currency code, e.g. EUR."))
        return value

    def clean_budget(self) -> Any:
        value = self.cleaned_data.get("budget")
        if value is not None and value < 0:
            raise forms.ValidationError(_("The budget cannot be negative."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        country, region, org = data.get("country"), data.get("region"), data.get("organisation")
        if country and region and region.country_id != country.pk:
            self.add_error("region", _("This region is not in the need's country."))
        if country and org and org.country_id != country.pk:
            self.add_error("organisation", _("This organisation is not in the need's country."))
        return data


class ShareForm(forms.Form):
    countries = forms.MultipleChoiceField(
        label=_("Share with the centres of"), widget=forms.CheckboxSelectMultiple
    )
    message = forms.CharField(
        label=_("Message to them"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, need: Need, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = [
            (c.code, c.name()) for c in Country.objects.exclude(pk=need.country_id)
        ]


class FindForm(forms.Form):
    """Typed text and the target place, for a search without a saved need."""

    text = _text_field(_("Describe the need"))
    country = forms.ChoiceField(
        label=_("Where the solution would go"),
        required=False,
        help_text=_("Initiatives of this country are left out; its context is compared."),
    )
    region = forms.CharField(label=_("NUTS region (optional)"), required=False, max_length=5)
    budget = forms.DecimalField(
        label=_("Budget (EUR)"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    legal_forms = forms.MultipleChoiceField(
        label=_("Legal forms and kinds of organisation at hand"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.MultipleChoiceField(
        label=_("Only initiatives from"), required=False, widget=forms.CheckboxSelectMultiple
    )
    evidence_levels = forms.MultipleChoiceField(
        label=_("Evidence levels"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = [(c.code, c.name()) for c in Country.objects.all()]
        self.fields["country"].choices = [("", _("Not stated"))] + countries
        self.fields["countries"].choices = countries
        self.fields["legal_forms"].choices = actor_type_choices()
        self.fields["evidence_levels"].choices = [
            (t.code, t.label()) for t in field_terms(vf.INITIATIVE, "evidence_level")
        ]

    def clean_text(self) -> str:
        try:
            return services.check_text(self.cleaned_data.get("text", ""))
        except services.NeedInvalid as exc:
            raise forms.ValidationError(exc.errors["text"]) from exc

    def clean_region(self) -> str:
        code = (self.cleaned_data.get("region") or "").strip().upper()
        if code and not NutsRegion.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Unknown NUTS region code."))
        return code


class RecommendForm(forms.Form):
    initiative = forms.IntegerField(label=_("Initiative"), min_value=1)
    comment = forms.CharField(
        label=_("Why it fits"), max_length=NEED_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    country = forms.CharField(required=False, widget=forms.HiddenInput)


__all__ = ["LANGUAGE_CODES", "FindForm", "NeedForm", "RecommendForm", "ShareForm"]
