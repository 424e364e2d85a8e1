"""Reading cell text as numbers, amounts, dates and keys (`buicasus.core.parsing`)."""

import datetime as dt
from decimal import Decimal

import pytest

from buicasus.core.parsing import (
    ParseError,
    clean_text,
    compile_template,
    fold,
    guess_delimiter,
    is_blank,
    normalise,
    parse_amount,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    slugify,
    split_values,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", Decimal("1234.5")),
        ("1 234,56", Decimal("1234.56")),
        ("1\u00a0234,56", Decimal("1234.56")),
        ("1.234,56", Decimal("1234.56")),
        ("1,234.56", Decimal("1234.56")),
        ("1,234", Decimal("1234")),
        ("1.234.567", Decimal("1234567")),
        ("12,5", Decimal("12.5")),
        ("€ 1 234", Decimal("1234")),
        ("1234 EUR", Decimal("1234")),
        ("1'234.50", Decimal("1234.50")),
        ("-8414.0", Decimal("-8414.0")),
        (8414, Decimal("8414")),
        (8414.25, Decimal("8414.25")),
    ],
)
def test_amounts_in_local_habits(text: object, expected: Decimal) -> None:
    assert parse_amount(text) == expected


def test_amount_decimal_mark_can_be_forced() -> None:
    assert parse_amount("1,234", decimal_mark=",") == Decimal("1.234")
    assert parse_amount("1.234", decimal_mark=".") == Decimal("1.234")


@pytest.mark.parametrize("text", ["", "abc", "1,23,4", "12.34.5,6,7", "1 2 3x", "--5", True])
def test_malformed_amounts_are_refused_with_a_code(text: object) -> None:
    with pytest.raises(ParseError) as caught:
        parse_amount(text)
    assert caught.value.code == "not_an_amount"


def test_integers_accept_spreadsheet_floats_only_when_whole() -> None:
    assert parse_int("2004") == 2004
    assert parse_int("2004.0") == 2004
    assert parse_int(2004.0) == 2004
    assert parse_int("2 004") == 2004
    assert parse_int("-3") == -3
    for bad in ("20.5", 20.5, "x", True, ""):
        with pytest.raises(ParseError):
            parse_int(bad)


def test_floats_accept_a_decimal_comma() -> None:
    assert parse_float("48,85") == 48.85
    assert parse_float(" -2.35 ") == -2.35
    for bad in ("nan", "inf", "4,8,5", "north"):
        with pytest.raises(ParseError):
            parse_float(bad)


def test_dates_iso_by_default_and_by_formats() -> None:
    assert parse_date("2016-01-31") == dt.date(2016, 1, 31)
    assert parse_date("2016-01-31T10:00:00") == dt.date(2016, 1, 31)
    assert parse_date("31/01/2016", ["%Y-%m-%d", "%d/%m/%Y"]) == dt.date(2016, 1, 31)
    assert parse_date(dt.datetime(2016, 1, 31, 8)) == dt.date(2016, 1, 31)
    with pytest.raises(ParseError) as caught:
        parse_date("31/01/2016")
    assert caught.value.code == "not_a_date" and "%Y-%m-%d" in caught.value.detail
    with pytest.raises(ParseError):
        parse_date("2016-02-30")


def test_booleans_in_the_platform_languages() -> None:
    assert parse_bool("oui") and parse_bool("Ja") and parse_bool("jā") and parse_bool("1")
    assert not parse_bool("non") and not parse_bool("nej") and not parse_bool("false")
    with pytest.raises(ParseError):
        parse_bool("maybe")


def test_keys_fold_accents_and_punctuation() -> None:
    assert slugify("ES/300 PUNTOS, S.L.") == slugify("es/300 Puntos SL") == "es/300-puntos-sl"
    assert slugify("Économie sociale & solidaire") == "economie-sociale-solidaire"
    assert fold("Rīga Škola") == "riga skola"
    assert normalise("  a   b ", "strip") == "a b"
    assert normalise("Ab", "upper") == "AB"
    with pytest.raises(ParseError):
        normalise("x", "reverse")


def test_split_and_blank_and_clean_text() -> None:
    assert split_values("a; b;; c ", ";") == ["a", "b", "c"]
    assert is_blank(None) and is_blank("  ") and not is_blank(0)
    assert clean_text(84200.0) == "84200"
    assert clean_text(" a \n b ") == "a b"


def test_templates_read_columns_with_any_name() -> None:
    template = compile_template("org-{Organisation name}/{id}{{x}}")
    assert template.columns == ["Organisation name", "id"]
    assert template.render({"Organisation name": "A", "id": 7}) == "org-A/7{x}"
    assert template.render({"id": ""}, {"id": "9"}) == "org-/9{x}"
    for bad in ("{open", "close}", "{}"):
        with pytest.raises(ParseError):
            compile_template(bad)


def test_delimiter_guessing() -> None:
    assert guess_delimiter(["a;b;c", "1;2;3", "4;5;6"]) == ";"
    assert guess_delimiter(["a\tb", "1\t2"]) == "\t"
    assert guess_delimiter(['name,"x;y"', '"a;b",c']) == ","
    assert guess_delimiter(["single"]) == ","
