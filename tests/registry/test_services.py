"""Service-level queries shared by pages and API."""

import pytest

from buicasus.reference.models import NutsRegion
from buicasus.registry.models import Initiative, Organisation
from buicasus.registry.services import filter_initiatives, filter_organisations
from tests.registry.factories import initiative, organisation

pytestmark = pytest.mark.django_db


def test_region_filter_includes_the_regions_inside() -> None:
    country = organisation("FR").country
    parent, _ = NutsRegion.objects.get_or_create(
        code="FR1", defaults={"name": "Ile-de-France", "level": 1, "country": country}
    )
    child, _ = NutsRegion.objects.get_or_create(
        code="FR101", defaults={"name": "Paris", "level": 3, "country": country, "parent": parent}
    )
    inside = organisation("FR", name="Inside", region=child)
    organisation("FR", name="Outside")
    found = filter_organisations(Organisation.objects.all(), {"region": "FR1"})
    assert list(found) == [inside]
    init = initiative("FR")
    init.regions.add(child)
    assert list(filter_initiatives(Initiative.objects.all(), {"region": "FR10"})) == [init]


def test_saving_a_record_keeps_the_search_index_current(make_user) -> None:
    from buicasus.registry.forms import InitiativeForm
    from buicasus.registry.services import save_record
    from buicasus.search.params import SearchParams
    from buicasus.search.services import search

    editor = make_user("editor", "SE")
    record = initiative("SE", title="Gammal titel")
    form = InitiativeForm(
        {"title": "Kvarteret Ängsbacken", "country": "SE", "sdgs": ["8"], "published": "on"},
        instance=record,
    )
    assert form.is_valid(), form.errors
    save_record(editor, form)
    assert search(editor, SearchParams(q="angsbacken")).total == 1
    assert search(editor, SearchParams(q="gammal")).total == 0
