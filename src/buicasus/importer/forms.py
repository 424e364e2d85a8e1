"""The upload form of the import page: a file, its source, and how to read it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buicasus.importer import readers
from buicasus.importer.mapping import shipped_mappings


def mapping_choices() -> list[tuple[str, str]]:
    none = [("", _("None: the file holds canonical records (JSON) or a standard format"))]
    return none + [(path.stem, path.stem) for path in shipped_mappings()]


def format_choices() -> list[tuple[str, str]]:
    formats = [*readers.TABULAR, *sorted(set(readers.standard_readers()) - set(readers.TABULAR))]
    return [("", _("Detect from the file"))] + [(f, f) for f in formats]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV, XLSX, JSON, JSON Lines or a standard format)"))
    source = forms.CharField(
        label=_("Source name"),
        max_length=200,
        help_text=_("Records are updated by this name and their id on the next import."),
    )
    licence = forms.CharField(
        label=_("Licence note"),
        max_length=300,
        required=False,
        help_text=_("Shown on every record of this source; the mapping's when left empty."),
    )
    mapping = forms.ChoiceField(label=_("Mapping"), required=False)
    mapping_file = forms.FileField(
        label=_("…or your own mapping file (YAML)"),
        required=False,
    )
    format = forms.ChoiceField(label=_("Format"), required=False)
    delimiter = forms.CharField(
        label=_("CSV delimiter"),
        max_length=10,
        required=False,
        help_text=_("Detected when left empty; tab, comma, semicolon, pipe or one character."),
    )
    encoding = forms.CharField(
        label=_("Encoding"),
        max_length=40,
        required=False,
        help_text=_("Detected when left empty, e.g. utf-8, cp1252."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mapping"].choices = mapping_choices()
        self.fields["format"].choices = format_choices()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = readers.max_file_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s bytes, more than the %(limit)s bytes an import accepts.")
                % {"size": f"{upload.size:,}", "limit": f"{limit:,}"}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("mapping") and data.get("mapping_file"):
            self.add_error("mapping_file", _("Choose a shipped mapping or upload one, not both."))
        return data


class ConfirmForm(forms.Form):
    """After a dry run: import the same file for real."""

    skip_invalid = forms.BooleanField(
        label=_("Skip invalid rows (import the valid ones, keep a rejects file)"),
        required=False,
    )
