"""Mapping files turn rows into canonical records; mistakes name the file and the place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from buicasus.importer.errors import ImportFailure
from buicasus.importer.mapping import load_mapping, parse_mapping, shipped_mappings

Write = Callable[..., Path]

BASE = """
name: test
source: "A test source"
licence: "CC0"
defaults: {country: FR}
records:
  - kind: organisation
    source_id: "{id}"
    fields:
      name: {column: name, required: true}
      actor_type: {column: type, map: types, default: association-ngo}
      city: {column: city, normalise: strip}
      founding_year: {column: founded, type: int}
      other_names: {column: aliases, split: ";"}
      latitude: {column: lat, type: float}
      description_language: en
    identifiers:
      - {scheme: fr-siren, column: siren}
maps:
  types: {"Social enterprise": social-enterprise, "Coop": cooperative}
"""


ONE_RECORD = "records: [{kind: organisation, source_id: x, fields: {name: {column: n}}}]"


def records(text: str, *rows: dict[str, Any]) -> list[dict[str, Any]]:
    mapping = parse_mapping(text, "m.yaml")
    out = list(mapping.records_of((n, row) for n, row in enumerate(rows, start=2)))
    for record in out:
        record.pop("original")
    return out


def test_fields_maps_types_defaults_and_identifiers() -> None:
    row = {
        "id": "7",
        "name": " Alfa ",
        "type": "social enterprise",
        "city": " Le   Mans ",
        "founded": "2004.0",
        "aliases": "A; AA;",
        "lat": "48,1",
        "siren": "552100554",
    }
    [record] = records(BASE, row)
    assert record == {
        "kind": "organisation",
        "source_id": "7",
        "row": 2,
        "fields": {
            "name": "Alfa",
            "actor_type": "social-enterprise",
            "city": "Le Mans",
            "founding_year": 2004,
            "other_names": ["A", "AA"],
            "latitude": 48.1,
            "description_language": "en",
            "country": "FR",
        },
        "identifiers": [{"scheme": "fr-siren", "value": "552100554"}],
    }


def test_empty_cells_take_defaults_or_stay_empty() -> None:
    [record] = records(BASE, {"id": "8", "name": "Beta"})
    fields = record["fields"]
    assert fields["actor_type"] == "association-ngo" and fields["city"] is None
    assert fields["other_names"] == [] and record["identifiers"] == []


def test_row_problems_become_record_errors_naming_column_and_value() -> None:
    row = {"id": "9", "name": "", "type": "Robot", "founded": "soon", "lat": "north"}
    [record] = records(BASE, row)
    assert record["errors"] == [
        ["name", "column “name” is empty."],
        ["actor_type", "column “type”: “Robot” is not in the map “types”."],
        ["founding_year", "column “founded”: “soon” is not a whole number."],
        ["latitude", "column “lat”: “north” is not a number."],
    ]
    [missing_id] = records(BASE, {"name": "x"})
    assert missing_id["errors"][0] == ["source_id", "column “id” is empty."]


def test_dates_and_amounts_in_initiatives() -> None:
    text = """
records:
  - kind: initiative
    source_id: "op-{id}"
    fields:
      title: {column: title}
      country: {value: ES}
      start_date: {column: start, type: date, formats: ["%d/%m/%Y"]}
      regions: {column: region, split: ",", map: regions}
      sdgs: {column: goals, split: "|"}
    fundings:
      - {source: {column: fund, map: funds}, amount: {column: amount, type: amount}}
      - {when: "{cofund}", source: {value: national}, amount: {column: cofund, type: amount}}
    translations:
      en: {title: {column: title_en}}
maps:
  funds: {FSE: esf, "*": ""}
  regions: {Madrid: ES30, "Ceuta y Melilla": [ES63, ES64], "*": ""}
"""
    row = {
        "id": "1",
        "title": "Empleo",
        "start": "31/01/2016",
        "region": "Madrid, Ceuta y Melilla, Atlantis",
        "goals": "8|10",
        "fund": "FSE",
        "amount": "1.234,56",
        "cofund": "",
        "title_en": "Jobs",
    }
    [record] = records(text, row)
    assert record["fields"]["start_date"] == "2016-01-31"
    assert record["fields"]["regions"] == ["ES30", "ES63", "ES64"]
    assert record["fields"]["sdgs"] == ["8", "10"]
    assert record["fields"]["translations"] == {"en": {"title": "Jobs"}}
    assert [(f["source"], str(f["amount"])) for f in record["fundings"]] == [("esf", "1234.56")]
    [bad] = records(text, {**row, "start": "2016-01-31", "amount": "12,34,5", "fund": "ERDF"})
    assert bad["errors"] == [
        ["start_date", "column “start”: “2016-01-31” is not a date (expected %d/%m/%Y)."],
    ]
    assert bad["fundings"] == []  # the fund maps to "", so no funding row (and no amount error)


def test_relationships_templates_and_when() -> None:
    text = """
records:
  - kind: role
    when: "{org}"
    source_id: "{id}/lead"
    organisation: {template: "{country}/{org}", normalise: slug}
    initiative: "{id}"
    role: lead
    start_date: {column: start}
  - kind: tie
    source_id: "{org}/member-of/{network}"
    when: {column: network, map: networks}
    source: "{org}"
    target: "{network}"
    tie_type: {value: member-of}
maps:
  networks: {"RIPESS": "yes", "*": ""}
"""
    rows = [
        {
            "id": "1",
            "org": "300 Puntos, S.L.",
            "country": "ES",
            "start": "2016-02-01",
            "network": "RIPESS",
        },
        {"id": "2", "org": "", "network": "Other"},
    ]
    found = records(text, *rows)
    assert found == [
        {
            "kind": "role",
            "source_id": "1/lead",
            "row": 2,
            "organisation": "es/300-puntos-sl",
            "initiative": "1",
            "role": "lead",
            "start_date": "2016-02-01",
        },
        {
            "kind": "tie",
            "source_id": "300 Puntos, S.L./member-of/RIPESS",
            "row": 2,
            "source": "300 Puntos, S.L.",
            "target": "RIPESS",
            "tie_type": "member-of",
        },
    ]


def test_pattern_first_of_for_each_repeats_and_missing() -> None:
    text = """
records:
  - kind: organisation
    source_id: "{id}"
    repeats: first
    fields:
      name: {first_of: [{column: short}, {column: long}], required: true}
      region: {column: postcode, pattern: '^(\\d{2})\\d{3}', map: deps}
      founding_year: {column: start, pattern: '^(\\d{4})', type: int}
  - kind: role
    for_each: {column: projects, split: ";"}
    missing: skip
    source_id: "{item}/partner/{id}"
    organisation: "{id}"
    initiative: "{item}"
    role: partner
maps:
  deps: {"75": FR101, "*": ""}
"""
    row = {
        "id": "5",
        "short": "",
        "long": "Long name",
        "postcode": "75011",
        "start": "2015-06-01",
        "projects": "p1; p2",
    }
    org, role1, role2 = records(text, row)
    assert org["fields"] == {"name": "Long name", "region": "FR101", "founding_year": 2015}
    assert org["on_duplicate"] == "first"
    assert [r["source_id"] for r in (role1, role2)] == ["p1/partner/5", "p2/partner/5"]
    assert role1["missing"] == "skip"
    [no_match, *_roles] = records(text, {**row, "postcode": "CEDEX"})
    assert no_match["fields"]["region"] is None


def test_empty_cell_mapped_by_the_maps_empty_entry() -> None:
    text = """
records:
  - kind: organisation
    source_id: "{id}"
    fields:
      actor_type: {column: type, map: types}
maps:
  types: {"": unclassified, "Coop": cooperative}
"""
    [record] = records(text, {"id": "1", "type": ""})
    assert record["fields"]["actor_type"] == "unclassified"


def test_join_reads_columns_of_another_file(write: Write) -> None:
    folder = write("orgs.csv", "organisation_id,country\n10,Spain\n11,France\n").parent
    text = """
join:
  organisations:
    file: orgs.csv
    key: organisation_id
    on: {column: links, pattern: '^\\s*(\\d+)'}
records:
  - kind: initiative
    source_id: "{id}"
    fields:
      title: {column: title}
      country: {first_of: [{column: country}, {column: organisations.country}], map: countries}
maps:
  countries: {Spain: ES, France: FR}
"""
    from buicasus.importer import readers

    mapping = parse_mapping(text, "m.yaml")
    mapping.load_joins(
        folder, lambda path: readers.read_rows(path, "csv", name=path.name, delimiter=",")
    )
    rows = [(2, {"id": "1", "title": "T", "country": "", "links": " 11; 10"})]
    [record] = list(mapping.records_of(rows))
    assert record["fields"]["country"] == "FR"


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("records: []", "records", "A mapping needs a list of records."),
        ("records: [{kind: robot, source_id: x}]", "records[0]", "Needs a kind"),
        ("records: [{kind: organisation}]", "records[0]", "Needs a source_id"),
        (
            "records: [{kind: organisation, source_id: x, colour: red}]",
            "records[0]",
            "Unknown key “colour”",
        ),
        (
            "records: [{kind: organisation, source_id: x, fields: {title: {column: t}}}]",
            "records[0].fields",
            "“title” is not a field of a organisation",
        ),
        (
            "records: [{kind: organisation, source_id: x, fields: {name: {column: n, map: nope}}}]",
            "records[0].fields.name",
            "No map named “nope”",
        ),
        (
            "records: [{kind: organisation, source_id: x, fields: {name: {type: money}}}]",
            "records[0].fields.name",
            "Unknown type “money”",
        ),
        (
            "records: [{kind: organisation, source_id: '{open', fields: {}}]",
            "records[0].source_id",
            "is not a valid template",
        ),
        (
            "records: [{kind: organisation, source_id: x, fields: {name: {pattern: '('}}}]",
            "records[0].fields.name",
            "not a valid regular expression",
        ),
        (
            "records: [{kind: role, source_id: x, initiative: y, role: lead}]",
            "records[0]",
            "A role needs organisation",
        ),
        (
            "join: {o: {file: ../../etc/passwd, key: a, 'on': {column: b}}}\n" + ONE_RECORD,
            "join.o.file",
            "Name a file in the same folder",
        ),
        (
            ONE_RECORD + "\nmaps: {countries: {Norway: NO}}",
            "maps.countries.Norway",
            "put the code in quotes",
        ),
        (
            "join: {o: {file: /etc/passwd, key: a, 'on': {column: b}}}\n" + ONE_RECORD,
            "join.o.file",
            "Name a file in the same folder",
        ),
    ],
)
def test_mapping_mistakes_name_the_place(text: str, field: str, message: str) -> None:
    with pytest.raises(ImportFailure) as caught:
        parse_mapping(text, "bad.yaml")
    assert caught.value.file == "bad.yaml" and caught.value.field == field
    assert message in caught.value.message


def test_invalid_yaml_names_the_line() -> None:
    with pytest.raises(ImportFailure) as caught:
        parse_mapping("records:\n  - kind: organisation\n    source_id: [\n", "bad.yaml")
    assert caught.value.row is not None and "YAML" in caught.value.message


def test_required_column_missing_from_the_header() -> None:
    mapping = parse_mapping(BASE, "m.yaml")
    with pytest.raises(ImportFailure) as caught:
        mapping.check_columns(["id", "type"], "orgs.csv")
    failure = caught.value
    assert (failure.file, failure.row, failure.field) == ("orgs.csv", 1, "name")
    notes = mapping.check_columns(["id", "name"], "orgs.csv")
    assert any("“city”" in note for note in notes)


def test_load_by_path_or_shipped_name(write: Write) -> None:
    path = write("mine.yaml", BASE)
    assert load_mapping(path).name == "test"
    with pytest.raises(ImportFailure, match="cannot be read"):
        load_mapping(path.parent / "nope.yaml")
    for shipped in shipped_mappings():
        assert load_mapping(shipped.stem).records, shipped
