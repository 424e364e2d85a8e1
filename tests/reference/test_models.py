"""Countries and regions: names in the reader's language, the region tree."""

from __future__ import annotations

import pytest
from django.utils import translation

from buicasus.reference.labels import label_in
from buicasus.reference.models import Country, NutsRegion


def test_label_in_prefers_the_language_then_english_then_the_fallback() -> None:
    labels = {"en": "Latvia", "lv": "Latvija"}
    assert label_in(labels, "LV", "lv") == "Latvija"
    assert label_in(labels, "LV", "fr") == "Latvia"
    assert label_in({}, "LV", "fr") == "LV"
    with translation.override("lv"):
        assert label_in(labels, "LV") == "Latvija"


@pytest.mark.django_db
def test_country_and_region_names() -> None:
    country = Country.objects.create(code="ZZ", names={"en": "Zedland", "fr": "Zédie"})
    region = NutsRegion.objects.create(code="ZZ1", name="Upper", level=1, country=country)
    child = NutsRegion.objects.create(
        code="ZZ11", name="Lower", level=2, country=country, parent=region
    )
    assert (country.name("fr"), country.name("de")) == ("Zédie", "Zedland")
    assert str(child) == "ZZ11 Lower"
    assert list(region.children.all()) == [child]
    assert list(country.regions.all()) == [region, child]
