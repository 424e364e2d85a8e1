"""Stems in the five languages: the forms readers type meet the forms records are written in."""

from __future__ import annotations

import pytest

from buicasus.core.search_query import fold
from buicasus.core.stemming import latvian_stem, stem, stems, variants

# Inflected forms that must share one stem, as they appear in registry texts.
SAME_STEM = {
    "en": ["enterprise enterprises", "innovation innovations", "employment employed"],
    "fr": ["entreprise entreprises", "sociale sociales social", "économie économique economie"],
    "es": ["empleo empleos", "jóvenes jovenes", "innovación innovaciones innovacion"],
    "sv": ["företag företagen företagets", "ungdom ungdomar ungdomarna", "sociala social"],
    "lv": [
        "sociālā sociālās sociālais sociālie sociālajiem sociālo sociālajā sociālajam sociālu",
        "uzņēmējdarbība uzņēmējdarbības uzņēmējdarbību uzņēmējdarbībai uzņēmējdarbībā",
        "uzņēmums uzņēmuma uzņēmumi uzņēmumiem uzņēmumu uzņēmumā",
        "jaunietis jaunieši jauniešu jauniešiem jaunietim",
        "pakalpojums pakalpojumi pakalpojumu pakalpojumiem pakalpojumus",
        "iestāde iestādes iestāžu iestādēm",
        "zeme zemes zemju zemē",
        "pašvaldība pašvaldības pašvaldībām pašvaldību",
        "sieviete sievietes sieviešu sievietēm",
        "valsts valstij valstī valstu",
        "tirgus tirgum tirgū",
        "iedzīvotāji iedzīvotāju iedzīvotājiem iedzīvotājs",
        "projekts projekta projektu projekti projektiem",
        "kopiena kopienas kopienu kopienām",
    ],
}


@pytest.mark.parametrize(
    ("language", "forms"), [(lang, forms) for lang, groups in SAME_STEM.items() for forms in groups]
)
def test_inflected_forms_share_a_stem(language: str, forms: str) -> None:
    found = {stem(fold(word), language) for word in forms.split()}
    assert len(found) == 1, found


def test_different_words_keep_different_stems() -> None:
    assert latvian_stem("sociala") != latvian_stem("sievietes")
    assert stem("empleo", "es") != stem("emprendimiento", "es")
    # Short words keep enough letters to mean something.
    assert latvian_stem("maja") == "maj"
    assert latvian_stem("un") == "un"


def test_known_stems() -> None:
    assert stem(fold("uzņēmējdarbības"), "lv") == "uznemejdarbib"
    assert stem("empleos", "es") == "emple"
    assert stems(["enterprises", "2021"], "en") == ["enterpris", "2021"]
    # A language with no stemmer leaves the folded words as they are.
    assert stems(["unternehmen"], "de") == ["unternehmen"]


def test_variants_cover_every_language_and_the_word_itself() -> None:
    found = variants("jovenes")
    assert "jovenes" in found and "joven" in found
    assert variants("socialas")[-1] == "social"  # shortest last
    # A Spanish plural also reaches its singular, which Snowball stems further.
    assert stem("joven", "es") in variants("jovenes")
    assert stem("mujer", "es") in variants("mujeres")
