"""schema.org JSON-LD nodes, and the DCAT-AP description of an export."""

from __future__ import annotations

from buicasus.core import dcat, schema_org
from tests.core import interchange_samples as s


def iri(sid: str) -> str:
    return f"https://x.test/{sid}"


def term_iri(key: str, code: str) -> str:
    return f"https://x.test/v/{key}#{code}"


def test_organisation_and_project_nodes() -> None:
    org = schema_org.organisation_node(s.organisation(), iri, term_iri)
    assert (org["@id"], org["@type"], org["foundingDate"]) == (iri("org-1"), "Organization", "2004")
    assert org["description"] == [
        {"@value": "Une coopérative.", "@language": "fr"},
        {"@value": "A cooperative.", "@language": "en"},
        {"@value": "Ā", "@language": "lv"},
    ]
    assert org["identifier"] == [
        {"@type": "PropertyValue", "propertyID": "fr-siren", "value": "552100554"}
    ]
    assert org["additionalType"] == [{"@id": term_iri("actor-type", "cooperative")}]
    assert org["geo"]["latitude"] == 45.76 and org["sdLicense"] == "CC0"
    project = schema_org.initiative_node(s.initiative(), iri, term_iri, s.vocabularies())
    assert project["@type"] == "Project" and project["areaServed"] == ["FRK2", "FRK26"]
    grant = project["funding"][0]
    assert grant["@type"] == "MonetaryGrant" and grant["amount"]["value"] == "1250000.50"
    assert {"@id": term_iri("sdg", "8")} in project["about"]
    assert "evidence_level" not in project and "isBasedOn" not in project


def test_relationships_merge_into_their_records() -> None:
    role = schema_org.role_node(s.role(), iri)
    assert role["@id"] == iri("ini-1") and role["member"]["roleName"] == "lead"
    assert schema_org.tie_node(s.tie(), iri) == {
        "@id": iri("org-1"),
        "memberOf": {"@id": iri("org-2")},
    }
    funds = schema_org.tie_node(s.tie(code="funds"), iri)
    assert funds == {"@id": iri("org-2"), "funder": {"@id": iri("org-1")}}
    other = schema_org.tie_node(s.tie(code="partners-with"), iri)
    assert other == {"@id": iri("org-1"), "org:linkedTo": {"@id": iri("org-2")}}


def test_defined_terms() -> None:
    nodes = list(
        schema_org.term_nodes(s.vocabularies(), term_iri, lambda k: f"https://x.test/v/{k}")
    )
    sets = [n for n in nodes if n["@type"] == "DefinedTermSet"]
    terms = [n for n in nodes if n["@type"] == "DefinedTerm"]
    assert len(sets) == 6 and len(terms) == 9
    assert terms[0]["inDefinedTermSet"] == {"@id": "https://x.test/v/actor-type"}


def test_dcat_dataset() -> None:
    doc = dcat.dataset(
        iri="https://x.test/export/?format=dcat",
        title="T",
        description="D.",
        publisher="BuiCaSuS",
        issued="2024-01-01T00:00:00+00:00",
        modified=None,
        countries=["LV", "FR", "XX"],
        sources=[dcat.Source("Demo", "CC0", 3), dcat.Source("", "", 1)],
        distributions=[dcat.Distribution("csv", "CSV", "text/csv", "https://x.test/e.csv")],
        filters={"country": "LV"},
    )
    assert doc["@type"] == "dcat:Dataset"
    assert [s["@id"].rsplit("/", 1)[1] for s in doc["dct:spatial"]] == ["FRA", "LVA"]
    (distribution,) = doc["dcat:distribution"]
    assert distribution["dct:format"]["@id"].endswith("/file-type/CSV")
    assert doc["dct:rights"]["rdfs:label"] == "Demo: CC0"
    assert "country=LV" in doc["dct:description"]["@value"]
