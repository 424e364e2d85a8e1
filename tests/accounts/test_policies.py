"""Each record type's permission policy: the list filter and the check of one record agree on
the whole matrix of role × own/other country × record state, and both say what the rules say.

Run on SQLite and on PostgreSQL (DATABASE_URL): the filter is SQL, the check is Python.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.test import Client

from buicasus.accounts.models import Membership
from buicasus.accounts.permissions import forget_roles
from buicasus.accounts.policy import policy_for
from buicasus.assessment.models import Campaign, CampaignStatus, Framework, Invitation
from buicasus.matching.models import NeedShare
from buicasus.pilots.models import Pilot, PilotParticipant
from buicasus.reference.models import Country
from buicasus.registry.models import InitiativeRole, OrganisationTie, Term
from tests.matching.builders import need
from tests.registry.factories import initiative, organisation

pytestmark = pytest.mark.django_db

ROLES = ["admin", "coordinator", "editor", "contributor", "viewer", "none", "anonymous"]
STATES = ["published", "unpublished", "proposed", "created-by-me"]
# The user's role is in Latvia; "other" is Spain.
OWN, OTHER = "LV", "ES"
STAFF = {"coordinator", "editor", "contributor", "viewer"}
EDITORS = {"coordinator", "editor"}


def _user(make_user: Callable[..., Any], role: str) -> Any:
    if role == "anonymous":
        return AnonymousUser()
    if role == "none":
        return make_user()
    return make_user(role, None if role == "admin" else OWN)


def _fields(state: str, user: Any) -> dict[str, Any]:
    """A record's fields in `state`; "created-by-me" is a proposal `user` made."""
    mine = user if getattr(user, "is_authenticated", False) else None
    return {
        "published": {"published": True},
        "unpublished": {"published": False},
        "proposed": {"published": False, "review_status": "proposed"},
        "created-by-me": {"published": False, "review_status": "proposed", "created_by": mine},
    }[state]


def _states(build: Callable[..., Model], code: str, user: Any) -> dict[str, Model]:
    return {state: build(code, **_fields(state, user)) for state in STATES}


def _may_view(role: str, where: str, state: str) -> bool:
    if role == "admin" or state == "published":
        return True
    if state == "created-by-me" and role in STAFF:
        return True  # the creator, while holding a role (in any country)
    if where == "other":
        return False
    return role in EDITORS or (state == "unpublished" and role in STAFF)


def _may_change(role: str, where: str, state: str) -> bool:
    if role == "admin":
        return True
    if where == "other":
        return False
    return role in EDITORS or (role == "contributor" and state == "created-by-me")


def _agree(user: Any, record: Model, action: str) -> bool:
    """The object check, after asserting the filter says the same about this record."""
    policy = policy_for(record)
    by_filter = policy.queryset(user, action).filter(pk=record.pk).exists()
    by_object = policy.allows(user, record, action)
    assert by_filter is by_object, (type(record).__name__, action, by_filter, by_object)
    return by_object


@pytest.mark.parametrize("role", ROLES)
def test_registry_records_filter_and_check_agree(make_user: Any, role: str) -> None:
    user = _user(make_user, role)
    for where, code in (("own", OWN), ("other", OTHER)):
        for kind, build in (("organisation", organisation), ("initiative", initiative)):
            for state, record in _states(build, code, user).items():
                case = (kind, where, state)
                assert _agree(user, record, "view") is _may_view(role, where, state), case
                assert _agree(user, record, "change") is _may_change(role, where, state), case
                manage = role == "admin" or (role in EDITORS and where == "own")
                assert _agree(user, record, "manage") is manage, case
                history = role == "admin" or (role in STAFF and where == "own")
                assert _agree(user, record, "history") is history, case


@pytest.mark.parametrize("role", ROLES)
def test_relationships_seen_with_both_ends_managed_by_the_anchor(make_user: Any, role: str) -> None:
    user = _user(make_user, role)
    lead = Term.objects.filter(vocabulary__key="initiative-role").first()
    tie_type = Term.objects.filter(vocabulary__key="tie-type").first()
    for where, code in (("own", OWN), ("other", OTHER)):
        public_org = organisation(code, published=True)
        for state, record in _states(initiative, code, user).items():
            role_row = InitiativeRole.objects.create(
                initiative=record, organisation=public_org, role=lead
            )
            assert _agree(user, role_row, "view") is _may_view(role, where, state)
            assert _agree(user, role_row, "manage") is (
                role == "admin" or (role in EDITORS and where == "own")
            )
        for state, target in _states(organisation, code, user).items():
            tie = OrganisationTie.objects.create(
                source=public_org, target=target, tie_type=tie_type
            )
            assert _agree(user, tie, "view") is _may_view(role, where, state)


@pytest.mark.parametrize("role", ROLES)
def test_pilots_needs_and_campaigns_filter_and_check_agree(make_user: Any, role: str) -> None:
    user = _user(make_user, role)
    framework = Framework.objects.first()
    signed_in = getattr(user, "is_authenticated", False)
    for where, code in (("own", OWN), ("other", OTHER)):
        other = OTHER if code == OWN else OWN
        source = initiative(other)
        pilot = Pilot.objects.create(
            title="Pilot",
            source_initiative=source,
            source_organisation=organisation(other),
            target_organisation=organisation(code),
            target_country=Country.objects.get(code=code),
            start_date=dt.date(2026, 1, 15),
        )
        staff_here = role == "admin" or (role in STAFF and where == "own")
        # The source's country is the user's own when the target is the other one.
        staff_source = role == "admin" or (role in STAFF and where == "other")
        assert _agree(user, pilot, "view") is (staff_here or staff_source)
        assert _agree(user, pilot, "manage") is (
            role == "admin" or (role in EDITORS and where == "own")
        )
        if signed_in:
            PilotParticipant.objects.create(pilot=pilot, role="mentee", user=user)
            assert _agree(user, pilot, "view") is True
            assert _agree(user, pilot, "add_session") is True

        stated = need(code)
        assert _agree(user, stated, "view") is staff_here
        assert _agree(user, stated, "manage") is (
            role == "admin" or (role in EDITORS and where == "own")
        )
        NeedShare.objects.create(need=stated, country=Country.objects.get(code=other))
        assert _agree(user, stated, "view") is (staff_here or staff_source)

        for status in CampaignStatus:
            campaign = Campaign.objects.create(
                country=Country.objects.get(code=code),
                framework=framework,
                title="Round",
                status=status,
            )
            manager = role == "admin" or (role == "coordinator" and where == "own")
            opened = status != CampaignStatus.DRAFT
            assert _agree(user, campaign, "view") is (manager or (opened and role in STAFF))
            if signed_in:
                Invitation.objects.create(campaign=campaign, user=user, group="academia")
                assert _agree(user, campaign, "view") is (manager or opened)


def test_a_creator_who_lost_every_role_no_longer_sees_their_proposal(
    make_user: Any,
) -> None:
    """The detail page used to let a creator without any role read their proposal, while the
    list and the API (the database filter) hid it."""
    author = make_user("contributor", OWN)
    proposal = initiative(OWN, published=False, review_status="proposed", created_by=author)
    client = Client()
    client.force_login(author)
    url = proposal.get_absolute_url()
    assert client.get(url).status_code == 200
    assert client.get(f"/api/v1/initiatives/{proposal.pk}").status_code == 200

    Membership.objects.filter(user=author).delete()
    forget_roles(author)
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/initiatives/{proposal.pk}").status_code == 404
    assert proposal.title not in client.get("/initiatives/").content.decode()


KINDS = {"organisation": organisation, "initiative": initiative}


@pytest.mark.parametrize("role", ROLES)
def test_pages_api_search_and_export_show_what_the_policy_allows(make_user: Any, role: str) -> None:
    """Every channel that reads records answers as the policy does, record by record."""
    user = _user(make_user, role)
    client = Client()
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    records: list[tuple[str, Model, str, bool]] = []
    _build_labelled(user, role, records)  # the search index follows each commit
    page = client.get("/search/", {"q": "zzmatrix", "page_size": 100}).content.decode()
    found = re.sub(r"<[^>]+>", "", page)  # matched words are highlighted
    for kind, record, label, visible in records:
        case = (kind, label)
        assert client.get(f"/{kind}s/{record.pk}/").status_code == (200 if visible else 404), case
        api = client.get(f"/api/v1/{kind}s/{record.pk}").status_code
        assert api == (200 if visible else 404), case
        assert (label in found) is visible, case
    for kind in KINDS:
        listed = client.get(f"/{kind}s/", {"country": "", "q": "zzmatrix"}).content.decode()
        exported = b"".join(
            client.get(
                "/export/", {"kind": f"{kind}s", "format": "csv", "country": ""}
            ).streaming_content
        ).decode()
        for other_kind, _record, label, visible in records:
            if other_kind == kind:
                assert (label in listed) is visible, (kind, label)
                assert (label in exported) is visible, (kind, label)


def _build_labelled(user: Any, role: str, records: list[tuple[str, Model, str, bool]]) -> None:
    """Every kind × country × state, named so that a page shows which one it lists."""
    for where, code in (("own", OWN), ("other", OTHER)):
        for kind, build in KINDS.items():
            name = "name" if kind == "organisation" else "title"
            for state in STATES:
                label = f"zzmatrix {kind} {where} {state}"
                record = build(code, **{name: label}, **_fields(state, user))
                records.append((kind, record, label, _may_view(role, where, state)))
