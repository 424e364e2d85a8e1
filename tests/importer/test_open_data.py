"""The real open data sets through their shipped mappings, on slices read at test time.

The data sets live outside the repository (`../shared/data`); tests that read them are skipped
with the reason when the folder is missing, unless `CI` is set, where a missing folder fails.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from buicasus.importer.mapping import load_mapping, shipped_mappings
from buicasus.importer.open_data import (
    DEFAULT_DATA_DIR,
    MAPPINGS,
    SOURCES,
    OpenDataError,
    load_open_data,
    select_sources,
    spread_indices,
    write_sample,
)
from buicasus.importer.services import import_file
from buicasus.registry.models import Initiative, InitiativeRole, Organisation

DATA = DEFAULT_DATA_DIR
ESF, DSI, ESS = "eu-structural-funds-2016", "dsi4eu-2017", "ess-france-numerique"


@pytest.fixture(autouse=True)
def _scratch_data_dir(settings: Any, tmp_path: Path) -> None:
    """Samples and rejects files go to the test's folder, not the project's `var/`."""
    settings.DATA_DIR = tmp_path / "var"


@pytest.fixture
def data() -> Path:
    """The real data folder, or a skip (a failure under CI) saying where it was looked for."""
    if not DATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{DATA} is missing and CI is set: the open-data tests must run")
        pytest.skip(f"real open data not found at {DATA} (../shared/data)")
    return DATA


def write_slice(
    source: Path,
    target: Path,
    keep: Callable[[dict[str, str]], bool],
    *,
    encoding: str = "utf-8",
) -> list[dict[str, str]]:
    """Copy the header and the rows `keep` accepts; returns the rows kept."""
    with source.open(encoding=encoding, newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = [row for row in reader if keep(row)]
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return rows


def first_per(column: str, n: int, also: Iterable[str] = (), key: str = "id") -> Any:
    """A `keep` for the first `n` rows of each value of `column`, plus rows with ids in `also`."""
    seen: dict[str, int] = {}
    extra = set(also)

    def keep(row: dict[str, str]) -> bool:
        seen[row[column]] = seen.get(row[column], 0) + 1
        return seen[row[column]] <= n or row[key] in extra

    return keep


def load(path: Path, source: str, mapping: str) -> Any:
    return import_file(path, source=source, mapping=MAPPINGS / mapping, skip_invalid=True)


def licence_of(mapping: str) -> str:
    return load_mapping(MAPPINGS / mapping).licence


def funds(initiative: Initiative) -> list[str]:
    return [f.source.code for f in initiative.fundings.all()]


def registry_counts() -> tuple[int, int, int]:
    return (
        Organisation.objects.count(),
        Initiative.objects.count(),
        InitiativeRole.objects.count(),
    )


def nonzero(by_kind: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {kind: {k: v for k, v in counts.items() if v} for kind, counts in by_kind.items()}


# --- the mapping files -----------------------------------------------------------------------


def test_every_source_file_has_a_shipped_mapping_with_source_and_licence() -> None:
    shipped = {p.name for p in shipped_mappings()}
    for source in SOURCES:
        for spec in source.files:
            assert spec.mapping in shipped
            mapping = load_mapping(MAPPINGS / spec.mapping)
            assert mapping.source and mapping.licence
            assert len(mapping.licence) <= 300  # the registry's licence field


def test_licence_notes_follow_the_readmes() -> None:
    assert "no licence" in licence_of("eu-structural-funds-2016.yaml").lower()
    assert "1303/2013" in licence_of("eu-structural-funds-2016.yaml")
    assert "No licence stated" in licence_of("dsi4eu-2017-projects.yaml")
    assert "Licence Ouverte" in licence_of("ess-france-numerique.yaml")
    assert "MIT" in licence_of("ess-france-numerique.yaml")


# --- ess-france-numerique ----------------------------------------------------------------------


@pytest.mark.django_db
def test_ess_slice_becomes_french_organisations_with_siren_and_family(
    data: Path, tmp_path: Path
) -> None:
    source = data / ESS / "ess_numerique_consolidated.csv"
    rows = write_slice(
        source,
        tmp_path / "ess.csv",
        first_per("famille_ess", 15, also={"062201199", "100070044"}, key="siren"),
        encoding="utf-8-sig",
    )
    report = load(tmp_path / "ess.csv", ESS, "ess-france-numerique.yaml")

    assert (report.new, report.invalid) == (len(rows), 0)
    orgs = Organisation.objects.filter(source_name=ESS)
    assert orgs.count() == len(rows)
    assert set(orgs.values_list("licence", flat=True)) == {licence_of("ess-france-numerique.yaml")}
    assert set(orgs.values_list("country__code", flat=True)) == {"FR"}
    assert orgs.filter(published=True).count() == len(rows)

    association = orgs.get(source_record_id="100029172")  # famille association, 9220
    assert association.name == "JUNIOR ISEN-MEDITERANNEE"
    assert association.actor_type.code == "association-ngo"
    assert association.legal_form == "Association déclarée"
    assert association.size_band == "micro"  # NN: no employee
    assert [(i.scheme.code, i.value) for i in association.identifiers.all()] == [
        ("fr-siren", "100029172")
    ]
    company = orgs.get(source_record_id="100070044")  # no family, ESS-flagged SAS
    assert company.actor_type.code == "social-enterprise"
    assert company.legal_form == "SAS, société par actions simplifiée"
    for row in rows:
        if row["famille_ess"] == "cooperative":
            assert orgs.get(source_record_id=row["siren"]).actor_type.code == "cooperative"
        if row["famille_ess"] == "fondation":
            assert orgs.get(source_record_id=row["siren"]).actor_type.code == "foundation"

    # A third place matched to a SIREN by name: kept, not classified, SIREN not claimed.
    third_place = orgs.get(source_record_id="062201199")
    assert third_place.name == "Le tiers lieu de carpentras"
    assert third_place.actor_type.code == "unclassified"
    assert not third_place.identifiers.exists()
    assert (third_place.city, third_place.region.code) == ("CARPENTRAS", "FRL06")  # 84 Vaucluse
    assert third_place.website == "https://letierslieudecarpentras.fr"


@pytest.mark.django_db
def test_every_ess_row_maps_without_a_problem(data: Path) -> None:
    """All 3,667 rows through the mapping (no database): every legal form, band and family
    in the file is covered by the maps."""
    mapping = load_mapping(MAPPINGS / "ess-france-numerique.yaml")
    path = data / ESS / "ess_numerique_consolidated.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(enumerate(csv.DictReader(handle), start=2))
    records = list(mapping.records_of(rows))
    assert len(records) == 3667
    assert [r for r in records if r.get("errors")] == []


# --- dsi4eu-2017 -------------------------------------------------------------------------------

DSI_PROJECTS = {"1", "144", "259", "265", "366", "803"}
DSI_ORGANISATIONS = {"76", "184", "194", "386", "561", "738", "1244"}


def dsi_slice(data: Path, folder: Path) -> None:
    """Six projects (ES, FR, a UK one, a mixed one) and the organisations they link."""
    write_slice(
        data / DSI / "organisations.csv",
        folder / "organisations.csv",
        lambda r: r["organisation_id"] in DSI_ORGANISATIONS,
    )
    write_slice(
        data / DSI / "projects.csv",
        folder / "projects.csv",
        lambda r: r["project_id"] in DSI_PROJECTS,
    )


@pytest.mark.django_db
def test_dsi4eu_slice_organisations_projects_and_partnerships(data: Path, tmp_path: Path) -> None:
    dsi_slice(data, tmp_path)
    orgs_report = load(tmp_path / "organisations.csv", DSI, "dsi4eu-2017-organisations.yaml")
    projects_report = load(tmp_path / "projects.csv", DSI, "dsi4eu-2017-projects.yaml")
    assert (orgs_report.invalid, projects_report.invalid) == (0, 0)

    orgs = Organisation.objects.filter(source_name=DSI)
    # Every organisation of the slice is in a European country the registry knows (GB too).
    assert set(orgs.values_list("source_record_id", flat=True)) == DSI_ORGANISATIONS
    assert orgs.get(source_record_id="194").country.code == "GB"
    assert orgs.get(source_record_id="1244").actor_type.code == "association-ngo"  # grassroots
    access = orgs.get(source_record_id="738")
    assert (access.name, access.country.code, access.city) == ("Access Info Europe", "ES", "Madrid")
    assert access.actor_type.code == "university-research"
    assert access.size_band == "micro"
    assert (access.latitude, access.longitude) == (40.4167047, -3.7035824)
    assert orgs.get(source_record_id="184").actor_type.code == "association-ngo"
    assert access.licence == licence_of("dsi4eu-2017-organisations.yaml")

    projects = Initiative.objects.filter(source_name=DSI)
    assert dict(projects.values_list("source_record_id", "country__code")) == {
        "1": "GB",  # from its first organisation
        "144": "ES",  # from its organisation
        "366": "ES",
        "265": "ES",  # first organisation Spanish, second British
        "259": "FR",  # its own country
        "803": "FR",  # its own country, no organisation
    }
    social_design = projects.get(source_record_id="265")
    assert {t.code for t in social_design.policy_fields.all()} == {
        "education",
        "employment",
        "health-social-care",
    }
    assert {t.code for t in social_design.sdgs.all()} == {"3", "4", "8"}
    assert social_design.description_language == "en" and social_design.description
    assert projects.get(source_record_id="803").website == "http://carticipe.net"
    assert projects.get(source_record_id="259").start_date.isoformat() == "2012-08-01"

    roles = InitiativeRole.objects.filter(initiative__source_name=DSI)
    assert sorted(
        (r.initiative.source_record_id, r.organisation.source_record_id, r.role.code) for r in roles
    ) == [
        ("1", "1244", "partner"),
        ("1", "194", "partner"),
        ("144", "738", "partner"),
        ("259", "76", "partner"),
        ("265", "386", "partner"),
        ("265", "561", "partner"),
        ("366", "184", "partner"),
        ("366", "738", "partner"),
    ]
    assert projects_report.by_kind["role"].get("skipped", 0) == 0


# --- eu-structural-funds-2016 ------------------------------------------------------------------

ESF_EXTRA = {"FR-050377", "LV-050020", "LV-050022"}  # a bad date range; LV 2007-2013 rows


@pytest.mark.django_db
def test_esf_slice_operations_beneficiaries_and_lead_roles(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "operations.csv"
    rows = write_slice(
        data / ESF / "operations.csv", path, first_per("country", 12, also=ESF_EXTRA)
    )
    report = load(path, ESF, "eu-structural-funds-2016.yaml")

    # FR-050377 ends the day before it starts: that row alone is rejected, with its reason.
    assert report.invalid == 1
    assert report.invalid_rows[0][1:] == ("end_date", "The end date is before the start date.")
    rejects = Path(report.rejects_path).read_text(encoding="utf-8-sig")
    assert "FR-050377" in rejects

    initiatives = Initiative.objects.filter(source_name=ESF)
    # Every row but the LV measure heading (no beneficiary, no amount) and the rejected one.
    assert initiatives.count() == len(rows) - 2
    assert not initiatives.filter(source_record_id="LV-050020").exists()
    assert set(initiatives.values_list("licence", flat=True)) == {
        licence_of("eu-structural-funds-2016.yaml")
    }

    es = initiatives.get(source_record_id="ES-000000")
    assert es.title.startswith("Proponer oportunidades de integración social")
    assert (es.country.code, es.description_language) == ("ES", "es")
    assert [r.code for r in es.regions.all()] == ["ES61"]  # Andalucía
    assert [t.code for t in es.policy_fields.all()] == ["employment"]
    assert [t.code for t in es.target_groups.all()] == ["persons-with-disabilities"]
    assert [t.code for t in es.esf_objectives.all()] == ["h"]
    assert [(f.source.code, f.amount, f.currency) for f in es.fundings.all()] == [
        ("esf", Decimal("8414.00"), "EUR")
    ]
    lead = es.roles.get()
    assert (lead.role.code, lead.organisation.name) == ("lead", "1985-VIARCA SL")
    assert lead.organisation.source_record_id == "es/1985-viarca-sl"

    fr = initiatives.get(source_record_id="FR-050268")
    assert [r.code for r in fr.regions.all()] == ["FR107"]  # 94025: Val-de-Marne
    assert (fr.start_date.isoformat(), fr.end_date.isoformat()) == ("2014-09-01", "2015-08-31")
    assert [(f.source.code, f.amount) for f in fr.fundings.all()] == [("esf", Decimal("71403.54"))]
    # Youth Employment Initiative → ESF; one organisation for a beneficiary on two rows.
    auvergne = Organisation.objects.get(source_name=ESF, name="Conseil régional d'Auvergne")
    assert auvergne.source_record_id == "fr/conseil-regional-dauvergne"
    led = auvergne.initiative_roles.values_list("initiative__source_record_id", flat=True)
    assert set(led) >= {"FR-050269", "FR-050270"}
    youth = initiatives.get(source_record_id="FR-050269")  # CI01_103: youth employment
    assert funds(youth) == ["esf"]
    assert [t.code for t in youth.policy_fields.all()] == ["employment"]
    assert [t.code for t in youth.esf_objectives.all()] == ["a"]
    assert [t.code for t in youth.target_groups.all()] == ["young-people"]
    assert not fr.policy_fields.exists()  # "NR": no intervention field given

    se = initiatives.get(source_record_id="SE-049512")
    assert [r.code for r in se.regions.all()] == ["SE332"]  # Norrbotten
    assert [(f.source.code, f.amount, f.currency) for f in se.fundings.all()] == [
        ("erdf", Decimal("3929285.00"), "SEK")
    ]
    assert se.description_language == "sv" and len(se.description) > 100

    lv = initiatives.get(source_record_id="LV-049886")  # "ERDF/ESF/CF": fund not known
    assert not lv.fundings.exists()
    assert funds(initiatives.get(source_record_id="LV-050022")) == ["esf"]

    # Personal data: nothing of this source is published before an editor reviews it.
    orgs = Organisation.objects.filter(source_name=ESF)
    assert orgs.exists() and not orgs.filter(published=True).exists()
    assert not initiatives.filter(published=True).exists()
    assert set(orgs.values_list("actor_type__code", flat=True)) == {"unclassified"}


@pytest.mark.django_db
def test_reloading_a_slice_changes_nothing(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "operations.csv"
    write_slice(data / ESF / "operations.csv", path, first_per("country", 8))
    first = load(path, ESF, "eu-structural-funds-2016.yaml")
    counts = registry_counts()
    second = load(path, ESF, "eu-structural-funds-2016.yaml")
    assert first.new > 0
    assert (second.new, second.updated, second.invalid) == (0, 0, 0)
    assert second.unchanged == first.new
    assert registry_counts() == counts


# --- load-open-data ----------------------------------------------------------------------------

# Sample sizes are fixed (evenly spread rows per country, plus each repeated beneficiary's first
# row; DSI4EU whole), and so is the data: exact counts catch a mapping or sampling change.
SAMPLE_COUNTS = {
    (ESS, "ess_numerique_consolidated.csv"): {"organisation": {"new": 400}},
    (DSI, "organisations.csv"): {"organisation": {"new": 986}},
    # One project's website ("http:// www.provenance.org") is not a URL: rejected with reason.
    (DSI, "projects.csv"): {
        "initiative": {"new": 710, "invalid": 1},
        "role": {"new": 860, "skipped": 86},
    },
    (ESF, "operations.csv"): {
        "initiative": {"new": 1054, "invalid": 1},
        "organisation": {"new": 661, "repeated": 394},
        "role": {"new": 1054, "invalid": 1},
    },
}


@pytest.mark.django_db
def test_sample_load_counts_and_a_second_load_changes_nothing(data: Path, tmp_path: Path) -> None:
    first = load_open_data(data, sample=True, work_dir=tmp_path)
    got = {(r.source, r.path.name): nonzero(r.by_kind) for r in first.results}
    assert got == SAMPLE_COUNTS
    # 250 rows per country, and the first row of each beneficiary those rows name.
    assert [r.rows for r in first.results] == [400, 1228, 829, 1116]
    assert Organisation.objects.filter(source_name=ESF).values("country").distinct().count() == 4

    again = load_open_data(data, sample=True, work_dir=tmp_path)
    assert sum(r.new + r.updated for r in again.results) == 0
    assert [r.unchanged for r in again.results] == [r.new for r in first.results]


@pytest.mark.django_db
def test_licence_note_is_shown_on_an_imported_record(
    data: Path, tmp_path: Path, client_for: Any
) -> None:
    load_open_data(data, sample=True, sources=[ESS], work_dir=tmp_path)
    org = Organisation.objects.filter(source_name=ESS).first()
    page = client_for(None).get(org.get_absolute_url())
    assert page.status_code == 200
    assert "Licence Ouverte / Etalab 2.0" in page.content.decode()


@pytest.mark.django_db
def test_command_loads_one_source(data: Path) -> None:
    out = io.StringIO()
    call_command("load_open_data", "--sample", "--source", ESS, stdout=out)
    assert Organisation.objects.filter(source_name=ESS).count() == 400
    assert not Organisation.objects.filter(source_name=ESF).exists()
    assert "ess_numerique_consolidated.csv" in out.getvalue()


@pytest.mark.django_db
def test_missing_data_folder_is_not_an_error_for_a_sample(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("load_open_data", "--sample", "--data-dir", str(tmp_path / "nowhere"), stdout=out)
    assert "nowhere" in out.getvalue() and "not loaded" in out.getvalue()
    with pytest.raises(CommandError, match="nothing loaded"):
        call_command("load_open_data", "--all", "--data-dir", str(tmp_path / "nowhere"))


def test_unknown_source_is_refused() -> None:
    with pytest.raises(OpenDataError, match="Unknown source nope"):
        select_sources(["nope"])
    assert [s.name for s in select_sources([ESF, ESS])] == [ESS, ESF]  # load order kept
    assert [s.name for s in select_sources(None)] == [ESS, DSI, ESF]


# --- sampling (no data needed) -----------------------------------------------------------------


def test_spread_indices_are_even_and_deterministic() -> None:
    assert spread_indices(10, 5) == [0, 2, 4, 6, 8]
    assert spread_indices(3, 5) == [0, 1, 2]
    assert spread_indices(49512, 250) == spread_indices(49512, 250)
    assert len(set(spread_indices(49512, 250))) == 250


def test_write_sample_stratifies_by_column(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    lines = ["id,country,text"] + [f'{i},{"ES" if i < 90 else "LV"},"a, b"' for i in range(100)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = MAPPINGS / "eu-structural-funds-2016.yaml"
    total, written = write_sample(source, tmp_path / "out.csv", mapping, "country", 6)
    assert (total, written) == (100, 12)
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows if r["country"] == "ES"] == ["0", "15", "30", "45", "60", "75"]
    assert [r["id"] for r in rows if r["country"] == "LV"] == ["90", "91", "93", "95", "96", "98"]
    assert {r["text"] for r in rows} == {"a, b"}


def test_write_sample_names_a_file_it_cannot_read(tmp_path: Path) -> None:
    source = tmp_path / "latin1.csv"
    source.write_bytes("id,country\n1,España\n".encode("latin-1"))
    mapping = MAPPINGS / "eu-structural-funds-2016.yaml"
    with pytest.raises(OpenDataError, match="latin1.csv cannot be read as utf-8 CSV"):
        write_sample(source, tmp_path / "out.csv", mapping, "country", 5)
    plain = tmp_path / "plain.csv"
    plain.write_text("id,country\n1,ES\n", encoding="utf-8")
    with pytest.raises(OpenDataError, match="no column “region”"):
        write_sample(plain, tmp_path / "out.csv", mapping, "region", 5)


def test_write_sample_keeps_the_first_row_of_a_repeated_record(tmp_path: Path) -> None:
    """A beneficiary's organisation takes the values of its first row: the sample keeps that
    row, so a sample and a full load agree on the organisation's name."""
    source = tmp_path / "operations.csv"
    names = ["B", "300 PUNTOS, S.L.", "C", "D", "300 PUNTOS SL", "E"]
    lines = ["id,country,beneficiary"] + [f'{i},ES,"{n}"' for i, n in enumerate(names)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = MAPPINGS / "eu-structural-funds-2016.yaml"
    total, written = write_sample(source, tmp_path / "out.csv", mapping, "country", 3)
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        ids = [r["id"] for r in csv.DictReader(handle)]
    # Rows 0, 2, 4 spread evenly; row 4 repeats row 1's beneficiary (same normalised name).
    assert (total, written, ids) == (6, 4, ["0", "1", "2", "4"])


@pytest.mark.django_db
def test_an_import_leaves_the_embedding_of_its_initiatives_to_a_worker(data: Path) -> None:
    from buicasus.jobs.services import run_queued
    from buicasus.semantic.models import InitiativeEmbedding

    call_command("load_open_data", "--sample", "--source", DSI, stdout=io.StringIO())
    assert Initiative.objects.filter(source_name=DSI).count() == 710
    assert not InitiativeEmbedding.objects.exists()  # nothing was encoded on commit
    run_queued()
    embedded = InitiativeEmbedding.objects.filter(initiative__source_name=DSI).count()
    assert embedded == 710
