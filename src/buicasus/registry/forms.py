"""Forms for registry records. Pages and the JSON API validate through the same forms,
so a rule (unknown country code, end before start, duplicate identifier …) holds everywhere.

Choices are addressed by code (country `LV`, stage `testing`), not by database id.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from buicasus.core import vocabulary_fields as vf
from buicasus.reference.models import Country, NutsRegion
from buicasus.registry.models import (
    Funding,
    Initiative,
    InitiativeRole,
    Organisation,
    OrganisationIdentifier,
    OrganisationTie,
    Term,
)

LANGUAGE_CODES = ("en", "fr", "es", "sv", "lv")
_TRANSLATABLE_LABELS = {"title": _("Title"), "description": _("Description")}


def terms(key: str) -> QuerySet[Term]:
    return Term.objects.filter(vocabulary__key=key).order_by("position")


def field_terms(model: str, name: str) -> QuerySet[Term]:
    """The terms a record field may take (its vocabulary, from `core.vocabulary_fields`)."""
    return terms(vf.vocabulary_of(model, name))


class CodeChoiceField(forms.ModelChoiceField):
    """A choice addressed by code, shown with its label in the reader's language."""

    def __init__(self, queryset: QuerySet[Any], *, invalid: str, **kw: Any) -> None:
        kw.setdefault("error_messages", {"invalid_choice": invalid})
        super().__init__(queryset, to_field_name="code", **kw)


def show_codes(form: forms.ModelForm) -> None:
    """An existing record's foreign keys, given as objects so code-addressed choices match."""
    if form.is_bound or not form.instance.pk:
        return
    for name, field in form.fields.items():
        if isinstance(field, CodeChoiceField):
            value = getattr(form.instance, name, None)
            if value is not None:
                form.initial[name] = value


class CodeMultipleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, queryset: QuerySet[Any], *, invalid: str, **kw: Any) -> None:
        kw.setdefault("error_messages", {"invalid_choice": invalid})
        kw.setdefault("required", False)
        kw.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(queryset, to_field_name="code", **kw)


def _lines(value: Any) -> list[Any]:
    """Text lines, or the items of a JSON list (objects kept whole for structured fields)."""
    if isinstance(value, list | tuple):
        return [v if isinstance(v, dict) else str(v).strip() for v in value if str(v).strip()]
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


class LinesField(forms.CharField):
    """A list of strings, entered one per line (or sent as a JSON list)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: Any) -> list[Any]:  # type: ignore[override]
        return _lines(value)

    def prepare_value(self, value: Any) -> str:
        return "\n".join(value) if isinstance(value, list | tuple) else (value or "")


def website_field() -> forms.URLField:
    return forms.URLField(label=_("Website"), required=False, max_length=500, assume_scheme="https")


class TranslationsMixin:
    """Adds one optional field per language and translatable attribute, kept in `translations`."""

    translatable: tuple[str, ...] = ()
    fields: dict[str, forms.Field]
    instance: Any
    cleaned_data: dict[str, Any]

    def add_translation_fields(self) -> None:
        existing = getattr(self.instance, "translations", None) or {}
        for lang in LANGUAGE_CODES:
            for attr in self.translatable:
                name = f"tr_{lang}_{attr}"
                widget = forms.Textarea(attrs={"rows": 3}) if attr == "description" else None
                self.fields[name] = forms.CharField(
                    label=f"{_TRANSLATABLE_LABELS[attr]} ({lang})",
                    required=False,
                    widget=widget,
                    initial=existing.get(lang, {}).get(attr, ""),
                )

    def translations_from_fields(self) -> dict[str, dict[str, str]]:
        """The form's translations, keeping what it does not edit (other languages, names)."""
        result: dict[str, dict[str, str]] = {}
        existing = getattr(self.instance, "translations", None) or {}
        for lang in {*LANGUAGE_CODES, *existing}:
            kept = {
                k: v
                for k, v in existing.get(lang, {}).items()
                if k not in self.translatable or lang not in LANGUAGE_CODES
            }
            edited = {
                attr: self.cleaned_data.get(f"tr_{lang}_{attr}", "").strip()
                for attr in self.translatable
                if lang in LANGUAGE_CODES
            }
            values = {**kept, **{k: v for k, v in edited.items() if v}}
            if values:
                result[lang] = values
        return dict(sorted(result.items()))

    def translation_field_names(self) -> list[str]:
        return [f"tr_{lang}_{a}" for lang in LANGUAGE_CODES for a in self.translatable]


class OrganisationForm(TranslationsMixin, forms.ModelForm):
    translatable = ("description",)
    country = CodeChoiceField(
        Country.objects.all(), invalid=_("Unknown country code “%(value)s”."), label=_("Country")
    )
    actor_type = CodeChoiceField(
        field_terms(vf.ORGANISATION, "actor_type"),
        invalid=_("Unknown actor type “%(value)s”."),
        label=_("Actor type"),
    )
    region = CodeChoiceField(
        NutsRegion.objects.all(),
        invalid=_("Unknown NUTS region “%(value)s”."),
        label=_("Region"),
        required=False,
    )
    website = website_field()
    other_names = LinesField(label=_("Other names (one per line)"), required=False)
    identifiers = LinesField(
        label=_("National identifiers (one per line, scheme: value, e.g. fr-siren: 552100554)"),
        required=False,
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "other_names",
            "actor_type",
            "legal_form",
            "country",
            "region",
            "city",
            "latitude",
            "longitude",
            "website",
            "description",
            "description_language",
            "founding_year",
            "size_band",
            "published",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_translation_fields()
        show_codes(self)
        if self.instance.pk and not self.is_bound:
            self.initial["identifiers"] = [
                f"{i.scheme.code}: {i.value}" for i in self.instance.identifiers.all()
            ]

    def clean_identifiers(self) -> list[tuple[Term, str]]:
        parsed: list[tuple[Term, str]] = []
        schemes = {t.code: t for t in field_terms(vf.IDENTIFIER, "scheme")}
        for raw in self.cleaned_data.get("identifiers") or []:
            if isinstance(raw, dict):
                scheme_code, value = str(raw.get("scheme", "")), str(raw.get("value", ""))
            else:
                scheme_code, _sep, value = raw.partition(":")
            scheme_code, value = scheme_code.strip(), value.strip()
            if scheme_code not in schemes:
                raise forms.ValidationError(
                    _("Unknown identifier scheme “%(scheme)s”."), params={"scheme": scheme_code}
                )
            if not value:
                raise forms.ValidationError(
                    _("Identifier “%(scheme)s” has no value."), params={"scheme": scheme_code}
                )
            taken = OrganisationIdentifier.objects.filter(scheme=schemes[scheme_code], value=value)
            if self.instance.pk:
                taken = taken.exclude(organisation=self.instance)
            owner = taken.select_related("organisation").first()
            if owner is not None:
                raise forms.ValidationError(
                    _("%(scheme)s %(value)s already belongs to “%(name)s”."),
                    params={"scheme": scheme_code, "value": value, "name": owner.organisation.name},
                )
            parsed.append((schemes[scheme_code], value))
        return parsed

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        region, country = data.get("region"), data.get("country")
        if region is not None and country is not None and region.country_id != country.pk:
            self.add_error("region", _("This region is not in the chosen country."))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        return data

    def save_related(self, organisation: Organisation) -> None:
        """Identifiers live in their own table; replace them with what the form holds."""
        wanted = set(self.cleaned_data.get("identifiers") or [])
        for ident in list(organisation.identifiers.select_related("scheme")):
            if (ident.scheme, ident.value) not in wanted:
                ident.delete()
        have = {(i.scheme_id, i.value) for i in organisation.identifiers.all()}
        for scheme, value in wanted:
            if (scheme.pk, value) not in have:
                OrganisationIdentifier.objects.create(
                    organisation=organisation, scheme=scheme, value=value
                )

    def apply_translations(self, organisation: Organisation) -> None:
        organisation.translations = self.translations_from_fields()


def _split_currency(text: str) -> tuple[str, str]:
    """`120000 SEK` → (`120000`, `SEK`); no code means euros."""
    text = text.strip()
    found = re.fullmatch(r"(.*?)\s*([A-Za-z]{3})", text)
    if found and not found.group(2).isdigit():
        return found.group(1), found.group(2).upper()
    return text, "EUR"


def _funding_line(funding: Funding) -> str:
    if funding.amount is None:
        return funding.source.code
    suffix = "" if funding.currency == "EUR" else f" {funding.currency}"
    return f"{funding.source.code}: {funding.amount}{suffix}"


class FundingLinesField(LinesField):
    """Funding sources, one per line: `code` or `code: amount` (or a JSON list of objects)."""


class InitiativeForm(TranslationsMixin, forms.ModelForm):
    translatable = ("title", "description")
    country = CodeChoiceField(
        Country.objects.all(), invalid=_("Unknown country code “%(value)s”."), label=_("Country")
    )
    regions = CodeMultipleChoiceField(
        NutsRegion.objects.all(),
        invalid=_("Unknown NUTS region “%(value)s”."),
        label=_("Regions"),
        widget=forms.SelectMultiple,
    )
    stage = CodeChoiceField(
        field_terms(vf.INITIATIVE, "stage"),
        invalid=_("Unknown stage “%(value)s”."),
        label=_("Stage"),
        required=False,
    )
    evidence_level = CodeChoiceField(
        field_terms(vf.INITIATIVE, "evidence_level"),
        invalid=_("Unknown evidence level “%(value)s”."),
        label=_("Evidence level"),
        required=False,
    )
    policy_fields = CodeMultipleChoiceField(
        field_terms(vf.INITIATIVE, "policy_fields"),
        invalid=_("Unknown policy field “%(value)s”."),
        label=_("Policy fields"),
    )
    esf_objectives = CodeMultipleChoiceField(
        field_terms(vf.INITIATIVE, "esf_objectives"),
        invalid=_("Unknown ESF+ objective “%(value)s”."),
        label=_("ESF+ specific objectives"),
    )
    sdgs = CodeMultipleChoiceField(
        field_terms(vf.INITIATIVE, "sdgs"),
        invalid=_("Unknown SDG “%(value)s”."),
        label=_("Sustainable Development Goals"),
    )
    target_groups = CodeMultipleChoiceField(
        field_terms(vf.INITIATIVE, "target_groups"),
        invalid=_("Unknown target group “%(value)s”."),
        label=_("Target groups"),
    )
    methods = CodeMultipleChoiceField(
        field_terms(vf.INITIATIVE, "methods"),
        invalid=_("Unknown method “%(value)s”."),
        label=_("Methods used"),
    )
    scaling_strategy = CodeChoiceField(
        field_terms(vf.INITIATIVE, "scaling_strategy"),
        invalid=_("Unknown scaling strategy “%(value)s”."),
        label=_("Scaling strategy"),
        required=False,
    )
    scaling_directions = CodeMultipleChoiceField(
        field_terms(vf.INITIATIVE, "scaling_directions"),
        invalid=_("Unknown scaling direction “%(value)s”."),
        label=_("Scaling directions"),
    )
    replicated_from = forms.ModelChoiceField(
        Initiative.objects.all(),
        required=False,
        label=_("Replicated from"),
        widget=forms.NumberInput,
        error_messages={"invalid_choice": _("No initiative with id “%(value)s”.")},
    )
    website = website_field()
    fundings = FundingLinesField(
        label=_(
            "Funding sources, one per line: code or code: amount (e.g. esf: 120000, erdf: 5000 SEK)"
        ),
        required=False,
    )

    class Meta:
        model = Initiative
        fields = [
            "title",
            "description",
            "description_language",
            "country",
            "regions",
            "stage",
            "evidence_level",
            "policy_fields",
            "esf_objectives",
            "sdgs",
            "target_groups",
            "methods",
            "start_date",
            "end_date",
            "website",
            "outcome_evidence",
            "replicated_from",
            "scaling_strategy",
            "scaling_directions",
            "published",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_translation_fields()
        show_codes(self)
        if self.instance.pk:
            self.fields["replicated_from"].queryset = Initiative.objects.exclude(
                pk=self.instance.pk
            )
            if not self.is_bound:
                self.initial["fundings"] = [
                    _funding_line(f) for f in self.instance.fundings.select_related("source")
                ]

    def clean_fundings(self) -> list[tuple[Term, Decimal | None, str]]:
        """Lines `code`, `code: amount` or `code: amount CUR` (EUR when no currency is given)."""
        sources = {t.code: t for t in field_terms(vf.FUNDING, "source")}
        parsed: list[tuple[Term, Decimal | None, str]] = []
        for raw in self.cleaned_data.get("fundings") or []:
            if isinstance(raw, dict):
                code, amount_text = str(raw.get("source", "")), raw.get("amount")
                currency = str(raw.get("currency") or "EUR").upper()
            else:
                code, _sep, amount_text = raw.partition(":")
                amount_text, currency = _split_currency(amount_text)
            code = code.strip()
            if code not in sources:
                raise forms.ValidationError(
                    _("Unknown funding source “%(code)s”."), params={"code": code}
                )
            if not re.fullmatch(r"[A-Z]{3}", currency):
                raise forms.ValidationError(
                    _("“%(currency)s” is not a currency code such as EUR or SEK."),
                    params={"currency": currency},
                )
            amount: Decimal | None = None
            if amount_text not in (None, ""):
                try:
                    amount = Decimal(str(amount_text).strip().replace(" ", ""))
                except InvalidOperation as exc:
                    raise forms.ValidationError(
                        _("“%(amount)s” is not an amount."), params={"amount": amount_text}
                    ) from exc
                if amount < 0:
                    raise forms.ValidationError(_("A funding amount cannot be negative."))
            parsed.append((sources[code], amount, currency))
        return parsed

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data

    def save_related(self, initiative: Initiative) -> None:
        wanted = list(self.cleaned_data.get("fundings") or [])
        current = [(f.source_id, f.amount, f.currency) for f in initiative.fundings.all()]
        if current != [(t.pk, a, c) for t, a, c in wanted]:
            initiative.fundings.all().delete()
            for source, amount, currency in wanted:
                Funding.objects.create(
                    initiative=initiative, source=source, amount=amount, currency=currency
                )

    def apply_translations(self, initiative: Initiative) -> None:
        initiative.translations = self.translations_from_fields()


class DatedRangeMixin:
    def check_dates(self, data: dict[str, Any]) -> None:
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))  # type: ignore[attr-defined]


class InitiativeRoleForm(DatedRangeMixin, forms.ModelForm):
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(),
        label=_("Organisation"),
        error_messages={"invalid_choice": _("No organisation with id “%(value)s”.")},
    )
    initiative = forms.ModelChoiceField(
        Initiative.objects.all(),
        label=_("Initiative"),
        error_messages={"invalid_choice": _("No initiative with id “%(value)s”.")},
    )
    role = CodeChoiceField(
        field_terms(vf.ROLE, "role"), invalid=_("Unknown role “%(value)s”."), label=_("Role")
    )

    class Meta:
        model = InitiativeRole
        fields = ["organisation", "initiative", "role", "start_date", "end_date", "source_name"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.check_dates(data)
        return data


class OrganisationTieForm(DatedRangeMixin, forms.ModelForm):
    source = forms.ModelChoiceField(
        Organisation.objects.all(),
        label=_("From organisation"),
        error_messages={"invalid_choice": _("No organisation with id “%(value)s”.")},
    )
    target = forms.ModelChoiceField(
        Organisation.objects.all(),
        label=_("To organisation"),
        error_messages={"invalid_choice": _("No organisation with id “%(value)s”.")},
    )
    tie_type = CodeChoiceField(
        field_terms(vf.TIE, "tie_type"),
        invalid=_("Unknown tie type “%(value)s”."),
        label=_("Tie type"),
    )

    class Meta:
        model = OrganisationTie
        fields = ["source", "target", "tie_type", "start_date", "end_date", "source_name"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.check_dates(data)
        if data.get("source") is not None and data.get("source") == data.get("target"):
            self.add_error("target", _("An organisation cannot be tied to itself."))
        return data
