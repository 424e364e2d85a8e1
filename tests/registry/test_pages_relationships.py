"""Roles in initiatives and ties between organisations, edited on the detail pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from buicasus.registry.models import InitiativeRole, OrganisationTie
from tests.registry.factories import initiative, organisation, term

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_editor_adds_and_removes_a_role_with_htmx(client_for: Callable[..., Client]) -> None:
    record = initiative("LV")
    org = organisation("LV", name="Partneris")
    client = client_for("editor", "LV")
    detail = client.get(record.get_absolute_url()).content.decode()
    assert f'hx-post="/initiatives/{record.pk}/roles/"' in detail
    assert f'<option value="{org.pk}">Partneris (LV)</option>' in detail
    response = client.post(
        reverse("registry:initiative-role-add", args=[record.pk]),
        {"organisation": org.pk, "role": "partner", "start_date": "2023-01-01"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="roles"') and "The role was added." in html
    role = InitiativeRole.objects.get(initiative=record, organisation=org)
    assert role.role.code == "partner" and role.created_by is not None
    response = client.post(reverse("registry:role-delete", args=[role.pk]), **HTMX)
    assert response.status_code == 200 and "The role was removed." in response.content.decode()
    assert not InitiativeRole.objects.filter(pk=role.pk).exists()


def test_role_errors_come_back_in_the_section(client_for: Callable[..., Client]) -> None:
    record = initiative("LV")
    org = organisation("LV")
    client = client_for("editor", "LV")
    url = reverse("registry:initiative-role-add", args=[record.pk])
    response = client.post(
        url,
        {
            "organisation": org.pk,
            "role": "no-such-role",
            "start_date": "2024-01-01",
            "end_date": "2023-01-01",
        },
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="id_role_error"' in html and "Unknown role" in html
    assert 'id="id_end_date_error"' in html
    assert '<details class="add-relationship" open>' in html
    assert not InitiativeRole.objects.exists()
    # without htmx the form comes back as a page of its own
    page = client.post(url, {"organisation": org.pk, "role": ""}).content.decode()
    assert "<html" in page and 'id="id_role_error"' in page


def test_role_without_htmx_redirects(client_for: Callable[..., Client]) -> None:
    record = initiative("LV")
    org = organisation("LV")
    client = client_for("editor", "LV")
    response = client.post(
        reverse("registry:initiative-role-add", args=[record.pk]),
        {"organisation": org.pk, "role": "lead"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#roles")
    role = InitiativeRole.objects.get()
    response = client.post(reverse("registry:role-delete", args=[role.pk]))
    assert response.status_code == 302 and not InitiativeRole.objects.exists()


def test_unpublished_organisations_of_other_countries_cannot_be_chosen(
    client_for: Callable[..., Client],
) -> None:
    record = initiative("LV")
    hidden = organisation("ES", name="Oculta", published=False)
    client = client_for("editor", "LV")
    assert "Oculta" not in client.get(record.get_absolute_url()).content.decode()
    response = client.post(
        reverse("registry:initiative-role-add", args=[record.pk]),
        {"organisation": hidden.pk, "role": "lead"},
        **HTMX,
    )
    assert 'id="id_organisation_error"' in response.content.decode()
    assert not InitiativeRole.objects.exists()


@pytest.mark.parametrize(("role", "country"), [("editor", "ES"), ("contributor", "LV")])
def test_role_changes_refused(client_for: Callable[..., Client], role: str, country: str) -> None:
    record = initiative("LV")
    org = organisation("LV")
    existing = InitiativeRole.objects.create(
        initiative=record, organisation=org, role=term("initiative-role", "lead")
    )
    client = client_for(role, country)
    assert "role-delete" not in client.get(record.get_absolute_url()).content.decode()
    add = client.post(
        reverse("registry:initiative-role-add", args=[record.pk]),
        {"organisation": org.pk, "role": "partner"},
    )
    delete = client.post(reverse("registry:role-delete", args=[existing.pk]))
    assert (add.status_code, delete.status_code) == (403, 403)
    assert list(InitiativeRole.objects.all()) == [existing]


def test_anonymous_role_change_goes_to_login() -> None:
    record = initiative("LV")
    response = Client().post(reverse("registry:initiative-role-add", args=[record.pk]), {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_editor_adds_and_removes_a_tie(client_for: Callable[..., Client]) -> None:
    source = organisation("LV", name="Avots")
    target = organisation("FR", name="Cible")
    client = client_for("editor", "LV")
    detail = client.get(source.get_absolute_url()).content.decode()
    assert f'<option value="{source.pk}">' not in detail  # no tie to itself
    response = client.post(
        reverse("registry:organisation-tie-add", args=[source.pk]),
        {"target": target.pk, "tie_type": "funds"},
        **HTMX,
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="ties"') and "The tie was added." in html
    tie = OrganisationTie.objects.get(source=source)
    assert tie.target == target and "Cible" in html
    # shown as incoming on the target's page
    assert "Avots" in client.get(target.get_absolute_url()).content.decode()
    response = client.post(
        reverse("registry:tie-delete", args=[tie.pk]), {"organisation": source.pk}, **HTMX
    )
    assert "The tie was removed." in response.content.decode()
    assert not OrganisationTie.objects.filter(source=source).exists()


def test_tie_errors(client_for: Callable[..., Client]) -> None:
    source = organisation("LV")
    client = client_for("editor", "LV")
    response = client.post(
        reverse("registry:organisation-tie-add", args=[source.pk]),
        {"target": source.pk, "tie_type": "unknown"},
        **HTMX,
    )
    html = response.content.decode()
    assert 'id="id_target_error"' in html and 'id="id_tie_type_error"' in html
    assert not OrganisationTie.objects.filter(source=source).exists()


def test_tie_refused_in_another_country(client_for: Callable[..., Client]) -> None:
    source = organisation("ES")
    target = organisation("LV")
    tie = OrganisationTie.objects.create(
        source=source, target=target, tie_type=term("tie-type", "funds")
    )
    client = client_for("editor", "LV")
    add = client.post(
        reverse("registry:organisation-tie-add", args=[source.pk]),
        {"target": target.pk, "tie_type": "partners-with"},
    )
    delete = client.post(reverse("registry:tie-delete", args=[tie.pk]))
    assert (add.status_code, delete.status_code) == (403, 403)
    assert list(OrganisationTie.objects.filter(source=source)) == [tie]


def test_organisation_options_search(client_for: Callable[..., Client]) -> None:
    organisation("LV", name="Meklējamā biedrība")
    organisation("ES", name="Oculta", published=False)
    html = Client().get(reverse("registry:organisation-options"), {"q": "meklē"}).content.decode()
    assert "Meklējamā biedrība (LV)" in html and html.count("<option") == 2
    html = Client().get(reverse("registry:organisation-options"), {"q": "oculta"}).content.decode()
    assert "Oculta" not in html and "No organisation matches." in html
