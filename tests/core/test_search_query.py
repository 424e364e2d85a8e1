"""Folding, query parsing, engine syntax and highlighting of `core.search_query`."""

from __future__ import annotations

import pytest

from buicasus.core.search_query import (
    MAX_CLAUSES,
    Clause,
    ParsedQuery,
    fold,
    highlight,
    index_text,
    index_tokens,
    may_match,
    parse_query,
    snippet,
    to_fts5,
    to_tsquery,
    tsvector_literal,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        (
            "Économie sociale et solidaire, œuvre, garçon",
            "economie sociale et solidaire, oeuvre, garcon",
        ),
        ("Economía Social, niño, pingüino, ÁREA", "economia social, nino, pinguino, area"),
        ("Sjöfartsverket, Åre, Smørrebrød, Straße", "sjofartsverket, are, smorrebrod, strasse"),
        (
            "Sabiedrības integrācijas fonds, Rīga, Ķekava, Ļaudona",
            "sabiedribas integracijas fonds, riga, kekava, laudona",
        ),
        ("Łódź, Đakovo, Þingvellir, İzmir", "lodz, dakovo, thingvellir, izmir"),
        ("plain ASCII", "plain ascii"),
    ],
)
def test_fold_strips_accents_in_every_language(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_decomposed_and_composed_accents_fold_alike() -> None:
    assert fold("e\u0301cole") == fold("\u00e9cole") == "ecole"


def test_index_tokens_split_on_anything_but_letters_and_digits() -> None:
    assert index_tokens("L'école d'été — e-commerce_x, 3.5 C++") == [
        "l",
        "ecole",
        "d",
        "ete",
        "e",
        "commerce",
        "x",
        "3",
        "5",
        "c",
    ]
    assert index_tokens("a" * 61 + " ok") == ["ok"]


def test_index_text_joins_several_texts() -> None:
    assert index_text(["Rīga", "", "Åre kommun"]) == "riga are kommun"


def test_words_prefixes_and_phrases() -> None:
    query = parse_query('innov* "Economía social" Ķekava')
    assert query.clauses == (
        Clause(("innov",), prefix=True),
        Clause(("economia", "social")),
        Clause(("kekava",)),
    )
    assert query.notices == ()


def test_a_word_with_punctuation_is_a_phrase() -> None:
    assert parse_query("e-commerce").clauses == (Clause(("e", "commerce")),)


def test_phrase_with_prefix_and_curly_quotes() -> None:
    assert parse_query("“social enterp*”").clauses == (Clause(("social", "enterp"), prefix=True),)


def test_unbalanced_quote_is_closed_with_a_notice() -> None:
    query = parse_query('youth "social enterprise')
    assert query.clauses == (Clause(("youth",)), Clause(("social", "enterprise")))
    assert query.notices == ("unbalanced_quote",)


@pytest.mark.parametrize("text", ["*", "  *  ", "***", '"*"'])
def test_lone_wildcard_is_ignored(text: str) -> None:
    query = parse_query(text)
    assert query.empty
    assert "lone_wildcard" in query.notices


def test_short_prefix_becomes_a_word() -> None:
    query = parse_query("x* youth")
    assert query.clauses == (Clause(("x",)), Clause(("youth",)))
    assert query.notices == ("short_prefix",)


def test_punctuation_only_is_empty_with_a_notice() -> None:
    assert parse_query("!!! ???") == ParsedQuery((), ("no_terms",))
    assert parse_query("   ") == ParsedQuery()


def test_stopwords_are_dropped_unless_alone() -> None:
    assert parse_query("empleo de calidad").clauses == (Clause(("empleo",)), Clause(("calidad",)))
    assert parse_query("de la").clauses == (Clause(("de",)), Clause(("la",)))
    assert parse_query('"banco de alimentos"').clauses == (Clause(("banco", "de", "alimentos")),)


def test_duplicates_and_too_many_clauses() -> None:
    assert parse_query("riga Rīga RIGA").clauses == (Clause(("riga",)),)
    query = parse_query(" ".join(f"word{i}" for i in range(MAX_CLAUSES + 3)))
    assert len(query.clauses) == MAX_CLAUSES
    assert query.notices == ("too_many_terms",)


def test_fts5_and_tsquery_spelling() -> None:
    # Each word also matches its stems ("economi" in Spanish); a prefix also matches a stem
    # it could have been cut to.
    query = parse_query('innov* "economía social"')
    words = '("innov"* OR "inno") AND ("economia social" OR "economi social")'
    assert to_fts5(query) == words
    assert to_fts5(query, "title") == "{title} : (" + words + ")"
    assert to_tsquery(query) == (
        "('innov':* | 'inno') & (('economia' <-> 'social') | ('economi' <-> 'social'))"
    )
    assert to_tsquery(query, "A") == (
        "('innov':*A | 'inno':A) & (('economia':A <-> 'social':A) | ('economi':A <-> 'social':A))"
    )


def test_partial_queries_ask_for_any_choice_of_clauses() -> None:
    query = parse_query("2021 2022 2023").at_least(2)  # numbers: no stems to spell out
    assert query.partial
    assert [[c.tokens[0] for c in g] for g in query.groups()] == [
        ["2021", "2022"],
        ["2021", "2023"],
        ["2022", "2023"],
    ]
    assert to_fts5(query) == '("2021" AND "2022") OR ("2021" AND "2023") OR ("2022" AND "2023")'
    assert to_tsquery(query) == "('2021' & '2022') | ('2021' & '2023') | ('2022' & '2023')"
    assert may_match("only charlie here", parse_query("alpha charlie").at_least(1))
    assert not may_match("only charlie here", parse_query("alpha charlie"))


def test_tsvector_literal_keeps_fields_apart() -> None:
    literal = tsvector_literal([("social enterprise social", "A"), ("cafe social", "D")])
    assert literal == "'social':1A,3A,6 'enterprise':2A 'cafe':5"


def test_highlight_marks_folded_matches_in_the_original() -> None:
    query = parse_query('innov* "economía social"')
    assert highlight("Innovación en la Economía Social; social", query) == [
        ("Innovación", True),
        (" en la ", False),
        ("Economía", True),
        (" ", False),
        ("Social", True),
        ("; social", False),
    ]


def test_highlight_keeps_markup_as_text() -> None:
    segments = highlight("<b>Rīga</b>", parse_query("riga"))
    assert segments == [("<b>", False), ("Rīga", True), ("</b>", False)]


def test_snippet_cuts_around_the_first_match() -> None:
    text = " ".join(["alpha"] * 40) + " Sjöfart " + " ".join(["omega"] * 40)
    segments, hits = snippet(text, parse_query("sjofart"), words=10)
    assert hits == 1
    assert segments[0] == ("… ", False)
    assert ("Sjöfart", True) in segments
    assert segments[-1] == (" …", False)
    assert len("".join(t for t, _ in segments).split()) <= 12


def test_snippet_without_match_is_the_start() -> None:
    segments, hits = snippet("short text", parse_query("absent"))
    assert hits == 0
    assert segments == [("short text", False)]
