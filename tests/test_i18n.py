"""Five real catalogues: every UI string translated in fr, es, sv and lv, compiled by make."""

from pathlib import Path

import polib
import pytest
from django.utils import translation

import buicasus

LOCALE = Path(buicasus.__file__).parent / "locale"
TRANSLATED = ["fr", "es", "sv", "lv"]


@pytest.mark.parametrize("lang", ["en", *TRANSLATED])
def test_catalogue_exists_and_is_compiled(lang: str) -> None:
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    assert po.exists()
    assert po.with_suffix(".mo").exists(), "run `make` (compile-messages)"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_string_is_translated(lang: str) -> None:
    catalogue = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_are_not_english_copies(lang: str) -> None:
    catalogue = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    entries = [e for e in catalogue if e.msgstr and len(e.msgid) > 12]
    copies = [e.msgid for e in entries if e.msgstr == e.msgid]
    assert len(copies) <= len(entries) * 0.05, copies[:20]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_survive_translation(lang: str) -> None:
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    catalogue = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    broken = [
        e.msgid
        for e in catalogue
        if e.msgstr and sorted(pattern.findall(e.msgid)) != sorted(pattern.findall(e.msgstr))
    ]
    assert broken == []


@pytest.mark.parametrize("lang", ["es", "sv", "lv"])
def test_a_known_string_is_translated_at_run_time(lang: str) -> None:
    with translation.override(lang):
        assert translation.gettext("Organisations") != "Organisations"
