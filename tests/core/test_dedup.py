"""Pure deduplication rules: names, identifiers, scores, decisions and blocking."""

from __future__ import annotations

import pytest

from buicasus.core.dedup import (
    CERTAIN,
    DROP,
    IDENTIFIER,
    NAME_PLACE,
    REVIEW,
    OrgRecord,
    Thresholds,
    choose_kept,
    fold,
    identifier_keys,
    normalise_city,
    normalise_name,
    prepare,
    score_pair,
)

T = Thresholds()
NIF = "G12345678"


def org(pk: int, name: str, country: str = "ES", **fields: object) -> OrgRecord:
    return OrgRecord(id=pk, name=name, country=country, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "country", "key", "forms"),
    [
        ("Asociación Demo Tejiendo Redes", "ES", "demo tejiendo redes", {"association"}),
        ("ASOC. DEMO TEJIENDO REDES", "ES", "demo tejiendo redes", {"association"}),
        ("Hnos. Marcos Escudero, S.L.", "ES", "hermanos marcos escudero", {"company"}),
        ("DYKO COMPETICION, S.L.L.", "ES", "dyko competicion", {"company"}),
        ("Golf del Guadiana S.A.", "ES", "golf guadiana", {"company"}),
        ("TEIXUGO S. COOP. GALEGA", "ES", "teixugo galega", {"cooperative"}),
        ("AYTO. SAN LEONARDO DE YAGUE", "ES", "ayuntamiento saint leonardo yague", set()),
        ("Fundación para la Convivencia", "ES", "convivencia", {"foundation"}),
        ("Association Dédale", "FR", "dedale", {"association"}),
        ("SARL Le Pal", "FR", "pal", {"company"}),
        ("Sp Processum AB", "SE", "sp processum", {"company"}),
        (
            "Kreditgarantifören Norr Ekonomisk Fören",
            "SE",
            "kreditgarantiforen norr",
            {"cooperative"},
        ),
        ("SIA \u201cLEO PĒTĪJUMU CENTRS\u201d", "LV", "leo petijumu centrs", {"company"}),
        ('Biedrība "Zaļās mājas"', "LV", "zalas majas", {"association"}),
        (
            'AS "Attīstības finanšu institūcija Altum"',
            "LV",
            "attistibas finansu institucija altum",
            {"company"},
        ),
    ],
)
def test_names_lose_legal_forms_accents_and_punctuation(
    name: str, country: str, key: str, forms: set[str]
) -> None:
    normal = normalise_name(name, country)
    assert normal.key == key
    assert normal.legal_forms == frozenset(forms)


def test_country_specific_legal_forms() -> None:
    # "AS" is a Latvian joint-stock company, elsewhere an ordinary word.
    assert normalise_name("AS Latvijas Gāze", "LV").key == "latvijas gaze"
    assert normalise_name("AS Roma", "IT").key == "as roma"


def test_a_name_of_only_legal_form_words_keeps_them() -> None:
    assert normalise_name("Asociación", "ES").key == "asociacion"
    assert normalise_name("S.L.", "ES").key == "sl"


def test_fold_and_cities() -> None:
    assert fold("Straße Ærø Łódź Biedrība") == "strasse aero lodz biedriba"
    assert normalise_city("75002 Paris") == "paris"
    assert normalise_city("ST YRIEIX LA PERCHE") == normalise_city("Saint-Yrieix-la-Perche")
    assert normalise_city("Lyon Cedex 03") == "lyon"


@pytest.mark.parametrize(
    ("scheme", "value", "keys"),
    [
        ("fr-siren", "552 100 554", ["fr-siren:552100554"]),
        ("fr-siret", "55210055400013", ["fr-siret:55210055400013", "fr-siren:552100554"]),
        ("eu-vat", "FR 40 552100554", ["eu-vat:FR40552100554", "fr-siren:552100554"]),
        ("eu-vat", "ESB12345678", ["eu-vat:ESB12345678", "es-nif:B12345678"]),
        ("eu-vat", "LV40003000001", ["eu-vat:LV40003000001", "lv-reg:40003000001"]),
        ("eu-vat", "SE556036079301", ["eu-vat:SE556036079301", "se-orgnr:5560360793"]),
        ("es-nif", "ES-B12345678", ["es-nif:B12345678"]),
        ("lv-reg", "40003 000001", ["lv-reg:40003000001"]),
        ("se-orgnr", "556036-0793", ["se-orgnr:5560360793"]),
        ("se-orgnr", "16556036-0793", ["se-orgnr:5560360793"]),
        ("fr-rna", "w751234567", ["fr-rna:W751234567"]),
        ("fr-siren", "12345", []),
        ("other", "ABC", []),
        ("fr-siren", "  ", []),
    ],
)
def test_identifier_keys(scheme: str, value: str, keys: list[str]) -> None:
    assert identifier_keys(scheme, value) == keys


def test_identifier_match_is_certain_whatever_the_names() -> None:
    a = prepare(org(1, "Coopérative X", "FR", identifiers=(("fr-siren", "552100554"),)))
    b = prepare(org(2, "Totally different", "FR", identifiers=(("fr-siret", "55210055400013"),)))
    cand = score_pair(b, a, T)
    assert (cand.a, cand.b, cand.score, cand.rule, cand.decision) == (
        1,
        2,
        100.0,
        IDENTIFIER,
        CERTAIN,
    )
    assert cand.reasons["identifier"] == "fr-siren:552100554"


def test_conflicting_identifiers_mean_different_organisations() -> None:
    a = prepare(org(1, "Tejiendo Redes", city="Sevilla", identifiers=(("es-nif", "G1"),)))
    b = prepare(org(2, "Tejiendo Redes", city="Sevilla", identifiers=(("es-nif", "G2"),)))
    cand = score_pair(a, b, T)
    assert cand.score == 0 and cand.decision == DROP and "es-nif" in cand.reasons["differed"]


def test_abbreviated_name_in_the_same_city_is_certain() -> None:
    a = prepare(org(1, "Asociación Demo Tejiendo Redes", city="Sevilla"))
    b = prepare(org(2, "Asoc. Demo Tejiendo Redes", city="SEVILLA"))
    cand = score_pair(a, b, T)
    assert cand.rule == NAME_PLACE and cand.score == 100.0 and cand.decision == CERTAIN
    assert {"name", "city", "legal_form"} <= set(cand.reasons["agreed"])
    # with a stricter certainty threshold the same pair waits for review
    assert score_pair(a, b, Thresholds(review=80, certain=101)).decision == REVIEW


def test_different_cities_lower_the_score() -> None:
    a = prepare(org(1, "Asociación Demo Tejiendo Redes", city="Sevilla"))
    same = score_pair(a, prepare(org(2, "Asoc. Demo Tejiendo Redes", city="Sevilla")), T)
    other = score_pair(a, prepare(org(3, "Asoc. Demo Tejiendo Redes", city="Madrid")), T)
    assert other.score < same.score
    assert other.decision == REVIEW and "city" in other.reasons["differed"]


def test_place_falls_back_to_region_then_unknown() -> None:
    a = prepare(org(1, "Tejiendo Redes", region="ES61"))
    assert score_pair(a, prepare(org(2, "Tejiendo Redes", region="ES618")), T).score == 97.0
    assert score_pair(a, prepare(org(3, "Tejiendo Redes", region="ES30")), T).score == 85.0
    unknown = score_pair(a, prepare(org(4, "Tejiendo Redes")), T)
    assert unknown.score == 95.0 and unknown.reasons["place"] == "unknown"


def test_different_legal_forms_lower_the_score() -> None:
    a = prepare(org(1, "Fundación Tejiendo Redes", city="Sevilla"))
    b = prepare(org(2, "Tejiendo Redes SL", city="Sevilla"))
    cand = score_pair(a, b, T)
    assert cand.score == 90.0 and "legal_form" in cand.reasons["differed"]


def test_other_names_are_compared_too() -> None:
    a = prepare(org(1, "Barcelona City Council", city="Barcelona", other_names=("Ajuntament",)))
    b = prepare(org(2, "Ajuntament de Barcelona", city="Barcelona"))
    c = prepare(org(3, "Barcelona Lab", city="Barcelona"))
    assert score_pair(a, b, T).score < T.review  # nothing says they are the same
    a2 = prepare(
        org(1, "Barcelona City Council", city="Barcelona", other_names=("Ajuntament Barcelona",))
    )
    assert score_pair(a2, b, T).decision == CERTAIN
    assert score_pair(a2, c, T).decision == DROP


def test_truncated_names_are_queued() -> None:
    a = prepare(org(1, "RESIDENCIA DE ANCIANOS SAN NICOLAS DE", city="Soria"))
    b = prepare(org(2, "Residencia de Ancianos San Nicolás de Bari", city="Soria"))
    assert score_pair(a, b, T).decision == REVIEW


def test_choose_kept_prefers_the_richer_then_the_older() -> None:
    assert choose_kept((5, 3), (2, 1)) == 5
    assert choose_kept((5, 2), (2, 2)) == 2
