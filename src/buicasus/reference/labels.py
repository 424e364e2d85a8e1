"""Multilingual labels stored as `{"en": …, "lv": …}` dictionaries."""

from __future__ import annotations

from django.utils.translation import get_language


def label_in(labels: dict[str, str], fallback: str, language: str | None = None) -> str:
    """The label in the reader's language, else English, else the fallback."""
    lang = (language or get_language() or "en")[:2]
    return labels.get(lang) or labels.get("en") or fallback
