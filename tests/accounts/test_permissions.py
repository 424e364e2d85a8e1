"""The permission matrix: role × own/other country × action, checked on the rules themselves.

The same matrix is exercised through pages and API in `test_permission_matrix_http.py`.
"""

import pytest

from buicasus.accounts import permissions
from buicasus.registry.models import Initiative
from buicasus.registry.policies import INITIATIVES
from buicasus.registry.services import visible_initiatives
from tests.registry.factories import initiative

pytestmark = pytest.mark.django_db

ROLES = ["admin", "coordinator", "editor", "contributor", "viewer", "none", "anonymous"]
# role → (read unpublished, propose, edit) in the user's own country
OWN = {
    "admin": (True, True, True),
    "coordinator": (True, True, True),
    "editor": (True, True, True),
    "contributor": (True, True, False),
    "viewer": (True, False, False),
    "none": (False, False, False),
    "anonymous": (False, False, False),
}


def _user(make_user, role: str):
    from django.contrib.auth.models import AnonymousUser

    if role == "anonymous":
        return AnonymousUser()
    if role == "none":
        return make_user()
    return make_user(role, None if role == "admin" else "LV")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["own", "other"])
def test_matrix(make_user, role: str, where: str) -> None:
    user = _user(make_user, role)
    code = "LV" if where == "own" else "ES"
    expected = OWN[role] if where == "own" or role == "admin" else (False, False, False)
    record = initiative(code, published=False)
    got = (
        INITIATIVES.allows(user, record),
        permissions.can_propose(user, code),
        INITIATIVES.allows(user, record, "change"),
    )
    assert got == expected
    assert visible_initiatives(user).filter(pk=record.pk).exists() is expected[0]


def test_anonymous_sees_published_and_approved_only(make_user) -> None:
    from django.contrib.auth.models import AnonymousUser

    shown = initiative("ES", published=True)
    initiative("ES", published=False)
    initiative("ES", published=True, review_status="proposed")
    assert list(visible_initiatives(AnonymousUser()).filter(country__code="ES")) == [shown]


def test_contributor_changes_only_own_pending_proposal(make_user) -> None:
    author, other = make_user("contributor", "FR"), make_user("contributor", "FR")
    proposal = initiative("FR", published=False, review_status="proposed", created_by=author)
    assert INITIATIVES.allows(author, proposal, "change")
    assert not INITIATIVES.allows(other, proposal, "change")
    assert INITIATIVES.allows(author, proposal) and not INITIATIVES.allows(other, proposal)
    Initiative.objects.filter(pk=proposal.pk).update(review_status="approved")
    proposal.refresh_from_db()
    assert not INITIATIVES.allows(author, proposal, "change")


def test_coordinator_manages_users_of_own_country_only(make_user) -> None:
    coordinator = make_user("coordinator", "SE")
    assert permissions.can_manage_users(coordinator, "SE")
    assert not permissions.can_manage_users(coordinator, "LV")
    assert not permissions.can_manage_users(make_user("editor", "SE"), "SE")


def test_inactive_user_has_no_rights(make_user) -> None:
    user = make_user("editor", "LV", is_active=False)
    assert not permissions.can_edit(user, "LV")
