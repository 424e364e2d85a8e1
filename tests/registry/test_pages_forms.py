"""Creating, editing and deleting records through the pages: field-level errors, refusals
that change nothing, and the audit trail shown on the history page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from buicasus.registry.models import (
    AuditEntry,
    Initiative,
    Organisation,
    OrganisationIdentifier,
    ReviewStatus,
)
from tests.registry.factories import initiative, organisation, term

pytestmark = pytest.mark.django_db


def org_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Jaunā organizācija",
        "actor_type": "social-enterprise",
        "country": "LV",
        "city": "Rīga",
        "website": "https://example.org/",
        "identifiers": "lv-reg: 40003000001",
        "description": "Apraksts.",
        "description_language": "lv",
        "tr_en_description": "A description.",
        "published": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def initiative_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Jauna iniciatīva",
        "description": "Apraksts.",
        "description_language": "lv",
        "country": "LV",
        "stage": "testing",
        "evidence_level": "promising-practice",
        "policy_fields": ["employment"],
        "sdgs": ["1", "8"],
        "esf_objectives": ["a"],
        "start_date": "2023-01-01",
        "end_date": "2024-06-30",
        "fundings": "esf: 120000\nnational",
        "published": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def field_error(html: str, field: str) -> str:
    """The error list rendered next to `field`, which the input names in aria-describedby."""
    match = re.search(rf'<ul class="errorlist"[^>]*id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert match, f"no error next to {field}"
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error', html), field
    return match.group(1)


def _counts() -> tuple[int, int, int, int]:
    return (
        Organisation.objects.count(),
        Initiative.objects.count(),
        OrganisationIdentifier.objects.count(),
        AuditEntry.objects.count(),
    )


# --- creating ------------------------------------------------------------------------------


def test_editor_creates_an_organisation(client_for: Callable[..., Client]) -> None:
    client = client_for("editor", "LV")
    response = client.post(reverse("registry:organisation-create"), org_data())
    assert response.status_code == 302
    org = Organisation.objects.get(name="Jaunā organizācija")
    assert response["Location"] == org.get_absolute_url()
    assert org.published and org.review_status == ReviewStatus.APPROVED
    assert org.translations == {"en": {"description": "A description."}}
    assert [i.value for i in org.identifiers.all()] == ["40003000001"]
    html = client.get(response["Location"]).content.decode()
    assert "The organisation was created." in html and "40003000001" in html


def test_editor_creates_an_initiative(client_for: Callable[..., Client]) -> None:
    client = client_for("editor", "LV")
    response = client.post(reverse("registry:initiative-create"), initiative_data())
    assert response.status_code == 302
    created = Initiative.objects.get(title="Jauna iniciatīva")
    assert created.stage is not None and created.stage.code == "testing"
    assert sorted(t.code for t in created.sdgs.all()) == ["1", "8"]
    assert [(f.source.code, f.amount) for f in created.fundings.order_by("id")] == [
        ("esf", 120000),
        ("national", None),
    ]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"country": "XX"}, "country", "Unknown country code"),
        ({"actor_type": "no-such-type"}, "actor_type", "Unknown actor type"),
        ({"website": "not a url"}, "website", "valid URL"),
        ({"identifiers": "no-such-scheme: 1"}, "identifiers", "Unknown identifier scheme"),
        ({"name": ""}, "name", "required"),
        ({"latitude": "56.9"}, "longitude", "latitude and longitude"),
    ],
)
def test_organisation_errors_next_to_the_field(
    client_for: Callable[..., Client], changes: dict[str, Any], field: str, message: str
) -> None:
    client = client_for("editor", "LV")
    before = _counts()
    response = client.post(reverse("registry:organisation-create"), org_data(**changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in field_error(html, field)
    assert 'aria-invalid="true"' in html
    assert _counts() == before


def test_duplicate_identifier_is_refused(client_for: Callable[..., Client]) -> None:
    owner = organisation("LV", name="Pirmā")
    OrganisationIdentifier.objects.create(
        organisation=owner, scheme=term("identifier-scheme", "lv-reg"), value="40003000001"
    )
    client = client_for("editor", "LV")
    before = _counts()
    response = client.post(reverse("registry:organisation-create"), org_data())
    assert response.status_code == 200
    assert "already belongs to" in field_error(response.content.decode(), "identifiers")
    assert _counts() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"country": "ZZ"}, "country", "Unknown country code"),
        ({"end_date": "2022-01-01"}, "end_date", "before the start date"),
        ({"website": "ftp:/broken"}, "website", "valid URL"),
        ({"stage": "no-such-stage"}, "stage", "Unknown stage"),
        ({"sdgs": ["99"]}, "sdgs", "Unknown SDG"),
        ({"esf_objectives": ["zz"]}, "esf_objectives", "Unknown ESF+ objective"),
        ({"fundings": "no-such-fund: 10"}, "fundings", "Unknown funding source"),
        ({"start_date": "31/31/2023"}, "start_date", "valid date"),
    ],
)
def test_initiative_errors_next_to_the_field(
    client_for: Callable[..., Client], changes: dict[str, Any], field: str, message: str
) -> None:
    client = client_for("editor", "LV")
    before = _counts()
    response = client.post(reverse("registry:initiative-create"), initiative_data(**changes))
    assert response.status_code == 200
    assert message in field_error(response.content.decode(), field)
    assert _counts() == before


def test_translation_fields_sit_in_a_collapsed_details(client_for: Callable[..., Client]) -> None:
    html = client_for("editor", "LV").get(reverse("registry:initiative-create")).content.decode()
    details = html[html.index('<details class="translations"') :]
    details = details[: details.index("</details>")]
    assert '<details class="translations">' in html  # closed until an error needs it
    for lang in ("en", "fr", "es", "sv", "lv"):
        assert f'name="tr_{lang}_title"' in details and f'name="tr_{lang}_description"' in details


def test_every_input_has_a_label(client_for: Callable[..., Client]) -> None:
    client = client_for("editor", "LV")
    for url in (reverse("registry:initiative-create"), reverse("registry:organisation-create")):
        html = client.get(url).content.decode()
        ids = re.findall(
            r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html
        )
        assert ids
        for element_id in ids:
            assert f'for="{element_id}"' in html, element_id


def test_create_needs_login_then_a_role(
    client_for: Callable[..., Client], make_user: Callable[..., Any]
) -> None:
    response = Client().get(reverse("registry:organisation-create"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    roleless = Client()
    roleless.force_login(make_user())
    assert roleless.get(reverse("registry:initiative-create")).status_code == 403
    assert (
        client_for("viewer", "LV")
        .post(reverse("registry:initiative-create"), initiative_data())
        .status_code
        == 403
    )
    assert not Initiative.objects.filter(title="Jauna iniciatīva").exists()


def test_editor_cannot_create_in_another_country(client_for: Callable[..., Client]) -> None:
    client = client_for("editor", "LV")
    before = _counts()
    response = client.post(reverse("registry:initiative-create"), initiative_data(country="ES"))
    assert response.status_code == 403
    assert _counts() == before


# --- editing -------------------------------------------------------------------------------


def test_edit_form_shows_the_current_values(client_for: Callable[..., Client]) -> None:
    record = initiative("LV", stage=term("si-stage", "impact"))
    record.sdgs.set([term("sdg", "4")])
    html = (
        client_for("editor", "LV")
        .get(reverse("registry:initiative-update", args=[record.pk]))
        .content.decode()
    )
    assert '<option value="LV" selected>' in html
    assert '<option value="impact" selected>' in html
    assert re.search(r'<input type="checkbox" name="sdgs" value="4"[^>]*checked', html)


def test_latvian_editor_cannot_edit_a_spanish_initiative(
    client_for: Callable[..., Client],
) -> None:
    record = initiative("ES", title="Iniciativa española")
    before = (record.title, record.updated_at, AuditEntry.objects.count())
    client = client_for("editor", "LV")
    url = reverse("registry:initiative-update", args=[record.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, initiative_data(title="Cambiada", country="ES"))
    assert response.status_code == 403
    record.refresh_from_db()
    assert (record.title, record.updated_at, AuditEntry.objects.count()) == before
    # nor move it into their own country
    assert client.post(url, initiative_data(title="Cambiada")).status_code == 403
    record.refresh_from_db()
    assert record.title == "Iniciativa española"


def test_edit_is_saved_and_shown_in_the_history(client_for: Callable[..., Client]) -> None:
    record = organisation("LV", name="Vecais nosaukums")
    client = client_for("editor", "LV")
    response = client.post(
        reverse("registry:organisation-update", args=[record.pk]),
        org_data(name="Jaunais nosaukums", identifiers=""),
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.name == "Jaunais nosaukums"
    html = client.get(reverse("registry:organisation-history", args=[record.pk])).content.decode()
    row = re.search(
        r"<th scope=\"row\">Name</th><td class=\"old\">(.*?)</td><td class=\"new\">(.*?)</td>",
        html,
    )
    assert row and row.groups() == ("Vecais nosaukums", "Jaunais nosaukums")
    assert "Updated" in html and "Created" in html
    assert re.search(r"· editor-LV-\d+", html)


def test_edit_errors_leave_the_record_unchanged(client_for: Callable[..., Client]) -> None:
    record = initiative("LV", title="Nemainīta")
    client = client_for("editor", "LV")
    response = client.post(
        reverse("registry:initiative-update", args=[record.pk]),
        initiative_data(title="Mainīta", end_date="2020-01-01"),
    )
    assert response.status_code == 200
    assert "before the start date" in field_error(response.content.decode(), "end_date")
    record.refresh_from_db()
    assert record.title == "Nemainīta"


def test_hidden_record_edit_is_404(client_for: Callable[..., Client]) -> None:
    record = initiative("ES", published=False)
    response = client_for("editor", "LV").get(
        reverse("registry:initiative-update", args=[record.pk])
    )
    assert response.status_code == 404


# --- deleting ------------------------------------------------------------------------------


def test_delete_asks_then_deletes(client_for: Callable[..., Client]) -> None:
    record = organisation("LV", name="Dzēšamā")
    client = client_for("editor", "LV")
    url = reverse("registry:organisation-delete", args=[record.pk])
    html = client.get(url).content.decode()
    assert "Delete Dzēšamā?" in html and 'method="post"' in html
    assert Organisation.objects.filter(pk=record.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:organisation-list")
    assert not Organisation.objects.filter(pk=record.pk).exists()
    assert AuditEntry.objects.filter(model="organisation", action="delete").exists()


@pytest.mark.parametrize(("role", "country"), [("contributor", "LV"), ("editor", "ES")])
def test_delete_refused(client_for: Callable[..., Client], role: str, country: str) -> None:
    record = initiative("LV")
    response = client_for(role, country).post(
        reverse("registry:initiative-delete", args=[record.pk])
    )
    assert response.status_code == 403
    assert Initiative.objects.filter(pk=record.pk).exists()


# --- who sees what -------------------------------------------------------------------------


def test_anonymous_sees_only_published_and_approved(client: Client) -> None:
    organisation("LV", name="Publicēta")
    organisation("LV", name="Nepublicēta", published=False)
    organisation("LV", name="Ierosināta", review_status=ReviewStatus.PROPOSED)
    html = client.get(reverse("registry:organisation-list") + "?country=LV").content.decode()
    assert "Publicēta" in html
    assert "Nepublicēta" not in html and "Ierosināta" not in html
    # and no status filters for readers who only see published records
    assert 'name="published"' not in html and 'name="review_status"' not in html
    hidden = Organisation.objects.get(name="Nepublicēta")
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_viewer_sees_unpublished_of_their_country(client_for: Callable[..., Client]) -> None:
    organisation("LV", name="Nepublicēta", published=False)
    organisation("ES", name="No publicada", published=False)
    html = client_for("viewer", "LV").get("/organisations/?country=").content.decode()
    assert "Nepublicēta" in html and "No publicada" not in html
    assert 'name="published"' in html and 'name="review_status"' in html


def test_lineage_chosen_among_visible_initiatives(client_for: Callable[..., Client]) -> None:
    parent = initiative("FR", title="Original français")
    hidden = initiative("ES", title="Oculta", published=False)
    client = client_for("editor", "LV")
    form = client.get(reverse("registry:initiative-create")).content.decode()
    assert f'<option value="{parent.pk}">Original français (FR)</option>' in form
    assert "Oculta" not in form
    before = _counts()
    response = client.post(
        reverse("registry:initiative-create"), initiative_data(replicated_from=hidden.pk)
    )
    assert "replicated_from" in response.content.decode()
    field_error(response.content.decode(), "replicated_from")
    assert _counts() == before
    response = client.post(
        reverse("registry:initiative-create"), initiative_data(replicated_from=parent.pk)
    )
    assert response.status_code == 302
    child = Initiative.objects.get(title="Jauna iniciatīva")
    assert child.replicated_from == parent
    assert "Original français" in client.get(child.get_absolute_url()).content.decode()
    assert "Jauna iniciatīva" in client.get(parent.get_absolute_url()).content.decode()


def test_contributor_form_has_no_publish_box(client_for: Callable[..., Client]) -> None:
    html = (
        client_for("contributor", "LV")
        .get(reverse("registry:organisation-create"))
        .content.decode()
    )
    assert 'name="published"' not in html and "review your proposal" in html
