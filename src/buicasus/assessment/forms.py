"""Forms of the assessment pages, and reading the answer form's fields into `AnswerInput`s."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlparse

from django import forms
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buicasus.accounts import permissions
from buicasus.accounts.models import Role
from buicasus.assessment.campaigns import AnswerInput
from buicasus.assessment.models import Framework, StakeholderGroup, Statement
from buicasus.reference.models import Country

NO_ANSWER = "na"
RECORD_REF = re.compile(r"(?:^|/)(organisation|initiative)s?[:/ #]+(\d+)/?$", re.IGNORECASE)


class CampaignForm(forms.Form):
    country = forms.ModelChoiceField(
        queryset=Country.objects.none(), to_field_name="code", label=gettext_lazy("Country")
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    framework = forms.ModelChoiceField(
        queryset=Framework.objects.all(),
        label=gettext_lazy("Framework version"),
        help_text=gettext_lazy("Answers keep the version they were given under."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = permissions.countries_with(user, Role.COORDINATOR)
        country_field: Any = self.fields["country"]
        country_field.queryset = Country.objects.filter(code__in=codes)


class InviteForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("User name"),
        max_length=150,
        help_text=gettext_lazy("An existing user of the platform."),
    )
    group = forms.ChoiceField(
        label=gettext_lazy("Stakeholder group"), choices=StakeholderGroup.choices
    )

    def clean_username(self) -> Any:
        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user is called “%(name)s”.") % {"name": name})
        return user


def parse_record(text: str) -> tuple[str, int] | None:
    """A registry record named as `organisation:12`, `initiative 7`, or a page address such as
    `https://…/initiatives/7/`; None when the text names none."""
    text = text.strip()
    if not text:
        return None
    path = urlparse(text).path if "://" in text else text
    match = RECORD_REF.search(path)
    if match is None:
        return None
    return match.group(1).lower(), int(match.group(2))


def read_answers(
    data: QueryDict, statements: Iterable[Statement]
) -> tuple[list[AnswerInput], dict[str, list[str]]]:
    """The answer form's fields (`value-<code>`: 0–10 or "na"; `evidence_text-`,
    `evidence_url-`, `evidence_record-<code>`) as inputs for `campaigns.save_answers`.

    A statement with no choice yet is left out (a draft may be partial). Problems that only the
    form can see (an unreadable registry reference) are returned keyed like the service's.
    """
    answers: list[AnswerInput] = []
    errors: dict[str, list[str]] = {}
    for s in statements:
        raw = data.get(f"value-{s.code}", "").strip()
        if raw == "":
            continue
        value: Any = None if raw == NO_ANSWER else raw
        record_text = data.get(f"evidence_record-{s.code}", "")
        record = parse_record(record_text)
        if record_text.strip() and record is None:
            errors.setdefault(f"answers.{s.code}", []).append(
                _(
                    "Name the registry record as “organisation:ID”, “initiative:ID” or paste "
                    "the address of its page."
                )
            )
        kind, pk = record or ("", None)
        answers.append(
            AnswerInput(
                statement=s.code,
                value=value,
                evidence_text=data.get(f"evidence_text-{s.code}", ""),
                evidence_url=data.get(f"evidence_url-{s.code}", "").strip(),
                evidence_organisation=pk if kind == "organisation" else None,
                evidence_initiative=pk if kind == "initiative" else None,
            )
        )
    return answers, errors
