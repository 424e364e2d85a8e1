"""Loading Eurostat's regional GDP TSV and looking places up the NUTS hierarchy."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from buicasus.matching import gdp
from buicasus.matching.models import RegionalGdp

pytestmark = pytest.mark.django_db

SHARED = gdp.DEFAULT_PATH / gdp.TSV_NAME


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """The header and the Latvian and Greek rows of the real file (every unit)."""
    if not SHARED.exists():
        pytest.skip("the shared Eurostat file is not available")
    lines = SHARED.read_text(encoding="utf-8").splitlines()
    keep = [lines[0]] + [
        line for line in lines[1:] if line.split("\t")[0].split(",")[2][:2] in {"LV", "EL"}
    ]
    path = tmp_path / gdp.TSV_NAME
    path.write_text("\n".join(keep) + "\n", encoding="utf-8")
    return path


def test_command_loads_pps_per_head_only_and_is_idempotent(sample: Path) -> None:
    out = io.StringIO()
    call_command("load_regional_gdp", str(sample.parent), stdout=out, verbosity=0)
    first = RegionalGdp.objects.count()
    call_command("load_regional_gdp", str(sample), stdout=out, verbosity=0)
    assert RegionalGdp.objects.count() == first > 0
    riga = RegionalGdp.objects.get(nuts_code="LV006", year=2021)
    assert riga.pps_per_head == 37_900
    latvia = RegionalGdp.objects.get(nuts_code="LV", year=2021)
    assert latvia.pps_per_head == 23_200
    assert not RegionalGdp.objects.filter(nuts_code="LV006", year=2022).exists()  # ":"
    assert "Eurostat" in out.getvalue()
    RegionalGdp.objects.filter(nuts_code="LV").delete()
    call_command("load_regional_gdp", str(sample), "--if-empty", stdout=out, verbosity=0)
    assert not RegionalGdp.objects.filter(nuts_code="LV").exists()
    assert "already loaded" in out.getvalue()


def test_flags_are_kept(sample: Path) -> None:
    gdp.load(sample)
    flagged = RegionalGdp.objects.exclude(flags="")
    assert flagged.exists()
    assert all(f.isalpha() for f in flagged.values_list("flags", flat=True))


def test_places_fall_back_to_the_nearest_area_and_map_greece(sample: Path) -> None:
    gdp.load(sample)
    found = gdp.places(["LV006", "LV00X", "GR", "SE"])
    assert found["LV006"] is not None and found["LV006"].code == "LV006"
    fallback = found["LV00X"]
    assert fallback is not None and fallback.code == "LV00" and fallback.asked == "LV00X"
    greece = found["GR"]
    assert greece is not None and greece.code == "EL"
    assert found["SE"] is None
    assert found["LV006"].year == 2021  # the latest year with a figure


def test_missing_or_wrong_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("load_regional_gdp", str(tmp_path / "nothing.tsv"), verbosity=0)
    wrong = tmp_path / "wrong.tsv"
    wrong.write_text("name\tvalue\nx\t1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Not a Eurostat"):
        call_command("load_regional_gdp", str(wrong), verbosity=0)
    assert not RegionalGdp.objects.exists()


def test_places_are_compared_in_their_latest_common_year(sample: Path) -> None:
    gdp.load(sample)
    found = gdp.places(["LV006", "LV"])
    riga, latvia = found["LV006"], found["LV"]
    assert riga is not None and latvia is not None
    assert (riga.year, latvia.year) == (2021, 2022)
    data = gdp.series(["LV006", "LV"])
    a, b = gdp.align(riga, latvia, data)
    assert a is not None and b is not None
    assert a.year == b.year == 2021
    assert b.value == 23_200
    assert gdp.align(None, latvia, data) == (None, latvia)
