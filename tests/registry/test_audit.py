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
