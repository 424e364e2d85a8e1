"""Needs: who sees and edits them, the pages, and bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from buicasus.matching import services
from buicasus.matching.models import NEED_TEXT_MAX, Need, NeedShare
from buicasus.reference.models import Country
from tests.matching import builders

pytestmark = pytest.mark.django_db


def _post_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Jaunieši bez darba",
        "text": builders.LV_TEXT,
        "language": "lv",
        "country": "LV",
        "region": "",
        "organisation": "",
        "policy_fields": ["employment"],
        "target_groups": ["young-people"],
        "budget": "50000",
        "currency": "eur",
        "time_frame_months": "12",
        "legal_forms": ["association-ngo", "social-enterprise"],
        "constraints_note": "",
        "status": "open",
    }
    data.update(changes)
    return data


def test_editor_creates_a_need_through_the_page(client_for: Any) -> None:
    client = client_for("editor", "LV")
    assert client.get(reverse("matching:need-create")).status_code == 200
    response = client.post(reverse("matching:need-create"), _post_data())
    need = Need.objects.get()
    assert response.status_code == 302
    assert response["Location"] == need.get_absolute_url()
    assert need.currency == "EUR"
    assert need.legal_forms == ["association-ngo", "social-enterprise"]
    assert [t.code for t in need.policy_fields.all()] == ["employment"]
    page = client.get(need.get_absolute_url())
    assert "Jaunieši bez darba" in page.content.decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "empty"), ("x" * 100_000, "100000 characters")],
)
def test_empty_or_huge_need_text_is_refused_naming_the_field(
    client_for: Any, text: str, message: str
) -> None:
    client = client_for("editor", "LV")
    response = client.post(reverse("matching:need-create"), _post_data(text=text))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == ["text"]
    assert message in errors["text"][0]
    assert not Need.objects.exists()


def test_region_must_lie_in_the_need_country(client_for: Any) -> None:
    builders.region("ES51", "ES")
    response = client_for("editor", "LV").post(
        reverse("matching:need-create"), _post_data(region="ES51")
    )
    assert response.status_code == 422
    assert "region" in response.context["form"].errors


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_only_editors_create_needs(client_for: Any, role: str) -> None:
    client = client_for(role, "LV")
    assert client.get(reverse("matching:need-create")).status_code == 403
    assert client.post(reverse("matching:need-create"), _post_data()).status_code == 403
    assert not Need.objects.exists()


def test_editor_cannot_state_a_need_for_another_country(client_for: Any) -> None:
    response = client_for("editor", "ES").post(reverse("matching:need-create"), _post_data())
    assert response.status_code == 403
    assert not Need.objects.exists()


def test_viewers_of_the_country_read_others_get_403(client_for: Any) -> None:
    need = builders.need("LV")
    assert client_for("viewer", "LV").get(need.get_absolute_url()).status_code == 200
    assert client_for("editor", "SE").get(need.get_absolute_url()).status_code == 403
    assert (
        client_for("viewer", "LV").get(reverse("matching:need-update", args=[need.pk])).status_code
        == 403
    )
    anonymous = client_for(None)
    assert anonymous.get(need.get_absolute_url()).status_code == 302  # to the login page


def test_shared_countries_staff_see_the_need(client_for: Any) -> None:
    need = builders.need("LV")
    NeedShare.objects.create(need=need, country=Country.objects.get(code="SE"))
    assert client_for("viewer", "SE").get(need.get_absolute_url()).status_code == 200
    assert client_for("viewer", "FR").get(need.get_absolute_url()).status_code == 403


def test_need_list_separates_own_and_shared_needs(client_for: Any, make_user: Any) -> None:
    own = builders.need("SE", title="Swedish need")
    shared = builders.need("LV", title="Latvian need shared")
    builders.need("FR", title="French need hidden")
    NeedShare.objects.create(need=shared, country=Country.objects.get(code="SE"))
    response = client_for("viewer", "SE").get(reverse("matching:need-list"))
    assert [n.title for n in response.context["own"].object_list] == [own.title]
    assert [n.title for n in response.context["shared"]] == [shared.title]
    assert "French need hidden" not in response.content.decode()


def test_editor_edits_and_deletes_a_need(client_for: Any) -> None:
    need = builders.need("LV")
    client = client_for("editor", "LV")
    response = client.post(
        reverse("matching:need-update", args=[need.pk]), _post_data(title="Renamed")
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.title == "Renamed"
    assert client.get(reverse("matching:need-delete", args=[need.pk])).status_code == 200
    client.post(reverse("matching:need-delete", args=[need.pk]))
    assert not Need.objects.exists()


def test_other_country_editor_cannot_edit_or_delete(client_for: Any) -> None:
    need = builders.need("LV")
    client = client_for("editor", "ES")
    assert (
        client.post(reverse("matching:need-update", args=[need.pk]), _post_data()).status_code
        == 403
    )
    assert client.post(reverse("matching:need-delete", args=[need.pk])).status_code == 403
    assert Need.objects.filter(pk=need.pk).exists()


def test_visible_needs_for_admin_and_nobody(make_user: Any) -> None:
    need = builders.need("LV")
    assert list(services.visible_needs(make_user("admin"))) == [need]
    assert list(services.visible_needs(make_user())) == []


def test_check_text_limits() -> None:
    assert services.check_text("  a need  ") == "a need"
    with pytest.raises(services.NeedInvalid) as caught:
        services.check_text("y" * (NEED_TEXT_MAX + 1))
    assert list(caught.value.errors) == ["text"]
