"""The HSDS data package: a zip whose datapackage.json describes every CSV it holds."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from buicasus.core import hsds
from buicasus.interchange.services import select
from tests.interchange.helpers import export


def unpack(data: bytes) -> tuple[dict[str, Any], dict[str, list[dict[str, str]]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        descriptor = json.loads(archive.read("datapackage.json"))
        tables = {}
        for resource in descriptor["resources"]:
            text = archive.read(resource["path"]).decode("utf-8")
            reader = csv.DictReader(io.StringIO(text, newline=""))
            assert reader.fieldnames == [f["name"] for f in resource["schema"]["fields"]]
            tables[resource["name"]] = list(reader)
    return descriptor, tables


def test_the_package_describes_its_tables(registry: dict[str, Any]) -> None:
    descriptor, tables = unpack(export("hsds"))
    assert descriptor["profile"] == "tabular-data-package"
    assert {r["name"] for r in descriptor["resources"]} == set(hsds.TABLES)
    assert {"title": "Test source", "description": "CC BY 4.0"} in descriptor["sources"]
    selection = select(None, "registry")
    assert len(tables["organization"]) == selection.organisations.count()  # type: ignore[union-attr]
    assert len(tables["service"]) == selection.initiatives.count()  # type: ignore[union-attr]
    assert len(tables["x_initiative_role"]) == selection.roles.count()  # type: ignore[union-attr]


def test_every_foreign_key_points_at_a_row(registry: dict[str, Any]) -> None:
    descriptor, tables = unpack(export("hsds"))
    for resource in descriptor["resources"]:
        for key in resource["schema"].get("foreignKeys", []):
            targets = {row["id"] for row in tables[key["reference"]["resource"]]}
            values = {row[key["fields"]] for row in tables[resource["name"]]} - {""}
            assert values <= targets, (resource["name"], key["fields"])
    for table in tables.values():
        ids = [row["id"] for row in table]
        assert len(ids) == len(set(ids))


def test_services_name_their_lead_and_organisations_their_parent(registry: dict[str, Any]) -> None:
    _descriptor, tables = unpack(export("hsds"))
    project, awkward = registry["project"], registry["awkward"]
    (service,) = [s for s in tables["service"] if s["name"] == project.title]
    assert service["organization_id"] == hsds.hsds_id("organisation", f"org-{awkward.pk}")
    (org,) = [o for o in tables["organization"] if o["name"] == awkward.name]
    assert org["parent_organization_id"] == hsds.hsds_id(
        "organisation", f"org-{registry['partner'].pk}"
    )
    assert {(i["identifier_type"], i["identifier"]) for i in tables["organization_identifier"]} >= {
        ("fr-siren", "552100554")
    }


def test_an_empty_package_still_has_every_table(db: None) -> None:
    descriptor, tables = unpack(export("hsds", "organisations", q="nothing matches this"))
    assert set(tables) == set(hsds.TABLES)
    assert tables["organization"] == [] and tables["taxonomy"] != []
