"""Choosing which language version of a text to show a reader."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Shown:
    """The text to display, its language, and whether it is a translation of the original."""

    text: str
    language: str
    original_language: str
    translated: bool


def primary_subtag(tag: str) -> str:
    """`sv-SE` → `sv`; BCP 47 tags compare on their primary language subtag."""
    return tag.split("-")[0].split("_")[0].lower()


def pick_text(
    original: str,
    original_language: str,
    translations: Mapping[str, Mapping[str, str]],
    attribute: str,
    reader_language: str,
) -> Shown:
    """Show the reader's translation of `attribute` when one exists, else the original."""
    reader = primary_subtag(reader_language)
    source = primary_subtag(original_language) if original_language else ""
    if reader and reader != source:
        for lang, values in translations.items():
            text = values.get(attribute, "")
            if primary_subtag(lang) == reader and text.strip():
                return Shown(text, lang, original_language, True)
    return Shown(original, original_language, original_language, False)
