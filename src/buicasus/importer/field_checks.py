"""Checks of single values as the registry's form fields make them, with fast paths.

A plainly valid value (a short string, a number in range, an ISO date, a known choice) is
accepted here without Django's field machinery; anything else goes through the very form field
and model field a page would use (`_form_clean`), so accepted values and messages are the
forms' own. Valid URLs are remembered, as sources repeat a website on many rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from buicasus.registry.forms import InitiativeForm, OrganisationForm
from buicasus.registry.models import Initiative, Organisation


class Invalid(Exception):
    """A value the page's form would refuse; `message` is the form's message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- exact form behaviour (the slow path) --------------------------------------------------


def _form_clean(form: type[forms.ModelForm], model: type[models.Model], name: str, raw: Any) -> Any:
    """What the page's form does with `raw` for field `name`: its field's clean, then the model
    field's validators (which ModelForm runs in `_post_clean`)."""
    try:
        value = form.base_fields[name].clean(raw)
    except ValidationError as exc:
        raise Invalid(exc.messages[0]) from exc
    if value not in (None, "", [], ()):
        try:
            model._meta.get_field(name).run_validators(value)
        except ValidationError as exc:
            raise Invalid(exc.messages[0]) from exc
    return value


class _Fields:
    """Fast checks for one model's plain fields, falling back to `_form_clean`."""

    def __init__(self, form: type[forms.ModelForm], model: type[models.Model]) -> None:
        self.form, self.model = form, model
        self.max_length: dict[str, int] = {}
        self.numeric: dict[str, Callable[[Any], None]] = {}
        self.valid_urls: dict[tuple[str, Any], str] = {}
        for f in model._meta.concrete_fields:
            if isinstance(f, models.CharField) and f.max_length:
                self.max_length[f.name] = int(f.max_length)
            if isinstance(f, models.FloatField | models.IntegerField) and f.validators:
                self.numeric[f.name] = f.run_validators

    def slow(self, name: str, raw: Any) -> Any:
        return _form_clean(self.form, self.model, name, raw)

    def text(self, name: str, raw: Any, required: bool = False) -> str:
        if raw is None or raw == "":
            if required:
                raise Invalid(_("This field is required."))
            return ""
        if isinstance(raw, str):
            value = raw.strip()
            limit = self.max_length.get(name)
            if value and "\x00" not in value and (limit is None or len(value) <= limit):
                return value
        return str(self.slow(name, raw) or "")

    def number(self, name: str, raw: Any, kind: type) -> Any:
        if raw is None or raw == "":
            return None
        if isinstance(raw, kind) and not isinstance(raw, bool):
            try:
                self.numeric[name](raw)
            except ValidationError as exc:
                raise Invalid(exc.messages[0]) from exc
            return raw
        return self.slow(name, raw)

    def date(self, name: str, raw: Any) -> dt.date | None:
        if raw is None or raw == "":
            return None
        if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
            return raw
        if isinstance(raw, str) and len(raw) == 10:
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                pass
        return self.slow(name, raw)  # type: ignore[no-any-return]

    def boolean(self, name: str, raw: Any) -> bool:
        return raw if isinstance(raw, bool) else bool(self.slow(name, raw))

    def url(self, name: str, raw: Any) -> str:
        """URLs take the form's path (it adds a missing `https://`); valid ones are cached,
        as sources repeat a website on many rows."""
        if raw is None or raw == "":
            return ""
        key = (name, raw)
        found = self.valid_urls.get(key)
        if found is None:
            found = str(self.slow(name, raw) or "")
            if len(self.valid_urls) > 100_000:
                self.valid_urls.clear()
            self.valid_urls[key] = found
        return found

    def choice(self, name: str, raw: Any, choices: set[str]) -> str:
        if raw is None or raw == "":
            return ""
        if raw in choices:
            return str(raw)
        return str(self.slow(name, raw) or "")


ORG = _Fields(OrganisationForm, Organisation)
INIT = _Fields(InitiativeForm, Initiative)
SIZE_BANDS = {c for c, _label in Organisation._meta.get_field("size_band").choices or []}
