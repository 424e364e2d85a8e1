"""Every create, update and delete of registry data is audited, with who and which fields."""

import pytest

from buicasus.accounts.current_user import acting_as
from buicasus.registry.models import AuditEntry
from tests.registry.factories import initiative, organisation, term

pytestmark = pytest.mark.django_db


def test_create_update_delete_are_recorded_with_user_and_fields(make_user) -> None:
    user = make_user("editor", "LV")
    with acting_as(user):
        org = organisation("LV", name="Sākums")
        org.name = "Beigas"
        org.city = "Rīga"
        org.save()
        pk = org.pk
        org.delete()
    entries = list(
        AuditEntry.objects.filter(model="organisation", object_id=str(pk)).order_by("id")
    )
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert all(e.user == user for e in entries)
    assert entries[1].changes == {"name": ["Sākums", "Beigas"], "city": ["", "Rīga"]}
    assert entries[0].changes["actor_type"][1] == str(term("actor-type", "social-enterprise"))


def test_saving_without_change_records_nothing(make_user) -> None:
    org = organisation("LV")
    before = AuditEntry.objects.count()
    org.save()
    assert AuditEntry.objects.count() == before


def test_many_to_many_changes_are_recorded(make_user) -> None:
    init = initiative("ES")
    init.sdgs.add(term("sdg", "8"))
    entry = AuditEntry.objects.filter(model="initiative", object_id=str(init.pk)).first()
    assert entry is not None and "sdgs" in entry.changes


def test_who_last_changed_is_kept_on_the_record(make_user) -> None:
    user = make_user("editor", "ES")
    with acting_as(user):
        init = initiative("ES")
    assert init.updated_by == user and init.created_by == user


def test_record_history_includes_dependent_rows_even_after_deletion(make_user) -> None:
    from buicasus.registry.models import Funding, InitiativeRole
    from buicasus.registry.services import history

    init, org = initiative("ES"), organisation("ES")
    funding = Funding.objects.create(initiative=init, source=term("funding-source", "esf"))
    role = InitiativeRole.objects.create(
        organisation=org, initiative=init, role=term("initiative-role", "lead")
    )
    funding.delete()
    init_models = [e.model for e in history(init)]
    assert init_models.count("funding") == 2 and "initiativerole" in init_models
    assert "initiativerole" in [e.model for e in history(org)]
    assert role.pk is not None


def test_history_page_shows_dependent_rows(client_for) -> None:
    from django.urls import reverse

    from buicasus.registry.models import Funding

    init = initiative("ES")
    Funding.objects.create(initiative=init, source=term("funding-source", "easi"), amount=5)
    client = client_for("editor", "ES")
    html = client.get(reverse("registry:initiative-history", args=[init.pk])).content.decode()
    assert "Funding:" in html and "EaSI" in html
