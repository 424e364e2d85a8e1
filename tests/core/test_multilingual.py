from buicasus.core.multilingual import pick_text, primary_subtag

TRANSLATIONS = {"en": {"title": "Inclusive kitchens"}, "fr": {"title": ""}}


def test_reader_gets_translation_when_present() -> None:
    shown = pick_text("Cocinas inclusivas", "es", TRANSLATIONS, "title", "en-GB")
    assert (shown.text, shown.language, shown.translated) == ("Inclusive kitchens", "en", True)
    assert shown.original_language == "es"


def test_original_when_no_or_empty_translation() -> None:
    assert pick_text("Cocinas inclusivas", "es", TRANSLATIONS, "title", "fr").translated is False
    assert pick_text("Cocinas inclusivas", "es", TRANSLATIONS, "title", "lv").text == (
        "Cocinas inclusivas"
    )


def test_reader_of_the_original_language_sees_the_original() -> None:
    shown = pick_text("Cocinas", "es", {"es": {"title": "Other"}}, "title", "es")
    assert shown.text == "Cocinas" and not shown.translated


def test_primary_subtag() -> None:
    assert primary_subtag("sv-SE") == "sv" and primary_subtag("pt_BR") == "pt"
